import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { validateSessionToken } from './sessions.ts';
import { createHarness, type Harness } from '../testing/harness.ts';

let h: Harness;
let issued: { token: string; expiresAt: Date } | null = null;

beforeAll(async () => {
  h = await createHarness();
});

afterAll(async () => {
  await h.close();
});

/** Creates a caller without a session that captures the cookie it is given. */
async function anonymous() {
  const { createCaller } = await import('../router.ts');

  return createCaller({
    services: h.services,
    actor: null,
    meta: { requestId: 'test', ipAddress: '127.0.0.1', deviceFingerprint: 'fp-1' },
    session: {
      set: (token, expiresAt) => {
        issued = { token, expiresAt };
      },
      clear: () => {
        issued = null;
      },
    },
  });
}

describe('accounts', () => {
  it('signs up with a hashed password and a working session', async () => {
    const caller = await anonymous();
    const user = await caller.auth.signUp({
      email: 'New.Trader@Example.test',
      password: 'a long enough password',
      displayName: 'New Trader',
    });
    expect(user.email).toBe('new.trader@example.test');
    expect(user.kycStatus).toBe('PENDING');
    expect(user).not.toHaveProperty('passwordHash');

    const stored = await h.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(issued).not.toBeNull();
    const session = await validateSessionToken(h.db.prisma, issued!.token, new Date());
    expect(session?.actor.userId).toBe(user.id);
    const row = await h.db.prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.id).not.toBe(issued!.token);
  });

  it('rejects a second account with the same email', async () => {
    const caller = await anonymous();
    await expect(
      caller.auth.signUp({ email: 'new.trader@example.test', password: 'another password', displayName: 'X' }),
    ).rejects.toMatchObject({ cause: { code: 'EMAIL_TAKEN' } });
  });

  it('rejects a wrong password with the same message as an unknown email', async () => {
    const caller = await anonymous();
    await expect(
      caller.auth.logIn({ email: 'new.trader@example.test', password: 'not the password' }),
    ).rejects.toMatchObject({ message: 'Email or password is wrong.' });
    await expect(
      caller.auth.logIn({ email: 'nobody@example.test', password: 'whatever it is' }),
    ).rejects.toMatchObject({ message: 'Email or password is wrong.' });
  });

  it('logs in, records the device and logs out', async () => {
    const caller = await anonymous();
    const user = await caller.auth.logIn({
      email: 'new.trader@example.test',
      password: 'a long enough password',
    });
    const devices = await h.db.prisma.device.findMany({ where: { userId: user.id } });
    expect(devices.map((d) => d.fingerprint)).toEqual(['fp-1']);

    const session = await validateSessionToken(h.db.prisma, issued!.token, new Date());
    await h.caller(session!.actor).auth.logOut();
    expect(await validateSessionToken(h.db.prisma, issued!.token, new Date())).toBeNull();
  });

  it('blocks log-in after ten failures', { timeout: 90_000 }, async () => {
    const caller = await anonymous();
    await caller.auth.signUp({ email: 'locked@example.test', password: 'the right password', displayName: 'L' });
    for (let i = 0; i < 10; i += 1) {
      await expect(
        caller.auth.logIn({ email: 'locked@example.test', password: `wrong password ${i}` }),
      ).rejects.toMatchObject({ cause: { code: 'INVALID_CREDENTIALS' } });
    }

    await expect(
      caller.auth.logIn({ email: 'Locked@example.test', password: 'the right password' }),
    ).rejects.toMatchObject({ cause: { code: 'RATE_LIMITED' } });
  });

  it('rejects an expired session', async () => {
    const caller = await anonymous();
    await caller.auth.logIn({ email: 'new.trader@example.test', password: 'a long enough password' });
    const later = new Date(Date.now() + 31 * 24 * 3_600_000);
    expect(await validateSessionToken(h.db.prisma, issued!.token, later)).toBeNull();
  });
});

describe('staff access', () => {
  it('rejects traders calling the admin routers', async () => {
    const trader = await h.createUser({});
    await expect(h.caller(trader).admin.users.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('rejects anonymous callers on trader procedures', async () => {
    await expect(h.caller(null).tickets.mine()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('lets compliance verify KYC and records who decided', async () => {
    const officer = await h.createUser({ role: 'COMPLIANCE' });
    const trader = await h.createUser({ kycStatus: 'PENDING' });
    await h.caller(officer).admin.users.setKyc({ userId: trader.userId, status: 'VERIFIED' });

    const user = await h.db.prisma.user.findUniqueOrThrow({ where: { id: trader.userId } });
    expect(user.kycStatus).toBe('VERIFIED');
    expect(user.kycReviewedById).toBe(officer.userId);
    const audit = await h.db.prisma.auditLog.findFirst({
      where: { action: 'user.kyc_changed', entityId: trader.userId },
    });
    expect(audit?.actorId).toBe(officer.userId);
  });

  it('rejects a KYC decision by a support agent', async () => {
    const agent = await h.createUser({ role: 'SUPPORT' });
    const trader = await h.createUser({ kycStatus: 'PENDING' });
    await expect(
      h.caller(agent).admin.users.setKyc({ userId: trader.userId, status: 'VERIFIED' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
