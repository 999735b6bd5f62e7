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
  addDisputeEvidence,
  DomainError,
  errorCodes,
  readDisputeEvidenceFile,
  readTicketFile,
  uploadTicket,
  validateSessionToken,
  type Actor,
  type RequestMeta,
  type Services,
  type TrpcContext,
} from '@ts/domain';

import { repoRoot, type ApiConfig } from './config.ts';
import { allowRequest } from './rate-limit.ts';
import { registerStripeWebhook } from './webhooks/stripe.ts';

export const sessionCookie = 'sid';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Most tRPC calls one HTTP request may batch; each call counts against the rate limit. */
const maxBatchSize = 10;

// MUI (the console) injects style elements at run time, hence 'unsafe-inline' for styles only.
const pageSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Returns the rate-limit tokens a request costs: one per batched tRPC call, 0 for static files. */
function requestWeight(url: string): number {
  const path = url.split('?')[0] ?? '';
  if (path.startsWith('/trpc/')) {
    return path.slice('/trpc/'.length).split(',').length;
  }

  return path.startsWith('/api/') ? 1 : 0;
}

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
    disableRequestLogging: true,
    routerOptions: { maxParamLength: 2000 },
  });

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, {
    limits: { fileSize: services.config.maxUploadBytes + 1, files: 1, fields: 10 },
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('renewedSession', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const weight = requestWeight(request.url);
    if (weight > maxBatchSize) {
      return reply.code(400).send({
        error: { appCode: 'INVALID_INPUT', message: `Send at most ${maxBatchSize} calls per batch.` },
      });
    }
    if (weight > 0 && !(await allowRequest(services.redis, request.ip, config.rateLimitPerSecond, weight))) {
      return reply.code(429).header('retry-after', '1').send({
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
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', pageSecurityPolicy);
    }

    return payload;
  });
  // Logged without the query string, which carries tRPC inputs such as searched emails.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        userId: request.actor?.userId,
      },
      'request completed',
    );
  });
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');

      return reply.code(500).send({ error: { appCode: 'INTERNAL', message: 'Something went wrong on our side.' } });
    }
    request.log.warn({ code: error.code, status }, 'request rejected by the HTTP layer');
    const message = status === 413
      ? 'The request body is too large.'
      : status === 415
        ? 'Unsupported content type; send JSON, or multipart/form-data for files.'
        : 'The request is malformed.';

    return reply.code(status).send({ error: { appCode: 'INVALID_INPUT', message } });
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

  await registerStripeWebhook(app, services, process.env.STRIPE_WEBHOOK_SECRET?.trim() || undefined);
  app.post('/api/tickets/upload', (request, reply) => handleUpload(services, request, reply));
  app.get<{ Params: { id: string } }>(
    '/api/tickets/:id/file',
    (request, reply) => handleTicketFile(services, request, reply),
  );
  app.post<{ Params: { id: string } }>(
    '/api/disputes/:id/evidence',
    (request, reply) => handleEvidenceUpload(services, request, reply),
  );
  app.get<{ Params: { id: string } }>(
    '/api/dispute-evidence/:id/file',
    (request, reply) => handleEvidenceFile(services, request, reply),
  );

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

/** Errors of @fastify/multipart and Node streams caused by a malformed or oversized body. */
const malformedMultipartCodes = new Set([
  'FST_FILES_LIMIT',
  'FST_FIELDS_LIMIT',
  'FST_PARTS_LIMIT',
  'FST_INVALID_MULTIPART_CONTENT_TYPE',
  'FST_PROTO_VIOLATION',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

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
    const code = (error as { code?: string }).code ?? '';
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      const limitMb = Math.round(services.config.maxUploadBytes / 1048576);
      return sendDomainError(reply, new DomainError('FILE_TOO_LARGE', `The file is larger than the ${limitMb} MB limit.`));
    }
    if (malformedMultipartCodes.has(code)) {
      request.log.warn({ code }, 'malformed upload rejected');
      return sendDomainError(
        reply,
        new DomainError('INVALID_INPUT', 'Send one ticket file and at most the event, section, row, seat and face value fields.'),
      );
    }
    request.log.error({ err: error }, 'ticket upload failed');

    return reply.code(500).send({ error: { appCode: 'INTERNAL', message: 'Something went wrong on our side.' } });
  }
}

/** Sends a ticket's stored file to those allowed to see it; everyone else gets 404. */
async function handleTicketFile(
  services: Services,
  request: FastifyRequest<{ Params: { id: string } }>,
  reply: FastifyReply,
) {
  try {
    const actor = request.actor;
    if (!actor) {
      throw new DomainError('UNAUTHENTICATED', 'Log in to see ticket files.');
    }
    if (!uuidPattern.test(request.params.id)) {
      throw new DomainError('NOT_FOUND', 'Ticket not found.');
    }

    const file = await readTicketFile({ services, actor, meta: metaOf(request) }, request.params.id);

    return sendStoredFile(reply, file);
  } catch (error) {
    return sendFailure(request, reply, error, 'ticket file read');
  }
}

/** Sends a stored PDF or image inline, private and sandboxed so it never runs as a page here. */
function sendStoredFile(reply: FastifyReply, file: { bytes: Uint8Array; mimeType: string }) {
  return reply
    .header('content-type', file.mimeType)
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', 'inline')
    .send(Buffer.from(file.bytes));
}

/** Sends a domain error as JSON, or logs an unexpected one and sends a generic 500. */
function sendFailure(request: FastifyRequest, reply: FastifyReply, error: unknown, what: string) {
  if (error instanceof DomainError) {
    return sendDomainError(reply, error);
  }
  const code = (error as { code?: string }).code ?? '';
  if (code === 'FST_REQ_FILE_TOO_LARGE' || malformedMultipartCodes.has(code)) {
    return sendDomainError(
      reply,
      new DomainError('INVALID_INPUT', 'The upload is malformed or too large; send one file and a note.'),
    );
  }
  request.log.error({ err: error }, `${what} failed`);

  return reply.code(500).send({ error: { appCode: 'INTERNAL', message: 'Something went wrong on our side.' } });
}

/** Multipart dispute evidence: one file (PDF or image) and a `note` field. */
async function handleEvidenceUpload(
  services: Services,
  request: FastifyRequest<{ Params: { id: string } }>,
  reply: FastifyReply,
) {
  try {
    const actor = request.actor;
    if (!actor) {
      throw new DomainError('UNAUTHENTICATED', 'Log in to add evidence.');
    }
    if (!uuidPattern.test(request.params.id)) {
      throw new DomainError('NOT_FOUND', 'Dispute not found.');
    }
    if (!request.isMultipart()) {
      throw new DomainError('INVALID_INPUT', 'Send the evidence as multipart/form-data with a "file" field.');
    }
    const { bytes, fields } = await readUpload(request, services.config.maxUploadBytes);
    const note = (fields.note ?? '').trim();
    if (note.length < 3 || note.length > 4000) {
      throw new DomainError('INVALID_INPUT', 'Describe the file in a note of 3 to 4000 characters.');
    }

    const evidence = await addDisputeEvidence(
      { services, actor, meta: metaOf(request) },
      { disputeId: request.params.id, note, file: bytes },
    );

    return reply.code(201).send(evidence);
  } catch (error) {
    return sendFailure(request, reply, error, 'dispute evidence upload');
  }
}

/** Sends a dispute evidence file to the two traders and staff; everyone else gets 404. */
async function handleEvidenceFile(
  services: Services,
  request: FastifyRequest<{ Params: { id: string } }>,
  reply: FastifyReply,
) {
  try {
    const actor = request.actor;
    if (!actor) {
      throw new DomainError('UNAUTHENTICATED', 'Log in to see evidence.');
    }
    if (!uuidPattern.test(request.params.id)) {
      throw new DomainError('NOT_FOUND', 'Evidence file not found.');
    }
    const file = await readDisputeEvidenceFile(
      { services, actor, meta: metaOf(request) },
      request.params.id,
    );

    return sendStoredFile(reply, file);
  } catch (error) {
    return sendFailure(request, reply, error, 'dispute evidence read');
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
