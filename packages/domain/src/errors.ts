import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

/** Stable codes a client can branch on, each mapped to the tRPC code it travels as. */
export const errorCodes = {
  UNAUTHENTICATED: 'UNAUTHORIZED',
  INVALID_CREDENTIALS: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  KYC_REQUIRED: 'FORBIDDEN',
  EMAIL_TAKEN: 'CONFLICT',
  INVALID_INPUT: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_FILE_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  BARCODE_NOT_FOUND: 'UNPROCESSABLE_CONTENT',
  UNREADABLE_FILE: 'UNPROCESSABLE_CONTENT',
  EMPTY_FILE: 'BAD_REQUEST',
  PDF_ENCRYPTED: 'UNPROCESSABLE_CONTENT',
  PDF_TOO_MANY_PAGES: 'UNPROCESSABLE_CONTENT',
  IMAGE_TOO_LARGE: 'UNPROCESSABLE_CONTENT',
  INTAKE_NOT_READY: 'CONFLICT',
  BARCODE_ALREADY_LISTED: 'CONFLICT',
  TICKET_NOT_LISTABLE: 'CONFLICT',
  TICKET_NOT_AVAILABLE: 'CONFLICT',
  PROPOSAL_EXPIRED: 'CONFLICT',
  PROPOSAL_CLOSED: 'CONFLICT',
  OWN_TICKET: 'BAD_REQUEST',
  NOT_A_PARTY: 'FORBIDDEN',
  TRANSFER_STATE: 'CONFLICT',
  TRADE_STATE: 'CONFLICT',
  PAYMENT_STATE: 'CONFLICT',
  VALUE_OVER_CAP: 'BAD_REQUEST',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  CONFLICT: 'CONFLICT',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<string, TRPC_ERROR_CODE_KEY>;

export type ErrorCode = keyof typeof errorCodes;

/** The one error type domain functions throw; `message` is safe to show to the user. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** Returns true when a Prisma error reports a unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return hasPrismaCode(error, 'P2002');
}

export function isNotFound(error: unknown): boolean {
  return hasPrismaCode(error, 'P2025');
}

function hasPrismaCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** Postgres SQLSTATE codes caused by what the client sent, not by the server. */
const invalidInputStates = new Set(['22P02', '22021', '22001', '22003', '22007', '22008']);
/** Postgres SQLSTATE codes of a transaction that lost a race and may be retried. */
const conflictStates = new Set(['40001', '40P01']);

function sqlStateOf(error: unknown): string | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } })
    ?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;

  return typeof code === 'string' ? code : undefined;
}

/**
 * Classifies a database error that a request caused: bad input (an id that is not a UUID, a NUL
 * byte, a value out of range) or a lost race with another transaction. Returns null for the rest,
 * which are server faults.
 */
export function classifyDatabaseError(error: unknown): 'INVALID_INPUT' | 'CONFLICT' | null {
  if (isUniqueViolation(error) || hasPrismaCode(error, 'P2034')) {
    return 'CONFLICT';
  }
  if ((error as { name?: unknown })?.name === 'PrismaClientValidationError') {
    return 'INVALID_INPUT';
  }
  const state = sqlStateOf(error);
  if (state && conflictStates.has(state)) {
    return 'CONFLICT';
  }
  if (state && invalidInputStates.has(state)) {
    return 'INVALID_INPUT';
  }

  return null;
}

/** Returns true for errors that a fresh attempt of the same transaction may not hit again. */
export function isRetryableConflict(error: unknown): boolean {
  const state = sqlStateOf(error);

  return hasPrismaCode(error, 'P2034') || (state !== undefined && conflictStates.has(state));
}
