// Adapter for a primary-ticketing partner that moves tickets between its own accounts.
//
// The partner API is JSON over HTTPS with a bearer token:
//
//   POST {PARTNER_API_URL}/v1/transfers
//     headers: Authorization: Bearer {PARTNER_API_TOKEN}, Idempotency-Key: {our transfer id}
//     body:    { "ticketRef": string, "fromAccount": string, "toEmail": string }
//     200/201: { "id": string, "status": "pending" | "completed" | "failed" }
//   GET  {PARTNER_API_URL}/v1/transfers/{id}
//     200:     { "id": string, "status": "pending" | "completed" | "failed" }
//
// `ticketRef` is the SHA-256 hex of the ticket's barcode, `fromAccount` the sender's e-mail
// at the partner and `toEmail` where the partner sends the receiver's claim link. The same
// Idempotency-Key returns the transfer created first, so a retried POST never starts a
// second transfer. A 4xx answer other than 408 and 429 is a refusal and is not retried;
// timeouts, network errors, 408, 429 and 5xx are retried.
import { z } from 'zod';

import {
  defaultStepPolicy,
  runStep,
  TransferStepError,
  type ExternalStatus,
  type StepPolicy,
  type TransferAdapter,
  type TransferRequest,
  type TransferStarted,
} from './adapter.ts';

const partnerTransfer = z.object({
  id: z.string().min(1).max(200),
  status: z.enum(['pending', 'completed', 'failed']),
});

export interface PartnerApiConfig {
  baseUrl: string;
  token: string;
  policy?: StepPolicy;
}

/**
 * Reads PARTNER_API_URL and PARTNER_API_TOKEN. Returns null, meaning the adapter is off and
 * partner transfers fall back to manual ones, when either is unset.
 */
export function partnerApiConfigFromEnv(env: NodeJS.ProcessEnv): PartnerApiConfig | null {
  const baseUrl = env.PARTNER_API_URL?.trim();
  const token = env.PARTNER_API_TOKEN?.trim();
  if (!baseUrl || !token) {
    return null;
  }
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`PARTNER_API_URL must be an http or https URL, got "${url.protocol}"`);
  }

  return { baseUrl: baseUrl.replace(/\/+$/, ''), token };
}

function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

export class PartnerApiTransferAdapter implements TransferAdapter {
  readonly method = 'PARTNER_API' as const;
  private readonly policy: StepPolicy;

  constructor(private readonly config: PartnerApiConfig) {
    this.policy = config.policy ?? defaultStepPolicy;
  }

  async validate(request: TransferRequest): Promise<string[]> {
    const problems: string[] = [];
    if (!request.ticketRef) {
      problems.push('the ticket has no barcode reference the partner can look up');
    }
    if (!request.fromEmail || !request.toEmail) {
      problems.push('a trader has no e-mail address');
    }

    return problems;
  }

  async transfer(request: TransferRequest): Promise<TransferStarted> {
    const body = {
      ticketRef: request.ticketRef,
      fromAccount: request.fromEmail,
      toEmail: request.toEmail,
    };
    const answer = await runStep('transfer', this.policy, (signal) =>
      this.call('transfer', '/v1/transfers', {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', 'idempotency-key': request.transferId },
        signal,
      }));

    return { externalRef: answer.id, status: answer.status };
  }

  async status(request: TransferRequest & { externalRef: string }): Promise<ExternalStatus> {
    const path = `/v1/transfers/${encodeURIComponent(request.externalRef)}`;
    const answer = await runStep('status', this.policy, (signal) =>
      this.call('status', path, { method: 'GET', signal }));

    return answer.status;
  }

  private async call(step: 'transfer' | 'status', path: string, init: RequestInit) {
    const response = await fetch(`${this.config.baseUrl}${path}`, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        accept: 'application/json',
        authorization: `Bearer ${this.config.token}`,
      },
    });
    if (!response.ok) {
      // The body is not quoted: a partner's error text may echo the traders' e-mails.
      throw new TransferStepError(
        step,
        `partner API answered HTTP ${response.status} to ${init.method} ${path.split('/')[2]}`,
        isRetryableStatus(response.status),
      );
    }
    const parsed = partnerTransfer.safeParse(await response.json().catch(() => null));
    if (!parsed.success) {
      throw new TransferStepError(step, 'partner API returned an unexpected body', true);
    }

    return parsed.data;
  }
}
