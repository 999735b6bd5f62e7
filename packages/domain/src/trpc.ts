import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';

import type { Role } from '@ts/db';

import type { Actor, RequestMeta, Services } from './context.ts';
import { classifyDatabaseError, DomainError, errorCodes, type ErrorCode } from './errors.ts';

/** What the HTTP layer hands every procedure. */
export interface TrpcContext {
  services: Services;
  meta: RequestMeta;
  actor: Actor | null;
  /** Sets or clears the session cookie; the HTTP layer owns cookie attributes. */
  session: {
    set(token: string, expiresAt: Date): void;
    clear(): void;
  };
}

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const appCode = appCodeOf(error);
    const fieldErrors =
      error.cause instanceof ZodError ? error.cause.flatten().fieldErrors : undefined;

    return {
      ...shape,
      message: userMessageOf(error, appCode, shape.message),
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        appCode,
        fieldErrors,
      },
    };
  },
});

/** Turns a validation failure into one readable sentence naming the first bad field. */
function describeZodError(error: ZodError): string {
  const [issue] = error.issues;
  if (!issue) {
    return 'The request is invalid.';
  }
  const field = issue.path.join('.');

  return field ? `Invalid ${field}: ${issue.message}` : `Invalid request: ${issue.message}`;
}

function userMessageOf(error: TRPCError, appCode: ErrorCode, fallback: string): string {
  if (error.cause instanceof ZodError) {
    return describeZodError(error.cause);
  }
  if (appCode === 'INTERNAL') {
    return 'Something went wrong on our side.';
  }

  return fallback;
}

/** tRPC's own client errors (bad method, body, content type) that carry no domain error. */
const clientProtocolErrors = new Set([
  'BAD_REQUEST',
  'PARSE_ERROR',
  'METHOD_NOT_SUPPORTED',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'UNPROCESSABLE_CONTENT',
]);

function appCodeOf(error: TRPCError): ErrorCode {
  if (error.cause instanceof DomainError) {
    return error.cause.code;
  }
  if (error.cause instanceof ZodError || clientProtocolErrors.has(error.code)) {
    return 'INVALID_INPUT';
  }
  if (error.code === 'CONFLICT') {
    return 'CONFLICT';
  }
  if (error.code === 'UNAUTHORIZED') {
    return 'UNAUTHENTICATED';
  }
  if (error.code === 'FORBIDDEN') {
    return 'FORBIDDEN';
  }
  if (error.code === 'NOT_FOUND') {
    return 'NOT_FOUND';
  }
  if (error.code === 'TOO_MANY_REQUESTS') {
    return 'RATE_LIMITED';
  }

  return 'INTERNAL';
}

/** Turns domain and database errors into tRPC errors and logs what the client is not shown. */
const errorMapping = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) {
    return result;
  }

  const cause = result.error.cause;
  if (cause instanceof DomainError) {
    throw new TRPCError({ code: errorCodes[cause.code], message: cause.message, cause });
  }
  const databaseProblem = classifyDatabaseError(cause);
  if (databaseProblem) {
    ctx.services.logger.warn(
      { requestId: ctx.meta.requestId, path, err: cause, appCode: databaseProblem },
      'request rejected by the database',
    );
    const mapped = databaseProblem === 'CONFLICT'
      ? new DomainError('CONFLICT', 'That was changed at the same time; reload and try again.')
      : new DomainError('INVALID_INPUT', 'A value in the request is invalid.');
    throw new TRPCError({ code: errorCodes[mapped.code], message: mapped.message, cause: mapped });
  }
  if (result.error.code === 'INTERNAL_SERVER_ERROR') {
    ctx.services.logger.error(
      { requestId: ctx.meta.requestId, path, err: cause ?? result.error },
      'procedure failed',
    );
  }

  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

export const publicProcedure = t.procedure.use(errorMapping);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Log in to continue.' });
  }

  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/** Procedures for people who trade; staff accounts do not trade. */
export const traderProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.actor.role !== 'TRADER') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Only trader accounts can do this.' });
  }

  return next();
});

/** Builds a procedure open only to the given staff roles. */
export function staffProcedure(...roles: Role[]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.actor.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Your role cannot do this.' });
    }

    return next();
  });
}
