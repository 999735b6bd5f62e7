// Two traders swap tickets of unequal value in the web app. The owner of the cheaper ticket
// proposes from the marketplace and the other trader accepts. The cash top-up is held in local
// test mode, both transfers are confirmed, and the Payments page shows it charged and paid out.
// Then the payer reports the ticket she received as refused at the gate, a support agent undoes
// the trade in the console, and the Payments pages show the refund and the reversed payout.
// Setup (KYC and listed tickets) goes straight to the database, as in the dispute test.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createPrisma } from '@ts/db';

import { launchChromium, reloadUntilVisible } from './browser.ts';
import { signInToConsole, signUpVerified, type Trader } from './traders.ts';

const baseUrl = inject('baseUrl');
const prisma = createPrisma(inject('databaseUrl'));
const run = Date.now().toString(36);
const screenshots = mkdtempSync(path.join(tmpdir(), 'ticketswap-e2e-topup-'));

let browser: Browser;
let event: { id: string; name: string };

beforeAll(async () => {
  browser = await launchChromium();
  // An event of its own, so neither matching nor the other browser tests touch these tickets.
  const venue = await prisma.venue.findFirstOrThrow({ select: { id: true } });
  event = await prisma.event.create({
    data: {
      externalId: `e2e:topup:${run}`,
      name: `Top-up test game ${run}`,
      category: 'SPORTS',
      startsAt: new Date(Date.now() + 45 * 24 * 3_600_000),
      venueId: venue.id,
    },
    select: { id: true, name: true },
  });
});

afterAll(async () => {
  await browser?.close();
  await prisma.$disconnect();
});

function newTrader(label: string): Promise<Trader> {
  return signUpVerified({ browser, prisma, baseUrl, run }, label);
}

async function listedTicket(owner: Trader, seat: string, valueMinor: number): Promise<string> {
  const ticket = await prisma.ticket.create({
    data: {
      ownerId: owner.id,
      uploadedById: owner.id,
      eventId: event.id,
      state: 'LISTED',
      section: '112',
      row: '4',
      seat,
      barcodeHash: randomBytes(32).toString('hex'),
      barcodeFormat: 'PDF417',
      fileSha256: randomBytes(32).toString('hex'),
      storageKey: `e2e/${run}-${seat}.pdf`,
      mimeType: 'application/pdf',
      sizeBytes: 1024,
      valueMinor,
      valueConfidence: 0.9,
      listedAt: new Date(),
    },
    select: { id: true },
  });

  return ticket.id;
}

describe('an unequal swap with a cash top-up', () => {
  it('holds, captures and pays out the top-up in test mode', async () => {
    const payer = await newTrader('Petra');
    const receiver = await newTrader('Rafael');
    const cheaper = await listedTicket(payer, '21', 10_000);
    await listedTicket(receiver, '22', 13_000);

    // Petra offers her 100-credit ticket for Rafael's 130-credit one from the marketplace.
    await payer.page.goto(`${baseUrl}/market?search=${encodeURIComponent(event.name)}`);
    const card = payer.page.getByRole('article').filter({ hasText: 'Seat 22' });
    await card.getByRole('button', { name: 'Propose swap' }).click();
    await card.getByLabel('Ticket to offer').selectOption(cheaper);
    await card.getByText('Their ticket is worth 30.00 credits more than yours.').waitFor();
    await card.getByRole('button', { name: 'Send proposal' }).click();
    await card.getByText('You pay $30.00 top-up').waitFor();
    await card.getByText('Test mode: no card is charged').waitFor();
    await payer.page.screenshot({ path: path.join(screenshots, 'proposed.png'), fullPage: true });
    const proposal = await prisma.proposal.findFirstOrThrow({
      where: { legs: { some: { ticketId: cheaper } } },
      select: { id: true, cashDiffMinor: true, payerId: true },
    });
    expect(proposal.cashDiffMinor).toBe(3_000);
    expect(proposal.payerId).toBe(payer.id);

    // Sending the proposal counted as Petra's acceptance.
    await payer.page.goto(`${baseUrl}/proposals`);
    const payerCard = payer.page.getByRole('article').filter({ hasText: receiver.name });
    await payerCard.getByText('You pay $30.00 top-up').waitFor();
    await payerCard.getByText('You accepted. Waiting for the other side.').waitFor();
    await payerCard.getByText('Test mode: no card is charged').waitFor();

    // Rafael's card shows the top-up he would receive. His acceptance is the last one, so the API
    // holds the top-up at once in test mode and opens the trade.
    await receiver.page.goto(`${baseUrl}/proposals`);
    const receiverCard = receiver.page.getByRole('article').filter({ hasText: payer.name });
    await receiverCard.getByText('You receive $30.00 top-up').waitFor();
    await receiverCard.getByText('Test mode: no card is charged').waitFor();
    await receiverCard.getByRole('button', { name: 'Accept' }).click();
    await receiverCard.getByText('The $30.00 top-up is held in test mode and the trade is open.')
      .waitFor();
    await receiver.page.screenshot({
      path: path.join(screenshots, 'accepted.png'),
      fullPage: true,
    });

    await payer.page.reload();
    const tradeLink = payerCard.getByRole('link', { name: /View trade/ });
    await tradeLink.click();
    await payer.page.getByRole('heading', { name: 'Trade' }).waitFor();
    const tradeUrl = payer.page.url();
    const tradeId = tradeUrl.split('/').pop()!;
    const authorized = await prisma.payment.findFirstOrThrow({
      where: { tradeId },
      select: { state: true, amountMinor: true, payerId: true },
    });
    expect(authorized.state).toBe('AUTHORIZED');
    expect(authorized.amountMinor).toBe(3_000);
    expect(authorized.payerId).toBe(payer.id);

    await receiver.page.goto(tradeUrl);
    for (const sender of [payer, receiver]) {
      const markSent = sender.page.getByRole('button', { name: 'Mark as sent' });
      const note = `Sent to the other trader, ${sender.name}`;
      await sender.page.getByLabel('Evidence note').fill(note);
      await markSent.click();
      await markSent.waitFor({ state: 'detached' });
    }
    for (const trader of [payer, receiver]) {
      await trader.page.reload();
      await trader.page.getByRole('button', { name: 'Confirm received' }).click();
      await trader.page.getByRole('button', { name: 'Confirm received' })
        .waitFor({ state: 'detached' });
    }
    await payer.page.reload();
    await payer.page.getByText(/completed/i).first().waitFor();

    // The payments.settle job captures the top-up in the background.
    await payer.page.goto(`${baseUrl}/payments`);
    const paid = payer.page.getByRole('region', { name: 'Top-ups you paid' });
    await reloadUntilVisible(payer.page, paid.locator('[data-state="CAPTURED"]'));
    await paid.getByText('$30.00').waitFor();
    await payer.page.screenshot({ path: path.join(screenshots, 'captured.png'), fullPage: true });

    // Rafael's payout waits for a payout account, then is paid once he sets one up.
    await receiver.page.goto(`${baseUrl}/payments`);
    const payouts = receiver.page.getByRole('region', { name: 'Payouts to you' });
    await reloadUntilVisible(receiver.page, payouts.locator('[data-state="PENDING"]'));
    await payouts.getByText('$30.00').waitFor();
    await receiver.page.getByRole('button', { name: 'Set up payouts' }).click();
    await receiver.page.getByText('1 pending payout is being paid.').waitFor();
    await reloadUntilVisible(receiver.page, payouts.locator('[data-state="PAID"]'));
    await receiver.page.screenshot({
      path: path.join(screenshots, 'paid-out.png'),
      fullPage: true,
    });

    const payment = await prisma.payment.findFirstOrThrow({
      where: { tradeId },
      select: { state: true, capturedAt: true },
    });
    expect(payment.state).toBe('CAPTURED');
    expect(payment.capturedAt).not.toBeNull();
    const payout = await prisma.payout.findFirstOrThrow({
      where: { tradeId },
      select: { userId: true, state: true, amountMinor: true },
    });
    expect(payout.userId).toBe(receiver.id);
    expect(payout.state).toBe('PAID');
    expect(payout.amountMinor).toBe(3_000);

    const journals = await prisma.ledgerJournal.findMany({
      where: { tradeId },
      select: { kind: true, entries: { select: { unit: true, amountMinor: true } } },
    });
    const cashJournals = journals.filter((j) => j.entries.some((e) => e.unit === 'USD'));
    expect(cashJournals.map((j) => j.kind).sort()).toEqual(
      ['payout.paid', 'topup.captured', 'topup.released'],
    );
    for (const journal of cashJournals) {
      const usd = journal.entries.filter((e) => e.unit === 'USD');
      expect(usd.reduce((sum, e) => sum + e.amountMinor, 0), journal.kind).toBe(0);
    }
    const receiverCash = await prisma.ledgerEntry.aggregate({
      where: { userId: receiver.id, unit: 'USD' },
      _sum: { amountMinor: true },
    });
    expect(receiverCash._sum.amountMinor).toBe(0);
    const allCash = await prisma.ledgerEntry.aggregate({
      where: { unit: 'USD' },
      _sum: { amountMinor: true },
    });
    expect(allCash._sum.amountMinor).toBe(0);

    // At the gate, the ticket Petra received is refused. She reports it on the trade page.
    await payer.page.goto(tradeUrl);
    await payer.page.getByRole('heading', { name: 'A ticket did not work?' }).waitFor();
    await payer.page.getByRole('button', { name: 'Report a ticket' }).click();
    await payer.page.getByLabel('Reason').selectOption('REFUSED_AT_GATE');
    const complaint = `The gate scanner refused seat 22 as already used, run ${run}.`;
    await payer.page.getByLabel('What happened').fill(complaint);
    await payer.page.getByRole('button', { name: 'Open dispute' }).click();
    const report = payer.page.getByRole('region', { name: 'Report after completion' });
    await report.getByText(complaint).waitFor();

    // A support agent undoes the trade from the console.
    const agent = await signInToConsole({ browser, baseUrl }, 'support@example.test');
    const { id: disputeId } = await prisma.dispute.findFirstOrThrow({ where: { tradeId }, select: { id: true } });
    await agent.goto(`${baseUrl}/admin/#/disputes/${disputeId}/show`);
    await agent.getByText('Reported after completion').first().waitFor();
    await agent.getByRole('button', { name: 'Undo both tickets' }).click();
    const dialog = agent.getByRole('dialog');
    await dialog.getByLabel('Decision note').fill(`The venue confirmed the barcode was void, run ${run}.`);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await agent.getByRole('button', { name: 'Undo both tickets' }).waitFor({ state: 'detached' });
    await agent.screenshot({ path: path.join(screenshots, 'undone.png'), fullPage: true });

    // Petra's top-up is refunded to her card and Rafael's payout is taken back.
    await payer.page.goto(`${baseUrl}/payments`);
    await reloadUntilVisible(payer.page, paid.locator('[data-state="REFUNDED"]'));
    await receiver.page.goto(`${baseUrl}/payments`);
    await reloadUntilVisible(receiver.page, payouts.locator('[data-state="REVERSED"]'));
    await payouts.getByText('Taken back after a dispute undid the trade.').waitFor();
    await receiver.page.screenshot({ path: path.join(screenshots, 'reversed.png'), fullPage: true });
    await payer.page.goto(tradeUrl);
    await report.getByText(/Support undid the trade/).waitFor();

    const undone = await prisma.trade.findUniqueOrThrow({
      where: { id: tradeId },
      select: { state: true, deposits: { select: { state: true, fromUserId: true, ticket: { select: { ownerId: true } } } } },
    });
    expect(undone.state).toBe('RETURNED');
    for (const deposit of undone.deposits) {
      expect(deposit.state).toBe('REVERSED');
      expect(deposit.ticket.ownerId).toBe(deposit.fromUserId);
    }
    const afterUndo = await prisma.ledgerEntry.aggregate({
      where: { userId: receiver.id, unit: 'USD' },
      _sum: { amountMinor: true },
    });
    expect(afterUndo._sum.amountMinor).toBe(0);
  });
});
