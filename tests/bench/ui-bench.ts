import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { QUERY_MIX } from './search-bench.js';
import { round, summarize } from './stats.js';

/**
 * UI: the built interface in Chromium (Playwright) against the real `folio serve` on the bench
 * archive. Both figures are timed inside the page, on the page's own clock, up to the end of
 * the frame that shows the change: a requestAnimationFrame callback runs BEFORE that frame's
 * style, layout and paint, so the clock is read in the task after it.
 * `first_paint_ms`: navigation start → the frame showing the first article row (an observer
 * installed before any page script, not Playwright's polling, whose round trips are not the
 * user's). `keystroke_p95_ms`: for each query of the mix, its text but the last character is
 * typed and its results are left to settle, then the last character is typed (at least
 * KEY_INTERVAL_MS after the one before, a steady typing pace): that key event
 * (its own timestamp) → the frame showing the full query's result count, nothing pending, and
 * the first result row loaded (or its no-results heading). So whatever the search box waits
 * before asking (a debounce) is inside the figure, as it is for someone typing. Baseline in
 * the same run: the very request the UI sent for each query, replayed through the HTTP API
 * alone (`api_p95_ms`).
 */
export interface UiResult {
  first_paint_ms: number;
  first_paint: ReturnType<typeof summarize>;
  keystroke_p50_ms: number;
  keystroke_p95_ms: number;
  api_p95_ms: number;
  queries: number;
}

/** Time between the last two keystrokes of a query: typing at 60 words (300 characters) a minute. */
const KEY_INTERVAL_MS = 200;

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

/**
 * Runs in the page before any of its scripts (serialised by Playwright, so self-contained):
 * records in window.__folioFirstRowPaint the time the frame showing the first loaded article
 * row finished painting.
 */
function firstRowProbe(): void {
  const w = window as unknown as { __folioFirstRowPaint?: number };
  const observer = new MutationObserver(() => {
    if (!document.querySelector('[role="listbox"][aria-label="Articles"] [role="option"]:not([aria-disabled="true"])')) return;
    observer.disconnect();
    // AFTER_PAINT: the message is handled in the task after the frame's rendering step.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => (w.__folioFirstRowPaint = performance.now());
    requestAnimationFrame(() => channel.port2.postMessage(null));
  });
  observer.observe(document, { subtree: true, childList: true });
}

/**
 * Armed in the page before the text of the search box changes: resolves with the time from
 * the first key or input event after arming (its own timestamp) to the end of the frame that
 * shows `query`'s results, once a search request sent after that event has been answered.
 * Self-contained for the same reason as firstRowProbe.
 */
function timeToResults(query: string): Promise<number> {
  return new Promise<number>((resolveTiming, fail) => {
    const input = document.querySelector('input[aria-label="Search"]')!;
    const pane = document.querySelector('.pane-list')!;
    const giveUp = setTimeout(() => fail(new Error(`ui bench: no settled results for "${query}" within 30 s (the list shows: ${pane.textContent?.slice(0, 200)})`)), 30_000);
    let eventAt = -1;
    const onEvent = (e: Event) => {
      if (eventAt >= 0) return;
      eventAt = e.timeStamp;
      input.removeEventListener('keydown', onEvent, true);
      input.removeEventListener('input', onEvent, true);
    };
    // keydown for keys on the keyboard layout; input alone for text Playwright inserts (CJK).
    input.addEventListener('keydown', onEvent, true);
    input.addEventListener('input', onEvent, true);
    performance.clearResourceTimings(); // the buffer is small, and only newer requests matter
    const settled = () => {
      if (eventAt < 0) return false;
      // Answers to requests sent before the event may be on screen, settled: not the query's.
      const answered = performance
        .getEntriesByType('resource')
        .some((e) => e.startTime >= eventAt && new URL(e.name).pathname.endsWith('/api/articles.search'));
      if (!answered) return false;
      const count = pane.querySelector('.list-status .count')?.textContent?.trim() ?? '';
      if (!/^[\d,]+ results?$/.test(count)) return false; // "· Searching…" means still pending
      if ([...pane.querySelectorAll('h2')].some((h) => h.textContent === `No results for “${query.trim()}”`)) return true;
      // The count alone is not what the user reads: the first row must hold its result too.
      const firstRow = pane.querySelector('[role="listbox"] [role="option"]');
      return firstRow !== null && firstRow.getAttribute('aria-disabled') !== 'true';
    };
    const check = () => {
      if (!settled()) return;
      clearTimeout(giveUp);
      observer.disconnect();
      answers.disconnect();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolveTiming(performance.now() - eventAt);
      requestAnimationFrame(() => channel.port2.postMessage(null));
    };
    const observer = new MutationObserver(check);
    observer.observe(pane, { subtree: true, childList: true, characterData: true, attributes: true });
    // The answer's timing entry may land after the DOM settled: look again then.
    const answers = new PerformanceObserver(check);
    answers.observe({ type: 'resource' });
  });
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
      await context.addInitScript(firstRowProbe);
      const page = await context.newPage();
      await page.goto(launchUrl, { waitUntil: 'commit' });
      // Navigation start (the handshake's, before its redirect) is the origin of performance.now().
      const painted = await page.waitForFunction(() => (window as unknown as { __folioFirstRowPaint?: number }).__folioFirstRowPaint, null, { timeout: 30_000 });
      paints.push((await painted.jsonValue()) as number);
      await context.close();
    }

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(launchUrl);
    await page.getByRole('listbox', { name: 'Articles' }).getByRole('option').first().waitFor({ timeout: 30_000 });
    const box = page.getByRole('textbox', { name: 'Search' });
    // The body of the UI's latest search request, replayed as the API baseline.
    let searchBody: string | null = null;
    page.on('request', (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname.endsWith('/api/articles.search')) searchBody = req.postData();
    });
    const keystrokes: number[] = [];
    const api: number[] = [];
    const origin = new URL(launchUrl).origin;
    const token = new URL(launchUrl).searchParams.get('token') ?? '';
    for (let r = 0; r < repeats; r++) {
      for (const { q } of QUERY_MIX) {
        const chars = [...q];
        const last = chars.pop()!;
        const prefix = chars.join('');
        // The query but its last character, its answer on screen (not timed).
        const prefixSettled = page.evaluate(timeToResults, prefix);
        await page.waitForTimeout(0); // armed before the text changes (Playwright keeps the order)
        await box.fill(prefix);
        const typedAt = performance.now();
        await prefixSettled;
        // The last key comes at least KEY_INTERVAL_MS after the one before, as when typing.
        await page.waitForTimeout(Math.max(0, KEY_INTERVAL_MS - (performance.now() - typedAt)));
        searchBody = null;
        const timing = page.evaluate(timeToResults, q);
        await page.waitForTimeout(0);
        await box.pressSequentially(last);
        keystrokes.push(await timing);
        const body: string = searchBody ?? JSON.stringify({ query: q });
        const t0 = performance.now();
        const res = await fetch(`${origin}/api/articles.search`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        });
        await res.text();
        api.push(performance.now() - t0);
        // Back to the library, so every query starts from the same screen.
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
