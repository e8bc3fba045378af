import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect, type TestContext } from 'vitest';
import { ROOT } from './e2e-serve.js';

/** Chromium for the e2e suites: the system one (or $FOLIO_CHROMIUM), never a download. */
export const CHROMIUM = process.env['FOLIO_CHROMIUM'] ?? '/usr/bin/chromium';

/** Why Chromium-based suites must skip, or null. */
export function missingChromiumReason(): string | null {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (set FOLIO_CHROMIUM to one)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Call from afterEach (it runs while the page is still open, before onTestFailed): a failed
 * test leaves a full-page screenshot in test-results/<prefix>-<test name>.png.
 */
export async function screenshotOnFailure(ctx: TestContext, page: Page | undefined, prefix: string): Promise<void> {
  if (ctx.task.result?.state !== 'fail') return;
  await saveScreenshot(page, `${prefix}-${ctx.task.name}`);
}

/** A full-page screenshot in test-results/<name>.png (name made file-safe); never throws. */
export async function saveScreenshot(page: Page | undefined, name: string): Promise<void> {
  if (!page || page.isClosed()) return;
  const dir = join(ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  const file = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 100);
  await page.screenshot({ path: join(dir, `${file}.png`), fullPage: true }).catch(() => {});
}

/**
 * Every request the page (and its workers) makes, recorded through request interception;
 * requests to any origin but `allowedOrigin` are aborted and listed in `foreign`.
 */
export async function watchRequests(page: Page, allowedOrigin: string): Promise<{ all: string[]; foreign: string[] }> {
  const seen = { all: [] as string[], foreign: [] as string[] };
  await page.context().route('**/*', async (route) => {
    const url = route.request().url();
    seen.all.push(url);
    if (url === allowedOrigin || url.startsWith(`${allowedOrigin}/`)) return route.continue();
    seen.foreign.push(url);
    return route.abort('blockedbyclient');
  });
  return seen;
}

/**
 * The shortcuts that need no data: `/` focuses Search (and `j` then types into it instead of
 * moving), Esc leaves it, `?` opens the shortcut help and Esc closes it. Call with the reader
 * closed.
 */
export async function checkSearchAndHelpKeys(page: Page): Promise<void> {
  await page.keyboard.press('/');
  await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('Search');
  await page.keyboard.press('j'); // typed into the box, not a shortcut
  await expect(page.getByRole('textbox', { name: 'Search' }).inputValue()).resolves.toBe('j');
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  await expect(help.textContent()).resolves.toContain('Next article');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'hidden' });
}

/**
 * Every console error and uncaught page error from now on, as lines for a test to assert empty
 * (a UI that logs an error has a bug even when the screen looks right).
 */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return problems;
}
