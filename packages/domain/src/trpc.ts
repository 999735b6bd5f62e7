import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';

import type { Role } from '@ts/db';

import type { Actor, RequestMeta, Services } from './context.ts';
import { DomainError, errorCodes, isUniqueViolation, type ErrorCode } from './errors.ts';

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
      message: appCode === 'INTERNAL' ? 'Something went wrong on our side.' : shape.message,
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

function appCodeOf(error: TRPCError): ErrorCode {
  if (error.cause instanceof DomainError) {
    return error.cause.code;
  }
  if (error.cause instanceof ZodError || error.code === 'BAD_REQUEST') {
    return 'INVALID_INPUT';
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
  if (isUniqueViolation(cause)) {
    ctx.services.logger.warn({ requestId: ctx.meta.requestId, path, err: cause }, 'unique clash');
    const conflict = new DomainError('CONFLICT', 'That was changed at the same time; try again.');
    throw new TRPCError({ code: 'CONFLICT', message: conflict.message, cause: conflict });
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
