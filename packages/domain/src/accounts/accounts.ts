import { createHash } from 'node:crypto';

import { hash, verify } from '@node-rs/argon2';

import type { Tx } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import type { RequestMeta, Services } from '../context.ts';
import { DomainError, isUniqueViolation } from '../errors.ts';
import { createSession, generateSessionToken } from './sessions.ts';

export interface SignUpInput {
  email: string;
  password: string;
  displayName: string;
  homeCity?: string;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: PublicUser;
}

export const publicUserSelect = {
  id: true,
  email: true,
  displayName: true,
  role: true,
  kycStatus: true,
  homeCity: true,
  destinationCities: true,
} as const;

export interface PublicUser {
  id: string;
  email: string;
  displayName: string;
  role: 'TRADER' | 'COMPLIANCE' | 'SUPPORT' | 'ADMIN';
  kycStatus: 'NONE' | 'PENDING' | 'VERIFIED' | 'REJECTED';
  homeCity: string | null;
  destinationCities: string[];
}

/** A hash of a random password, verified against when the email is unknown to even out timing. */
let decoyHash: Promise<string> | null = null;

export async function signUp(
  services: Services,
  meta: RequestMeta,
  input: SignUpInput,
): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  const passwordHash = await hash(input.password);

  try {
    return await services.prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          email,
          passwordHash,
          displayName: input.displayName.trim(),
          homeCity: input.homeCity?.trim() || null,
          kycStatus: 'PENDING',
        },
        select: publicUserSelect,
      });
      await appendAudit(tx, {
        actorId: user.id,
        actorRole: 'TRADER',
        action: 'user.signed_up',
        entityType: 'User',
        entityId: user.id,
        requestId: meta.requestId,
      });

      return startSession(tx, services.now(), meta, user);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError('EMAIL_TAKEN', 'An account with this email already exists.');
    }
    throw error;
  }
}

/** Failed log-ins allowed per account in `failedLoginWindowSeconds` before log-in is blocked. */
const maxFailedLogins = 10;
const failedLoginWindowSeconds = 15 * 60;

/** Redis key of an account's failed log-in count; the email is hashed so keys carry no PII. */
function failedLoginKey(email: string): string {
  return `login-failures:${createHash('sha256').update(email).digest('hex')}`;
}

export async function logIn(
  services: Services,
  meta: RequestMeta,
  input: { email: string; password: string },
): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  const failuresKey = failedLoginKey(email);
  const failures = Number(await services.redis.get(failuresKey)) || 0;
  if (failures >= maxFailedLogins) {
    services.logger.warn({ requestId: meta.requestId }, 'log-in blocked after repeated failures');
    throw new DomainError(
      'RATE_LIMITED',
      'Too many failed log-ins for this account. Wait 15 minutes and try again.',
    );
  }
  const user = await services.prisma.user.findUnique({
    where: { email },
    select: { ...publicUserSelect, passwordHash: true, erasedAt: true },
  });

  decoyHash ??= hash(generateSessionToken());
  const valid = await verify(user?.passwordHash ?? (await decoyHash), input.password);
  if (!user || !valid || user.erasedAt) {
    await services.redis.multi().incr(failuresKey).expire(failuresKey, failedLoginWindowSeconds).exec();
    services.logger.info(
      { requestId: meta.requestId, userId: user?.id ?? null, failures: failures + 1 },
      'log-in failed',
    );
    throw new DomainError('INVALID_CREDENTIALS', 'Email or password is wrong.');
  }
  await services.redis.del(failuresKey);
  const { passwordHash: _hash, erasedAt: _erased, ...publicUser } = user;

  return services.prisma.$transaction((tx) => startSession(tx, services.now(), meta, publicUser));
}

async function startSession(
  tx: Tx,
  now: Date,
  meta: RequestMeta,
  user: PublicUser,
): Promise<LoginResult> {
  const deviceId = meta.deviceFingerprint
    ? await recordDevice(tx, user.id, meta.deviceFingerprint, meta.userAgent, now)
    : undefined;
  const token = generateSessionToken();
  const session = await createSession(tx, {
    token,
    userId: user.id,
    deviceId,
    ipAddress: meta.ipAddress,
    now,
  });

  return { token, expiresAt: session.expiresAt, user };
}

async function recordDevice(
  tx: Tx,
  userId: string,
  fingerprint: string,
  userAgent: string | undefined,
  now: Date,
): Promise<string> {
  const device = await tx.device.upsert({
    where: { userId_fingerprint: { userId, fingerprint } },
    create: { userId, fingerprint, userAgent: userAgent ?? null },
    update: { lastSeenAt: now, userAgent: userAgent ?? null },
    select: { id: true },
  });

  return device.id;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function getMe(services: Services, userId: string): Promise<PublicUser> {
  const user = await services.prisma.user.findUnique({
    where: { id: userId },
    select: publicUserSelect,
  });
  if (!user) {
    throw new DomainError('NOT_FOUND', 'Account not found.');
  }

  return user;
}
