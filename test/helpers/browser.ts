/**
 * Headless Chromium for the report's browser tests (Debian's chromium through playwright-core):
 * where it is, the message when it is not (the tests fail with it, never skip), how it is
 * launched, and the page's console errors collected.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.VMISIM_CHROMIUM ?? '/usr/bin/chromium';

/** '' when Chromium is there, else what to do about it. */
export function missingChromium(): string {
  return existsSync(CHROMIUM)
    ? ''
    : `Chromium not found at ${CHROMIUM}. Install Debian's chromium (apt-get install chromium) ` +
        'or set VMISIM_CHROMIUM to a Chromium binary; this test does not skip.';
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
