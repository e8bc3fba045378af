import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import type { ListPage, SearchHit } from '../../app/core/article.js';
import type { QueueStatus } from '../../app/core/contract.js';
import { launchChromium, missingChromiumReason, screenshotOnFailure, collectPageProblems } from '../helpers/e2e-browser.js';
import { missingBuildReason, startFolioServe, type FolioServe } from '../helpers/e2e-serve.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

// END TO END, the search path between a keystroke and the rows on screen: the built UI in real
// Chromium against the REAL `folio serve` (compiled CLI, temp archive) holding 40 articles
// captured from a local HTTP server. Answers are never invented: where a test needs an answer
// to arrive late, the browser holds back the bridge's own answer (Playwright route.fetch).

const skipReason = missingBuildReason() ?? missingChromiumReason();
if (skipReason) console.warn(`skipping tests/e2e/search-as-you-type.test.ts: ${skipReason}`);

const ARTICLES = 40;
/** Every article mentions the lighthouse; these few also mention a lantern. */
const WITH_LANTERN = new Set([7, 19, 33]);
const TAG = 'coast';

function articlePage(n: number): string {
  const lantern = WITH_LANTERN.has(n) ? ' A brass lantern hung by the door of the keeper\u2019s cottage.' : '';
  const paragraph = (k: number) =>
    `<p>Walk number ${n}, part ${k}: the path follows the cliff edge past the old lighthouse, then drops to a shingle ` +
    `beach where the tide leaves rock pools full of anemones and small crabs. Gulls circle the headland all day.${k === 2 ? lantern : ''}</p>`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Coastal walk ${n}</title></head><body>` +
    `<article><h1>Coastal walk ${n}</h1>${[1, 2, 3, 4].map(paragraph).join('')}</article></body></html>`
  );
}

describe.skipIf(skipReason !== null)('search as you type (real folio serve, real Chromium)', () => {
  let serve: FolioServe;
  let site: FixtureServer;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    const routes = Object.fromEntries(Array.from({ length: ARTICLES }, (_, i) => [`/walk/${i + 1}/`, { body: articlePage(i + 1) }]));
    site = await startFixtureServer(routes);
    serve = await startFolioServe();
    browser = await launchChromium();
    await serve.api('capture.add', { urls: Array.from({ length: ARTICLES }, (_, i) => site.url(`/walk/${i + 1}/`)), tags: [TAG] });
    let status: QueueStatus | null = null;
    for (let i = 0; i < 600; i++) {
      status = await serve.api<QueueStatus>('queue.status', {});
      if (status.pending === 0 && status.running === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status?.saved).toBe(ARTICLES);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await site?.close();
  });

  beforeEach(async () => {
    // A fixed window: one screen of search rows is well under a page of answers.
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    problems = collectPageProblems(page);
  });
  afterEach(async (ctx: TestContext) => {
    await screenshotOnFailure(ctx, page, 'search-as-you-type');
    await page?.context().close();
    expect(problems).toEqual([]);
  });

  async function openApp(): Promise<void> {
    await page.goto(serve.launchUrl);
    await list().getByRole('option').first().waitFor();
  }
  const list = () => page.getByRole('listbox', { name: 'Articles' });
  const box = () => page.getByRole('textbox', { name: 'Search' });
  /** The list's result count (the toast area is a status region too). */
  const status = () => page.getByRole('region', { name: 'Article list' }).getByRole('status');
  const isSearch = (r: Request) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/articles.search';
  /** The queries of the search requests the page sends, in order. */
  function watchSearches(): { query: string; offset?: number; limit?: number }[] {
    const sent: { query: string; offset?: number; limit?: number }[] = [];
    page.on('request', (r) => {
      if (isSearch(r)) sent.push(r.postDataJSON() as { query: string; offset?: number; limit?: number });
    });
    return sent;
  }
  const resultCount = (n: number) => new RegExp(`^${n} results?$`);

  it('searches the first keystroke after a pause at once, and holds a burst of quick keystrokes until typing pauses', async () => {
    // The page's timers run only when the test says so: "quick" and "a pause" are exact here.
    await page.clock.install();
    await openApp();
    const sent = watchSearches();
    await page.clock.pauseAt(Date.now() + 60_000);

    await box().pressSequentially('lantern'); // seven keystrokes, no time passing between them
    // The first one went out without waiting for any timer; the other six are held.
    await expect.poll(() => sent.map((s) => s.query)).toEqual(['l']);
    const forL = await serve.api<ListPage<SearchHit>>('articles.search', { query: 'l' });
    await status().filter({ hasText: forL.total === 0 ? /^0 results$/ : resultCount(forL.total) }).waitFor();
    expect(sent.map((s) => s.query)).toEqual(['l']);

    // Typing pauses for the burst window: only the last text of the burst is searched.
    await page.clock.runFor(100);
    await expect.poll(() => sent.map((s) => s.query)).toEqual(['l', 'lantern']);
    await status().filter({ hasText: resultCount(WITH_LANTERN.size) }).waitFor();
    const titles = await list().getByRole('option').locator('.row-title').allTextContents();
    expect(titles.sort()).toEqual([...WITH_LANTERN].map((n) => `Coastal walk ${n}`).sort());
    for (const mark of await list().locator('mark').allTextContents()) expect(mark.toLowerCase()).toBe('lantern');

    // After that pause, the next keystroke is searched at once again.
    await box().press('Backspace');
    await expect.poll(() => sent.map((s) => s.query)).toEqual(['l', 'lantern', 'lanter']);
  });

  /**
   * Holds the bridge's real answers to searches for `query` in the browser until `release()`;
   * `delivered` resolves once the held answer has been handed to the page.
   */
  async function holdAnswersTo(query: string): Promise<{ release(): void; delivered: Promise<void> }> {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let done!: () => void;
    const delivered = new Promise<void>((r) => (done = r));
    await page.route('**/api/articles.search', async (route) => {
      const response = await route.fetch();
      if ((route.request().postDataJSON() as { query: string }).query !== query) return route.fulfill({ response });
      await held;
      await route.fulfill({ response });
      done();
    });
    return { release, delivered };
  }
  /** Two frames after now: whatever the page was handed before has been rendered. */
  const twoFrames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const lanternTitles = () => [...WITH_LANTERN].map((n) => `Coastal walk ${n}`).sort();

  it('sends a query typed while another is being answered only once that answer is in, skipping stale ones', async () => {
    await openApp();
    const lighthouse = await holdAnswersTo('lighthouse');
    const sent = watchSearches();
    await box().fill('lighthouse');
    await expect.poll(() => sent.map((s) => s.query)).toEqual(['lighthouse']);
    await box().fill('lamp');
    await box().fill('lantern');
    // Well past the burst window: with "lighthouse" unanswered, nothing else has gone out.
    await page.waitForTimeout(500);
    expect(sent.map((s) => s.query)).toEqual(['lighthouse']);

    lighthouse.release();
    await lighthouse.delivered;
    // Then only the latest text is searched ("lamp" was replaced before it could be sent).
    await status().filter({ hasText: resultCount(WITH_LANTERN.size) }).waitFor();
    expect(sent.map((s) => s.query)).toEqual(['lighthouse', 'lantern']);
    const titles = await list().getByRole('option').locator('.row-title').allTextContents();
    expect(titles.sort()).toEqual(lanternTitles());
  });

  it('never lets a late search answer replace the newer screen (the library, once the box is cleared)', async () => {
    await openApp();
    const lighthouse = await holdAnswersTo('lighthouse');
    const sent = watchSearches();
    await box().fill('lighthouse');
    await expect.poll(() => sent.map((s) => s.query)).toEqual(['lighthouse']);
    await box().fill('');
    await status().filter({ hasText: new RegExp(`^${ARTICLES} articles$`) }).waitFor();

    lighthouse.release();
    await lighthouse.delivered;
    await twoFrames();
    await expect(status().textContent()).resolves.toBe(`${ARTICLES} articles`);
    await expect(list().getByRole('option').locator('mark').count()).resolves.toBe(0); // no search rows
    await expect(box().inputValue()).resolves.toBe('');
  });

  it('answers a search with one screen of hits; rows further down load, with snippets, as they scroll into view', async () => {
    await openApp();
    const sent = watchSearches();
    const first = page.waitForResponse((r) => isSearch(r.request()));
    await box().fill('lighthouse');
    const firstPage = ((await (await first).json()) as { value: ListPage<SearchHit> }).value;
    await status().filter({ hasText: resultCount(ARTICLES) }).waitFor();
    // The first answer carries fewer hits (and snippets) than the search found.
    expect(firstPage.total).toBe(ARTICLES);
    expect(firstPage.items.length).toBeLessThan(ARTICLES);
    expect(firstPage.items.length).toBeGreaterThanOrEqual(await list().getByRole('option').count());

    // Scrolled to the end, the last row is filled in from a later request.
    await list().evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const lastRow = list().locator(`[role="option"][aria-posinset="${ARTICLES}"]`);
    // It is the same hit, with the same snippet, that the API has at that position (the row reads
    // "Loading…" until its page of results arrives, so wait for the title rather than the row).
    const api = await serve.api<ListPage<SearchHit>>('articles.search', { query: 'lighthouse', offset: ARTICLES - 1, limit: 1 });
    await lastRow.locator('.row-title', { hasText: api.items[0]!.title }).waitFor();
    await expect(lastRow.locator('.row-title').textContent()).resolves.toBe(api.items[0]!.title);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.slice(1).every((s) => s.query === 'lighthouse' && (s.offset ?? 0) > 0)).toBe(true);
    const marks = await lastRow.locator('mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const mark of marks) expect(mark.toLowerCase()).toBe('lighthouse');
  });

  it('asks for the first list page before the sidebar counts, and still shows the tags and sites', async () => {
    const events: string[] = [];
    const name = (r: Request) => new URL(r.url()).pathname.replace(/^\/api\//, '');
    page.on('request', (r) => {
      if (r.url().includes('/api/') && r.method() === 'POST') events.push(`sent ${name(r)}`);
    });
    page.on('requestfinished', (r) => {
      if (r.url().includes('/api/') && r.method() === 'POST') events.push(`answered ${name(r)}`);
    });
    await openApp();
    const sidebarTag = page.getByRole('button', { name: new RegExp(`^${TAG}\\b`) });
    await sidebarTag.waitFor();
    // Counting tags and sites over a big archive is slow, and the core answers one request at a
    // time: asked for together, they held the first rows back.
    const listAnswered = events.indexOf('answered articles.list');
    expect(listAnswered).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('sent tags.list')).toBeGreaterThan(listAnswered);
    expect(events.indexOf('sent sites.list')).toBeGreaterThan(listAnswered);
    await expect(sidebarTag.textContent()).resolves.toContain(String(ARTICLES));
    const [site] = await serve.api<{ site: string; count: number }[]>('sites.list', {});
    const sidebarSite = page.getByRole('button', { name: `${site!.site} ${site!.count}` });
    await expect(sidebarSite.count()).resolves.toBe(1);
    expect(site!.count).toBe(ARTICLES);
  });

  it('says why results of words in every article are newest first, and not when relevance ranks them', async () => {
    await openApp();
    const note = () => page.getByRole('region', { name: 'Article list' }).locator('.order-note');
    await box().fill('lighthouse'); // in all 40 articles: nothing for relevance to rank by
    await status().filter({ hasText: resultCount(ARTICLES) }).waitFor();
    await note().waitFor();
    await expect(note().textContent()).resolves.toMatch(/^Newest first: every word searched for is in most articles \(add sort:relevance/);
    await box().fill('lantern'); // in 3 of them: ranked
    await status().filter({ hasText: resultCount(WITH_LANTERN.size) }).waitFor();
    await expect(note().count()).resolves.toBe(0);
    await box().fill('lighthouse sort:relevance'); // ranked anyway, as the note says
    await status().filter({ hasText: resultCount(ARTICLES) }).waitFor();
    await expect(note().count()).resolves.toBe(0);
  });
});
