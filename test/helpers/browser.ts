/**
 * Headless Chromium for the report's browser tests (Debian's chromium through playwright-core).
 * The tests never skip: without the browser each fails with the message of `needBrowser`.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.VMISIM_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, '' when they can. */
export const CHROMIUM_MISSING = existsSync(CHROMIUM)
  ? ''
  : `Chromium not found at ${CHROMIUM}. Install Debian's chromium (apt-get install chromium) ` +
    'or set VMISIM_CHROMIUM to a Chromium binary; this test does not skip.';

/** Throws CHROMIUM_MISSING when there is no browser (a failing beforeAll would only skip the tests). */
export function needBrowser(): void {
  if (CHROMIUM_MISSING) throw new Error(CHROMIUM_MISSING);
}

/** The browser, offline and quiet. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}

/** Closes the browser and removes the report directory of a test. */
export async function closeBrowserTest(browser: Browser | undefined, dir: string): Promise<void> {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}
