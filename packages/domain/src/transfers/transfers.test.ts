import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { openTestTrade, queuedJobs } from '../notifications/test-trades.ts';
import { createEvent, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { TransferStepError } from './adapter.ts';
import { runPartnerTransfer, type RunOptions } from './orchestrator.ts';
import { PartnerApiTransferAdapter, partnerApiConfigFromEnv } from './partner-api.ts';
import { transfersRunJob } from './schedule.ts';

// A loopback port nothing listens on (fetch rejects well-known ports such as 9). msw
// returns a response for every request before it leaves the process.
const partnerUrl = 'http://127.0.0.1:59231/partner';
const token = 'test-partner-token';
const partner = new PartnerApiTransferAdapter({
  baseUrl: partnerUrl,
  token,
  policy: { timeoutMs: 200, attempts: 2, backoffMs: 10 },
});

interface PostedTransfer {
  body: Record<string, unknown>;
  idempotencyKey: string | null;
  authorization: string | null;
}

const posted: PostedTransfer[] = [];
const server = setupServer();
let h: Harness;
let concert: TestEvent;
let game: TestEvent;

beforeAll(async () => {
  server.listen({ onUnhandledFrame: 'error' });
  h = await createHarness();
  concert = await createEvent(h.db.prisma, {
    name: 'Partner Concert',
    city: 'Reno',
    category: 'CONCERT',
  });
  game = await createEvent(h.db.prisma, { name: 'Partner Game', city: 'Fresno' });
});

afterAll(async () => {
  server.close();
  await h.close();
});

beforeEach(() => {
  h.setNow(new Date());
  posted.length = 0;
});

afterEach(() => {
  server.resetHandlers();
});

/** Responds to POST /v1/transfers with each response in turn and records each request. */
function partnerAccepts(...answers: (() => Response | Promise<Response>)[]) {
  let call = 0;
  server.use(
    http.post(`${partnerUrl}/v1/transfers`, async ({ request }) => {
      posted.push({
        body: (await request.json()) as Record<string, unknown>,
        idempotencyKey: request.headers.get('idempotency-key'),
        authorization: request.headers.get('authorization'),
      });
      const answer = answers[Math.min(call, answers.length - 1)]!;
      call += 1;

      return answer();
    }),
  );
}

function partnerStatus(status: 'pending' | 'completed' | 'failed') {
  server.use(
    http.get(`${partnerUrl}/v1/transfers/:id`, ({ params }) =>
      HttpResponse.json({ id: String(params.id), status })),
  );
}

const created = (id: string) => () => HttpResponse.json({ id, status: 'pending' }, { status: 201 });

async function partnerTrade() {
  const trade = await openTestTrade(h, { give: concert, take: game }, {
    aliceMethod: 'PARTNER_API',
  });
  const transferId = trade.aliceSends.id;

  return { ...trade, transferId };
}

/** Runs the orchestrator once, as a first try of the job with the msw-backed partner. */
function run(transferId: string, options: Partial<RunOptions> = {}) {
  return runPartnerTransfer(h.services, transferId, { partner, lastAttempt: false, ...options });
}

async function transferRow(id: string) {
  return h.db.prisma.transfer.findUniqueOrThrow({ where: { id } });
}

async function noticesOf(userId: string, kind: string) {
  return h.db.prisma.notification.findMany({ where: { userId, kind } });
}

describe('partner API transfers', () => {
  it('starts, polls and confirms a partner transfer, completing the trade', async () => {
    const { alice, bob, tradeId, transferId, bobSends } = await partnerTrade();
    const queued = await queuedJobs(h, transfersRunJob, 'transferId', transferId);
    partnerAccepts(created('pt-100'));
    partnerStatus('pending');

    const started = await run(transferId);
    const afterStart = await transferRow(transferId);
    const polls = await queuedJobs(h, transfersRunJob, 'transferId', transferId);
    const stillPending = await run(transferId);
    await h.caller(bob).trades.markSent({ transferId: bobSends.id, note: 'sent by e-mail' });
    await h.caller(alice).trades.confirmReceived({ transferId: bobSends.id });
    partnerStatus('completed');
    const confirmed = await run(transferId);
    const again = await run(transferId);

    expect(queued).toHaveLength(1);
    expect(started).toBe('polling');
    expect(afterStart).toMatchObject({
      state: 'SENT',
      method: 'PARTNER_API',
      externalRef: 'pt-100',
    });
    expect(polls.length).toBe(2);
    expect(stillPending).toBe('polling');
    expect(confirmed).toBe('confirmed');
    expect(again).toBe('nothing_to_do');
    expect((await transferRow(transferId)).state).toBe('CONFIRMED');
    const trade = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });
    expect(trade.state).toBe('COMPLETED');

    const ticket = await h.db.prisma.ticket.findFirstOrThrow({
      where: { deposits: { some: { transfer: { id: transferId } } } },
    });
    const bobUser = await h.db.prisma.user.findUniqueOrThrow({ where: { id: bob.userId } });
    const aliceUser = await h.db.prisma.user.findUniqueOrThrow({ where: { id: alice.userId } });
    expect(posted).toHaveLength(1);
    expect(posted[0]).toEqual({
      body: { ticketRef: ticket.barcodeHash, fromAccount: aliceUser.email, toEmail: bobUser.email },
      idempotencyKey: transferId,
      authorization: `Bearer ${token}`,
    });
    const audit = await h.db.prisma.auditLog.findFirstOrThrow({
      where: { entityId: transferId, action: 'transfer.confirmed' },
    });
    expect(audit.data).toMatchObject({ adapter: 'partner_api', externalRef: 'pt-100' });
  });

  it('retries a 5xx answer with the same idempotency key', async () => {
    const { transferId } = await partnerTrade();
    partnerAccepts(() => new HttpResponse(null, { status: 503 }), created('pt-200'));
    partnerStatus('pending');

    const outcome = await run(transferId);

    expect(outcome).toBe('polling');
    expect(posted.map((p) => p.idempotencyKey)).toEqual([transferId, transferId]);
    expect((await transferRow(transferId)).externalRef).toBe('pt-200');
  });

  it('falls back after a timeout on the last attempt', async () => {
    const { alice, bob, transferId } = await partnerTrade();
    partnerAccepts(async () => {
      await delay(1000);

      return created('pt-slow')();
    });

    const early = run(transferId);
    await expect(early).rejects.toBeInstanceOf(TransferStepError);
    await expect(early).rejects.toMatchObject({
      retryable: true,
      message: 'transfer timed out after 200 ms',
    });
    const last = await run(transferId, { lastAttempt: true });

    expect(last).toBe('fell_back_to_manual');
    expect(await transferRow(transferId)).toMatchObject({ method: 'MANUAL', state: 'PENDING' });
    for (const user of [alice, bob]) {
      expect((await noticesOf(user.userId, 'transfer.fallback_manual')).length).toBe(2);
    }
    const audit = await h.db.prisma.auditLog.findFirstOrThrow({
      where: { entityId: transferId, action: 'transfer.fallback_manual' },
    });
    expect(audit.data).toMatchObject({ reason: 'transfer timed out after 200 ms' });

    // The manual flow takes over from here as for any other ticket.
    await h.caller(alice).trades.markSent({ transferId, note: 'sent by hand instead' });
    const trade = await h.caller(bob).trades.confirmReceived({ transferId });
    expect(trade.transfers.find((t) => t.id === transferId)?.state).toBe('CONFIRMED');
  });

  it('falls back at once when the partner refuses the transfer', async () => {
    const { transferId } = await partnerTrade();
    partnerAccepts(() =>
      HttpResponse.json({ error: { code: 'not_transferable' } }, { status: 422 }));

    const outcome = await run(transferId);

    expect(outcome).toBe('fell_back_to_manual');
    expect(posted).toHaveLength(1);
    expect((await transferRow(transferId)).method).toBe('MANUAL');
  });

  it('falls back to manual when the partner reports a failed transfer', async () => {
    const { transferId } = await partnerTrade();
    partnerAccepts(created('pt-300'));
    partnerStatus('failed');

    await run(transferId);
    const outcome = await run(transferId);

    expect(outcome).toBe('fell_back_to_manual');
    expect(await transferRow(transferId)).toMatchObject({
      method: 'MANUAL',
      state: 'PENDING',
      sentAt: null,
    });
  });

  it('sends a late fallback to staff review', async () => {
    const { alice, bob, tradeId, transferId } = await partnerTrade();
    const trade = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });
    h.setNow(new Date(trade.releaseDeadline.getTime() - 2 * 3_600_000));
    partnerAccepts(() => new HttpResponse(null, { status: 409 }));

    const outcome = await run(transferId);
    const again = await run(transferId);

    expect(outcome).toBe('staff_review');
    expect(again).toBe('nothing_to_do');
    expect(await transferRow(transferId)).toMatchObject({ method: 'PARTNER_API', state: 'FAILED' });
    const audit = await h.db.prisma.auditLog.findFirstOrThrow({
      where: { entityId: transferId, action: 'transfer.staff_review' },
    });
    expect(audit.data).toMatchObject({ reason: 'partner API answered HTTP 409 to POST transfers' });
    for (const user of [alice, bob]) {
      expect((await noticesOf(user.userId, 'transfer.staff_review')).length).toBe(2);
    }
  });

  it('sends an accepted transfer whose status stays unknown to staff review', async () => {
    const { transferId } = await partnerTrade();
    partnerAccepts(created('pt-400'));
    partnerStatus('pending');
    await run(transferId);
    server.use(
      http.get(`${partnerUrl}/v1/transfers/:id`, () => new HttpResponse(null, { status: 502 })),
    );

    const outcome = await run(transferId, { lastAttempt: true });

    expect(outcome).toBe('staff_review');
    expect(await transferRow(transferId)).toMatchObject({ state: 'FAILED', externalRef: 'pt-400' });
  });

  it('runs partner tickets manually when no partner is configured', async () => {
    const { transferId } = await partnerTrade();

    const outcome = await run(transferId, { partner: null });

    expect(outcome).toBe('fell_back_to_manual');
    expect(posted).toHaveLength(0);
    expect(partnerApiConfigFromEnv({})).toBeNull();
    expect(partnerApiConfigFromEnv({ PARTNER_API_URL: partnerUrl })).toBeNull();
    expect(partnerApiConfigFromEnv({ PARTNER_API_URL: `${partnerUrl}/`, PARTNER_API_TOKEN: token }))
      .toEqual({ baseUrl: partnerUrl, token });
  });
});
