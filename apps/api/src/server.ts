import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';

import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

import {
  appRouter,
  DomainError,
  errorCodes,
  uploadTicket,
  validateSessionToken,
  type Actor,
  type RequestMeta,
  type Services,
  type TrpcContext,
} from '@ts/domain';

import { repoRoot, type ApiConfig } from './config.ts';
import { allowRequest } from './rate-limit.ts';

export const sessionCookie = 'sid';

const httpStatusByTrpcCode: Record<string, number> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
};

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    renewedSession: Date | null;
  }
}

export async function buildServer(services: Services, config: ApiConfig): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.logger as unknown as FastifyBaseLogger,
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 2 * 1024 * 1024,
    routerOptions: { maxParamLength: 5000 },
  });

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, {
    limits: { fileSize: services.config.maxUploadBytes + 1, files: 1, fields: 10 },
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('renewedSession', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const isApi = request.url.startsWith('/trpc') || request.url.startsWith('/api/');
    if (isApi && !(await allowRequest(services.redis, request.ip, config.rateLimitPerSecond))) {
      return reply.code(429).send({
        error: { appCode: 'RATE_LIMITED', message: 'Too many requests; slow down and retry.' },
      });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD' && !sameOrigin(request)) {
      return reply.code(403).send({
        error: { appCode: 'FORBIDDEN', message: 'Cross-site requests are not accepted.' },
      });
    }
    await authenticate(services, request, reply, config);
  });

  app.get('/health', async () => ({ ok: true }));

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: ({ req, res }: CreateFastifyContextOptions): TrpcContext => ({
        services,
        actor: req.actor,
        meta: metaOf(req),
        session: {
          set: (token, expiresAt) => setSessionCookie(res, token, expiresAt, config),
          clear: () => res.clearCookie(sessionCookie, { path: '/' }),
        },
      }),
    },
  });

  app.post('/api/tickets/upload', (request, reply) => handleUpload(services, request, reply));

  if (config.serveApps) {
    await serveBuiltApps(app);
  }

  return app;
}

function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) {
    return true;
  }
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function metaOf(request: FastifyRequest): RequestMeta {
  const fingerprint = request.headers['x-device-fingerprint'];

  return {
    requestId: String(request.id),
    ipAddress: request.ip,
    userAgent: request.headers['user-agent'],
    deviceFingerprint: typeof fingerprint === 'string' ? fingerprint.slice(0, 128) : undefined,
  };
}

async function authenticate(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  config: ApiConfig,
): Promise<void> {
  const token = request.cookies[sessionCookie];
  if (!token || token.length > 64) {
    return;
  }
  const session = await validateSessionToken(services.prisma, token, services.now());
  if (!session) {
    reply.clearCookie(sessionCookie, { path: '/' });
    return;
  }
  request.actor = session.actor;
  if (session.renewedUntil) {
    setSessionCookie(reply, token, session.renewedUntil, config);
  }
}

function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, config: ApiConfig) {
  reply.setCookie(sessionCookie, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    path: '/',
    expires: expiresAt,
  });
}

function sendDomainError(reply: FastifyReply, error: DomainError) {
  const status = httpStatusByTrpcCode[errorCodes[error.code]] ?? 400;

  return reply.code(status).send({ error: { appCode: error.code, message: error.message } });
}

const optionalText = (value: unknown, max: number) => {
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }
  if (value.length > max) {
    throw new DomainError('INVALID_INPUT', `A field is longer than ${max} characters.`);
  }

  return value.trim();
};

/** Reads the one file and the text fields of a multipart body, in whatever order they come. */
async function readUpload(request: FastifyRequest, maxBytes: number) {
  const fields: Record<string, string> = {};
  let file: { bytes: Uint8Array; fileName: string } | null = null;

  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const buffer = await part.toBuffer();
      if (part.file.truncated || buffer.byteLength > maxBytes) {
        throw new DomainError(
          'FILE_TOO_LARGE',
          `The file is larger than the ${Math.round(maxBytes / 1048576)} MB limit.`,
        );
      }
      file = { bytes: new Uint8Array(buffer), fileName: part.filename };
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  if (!file) {
    throw new DomainError('INVALID_INPUT', 'Choose a ticket file to upload.');
  }

  return { ...file, fields };
}

/** Multipart ticket upload: the file plus the details a trader typed. */
async function handleUpload(services: Services, request: FastifyRequest, reply: FastifyReply) {
  try {
    const actor = request.actor;
    if (!actor) {
      throw new DomainError('UNAUTHENTICATED', 'Log in to upload a ticket.');
    }
    if (actor.role !== 'TRADER') {
      throw new DomainError('FORBIDDEN', 'Only trader accounts can upload tickets.');
    }
    if (!request.isMultipart()) {
      throw new DomainError('INVALID_INPUT', 'Send the ticket as multipart/form-data with a "file" field.');
    }

    const { bytes, fileName, fields } = await readUpload(request, services.config.maxUploadBytes);
    const eventId = optionalText(fields.eventId, 64);
    if (eventId && !/^[0-9a-f-]{36}$/i.test(eventId)) {
      throw new DomainError('INVALID_INPUT', 'The event id is not valid.');
    }
    const faceText = optionalText(fields.faceValueMinor, 12);
    const faceValueMinor = faceText === undefined ? undefined : Number(faceText);
    if (faceValueMinor !== undefined && (!Number.isInteger(faceValueMinor) || faceValueMinor < 0)) {
      throw new DomainError('INVALID_INPUT', 'Face value must be a whole number of cents.');
    }

    const result = await uploadTicket(
      { services, actor, meta: metaOf(request) },
      { bytes, fileName },
      {
        eventId,
        section: optionalText(fields.section, 40),
        row: optionalText(fields.row, 20),
        seat: optionalText(fields.seat, 20),
        faceValueMinor,
      },
    );

    return reply.code(result.created ? 201 : 200).send(result);
  } catch (error) {
    if (error instanceof DomainError) {
      return sendDomainError(reply, error);
    }
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      return sendDomainError(reply, new DomainError('FILE_TOO_LARGE', 'The file is too large.'));
    }
    request.log.error({ err: error }, 'ticket upload failed');

    return reply.code(500).send({ error: { appCode: 'INTERNAL', message: 'Something went wrong on our side.' } });
  }
}

/** Serves the built web app at / and the console at /admin/, each with a fallback to its index. */
async function serveBuiltApps(app: FastifyInstance) {
  const webDist = path.join(repoRoot, 'apps/web/dist');
  const adminDist = path.join(repoRoot, 'apps/admin/dist');
  if (existsSync(adminDist)) {
    await app.register(fastifyStatic, { root: adminDist, prefix: '/admin/', decorateReply: false });
  }
  if (existsSync(webDist)) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && request.headers.accept?.includes('text/html');
    if (wantsPage && request.url.startsWith('/admin') && existsSync(adminDist)) {
      return reply.sendFile('index.html', adminDist);
    }
    if (wantsPage && existsSync(webDist)) {
      return reply.sendFile('index.html', webDist);
    }

    return reply.code(404).send({ error: { appCode: 'NOT_FOUND', message: 'Not found.' } });
  });
}
