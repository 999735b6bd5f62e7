import type { TransferMethod } from '@ts/db';

/** What an adapter needs to move one escrowed ticket from its giver to its receiver. */
export interface TransferRequest {
  transferId: string;
  tradeId: string;
  /** SHA-256 hex of the ticket's barcode; the clear barcode never leaves the platform. */
  ticketRef: string | null;
  fromEmail: string;
  toEmail: string;
  /** Reference the adapter returned from an earlier `transfer` step, if any. */
  externalRef: string | null;
}

export type ExternalStatus = 'pending' | 'completed' | 'failed';

export interface TransferStarted {
  externalRef: string | null;
  status: ExternalStatus;
}

/** One way of transferring a ticket; each step may throw a TransferStepError. */
export interface TransferAdapter {
  readonly method: TransferMethod;
  /** Checks locally that this adapter can transfer the ticket; returns the problems found. */
  validate(request: TransferRequest): Promise<string[]>;
  /** Starts the transfer; must be safe to repeat for the same `transferId`. */
  transfer(request: TransferRequest): Promise<TransferStarted>;
  status(request: TransferRequest & { externalRef: string }): Promise<ExternalStatus>;
}

/**
 * A failed adapter step. `retryable` is true for timeouts, network errors and 5xx answers,
 * which may succeed later, and false for a definite refusal such as a 4xx answer.
 */
export class TransferStepError extends Error {
  constructor(
    readonly step: 'validate' | 'transfer' | 'status',
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'TransferStepError';
  }
}

export interface StepPolicy {
  /** Milliseconds one try of a step may take before it is aborted. */
  timeoutMs: number;
  /** Tries of a step, the first one included. */
  attempts: number;
  /** Wait after the first failed try; doubled after each further one. */
  backoffMs: number;
}

export const defaultStepPolicy: StepPolicy = { timeoutMs: 5_000, attempts: 3, backoffMs: 500 };

/**
 * Runs one adapter step with a timeout per try and retries with exponential backoff for
 * retryable errors. The step receives an AbortSignal that fires at the timeout.
 */
export async function runStep<T>(
  step: TransferStepError['step'],
  policy: StepPolicy,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  let lastError: TransferStepError | undefined;
  for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
    const signal = AbortSignal.timeout(policy.timeoutMs);
    try {
      return await run(signal);
    } catch (err) {
      lastError = toStepError(step, err, signal, policy.timeoutMs);
      if (!lastError.retryable || attempt === policy.attempts) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, policy.backoffMs * 2 ** (attempt - 1)));
    }
  }

  throw lastError ?? new TransferStepError(step, `${step} failed`, true);
}

function toStepError(
  step: TransferStepError['step'],
  err: unknown,
  signal: AbortSignal,
  timeoutMs: number,
): TransferStepError {
  if (err instanceof TransferStepError) {
    return err;
  }
  if (signal.aborted) {
    return new TransferStepError(step, `${step} timed out after ${timeoutMs} ms`, true);
  }
  const message = err instanceof Error ? err.message : String(err);

  return new TransferStepError(step, `${step} failed: ${message}`, true);
}
