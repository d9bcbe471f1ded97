/**
 * Headless Chromium for the report's browser tests (Debian's chromium through playwright-core):
 * where it is, the message when it is not (the tests fail with it, never skip), how it is
 * launched, the page's console errors collected, and the clean-up after a test.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.VMISIM_CHROMIUM ?? '/usr/bin/chromium';

/** '' when Chromium is there, else what to do about it. */
export function missingChromium(): string {
  return existsSync(CHROMIUM)
    ? ''
    : `Chromium not found at ${CHROMIUM}. Install Debian's chromium (apt-get install chromium) ` +
        'or set VMISIM_CHROMIUM to a Chromium binary; this test does not skip.';
}

/** Why the browser tests cannot run here, '' when they can. */
export const CHROMIUM_MISSING = missingChromium();

/** Throws CHROMIUM_MISSING when there is no browser (a failing beforeAll would only skip the tests). */
export function needBrowser(): void {
  if (CHROMIUM_MISSING) throw new Error(CHROMIUM_MISSING);
}

/** Chromium without network services, sandbox or GPU (a container has none of them). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Pushes the page's console errors and warnings, and uncaught errors, onto `into`. */
export function collectConsoleErrors(page: Page, into: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') into.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (err) => into.push(`pageerror: ${err.message}`));
}

/** Closes the browser and removes the report directory of a test. */
export async function closeBrowserTest(browser: Browser | undefined, dir: string): Promise<void> {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}
