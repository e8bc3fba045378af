import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { QUERY_MIX } from './search-bench.js';
import { round, summarize } from './stats.js';

/**
 * UI: the built interface in Chromium (Playwright) against the real `folio serve` on the bench
 * archive. `first_paint_ms`: navigation start → first row of the article list in the DOM and
 * painted. `keystroke_p95_ms`: the Enter key that sends a query (it flushes the search box's
 * debounce) → the result count shown and the next frame painted, timed inside the page. Baseline
 * in the same run: the same queries through the HTTP API alone (`api_p95_ms`).
 */
export interface UiResult {
  first_paint_ms: number;
  first_paint: ReturnType<typeof summarize>;
  keystroke_p50_ms: number;
  keystroke_p95_ms: number;
  api_p95_ms: number;
  queries: number;
}

const CHROMIUM = process.env.FOLIO_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

/** Why this section cannot run here, or null. */
export function uiSkipReason(): string | null {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}`;
  if (!existsSync(join(ROOT, 'build', 'renderer', 'index.html'))) return 'the renderer is not built (npm run build)';
  return null;
}

async function startServe(dbPath: string): Promise<{ child: ChildProcess; launchUrl: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'folio.js'), 'serve', '--port', '0', '--db', dbPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const launchUrl = await new Promise<string>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`folio serve did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m) {
        clearTimeout(timer);
        done(m[1]!);
      }
    });
    child.on('exit', (code) => fail(new Error(`folio serve exited with ${code}`)));
  });
  return { child, launchUrl };
}

export async function benchUi(dbPath: string, repeats: number): Promise<UiResult> {
  const { child, launchUrl } = await startServe(dbPath);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const paints: number[] = [];
    for (let r = 0; r < Math.max(3, repeats); r++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(launchUrl, { waitUntil: 'commit' });
      await page.getByRole('listbox', { name: 'Articles' }).getByRole('option').first().waitFor({ timeout: 30_000 });
      // Navigation start is the origin of performance.now(); wait one frame for the paint.
      paints.push(await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())))));
      await context.close();
    }

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(launchUrl);
    await page.getByRole('listbox', { name: 'Articles' }).getByRole('option').first().waitFor({ timeout: 30_000 });
    const box = page.getByRole('textbox', { name: 'Search' });
    const keystrokes: number[] = [];
    const api: number[] = [];
    const origin = new URL(launchUrl).origin;
    const token = new URL(launchUrl).searchParams.get('token') ?? '';
    for (let r = 0; r < repeats; r++) {
      for (const { q } of QUERY_MIX) {
        await box.fill(q);
        // Armed before Enter: resolves with the time from the Enter keydown to the frame after
        // the list shows "N result(s)" (or the no-results heading) with nothing pending.
        const timing = page.evaluate(
          () =>
            new Promise<number>((resolveTiming) => {
              const input = document.querySelector('input[aria-label="Search"]')!;
              let start = 0;
              const done = () => {
                const count = document.querySelector('.list-status .count')?.textContent ?? '';
                const empty = [...document.querySelectorAll('h2')].some((h) => h.textContent?.startsWith('No results for'));
                return start > 0 && (/^[\d,]+ results?$/.test(count.trim()) || empty);
              };
              const observer = new MutationObserver(() => {
                if (!done()) return;
                observer.disconnect();
                requestAnimationFrame(() => resolveTiming(performance.now() - start));
              });
              input.addEventListener('keydown', (e) => {
                if ((e as KeyboardEvent).key === 'Enter') start = performance.now();
              }, { once: true, capture: true });
              observer.observe(document.querySelector('.pane-list')!, { subtree: true, childList: true, characterData: true });
            }),
        );
        await page.waitForTimeout(0);
        await box.press('Enter');
        keystrokes.push(await timing);
        const t0 = performance.now();
        const res = await fetch(`${origin}/api/articles.search`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ query: q }),
        });
        await res.text();
        api.push(performance.now() - t0);
        // Back to the library so the next query's count is a change the observer can see.
        await box.fill('');
        await page.locator('.list-status .count').filter({ hasText: /articles?$/ }).waitFor();
      }
    }
    await context.close();
    const p = summarize(paints);
    const k = summarize(keystrokes);
    return {
      first_paint_ms: round(p.median, 1),
      first_paint: p,
      keystroke_p50_ms: round(k.median, 1),
      keystroke_p95_ms: round(k.p95, 1),
      api_p95_ms: round(summarize(api).p95, 1),
      queries: keystrokes.length,
    };
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
