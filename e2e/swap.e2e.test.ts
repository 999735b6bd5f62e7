// Two new traders swap tickets through the web app while a compliance officer approves their
// KYC in the console: sign-up, KYC, upload of a photo and of a PDF, review, listing, wants,
// matching, acceptance, escrow, transfers and completion, all in Chromium on the product.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createPrisma } from '@ts/db';
import { makeTicketPdf, makeTicketPhoto } from '@ts/domain/tickets/barcode/ticket-files';

import { launchChromium, reloadUntilVisible } from './browser.ts';

const baseUrl = inject('baseUrl');
const prisma = createPrisma(inject('databaseUrl'));
const run = Date.now().toString(36);
const screenshots = mkdtempSync(path.join(tmpdir(), 'ticketswap-e2e-shots-'));

let browser: Browser;
let event: { id: string; name: string; startsAt: Date; venue: { name: string; city: string } };

interface Trader {
  name: string;
  email: string;
  page: Page;
}

beforeAll(async () => {
  browser = await launchChromium();
  // A demo game that no demo ticket or demo want mentions, so only the new traders match on it.
  const games = await prisma.event.findMany({
    where: { externalId: { startsWith: 'demo:cfb:' } },
    orderBy: { startsAt: 'desc' },
    select: { id: true, name: true, startsAt: true, venue: { select: { name: true, city: true } } },
  });
  const wanted = await prisma.want.findMany({ select: { eventId: true } });
  const held = await prisma.ticket.findMany({ select: { eventId: true } });
  const taken = new Set([...wanted, ...held].map((row) => row.eventId));
  event = games.find((game) => !taken.has(game.id))!;
  expect(event).toBeDefined();
});

afterAll(async () => {
  await browser?.close();
  await prisma.$disconnect();
});

async function newTrader(label: string): Promise<Trader> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  return { name: `${label} ${run}`, email: `${label.toLowerCase()}-${run}@example.test`, page };
}

/** Writes Ana's ticket as a JPEG phone photo and Ben's as an e-ticket PDF. */
async function ticketFile(trader: Trader, seat: string, kind: 'photo' | 'pdf'): Promise<string> {
  const options = {
    barcodeText: `E2E-${run}-${trader.email}`,
    format: kind === 'photo' ? 'qrcode' as const : 'pdf417' as const,
    eventName: event.name,
    venue: `${event.venue.name}, ${event.venue.city}`,
    startsAt: event.startsAt,
    section: 'Section 210',
    row: '18',
    seat,
    faceValue: 9_500,
    currency: 'USD',
  };
  const bytes = kind === 'photo'
    ? await makeTicketPhoto({ ...options, angleDegrees: 4, noise: 8, seed: 11 })
    : await makeTicketPdf(options);
  const file = path.join(screenshots, `${trader.email}.${kind === 'photo' ? 'jpg' : 'pdf'}`);
  writeFileSync(file, bytes);

  return file;
}

async function signUp(trader: Trader) {
  const { page } = trader;
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('Email').fill(trader.email);
  await page.getByLabel('Password').fill('a long e2e password');
  await page.getByLabel('Display name').fill(trader.name);
  await page.getByLabel('Home city').fill(event.venue.city);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'My tickets' }).waitFor();
}

async function approveKyc(console: Page, trader: Trader) {
  const filter = encodeURIComponent(JSON.stringify({ q: trader.email }));
  await console.goto(`${baseUrl}/admin/#/users?filter=${filter}`);
  await console.locator('tbody tr', { hasText: trader.email }).getByText(trader.name).click();
  await console.getByRole('button', { name: 'Approve KYC' }).click();
  await console.getByRole('dialog').waitFor();
  await console.getByRole('button', { name: 'Confirm' }).click();
  await console.getByText('KYC approved.').waitFor();
}

async function uploadReviewAndList(trader: Trader, seat: string, kind: 'photo' | 'pdf') {
  const { page } = trader;
  await page.goto(`${baseUrl}/tickets/new`);
  await page.getByLabel('Ticket file').setInputFiles(await ticketFile(trader, seat, kind));
  await page.getByRole('button', { name: 'Upload ticket' }).click();

  // The upload returns at once; the review page polls until the job has read the file.
  await page.getByRole('heading', { name: 'Check the ticket details' }).waitFor();
  const form = page.getByRole('form', { name: 'Review ticket details' });
  await form.waitFor({ timeout: 90_000 });
  await page.screenshot({ path: path.join(screenshots, `review-${kind}.png`), fullPage: true });
  const eventSelect = form.getByLabel('Event', { exact: true });
  if ((await eventSelect.inputValue()) !== event.id) {
    await form.getByLabel('Search by name').fill(event.name);
    await eventSelect.selectOption(event.id);
  }
  await form.getByLabel('Section').fill('Section 210');
  await form.getByLabel('Row').fill('18');
  await form.getByLabel('Seat').fill(seat);
  await form.getByLabel('Face value (dollars)').fill('95');
  await form.getByRole('button', { name: 'Confirm details' }).click();

  await page.getByRole('heading', { name: 'My tickets' }).waitFor();
  await page.getByRole('button', { name: 'List on marketplace' }).click();
  await page.getByRole('button', { name: 'Withdraw' }).waitFor();
}

async function wantEvent(trader: Trader) {
  const { page } = trader;
  await page.goto(`${baseUrl}/wants`);
  const form = page.getByRole('form', { name: 'Add a want' });
  await form.getByLabel('Search by name').fill(event.name);
  await form.getByLabel('Event', { exact: true }).selectOption(event.id);
  await form.getByRole('button', { name: 'Add want' }).click();
  await page.getByRole('button', { name: `Remove want: ${event.name}` }).waitFor();
}

async function acceptProposal(trader: Trader) {
  const { page } = trader;
  // The matching tick runs every second in this test; reload until its proposal shows up.
  await page.goto(`${baseUrl}/proposals`);
  await reloadUntilVisible(page, page.getByRole('button', { name: 'Accept' }));
  await page.getByRole('button', { name: 'Accept' }).click();
}

describe('a swap between two new traders', () => {
  it('runs from sign-up to a completed trade', async () => {
    const ana = await newTrader('Ana');
    const ben = await newTrader('Ben');
    await signUp(ana);
    await signUp(ben);

    const officer = await (await browser.newContext()).newPage();
    officer.setDefaultTimeout(20_000);
    await officer.goto(`${baseUrl}/admin/`);
    await officer.getByLabel('Email').fill('compliance@example.test');
    await officer.getByLabel('Password').fill('swap-demo-pass');
    await officer.getByRole('button', { name: 'Sign in' }).click();
    // Navigating before the log-in response arrives would drop the session cookie.
    await officer.getByRole('menuitem', { name: 'Users' }).waitFor();
    await approveKyc(officer, ana);
    await approveKyc(officer, ben);
    await officer.screenshot({ path: path.join(screenshots, 'console-kyc.png') });

    await uploadReviewAndList(ana, '7', 'photo');
    await uploadReviewAndList(ben, '8', 'pdf');
    await ana.page.goto(`${baseUrl}/market`);
    await ana.page.getByRole('main').getByText(event.name).first().waitFor();

    await wantEvent(ana);
    await wantEvent(ben);
    await acceptProposal(ana);
    await acceptProposal(ben);

    const tradeLink = ben.page.getByRole('link', { name: /View trade/ }).first();
    await tradeLink.waitFor();
    await tradeLink.click();
    await ben.page.getByRole('heading', { name: 'Trade' }).waitFor();
    const tradeUrl = ben.page.url();
    await ana.page.goto(tradeUrl);

    for (const sender of [ana, ben]) {
      await sender.page.getByLabel('Evidence note').fill(`Sent to the other trader, ${sender.name}`);
      await sender.page.getByRole('button', { name: 'Mark as sent' }).click();
      await sender.page.getByRole('button', { name: 'Mark as sent' }).waitFor({ state: 'detached' });
    }
    for (const receiver of [ana, ben]) {
      await receiver.page.reload();
      await receiver.page.getByRole('button', { name: 'Confirm received' }).click();
      await receiver.page.getByRole('button', { name: 'Confirm received' })
        .waitFor({ state: 'detached' });
    }

    await ana.page.reload();
    await ana.page.getByText(/completed/i).first().waitFor();
    await ana.page.screenshot({ path: path.join(screenshots, 'trade-completed.png'), fullPage: true });

    const tradeId = tradeUrl.split('/').pop()!;
    const trade = await prisma.trade.findUniqueOrThrow({
      where: { id: tradeId },
      select: { state: true, deposits: { select: { ticket: { select: { ownerId: true } }, toUserId: true } } },
    });
    expect(trade.state).toBe('COMPLETED');
    for (const deposit of trade.deposits) {
      expect(deposit.ticket.ownerId).toBe(deposit.toUserId);
    }
  });
});
