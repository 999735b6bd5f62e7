// A small tRPC-over-HTTP client for tests that drive a running product: JSON bodies in the
// superjson envelope the server's transformer expects, and the session cookie kept per trader.

/** A tRPC error response: the server handled the call and rejected it. */
export class TrpcCallError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly appCode: string | undefined,
    message: string,
  ) {
    super(`${path} failed with ${status} ${appCode ?? 'no code'}: ${message}`);
    this.name = 'TrpcCallError';
  }
}

export class TrpcHttpClient {
  private cookie: string | null = null;

  /** `baseUrl` is read on every call, so a client follows a restarted process on a new port. */
  constructor(private readonly baseUrl: () => string) {}

  mutation<T>(path: string, input: unknown): Promise<T> {
    return this.call<T>(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: input }),
    });
  }

  query<T>(path: string, input: unknown): Promise<T> {
    const encoded = encodeURIComponent(JSON.stringify({ json: input }));

    return this.call<T>(`${path}?input=${encoded}`, { method: 'GET' });
  }

  private async call<T>(pathAndQuery: string, init: RequestInit): Promise<T> {
    const response = await fetch(`${this.baseUrl()}/trpc/${pathAndQuery}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), ...this.cookieHeader() },
      signal: AbortSignal.timeout(20_000),
    });
    const setCookie = response.headers.get('set-cookie');
    const session = setCookie?.match(/(?:^|,\s*)sid=([^;]*)/);
    if (session) {
      this.cookie = session[1] ? `sid=${session[1]}` : null;
    }
    const body = (await response.json()) as {
      result?: { data?: { json?: T } };
      error?: { json?: { message?: string; data?: { appCode?: string } } };
    };
    if (!response.ok || body.error) {
      const path = pathAndQuery.split('?')[0]!;
      const error = body.error?.json;
      throw new TrpcCallError(path, response.status, error?.data?.appCode, error?.message ?? '');
    }

    return body.result?.data?.json as T;
  }

  private cookieHeader(): Record<string, string> {
    return this.cookie ? { cookie: this.cookie } : {};
  }
}

/** True for errors that mean the request may not have reached a live server. */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof TrpcCallError) {
    return false;
  }

  return error instanceof TypeError || (error instanceof DOMException && error.name === 'TimeoutError');
}

/**
 * Calls `operation` until it gets an answer from the server, as a client does across a
 * restart: connection errors are retried every 200 ms until `timeoutMs`; an answer, error or
 * not, is returned as it is.
 */
export async function retryUntilAnswered<T>(operation: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!isConnectionError(error) || Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
