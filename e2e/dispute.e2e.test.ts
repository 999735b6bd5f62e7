// A trader disputes a trade in escrow from the web app. A compliance officer adds a note and a
// support agent returns both tickets from the console, all in Chromium on the running product.
// Setup (KYC, listed tickets, the accepted proposal) goes straight to the database and the API,
// so this test does not depend on the upload or matching flows.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createPrisma } from '@ts/db';

import { launchChromium } from './browser.ts';
import { signInToConsole as signInToStaffConsole, signUpVerified, type Trader } from './traders.ts';

const baseUrl = inject('baseUrl');
const prisma = createPrisma(inject('databaseUrl'));
const run = Date.now().toString(36);
const screenshots = mkdtempSync(path.join(tmpdir(), 'ticketswap-e2e-dispute-'));

let browser: Browser;
let eventId: string;

beforeAll(async () => {
  browser = await launchChromium();
  // An event of its own, so neither the matching job nor the swap test touches these tickets.
  const venue = await prisma.venue.findFirstOrThrow({ select: { id: true } });
  const event = await prisma.event.create({
    data: {
      externalId: `e2e:dispute:${run}`,
      name: `Dispute test game ${run}`,
      category: 'SPORTS',
      startsAt: new Date(Date.now() + 60 * 24 * 3_600_000),
      venueId: venue.id,
    },
    select: { id: true },
  });
  eventId = event.id;
});

afterAll(async () => {
  await browser?.close();
  await prisma.$disconnect();
});

function newTrader(label: string): Promise<Trader> {
  return signUpVerified({ browser, prisma, baseUrl, run }, label);
}

async function listedTicket(owner: Trader, seat: string): Promise<string> {
  const ticket = await prisma.ticket.create({
    data: {
      ownerId: owner.id,
      uploadedById: owner.id,
      eventId,
      state: 'LISTED',
      section: 'Section 104',
      row: '9',
      seat,
      barcodeHash: randomBytes(32).toString('hex'),
      barcodeFormat: 'PDF417',
      fileSha256: randomBytes(32).toString('hex'),
      storageKey: `e2e/${run}-${seat}.pdf`,
      mimeType: 'application/pdf',
      sizeBytes: 1024,
      valueMinor: 12_000,
      valueConfidence: 0.9,
      listedAt: new Date(),
    },
    select: { id: true },
  });

  return ticket.id;
}

/** Calls a tRPC mutation with the trader's session cookie and returns its JSON result. */
async function mutate(trader: Trader, procedure: string, input: unknown): Promise<unknown> {
  const response = await trader.page.request.post(`${baseUrl}/trpc/${procedure}`, {
    headers: { origin: baseUrl },
    data: { json: input },
  });
  expect(response.status(), `${procedure}: ${await response.text()}`).toBe(200);
  const body = (await response.json()) as { result: { data: { json: unknown } } };

  return body.result.data.json;
}

function signInToConsole(email: string): Promise<Page> {
  return signInToStaffConsole({ browser, baseUrl }, email);
}

/** Opens the dispute's page in the console from its list, by the row of the disputed trade. */
async function openDisputeInConsole(page: Page, tradeId: string) {
  const { id } = await prisma.dispute.findFirstOrThrow({ where: { tradeId }, select: { id: true } });
  await page.goto(`${baseUrl}/admin/#/disputes`);
  // Clicking a row's centre may land on a link to the trader, so the test opens the record by id.
  await page.locator('tbody tr').first().waitFor();
  await page.goto(`${baseUrl}/admin/#/disputes/${id}/show`);
  await page.getByText('Audit trail of the trade').waitFor();
}

describe('a disputed trade', () => {
  it('is opened by a trader and decided by support', async () => {
    const dana = await newTrader('Dana');
    const eli = await newTrader('Eli');
    const danaTicket = await listedTicket(dana, '11');
    const eliTicket = await listedTicket(eli, '12');
    const proposal = (await mutate(dana, 'proposals.create', {
      offeredTicketId: danaTicket,
      wantedTicketId: eliTicket,
    })) as { id: string };
    await mutate(dana, 'proposals.accept', { proposalId: proposal.id });
    await mutate(eli, 'proposals.accept', { proposalId: proposal.id });
    const trade = await prisma.trade.findUniqueOrThrow({
      where: { proposalId: proposal.id },
      select: { id: true, state: true },
    });
    expect(trade.state).toBe('ESCROWED');
    const tradeUrl = `${baseUrl}/trades/${trade.id}`;

    // Eli reports that the ticket never arrived.
    const complaint = `Dana's ticket never arrived, run ${run}.`;
    await eli.page.goto(tradeUrl);
    await eli.page.getByRole('heading', { name: 'Report a problem' }).waitFor();
    await eli.page.getByRole('button', { name: 'Open a dispute' }).click();
    await eli.page.getByLabel('Reason').selectOption('NOT_RECEIVED');
    await eli.page.getByLabel('What happened').fill(complaint);
    await eli.page.getByRole('button', { name: 'Open dispute' }).click();
    const eliDispute = eli.page.getByRole('region', { name: 'Dispute' });
    await eliDispute.getByText(complaint).waitFor();
    await expect(eliDispute.getByText('I did not receive the ticket').count()).resolves.toBe(1);
    await expect(eli.page.getByRole('button', { name: 'Mark as sent' }).count()).resolves.toBe(0);
    await eli.page.screenshot({
      path: path.join(screenshots, 'dispute-opened.png'),
      fullPage: true,
    });

    // Dana adds her side on her own trade page.
    const answer = `I sent it to Eli's email on the day of the trade, run ${run}.`;
    await dana.page.goto(tradeUrl);
    const danaDispute = dana.page.getByRole('region', { name: 'Dispute' });
    await danaDispute.getByText(complaint).waitFor();
    await dana.page.getByLabel('Evidence note').fill(answer);
    await dana.page.getByRole('button', { name: 'Add evidence' }).click();
    await danaDispute.getByText(answer).waitFor();

    // A compliance officer may read the dispute and add a note, but not decide it.
    const officer = await signInToConsole('compliance@example.test');
    await openDisputeInConsole(officer, trade.id);
    await officer.getByText(answer).waitFor();
    await expect(officer.getByRole('button', { name: 'Complete trade' }).count()).resolves.toBe(0);
    const officerNote = `Checked both accounts, run ${run}.`;
    await officer.getByRole('textbox', { name: 'Note', exact: true }).fill(officerNote);
    await officer.getByRole('button', { name: 'Add note' }).click();
    await officer.getByText('Note added.').waitFor();
    await officer.getByText(officerNote).waitFor();

    // A support agent returns both tickets.
    const agent = await signInToConsole('support@example.test');
    await openDisputeInConsole(agent, trade.id);
    await agent.getByText(officerNote).waitFor();
    await agent.getByText('dispute.opened').waitFor();
    await agent.getByRole('button', { name: 'Return both tickets' }).click();
    const dialog = agent.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.getByText('Give the reason for the decision').waitFor();
    const decisionNote = `Neither side could show the transfer, run ${run}.`;
    await dialog.getByLabel('Decision note').fill(decisionNote);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await agent.getByText('Both tickets returned.').waitFor();
    await agent.getByRole('button', { name: 'Return both tickets' }).waitFor({ state: 'detached' });
    await expect(agent.getByRole('button', { name: 'Complete trade' }).count()).resolves.toBe(0);
    await agent.screenshot({ path: path.join(screenshots, 'dispute-decided.png'), fullPage: true });

    // Eli's page shows the decision in plain words and no longer takes evidence.
    await eli.page.reload();
    await eliDispute.getByText(/Both tickets went back to their original owners/).waitFor();
    await eliDispute.getByText(decisionNote).waitFor();
    await expect(eli.page.getByRole('button', { name: 'Add evidence' }).count()).resolves.toBe(0);
    await eli.page.screenshot({
      path: path.join(screenshots, 'dispute-resolved.png'),
      fullPage: true,
    });

    const dispute = await prisma.dispute.findFirstOrThrow({
      where: { tradeId: trade.id },
      select: {
        state: true,
        outcome: true,
        reason: true,
        decisionNote: true,
        decidedBy: { select: { email: true } },
        _count: { select: { evidence: true } },
      },
    });
    expect(dispute.state).toBe('RESOLVED');
    expect(dispute.outcome).toBe('RETURN_BOTH');
    expect(dispute.reason).toBe('NOT_RECEIVED');
    expect(dispute.decisionNote).toBe(decisionNote);
    expect(dispute.decidedBy?.email).toBe('support@example.test');
    expect(dispute._count.evidence).toBe(3);
    const settled = await prisma.trade.findUniqueOrThrow({
      where: { id: trade.id },
      select: { state: true, deposits: { select: { fromUserId: true, ticket: true } } },
    });
    expect(settled.state).toBe('RETURNED');
    for (const deposit of settled.deposits) {
      expect(deposit.ticket.ownerId).toBe(deposit.fromUserId);
    }
  });
});
