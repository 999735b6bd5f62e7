import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { emitEvent } from '../audit/outbox.ts';
import { createEvent, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { markTransferSent, timeOutTrade } from '../trades/escrow.ts';
import type { OutboxConsumer } from './consumer.ts';
import { deliverPendingEmails, type DeliveryPolicy } from './delivery.ts';
import { DevMailbox, type MailTransport } from './mailer.ts';
import { publishOutbox } from './relay.ts';
import { escrowReminderJob, scheduleEscrowReminders, sendEscrowReminder } from './reminders.ts';
import { openTestTrade, queuedJobs } from './test-trades.ts';

let h: Harness;
let concert: TestEvent;
let game: TestEvent;
let mailDir: string;
const hour = 3_600_000;

beforeAll(async () => {
  h = await createHarness();
  concert = await createEvent(h.db.prisma, {
    name: 'Notify Concert',
    city: 'Austin',
    category: 'CONCERT',
  });
  game = await createEvent(h.db.prisma, { name: 'Notify Game', city: 'Tulsa' });
  mailDir = await mkdtemp(path.join(tmpdir(), 'ticketswap-mailbox-'));
});

afterAll(async () => {
  await h.close();
  await rm(mailDir, { recursive: true, force: true });
});

beforeEach(() => {
  h.setNow(new Date());
});

const events = () => ({ give: concert, take: game });

async function notificationsOf(userId: string, kind?: string) {
  return h.db.prisma.notification.findMany({
    where: { userId, ...(kind ? { kind } : {}) },
    orderBy: [{ createdAt: 'asc' }, { channel: 'asc' }],
  });
}

async function emitKycChange(userId: string, times = 1) {
  await h.db.prisma.$transaction(async (tx) => {
    for (let i = 0; i < times; i += 1) {
      await emitEvent(tx, { type: 'User', id: userId }, {
        type: 'user.kyc_changed',
        version: 1,
        userId,
        kycStatus: 'VERIFIED',
      });
    }
  });
}

/** Marks every unsent e-mail as sent so a delivery test reads only its own rows. */
async function clearPendingEmails() {
  await h.db.prisma.notification.updateMany({
    where: { channel: 'EMAIL', state: 'PENDING' },
    data: { state: 'SENT' },
  });
}

describe('outbox relay', () => {
  it('notifies both traders of proposal and escrow events', async () => {
    const { alice, bob, tradeId } = await openTestTrade(h, events());

    const result = await publishOutbox(h.services);

    expect(result.stoppedOnError).toBe(false);
    expect(result.published).toBeGreaterThanOrEqual(4);
    const unpublished = await h.db.prisma.outboxEvent.count({ where: { publishedAt: null } });
    expect(unpublished).toBe(0);
    for (const user of [alice, bob]) {
      const escrowed = await notificationsOf(user.userId, 'trade.escrowed');
      expect(escrowed.map((n) => n.channel).sort()).toEqual(['EMAIL', 'IN_APP']);
      expect(escrowed.find((n) => n.channel === 'IN_APP')?.state).toBe('SENT');
      expect(escrowed.find((n) => n.channel === 'EMAIL')?.state).toBe('PENDING');
      expect(escrowed[0]?.data).toMatchObject({ link: `/trades/${tradeId}`, tradeId });
    }
    // Only bob, whose ticket alice requested, is notified of the new proposal.
    expect(await notificationsOf(alice.userId, 'proposal.created')).toHaveLength(0);
    expect(await notificationsOf(bob.userId, 'proposal.created')).toHaveLength(2);
    // Alice's offer counts as her acceptance. She is notified that bob accepted, and no one is notified
    // of their own acceptance.
    expect(await notificationsOf(alice.userId, 'proposal.accepted')).toHaveLength(2);
    expect(await notificationsOf(bob.userId, 'proposal.accepted')).toHaveLength(0);
  });

  it('publishes each event once when two relays run at once', async () => {
    const user = await h.createUser({});
    await emitKycChange(user.userId, 6);

    const [first, second] = await Promise.all([
      publishOutbox(h.services),
      publishOutbox(h.services),
    ]);
    const again = await publishOutbox(h.services);

    expect(first.published + second.published).toBe(6);
    expect(again.published).toBe(0);
    const notices = await notificationsOf(user.userId, 'kyc.changed');
    expect(notices).toHaveLength(12);
  });

  it('skips and logs an event with an unknown schema version', async () => {
    const user = await h.createUser({});
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }));
    await h.db.prisma.outboxEvent.create({
      data: {
        type: 'user.kyc_changed',
        schemaVersion: 2,
        aggregateType: 'User',
        aggregateId: user.userId,
        payload: { userId: user.userId, kycStatus: 'VERIFIED' },
      },
    });

    const result = await publishOutbox(h.services, { logger });

    expect(result.skippedVersions).toBe(1);
    expect(await notificationsOf(user.userId)).toHaveLength(0);
    expect(await h.db.prisma.outboxEvent.count({ where: { publishedAt: null } })).toBe(0);
    expect(lines.join('')).toContain('unknown schema version');
  });

  it('honours a preference that turns e-mail off', async () => {
    const user = await h.createUser({});
    await h.caller(user).notifications.setPreference({
      kind: 'kyc.changed',
      channel: 'EMAIL',
      enabled: false,
    });
    await emitKycChange(user.userId);

    await publishOutbox(h.services);

    const notices = await notificationsOf(user.userId, 'kyc.changed');
    expect(notices.map((n) => n.channel)).toEqual(['IN_APP']);
  });

  it('retries a failing event after its backoff', async () => {
    const user = await h.createUser({});
    await emitKycChange(user.userId, 2);
    let failures = 1;
    const flaky: OutboxConsumer = {
      name: 'flaky',
      versions: { 'user.kyc_changed': [1] },
      async consume() {
        if (failures > 0) {
          failures -= 1;
          throw new Error('consumer is down');
        }
      },
    };

    const failed = await publishOutbox(h.services, { consumers: [flaky] });
    const pendingAfterFailure = await h.db.prisma.outboxEvent.count({
      where: { publishedAt: null },
    });
    // The second event belongs to the same user, so it waits behind the first one's backoff.
    h.setNow(new Date(h.services.now().getTime() + 60_000));
    const retried = await publishOutbox(h.services, { consumers: [flaky] });

    expect(failed).toMatchObject({ published: 0, failed: 1, stoppedOnError: false });
    expect(pendingAfterFailure).toBe(2);
    expect(retried).toMatchObject({ published: 2, failed: 0, stoppedOnError: false });
  });
});

describe('e-mail delivery', () => {
  it('writes a pending e-mail into the dev mailbox as an .eml file', async () => {
    await clearPendingEmails();
    const user = await h.createUser({});
    await emitKycChange(user.userId);
    await publishOutbox(h.services);
    const { email } = await h.db.prisma.user.findUniqueOrThrow({ where: { id: user.userId } });

    const result = await deliverPendingEmails(h.services, new DevMailbox(mailDir));

    expect(result).toEqual({ sent: 1, retried: 0, failed: 0 });
    const files = await readdir(mailDir);
    expect(files).toHaveLength(1);
    const eml = await readFile(path.join(mailDir, files[0]!), 'utf8');
    expect(eml).toContain(`To: ${email}`);
    expect(eml).toContain('Subject: Identity check updated');
    expect(eml).toContain('Your identity check is now verified.');
    const [sent] = await notificationsOf(user.userId, 'kyc.changed').then((rows) =>
      rows.filter((n) => n.channel === 'EMAIL'));
    expect(sent).toMatchObject({ state: 'SENT', attempts: 1 });
  });

  it('retries with exponential backoff and fails after the last attempt', async () => {
    await clearPendingEmails();
    const user = await h.createUser({});
    await emitKycChange(user.userId);
    await publishOutbox(h.services);
    const { email } = await h.db.prisma.user.findUniqueOrThrow({ where: { id: user.userId } });
    const failing: MailTransport = {
      name: 'failing',
      async send(message) {
        throw new Error(`mailbox ${message.to} is unavailable`);
      },
    };
    const policy: DeliveryPolicy = {
      maxAttempts: 3,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      batchSize: 10,
    };
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }));
    const start = h.services.now();
    const emailRow = async () =>
      (await notificationsOf(user.userId, 'kyc.changed')).find((n) => n.channel === 'EMAIL')!;

    const first = await deliverPendingEmails(h.services, failing, { policy, logger });
    const afterFirst = await emailRow();
    const tooEarly = await deliverPendingEmails(h.services, failing, { policy, logger });
    h.setNow(new Date(start.getTime() + 1000));
    await deliverPendingEmails(h.services, failing, { policy, logger });
    const afterSecond = await emailRow();
    h.setNow(new Date(start.getTime() + 3000));
    const last = await deliverPendingEmails(h.services, failing, { policy, logger });
    const afterLast = await emailRow();

    expect(first).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(afterFirst.attempts).toBe(1);
    expect(afterFirst.nextAttemptAt?.getTime()).toBe(start.getTime() + 1000);
    expect(tooEarly).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(afterSecond.attempts).toBe(2);
    expect(afterSecond.nextAttemptAt?.getTime()).toBe(start.getTime() + 1000 + 2000);
    expect(last).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(afterLast).toMatchObject({ state: 'FAILED', attempts: 3, nextAttemptAt: null });
    expect(afterLast.lastError).toBe('mailbox <recipient> is unavailable');
    expect(lines.length).toBe(3);
    expect(lines.join('')).not.toContain(email);
  });
});

describe('escrow reminders', () => {
  it('enqueues reminders 24 h and 2 h before the deadline', async () => {
    const { tradeId } = await openTestTrade(h, events());
    const trade = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });

    const jobs = await queuedJobs(h, escrowReminderJob, 'tradeId', tradeId);

    expect(jobs.map((j) => j.data.hoursBefore)).toEqual([24, 2]);
    expect(jobs.map((j) => j.start_after.getTime())).toEqual([
      trade.releaseDeadline.getTime() - 24 * hour,
      trade.releaseDeadline.getTime() - 2 * hour,
    ]);
  });

  it('skips reminders whose time has already passed', async () => {
    const deadline = new Date(h.services.now().getTime() + 3 * hour);
    const fakeTradeId = '00000000-0000-4000-8000-000000000001';

    const scheduled = await h.db.prisma.$transaction((tx) =>
      scheduleEscrowReminders(tx, h.services, fakeTradeId, deadline));

    expect(scheduled).toBe(1);
    const jobs = await queuedJobs(h, escrowReminderJob, 'tradeId', fakeTradeId);
    expect(jobs.map((j) => j.data.hoursBefore)).toEqual([2]);
  });

  it('writes one reminder per trader when the job runs twice at once', async () => {
    const { alice, bob, tradeId } = await openTestTrade(h, events());
    const trade = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });
    h.setNow(new Date(trade.releaseDeadline.getTime() - 23 * hour));

    const outcomes = await Promise.all([
      sendEscrowReminder(h.services, { tradeId, hoursBefore: 24 }),
      sendEscrowReminder(h.services, { tradeId, hoursBefore: 24 }),
    ]);
    const third = await sendEscrowReminder(h.services, { tradeId, hoursBefore: 24 });

    expect(outcomes.sort()).toEqual(['already_sent', 'sent']);
    expect(third).toBe('already_sent');
    for (const user of [alice, bob]) {
      const reminders = await notificationsOf(user.userId, 'escrow.reminder');
      expect(reminders.map((n) => n.channel).sort()).toEqual(['EMAIL', 'IN_APP']);
      expect(reminders[0]?.body).toContain('About 23 hours are left');
      expect(reminders[0]?.body).toContain('send your ticket');
    }
  });

  it('writes no reminder when it runs too late', async () => {
    const { alice, tradeId } = await openTestTrade(h, events());
    const trade = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });

    h.setNow(new Date(trade.releaseDeadline.getTime() - 1 * hour));
    const superseded = await sendEscrowReminder(h.services, { tradeId, hoursBefore: 24 });
    h.setNow(new Date(trade.releaseDeadline.getTime() + 60_000));
    const afterDeadline = await sendEscrowReminder(h.services, { tradeId, hoursBefore: 2 });

    expect(superseded).toBe('superseded');
    expect(afterDeadline).toBe('deadline_passed');
    expect(await notificationsOf(alice.userId, 'escrow.reminder')).toHaveLength(0);
  });

  it('reminds only the trader who still has to act, and nobody after completion', async () => {
    const { alice, bob, tradeId, aliceSends, bobSends } = await openTestTrade(h, events());
    await h.caller(alice).trades.markSent({ transferId: aliceSends.id, note: 'sent in the app' });
    await h.caller(bob).trades.confirmReceived({ transferId: aliceSends.id });
    const trade = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });
    h.setNow(new Date(trade.releaseDeadline.getTime() - 90 * 60_000));

    const outcome = await sendEscrowReminder(h.services, { tradeId, hoursBefore: 2 });

    expect(outcome).toBe('sent');
    expect(await notificationsOf(alice.userId, 'escrow.reminder')).toHaveLength(0);
    const bobReminders = await notificationsOf(bob.userId, 'escrow.reminder');
    expect(bobReminders).toHaveLength(2);
    expect(bobReminders[0]?.body).toContain('send your ticket');

    h.setNow(trade.createdAt);
    await h.caller(bob).trades.markSent({ transferId: bobSends.id, note: 'sent in the app' });
    await h.caller(alice).trades.confirmReceived({ transferId: bobSends.id });
    h.setNow(new Date(trade.releaseDeadline.getTime() - 23 * hour));
    const afterCompletion = await sendEscrowReminder(h.services, { tradeId, hoursBefore: 24 });

    expect(afterCompletion).toBe('trade_closed');
    expect(await notificationsOf(alice.userId, 'escrow.reminder')).toHaveLength(0);
  });

  it('reminds the receiver to confirm a ticket marked as sent', async () => {
    const { alice, bob, tradeId, aliceSends } = await openTestTrade(h, events());
    await markTransferSent(
      { services: h.services, actor: alice, meta: { requestId: 'test', ipAddress: '127.0.0.1' } },
      { transferId: aliceSends.id, note: 'sent by e-mail' },
    );
    const trade = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });
    h.setNow(new Date(trade.releaseDeadline.getTime() - 2 * hour));

    await sendEscrowReminder(h.services, { tradeId, hoursBefore: 2 });

    const [bobReminder] = await notificationsOf(bob.userId, 'escrow.reminder');
    expect(bobReminder?.body).toContain('send your ticket and mark it as sent, and confirm');
  });
});

describe('escrow timeout', () => {
  it('times a trade out once under two concurrent runs', async () => {
    const { alice, bob, tradeId } = await openTestTrade(h, events());
    const trade = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });
    h.setNow(new Date(trade.releaseDeadline.getTime() + 60_000));

    const results = await Promise.all([
      timeOutTrade(h.services, tradeId),
      timeOutTrade(h.services, tradeId),
    ]);
    const late = await timeOutTrade(h.services, tradeId);
    const reminder = await sendEscrowReminder(h.services, { tradeId, hoursBefore: 2 });

    expect(results.sort()).toEqual([false, true]);
    expect(late).toBe(false);
    expect(reminder).toBe('trade_closed');
    const after = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });
    expect(after.state).toBe('TIMED_OUT');
    const returns = await h.db.prisma.ledgerJournal.count({
      where: { tradeId, kind: 'escrow.return' },
    });
    expect(returns).toBe(2);
    const audits = await h.db.prisma.auditLog.count({
      where: { entityId: tradeId, action: 'trade.timed_out' },
    });
    expect(audits).toBe(1);
    await publishOutbox(h.services);
    for (const user of [alice, bob]) {
      expect(await notificationsOf(user.userId, 'trade.timed_out')).toHaveLength(2);
    }
  });
});

describe('notifications router', () => {
  it('lists the latest notices, counts unread ones and marks them read', async () => {
    const user = await h.createUser({});
    await emitKycChange(user.userId, 12);
    await publishOutbox(h.services);
    const other = await h.createUser({});

    const listed = await h.caller(user).notifications.mine({ limit: 10 });
    const firstId = listed.items[0]!.id;
    const someoneElse = await h.caller(other).notifications.markRead({ ids: [firstId] });
    const one = await h.caller(user).notifications.markRead({ ids: [firstId] });
    const afterOne = await h.caller(user).notifications.mine({ limit: 10 });
    const all = await h.caller(user).notifications.markRead({});
    const afterAll = await h.caller(user).notifications.mine({ limit: 10 });

    expect(listed.items).toHaveLength(10);
    expect(listed.unread).toBe(12);
    expect(listed.items[0]).toMatchObject({ kind: 'kyc.changed', link: '/tickets', readAt: null });
    expect(someoneElse.marked).toBe(0);
    expect(one.marked).toBe(1);
    expect(afterOne.unread).toBe(11);
    expect(all.marked).toBe(11);
    expect(afterAll.unread).toBe(0);
  });

  it('reports every preference as on until one is turned off', async () => {
    const user = await h.createUser({});

    const before = await h.caller(user).notifications.preferences();
    const after = await h.caller(user).notifications.setPreference({
      kind: 'escrow.reminder',
      channel: 'IN_APP',
      enabled: false,
    });

    expect(before.every((p) => p.enabled)).toBe(true);
    expect(before.length).toBeGreaterThan(20);
    expect(after.filter((p) => !p.enabled)).toEqual([
      { kind: 'escrow.reminder', channel: 'IN_APP', enabled: false },
    ]);
  });
});
