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
  BARCODE_ALREADY_LISTED: 'CONFLICT',
  TICKET_NOT_LISTABLE: 'CONFLICT',
  TICKET_NOT_AVAILABLE: 'CONFLICT',
  PROPOSAL_EXPIRED: 'CONFLICT',
  PROPOSAL_CLOSED: 'CONFLICT',
  OWN_TICKET: 'BAD_REQUEST',
  NOT_A_PARTY: 'FORBIDDEN',
  TRANSFER_STATE: 'CONFLICT',
  TRADE_STATE: 'CONFLICT',
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
