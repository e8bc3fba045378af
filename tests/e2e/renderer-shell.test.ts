import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import type { ArticleDetail } from '../../app/core/article.js';
import { checkSearchAndHelpKeys } from '../helpers/e2e-browser.js';
import { pngBytes } from '../helpers/image-bytes.js';
import { startFakeCore, type FakeCore } from './renderer-shell-server.js';

// UI SHELL TEST of the built renderer (build/renderer) in real Chromium, under the real CSP.
// The core is a stand-in (renderer-shell-server.ts) answering from in-test arrays; this checks
// the UI and its wire protocol, not Folio's behaviour. The full end-to-end test runs against
// the real `folio serve`.

const root = resolve(import.meta.dirname, '..', '..');
const rendererDir = join(root, 'build', 'renderer');
const CHROMIUM = '/usr/bin/chromium';
const skipReason = existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM}; the renderer shell test needs it`;
if (skipReason) console.warn(`skipping tests/e2e/renderer-shell.test.ts: ${skipReason}`);

const image = pngBytes(32, 24, [20, 120, 200]);
const SHA = createHash('sha256').update(image).digest('hex');

function article(id: number, over: Partial<ArticleDetail>): ArticleDetail {
  const title = over.title ?? `Article ${id}`;
  return {
    id,
    url: `https://news.example/${id}`,
    finalUrl: `https://news.example/${id}`,
    canonicalUrl: null,
    title,
    byline: null,
    siteName: 'news.example',
    excerpt: null,
    lang: 'en',
    publishedTime: null,
    savedAt: new Date(Date.UTC(2020, 0, 1) + id * 60_000).toISOString(),
    updatedAt: '2025-01-01T00:00:00.000Z',
    wordCount: 300,
    readingMinutes: 2,
    leadImage: null,
    tags: [],
    status: 'captured',
    readingProgress: 0,
    read: false,
    archived: false,
    favorite: false,
    dir: 'ltr',
    html: `<p>${title} body.</p>`,
    text: `${title} body.`,
    extractor: 'readability',
    rendered: false,
    fetchedAt: null,
    images: [],
    ...over,
  };
}

const GENERATED = 5000;
function fixtures(origin: string): ArticleDetail[] {
  // Thousands of rows so the list must virtualise and page; the three named articles are the
  // newest, so they are the first rows.
  const many = Array.from({ length: GENERATED }, (_, i) => article(i + 1, { title: `Generated article ${i + 1}`, siteName: 'bulk.example' }));
  const solarText = 'Solar farms in the Sahara could power Europe. Engineers weigh the cost of long cables.';
  return [
    ...many,
    article(10_001, {
      title: 'Solar power in the Sahara',
      byline: 'Ada Writer',
      siteName: 'energy.example',
      publishedTime: '2024-03-02T10:00:00.000Z',
      savedAt: '2025-05-03T10:00:00.000Z',
      tags: ['energy'],
      text: solarText,
      html:
        `<p>${solarText}</p><figure><img src="folio-asset:${SHA}" alt="A solar farm" width="32" height="24"><figcaption>The farm</figcaption></figure>` +
        '<p>Read <a href="https://example.com/more">more on the grid</a>.</p>',
    }),
    article(8_000, {
      title: 'A very long read',
      savedAt: '2018-01-01T00:00:00.000Z',
      readingProgress: 0.5,
      html: Array.from({ length: 120 }, (_, i) => `<p>Paragraph ${i + 1} of a long article that goes on and on.</p>`).join(''),
    }),
    article(10_002, { title: 'Rust for web developers', siteName: 'code.example', savedAt: '2025-05-02T10:00:00.000Z', tags: ['code'] }),
    article(10_003, { title: 'The history of typography', siteName: 'type.example', savedAt: '2025-05-01T10:00:00.000Z', favorite: true }),
    // Markup the ingest sanitizer would never store, to prove the renderer's own defence: a
    // script, a tracking image on a server we watch, inline handlers and styles, a javascript: link.
    article(9_000, {
      title: 'Hostile markup sample',
      savedAt: '2019-01-01T00:00:00.000Z',
      html:
        `<p>Hostile body text.</p><p><img src="${origin}/tracker.png" alt=""><img src="folio-asset:${SHA}" onerror="window.__pwned=1" alt="dup"></p>` +
        `<script>window.__pwned = 1</script><p><a href="javascript:window.__pwned=1">bad link</a> and <a href="https://example.com/more">good link</a>.</p>` +
        '<p style="color:red" class="x" id="root">Styled paragraph.</p><iframe src="/index.html"></iframe>',
    }),
  ];
}

describe.skipIf(skipReason !== null)('renderer UI shell (stand-in core, real Chromium, real CSP)', () => {
  let browser: Browser;
  let core: FakeCore;
  let page: Page;
  let problems: string[];
  let allowed: RegExp[];

  beforeAll(async () => {
    if (!existsSync(join(rendererDir, 'index.html'))) {
      // The test serves the built bundle; build it if this run has not yet.
      execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    core = await startFakeCore({ rendererDir, articles: [], assets: new Map([[SHA, image]]) });
    core.articles = fixtures(core.origin);
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    problems = [];
    allowed = [];
    // Console errors include CSP violations ("Refused to …"); any of them fails the test.
    page.on('console', (msg) => {
      if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(`console ${msg.type()}: ${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  });
  afterEach(async (ctx: TestContext) => {
    // afterEach runs before onTestFailed, while the page is still open: screenshot failures here.
    if (ctx.task.result?.state === 'fail' && page) {
      mkdirSync(join(root, 'test-results'), { recursive: true });
      const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
      await page.screenshot({ path: join(root, 'test-results', `renderer-shell-${name}.png`), fullPage: true }).catch(() => {});
    }
    await page?.context().close();
    await core?.close();
    expect(problems.filter((p) => !allowed.some((re) => re.test(p)))).toEqual([]);
  });

  const open = async (hash = '') => {
    await page.goto(`${core.origin}/${hash}`);
    await page.getByRole('option', { name: /Solar power in the Sahara/ }).waitFor();
  };
  const rows = () => page.getByRole('listbox', { name: 'Articles' }).getByRole('option');
  const calls = (method: string) => core.calls.filter((c) => c.method === method).map((c) => c.input);

  it('shows search, Add URL + Save, and a virtualised, paged list of titled rows', async () => {
    await open();
    await expect(page.getByRole('textbox', { name: 'Search' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('textbox', { name: 'Add URL' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Save' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('status').filter({ hasText: 'articles' }).textContent()).resolves.toMatch(/5,005 articles/);
    const first3 = await rows().evaluateAll((els) => els.slice(0, 3).map((e) => e.textContent));
    expect(first3[0]).toContain('Solar power in the Sahara');
    expect(first3[1]).toContain('Rust for web developers');
    expect(first3[2]).toContain('The history of typography');
    // Row details: site, tags and state in words.
    await expect(page.getByRole('option', { name: /The history of typography.*Favorite/ }).count()).resolves.toBe(1);
    // Only the rows in view exist in the DOM, not 5003.
    expect(await rows().count()).toBeLessThan(80);
    // Scrolling to the end fetches the page holding the oldest article, on demand.
    await page.getByRole('listbox', { name: 'Articles' }).evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.getByRole('option', { name: /Generated article 1\b/ }).waitFor();
    expect(calls('articles.list').some((i) => (i.offset as number) >= 4900)).toBe(true);
    // Sidebar facets with counts.
    await expect(page.getByRole('navigation', { name: 'Library views' }).getByRole('button', { name: /energy\s*1/ }).count()).resolves.toBe(1);
  });

  it('opens an article: an article landmark with its header, text and offline image', async () => {
    await open();
    await page.getByRole('option', { name: /Solar power in the Sahara/ }).click();
    const reader = page.getByRole('article', { name: 'Solar power in the Sahara' });
    await reader.waitFor();
    await expect(reader.textContent()).resolves.toContain('Engineers weigh the cost of long cables.');
    await expect(reader.textContent()).resolves.toContain('Ada Writer');
    await expect(reader.textContent()).resolves.toMatch(/Published .*2024/);
    const img = reader.getByRole('img', { name: 'A solar farm' });
    await expect(img.getAttribute('src')).resolves.toBe(`assets/${SHA}`);
    // The image really loaded from the assets route (decoded to its 32 px width).
    await expect.poll(() => img.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(32);
    const link = reader.getByRole('link', { name: 'more on the grid' });
    await expect(link.getAttribute('target')).resolves.toBe('_blank');
    await expect(link.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    await expect(reader.getByRole('link', { name: /Original article/ }).getAttribute('href')).resolves.toBe('https://news.example/10001');
    // Opening alone does not mark it read.
    expect(calls('articles.setFlags')).toEqual([]);
  });

  it('neutralises hostile article markup: nothing runs, loads from the network or keeps styles', async () => {
    // Chromium reports inline style/handler attributes while PARSING the HTML (even in DOMPurify's
    // inert document) before they are stripped; those two reports are expected here and only here.
    allowed = [/Applying inline style violates/, /Executing inline event handler violates/];
    await open();
    await page.getByRole('listbox', { name: 'Articles' }).evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.getByRole('option', { name: /Hostile markup sample/ }).click();
    const reader = page.getByRole('article', { name: 'Hostile markup sample' });
    await reader.getByText('Hostile body text.').waitFor();
    await expect(page.evaluate(() => (window as { __pwned?: number }).__pwned)).resolves.toBeUndefined();
    await expect(reader.locator('.article-body').locator('script, iframe, [onerror], [style], [class], [id]').count()).resolves.toBe(0);
    await expect(page.locator('#root').count()).resolves.toBe(1); // the app's own #root is not shadowed
    await expect(reader.getByText('bad link').getAttribute('href')).resolves.toBeNull();
    await expect(reader.getByRole('link', { name: 'good link' }).getAttribute('rel')).resolves.toBe('noopener noreferrer');
    await expect(reader.locator('img[alt="dup"]').getAttribute('src')).resolves.toBe(`assets/${SHA}`);
    await reader.getByText('bad link').click();
    await page.waitForTimeout(100);
    expect(page.url()).toBe(`${core.origin}/`);
    expect(core.paths).not.toContain('/tracker.png');
    // No "Refused to load" CSP report either: the tracker was dropped before it could be requested.
    expect(problems.filter((p) => /Refused to load/.test(p))).toEqual([]);
  });

  it('searches as you type: count, snippets with <mark>, and a clear no-results message', async () => {
    await open();
    const search = page.getByRole('textbox', { name: 'Search' });
    await search.pressSequentially('sahara', { delay: 20 });
    await page.getByRole('status').filter({ hasText: /^1 result\b/ }).waitFor();
    // Polled: on a busy machine the debounce can fire mid-word, and "sah" finds the same article
    // (marked "Sah") until the answer for the whole word arrives.
    const marks = () => page.getByRole('option', { name: /Solar power in the Sahara/ }).locator('mark').allTextContents();
    await expect.poll(marks, { timeout: 5000 }).toEqual(['Sahara']);
    // Debounced: far fewer requests than keystrokes, and the last one is the full query.
    const searches = calls('articles.search').map((i) => i.query);
    expect(searches.length).toBeLessThan(6);
    expect(searches[searches.length - 1]).toBe('sahara');
    await search.fill('zebra crossing');
    await page.getByRole('heading', { name: 'No results for “zebra crossing”' }).waitFor();
  });

  it('never shows an older search answer over a newer one', async () => {
    await open();
    // The first query's answer is held back until after the second query has been answered.
    core.delay = (method, input) => (method === 'articles.search' && input.query === 'solar' ? 1200 : 0);
    const search = page.getByRole('textbox', { name: 'Search' });
    await search.fill('solar');
    await expect.poll(() => calls('articles.search').length).toBe(1);
    await search.fill('solar zebra');
    await page.getByRole('heading', { name: 'No results for “solar zebra”' }).waitFor();
    await page.waitForTimeout(1500); // the stale "solar" answer has now arrived, and must be ignored
    await expect(page.getByRole('heading', { name: 'No results for “solar zebra”' }).isVisible()).resolves.toBe(true);
    await expect(rows().count()).resolves.toBe(0);
  });

  it('restores reading progress, saves it while scrolling, and marks read at the end', async () => {
    await open();
    await page.getByRole('listbox', { name: 'Articles' }).evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.getByRole('option', { name: /A very long read/ }).click();
    await page.getByRole('article', { name: 'A very long read' }).waitFor();
    const scroller = page.locator('.reader-scroll');
    const fraction = () => scroller.evaluate((el) => el.scrollTop / (el.scrollHeight - el.clientHeight));
    expect(Math.abs((await fraction()) - 0.5)).toBeLessThan(0.02);
    expect(calls('articles.setFlags')).toEqual([]); // opened but not read yet
    await scroller.hover();
    for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 800);
    await expect.poll(fraction).toBeGreaterThan(0.99);
    await expect.poll(() => calls('articles.setFlags'), { timeout: 5000 }).toEqual([{ ids: [8_000], read: true }]);
    await expect.poll(() => calls('articles.setProgress').at(-1), { timeout: 5000 }).toEqual({ id: 8_000, progress: 1 });
    // Throttled: far fewer saves than scroll events.
    expect(calls('articles.setProgress').length).toBeLessThan(6);
  });

  it('keyboard: j/k move, Enter opens, Esc closes, / focuses search, ? opens the help dialog', async () => {
    await open();
    await page.locator('body').click({ position: { x: 5, y: 890 } }).catch(() => {});
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    const selected = page.locator('[role="option"][aria-selected="true"]');
    await expect(selected.textContent()).resolves.toContain('Solar power in the Sahara');
    await page.keyboard.press('j');
    await expect(selected.textContent()).resolves.toContain('Rust for web developers');
    await page.keyboard.press('Enter');
    await page.getByRole('article', { name: 'Rust for web developers' }).waitFor();
    await page.keyboard.press('f');
    await expect.poll(() => calls('articles.setFlags')).toEqual([{ ids: [10_002], favorite: true }]);
    await page.keyboard.press('Escape');
    await page.getByRole('article').waitFor({ state: 'detached' });
    await checkSearchAndHelpKeys(page);
  });

  it('theme switch sets data-theme on <html> and persists through settings.set', async () => {
    await open();
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('system');
    await page.locator('summary', { hasText: 'Display' }).click();
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(20, 20, 23)');
    await expect.poll(() => calls('settings.set')).toEqual([{ theme: 'dark' }]);
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('sepia');
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('sepia');
    await expect.poll(() => core.settings.theme).toBe('sepia');
    await page.reload();
    await rows().first().waitFor();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('sepia');
  });

  it('Add URL + Save shows live progress, the failure in words, and Retry', async () => {
    await open();
    await expect.poll(() => core.paths.includes('/api/events')).toBe(true); // progress arrives as events
    await page.getByRole('textbox', { name: 'Add URL' }).fill('https://unreachable.example/post');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText("Couldn't look up the address of https://unreachable.example/post").waitFor();
    expect(calls('capture.add')).toEqual([{ urls: ['https://unreachable.example/post'] }]);
    await expect(page.getByRole('textbox', { name: 'Add URL' }).inputValue()).resolves.toBe('');
    await page.getByRole('button', { name: 'Retry https://unreachable.example/post' }).click();
    await page.getByRole('list', { name: 'Capture progress' }).getByText('Saved').waitFor();
    expect(calls('queue.retry')).toEqual([{ jobIds: [100] }]);
  });

  it('honours #add=<url> from the bookmarklet: saves it and clears the fragment', async () => {
    await open('#add=https%3A%2F%2Fblog.example%2Fa%3Fx%3D1');
    await expect.poll(() => calls('capture.add')).toEqual([{ urls: ['https://blog.example/a?x=1'] }]);
    await expect(page.evaluate(() => location.hash)).resolves.toBe('');
  });

  it('delete offers Undo, which restores the article', async () => {
    await open();
    await page.getByRole('option', { name: /The history of typography/ }).click();
    await page.getByRole('article', { name: 'The history of typography' }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('option', { name: /The history of typography/ }).waitFor({ state: 'detached' });
    await page.getByText('Deleted “The history of typography”').waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('option', { name: /The history of typography/ }).waitFor();
    expect(calls('articles.delete')).toEqual([{ ids: [10_003] }]);
    expect(calls('articles.restore')).toEqual([{ ids: [10_003] }]);
  });

  it('edits tags inline and marks read only on request', async () => {
    await open();
    await page.getByRole('option', { name: /Rust for web developers/ }).click();
    const reader = page.getByRole('article', { name: 'Rust for web developers' });
    await reader.getByRole('textbox', { name: 'Add tag' }).fill('later');
    await reader.getByRole('textbox', { name: 'Add tag' }).press('Enter');
    await expect.poll(() => calls('articles.setTags')).toEqual([{ id: 10_002, tags: ['code', 'later'] }]);
    await reader.getByRole('button', { name: 'Remove tag code' }).click();
    await expect.poll(() => calls('articles.setTags').length).toBe(2);
    expect(calls('articles.setTags')[1]).toEqual({ id: 10_002, tags: ['later'] });
    await page.getByRole('button', { name: 'Mark read' }).click();
    await expect.poll(() => calls('articles.setFlags')).toEqual([{ ids: [10_002], read: true }]);
    await expect(page.getByRole('option', { name: /Rust for web developers/ }).textContent()).resolves.not.toContain('Unread');
  });

  it('collapses to one pane with Back at narrow widths (as at 200 % zoom)', async () => {
    await page.setViewportSize({ width: 640, height: 800 });
    await open();
    await expect(page.getByRole('textbox', { name: 'Add URL' }).isVisible()).resolves.toBe(false);
    await page.getByRole('option', { name: /Rust for web developers/ }).click();
    await page.getByRole('article', { name: 'Rust for web developers' }).waitFor();
    await expect(page.getByRole('listbox', { name: 'Articles' }).isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Back to the list' }).click();
    await page.getByRole('listbox', { name: 'Articles' }).waitFor();
    await page.getByRole('button', { name: /^Menu/ }).click();
    await expect(page.getByRole('textbox', { name: 'Add URL' }).isVisible()).resolves.toBe(true);
  });

  it('an empty library tells a new user what to do', async () => {
    core.articles = [];
    await page.goto(`${core.origin}/`);
    await page.getByRole('heading', { name: 'Your library is empty' }).waitFor();
    await expect(page.getByText(/Paste a link in Add URL and press Save/).count()).resolves.toBe(1);
    // A capture finishing elsewhere (CLI, bookmarklet) arrives as a library.changed event.
    core.articles = [article(1, { title: 'First saved article' })];
    await expect.poll(() => core.paths.includes('/api/events')).toBe(true);
    core.push('library.changed', { ids: [1] });
    await page.getByRole('option', { name: /First saved article/ }).waitFor();
    await expect(page.getByRole('heading', { name: 'Your library is empty' }).count()).resolves.toBe(0);
  });

  it("shows a \"can't reach Folio\" banner when the core stops answering", async () => {
    await open();
    // The browser logs the failed requests themselves; that is the situation under test.
    allowed = [/Failed to load resource/, /ERR_EMPTY_RESPONSE|ERR_CONNECTION/];
    core.down = true;
    await page.getByRole('button', { name: 'Favorites' }).click();
    await page.getByRole('alert').filter({ hasText: "The Folio server or app isn't answering" }).waitFor();
    // What was on screen stays, and the list pane explains the failure in words.
    await page.getByText(/connection to the Folio server failed/).first().waitFor();
  });
});
