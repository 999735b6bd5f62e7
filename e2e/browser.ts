// Debian's Chromium driven by playwright-core; Playwright's own browser download is not used.
// Playwright gives every launch a fresh temporary profile.
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Reloads the page until `locator` appears, for state that a background job changes. Each
 * load gets two seconds to fetch and render its data before the next reload.
 */
export async function reloadUntilVisible(page: Page, locator: Locator, attempts = 30): Promise<void> {
  for (let attempt = 1; attempt < attempts; attempt += 1) {
    try {
      await locator.first().waitFor({ timeout: 2_000 });

      return;
    } catch {
      await page.reload();
    }
  }
  await locator.first().waitFor({ timeout: 5_000 });
}
