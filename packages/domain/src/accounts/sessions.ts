import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

import type { Tx } from '@ts/db';

import type { Actor } from '../context.ts';

const dayMs = 24 * 60 * 60 * 1000;
export const sessionLifetimeMs = 30 * dayMs;
/** A session used within this window of its expiry is extended by a full lifetime. */
const renewWindowMs = 15 * dayMs;

/** Creates a random session token; only its hash is stored, the token goes to the cookie. */
export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);

  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdOf(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
  tx: Tx,
  input: { token: string; userId: string; deviceId?: string; ipAddress?: string; now: Date },
): Promise<{ id: string; expiresAt: Date }> {
  const expiresAt = new Date(input.now.getTime() + sessionLifetimeMs);
  const session = await tx.session.create({
    data: {
      id: sessionIdOf(input.token),
      userId: input.userId,
      deviceId: input.deviceId ?? null,
      ipAddress: input.ipAddress ?? null,
      expiresAt,
    },
    select: { id: true, expiresAt: true },
  });

  return session;
}

/**
 * Looks up the session behind a cookie token. Lookup is by the token's hash, so comparing
 * stored values never leaks timing about the token itself. Returns the actor and, when the
 * session was extended, its new expiry for the cookie.
 */
export async function validateSessionToken(
  tx: Tx,
  token: string,
  now: Date,
): Promise<{ actor: Actor; renewedUntil: Date | null } | null> {
  const id = sessionIdOf(token);
  const session = await tx.session.findUnique({
    where: { id },
    select: {
      id: true,
      expiresAt: true,
      user: { select: { id: true, role: true, kycStatus: true, erasedAt: true } },
    },
  });
  if (!session || session.user.erasedAt) {
    return null;
  }
  if (session.expiresAt.getTime() <= now.getTime()) {
    await tx.session.deleteMany({ where: { id } });

    return null;
  }

  let renewedUntil: Date | null = null;
  if (session.expiresAt.getTime() - now.getTime() < renewWindowMs) {
    renewedUntil = new Date(now.getTime() + sessionLifetimeMs);
    await tx.session.update({ where: { id }, data: { expiresAt: renewedUntil } });
  }
  const actor: Actor = {
    userId: session.user.id,
    role: session.user.role,
    kycStatus: session.user.kycStatus,
    sessionId: session.id,
  };

  return { actor, renewedUntil };
}

export async function invalidateSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.session.deleteMany({ where: { id: sessionId } });
}
