import { TRPCClientError } from '@trpc/client';

import type { AppRouter } from '@ts/domain/router';

/** Failed request as a page shows it: a stable code, a message and per-field errors. */
export interface ShownError {
  appCode: string;
  message: string;
  fieldErrors: Record<string, string[] | undefined>;
}

const networkMessage = 'The server could not be reached. Check your connection and try again.';

/**
 * Reads an error thrown by a tRPC call or an upload. Server messages are written to be shown
 * to users. Any other error becomes a generic message, so no internals reach the page.
 */
export function describeError(error: unknown): ShownError {
  if (error instanceof TRPCClientError) {
    const typed = error as TRPCClientError<AppRouter>;
    const data = typed.data;
    if (!data) {
      return { appCode: 'NETWORK', message: networkMessage, fieldErrors: {} };
    }

    return {
      appCode: data.appCode,
      message: typed.message,
      fieldErrors: data.fieldErrors ?? {},
    };
  }
  if (error instanceof AppRequestError) {
    return { appCode: error.appCode, message: error.message, fieldErrors: {} };
  }
  if (error instanceof TypeError) {
    return { appCode: 'NETWORK', message: networkMessage, fieldErrors: {} };
  }

  return { appCode: 'INTERNAL', message: 'Something went wrong. Try again.', fieldErrors: {} };
}

/** Returns the first error message for one input field, if the server sent any. */
export function fieldError(error: ShownError | null, field: string): string | undefined {
  return error?.fieldErrors[field]?.[0];
}

/** An error from a plain HTTP endpoint of the API, such as the ticket upload. */
export class AppRequestError extends Error {
  readonly appCode: string;
  readonly status: number;

  constructor(appCode: string, message: string, status: number) {
    super(message);
    this.name = 'AppRequestError';
    this.appCode = appCode;
    this.status = status;
  }
}
