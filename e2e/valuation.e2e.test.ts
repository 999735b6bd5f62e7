// The demo trader alice opens "Why this price?" for the concert ticket listed for her at
// start-up: the contributions chart, its table, the comparables of a fallback and the value
// history must render in Chromium on the running product.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createPrisma } from '@ts/db';

import { launchChromium } from './browser.ts';

const baseUrl = inject('baseUrl');
const prisma = createPrisma(inject('databaseUrl'));
const screenshots = mkdtempSync(path.join(tmpdir(), 'ticketswap-e2e-valuation-'));

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await prisma.$disconnect();
});

describe('"Why this price?"', () => {
  it('shows alice the contributions, comparables and history of her ticket', async () => {
    const alice = await prisma.user.findUniqueOrThrow({
      where: { email: 'alice@example.test' },
      select: { id: true },
    });
    const ticket = await prisma.ticket.findFirstOrThrow({
      where: { ownerId: alice.id, valueMinor: { not: null } },
      select: { id: true },
    });
    const latest = await prisma.valuation.findFirstOrThrow({
      where: { ticketId: ticket.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { fallback: true, contributions: true },
    });
    const valuations = await prisma.valuation.count({ where: { ticketId: ticket.id } });

    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Email').fill('alice@example.test');
    await page.getByLabel('Password').fill('swap-demo-pass');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'My tickets' }).waitFor();

    await page.getByRole('link', { name: 'Why this price?' }).first().click();
    await page.getByRole('heading', { name: 'Why this price?' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/tickets/${ticket.id}/value`);

    const chart = page.getByRole('figure', { name: /moved the model's prediction/ });
    await chart.waitFor();
    const bars = chart.locator('svg [data-feature]');
    const storedCount = (latest.contributions as unknown[]).length;
    expect(await bars.count()).toBe(storedCount);
    const barLabels = await chart.locator('svg [data-feature] text:last-child').allTextContents();
    for (const label of barLabels) {
      expect(label).toMatch(/^[+\u2212±]\d+\.\d{2}$/);
    }
    const tableRows = chart.getByRole('table').locator('tbody tr');
    expect(await tableRows.count()).toBe(storedCount);

    const comparables = page.getByTestId('comparables-table');
    if (latest.fallback) {
      await comparables.waitFor();
      expect(await comparables.locator('tbody tr').count()).toBeGreaterThan(0);
    } else {
      expect(await comparables.count()).toBe(0);
    }

    await page.getByRole('figure', { name: /valuations from/ }).waitFor();
    expect(await page.getByTestId('history-chart').locator('circle').count()).toBe(valuations);
    expect(await page.getByTestId('history-table').locator('tbody tr').count()).toBe(valuations);

    await page.screenshot({ path: path.join(screenshots, 'why-this-price.png'), fullPage: true });
  });
});
