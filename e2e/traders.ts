// Sign-up of browser test traders who can trade at once.
import type { Browser, Page } from 'playwright-core';

import type { PrismaClient } from '@ts/db';

export interface Trader {
  id: string;
  name: string;
  email: string;
  page: Page;
}

/**
 * Signs a new trader up in their own browser context and marks their KYC verified in the
 * database; approving KYC in the console is covered by the swap test.
 */
export async function signUpVerified(
  options: { browser: Browser; prisma: PrismaClient; baseUrl: string; run: string },
  label: string,
): Promise<Trader> {
  const page = await (await options.browser.newContext()).newPage();
  page.setDefaultTimeout(20_000);
  const name = `${label} ${options.run}`;
  const email = `${label.toLowerCase()}-${options.run}@example.test`;
  await page.goto(`${options.baseUrl}/signup`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long e2e password');
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('Home city').fill('Austin');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'My tickets' }).waitFor();
  const user = await options.prisma.user.update({
    where: { email },
    data: { kycStatus: 'VERIFIED', kycReviewedAt: new Date() },
    select: { id: true },
  });
  // The page loaded the account before the update, so a reload shows it verified.
  await page.reload();

  return { id: user.id, name, email, page };
}

/** Signs a demo staff account into the console in its own browser context. */
export async function signInToConsole(
  options: { browser: Browser; baseUrl: string },
  email: string,
): Promise<Page> {
  const page = await (await options.browser.newContext()).newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${options.baseUrl}/admin/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('swap-demo-pass');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('menuitem', { name: 'Disputes' }).waitFor();

  return page;
}
