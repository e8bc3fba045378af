import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import type { ArticleDetail, ArticleSummary, ListPage, SearchHit } from '../../app/core/article.js';
import type { QueueStatus, Settings } from '../../app/core/contract.js';
import { checkSearchAndHelpKeys, launchChromium, missingChromiumReason, screenshotOnFailure, watchRequests } from '../helpers/e2e-browser.js';
import { ROOT, missingBuildReason, startFolioServe, type FolioServe } from '../helpers/e2e-serve.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { pngBytes } from '../helpers/image-bytes.js';

// END TO END: the built UI in real Chromium, against the REAL `folio serve` (compiled CLI, child
// process, temp archive), capturing fixture pages from a real local HTTP server. State is checked
// through the UI and, behind its back, through the HTTP API (bearer token) and the `folio` CLI.
// The tests run in order and build on each other's library, like one user session.

const skipReason = missingBuildReason() ?? missingChromiumReason();
if (skipReason) console.warn(`skipping tests/e2e/app-serve.test.ts: ${skipReason}`);

const PAGES = join(ROOT, 'tests', 'fixtures', 'pages');
const page_ = (slug: string) => readFileSync(join(PAGES, slug, 'source.html'), 'utf8');
const GALLERY_TITLE = 'A Winter Walk Along the Harbour Wall';
const BLOG_TITLE = /Bringing a 1962 Pfaff 130 back to life/;
const XSS_TITLE = 'Composting in a small apartment: what actually works';
// 40×30: its naturalWidth in the reader proves the stored bytes, not a placeholder, were decoded.
const PHOTO = pngBytes(40, 30, [30, 110, 170]);

describe.skipIf(skipReason !== null)('Folio end to end (real folio serve, real Chromium)', () => {
  let serve: FolioServe;
  let site: FixtureServer;
  let siteOpen = true;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let requests: { all: string[]; foreign: string[] };

  /** Waits until the queue has nothing pending or running; returns its final status. */
  async function queueSettled(): Promise<QueueStatus> {
    for (let i = 0; i < 200; i++) {
      const status = await serve.api<QueueStatus>('queue.status', {});
      if (status.pending === 0 && status.running === 0) return status;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('captures did not finish within 20 s');
  }
  const listAll = async () => (await serve.api<ListPage<ArticleSummary>>('articles.list', { limit: 100 })).items;
  const idOf = async (title: string | RegExp) => {
    const found = (await listAll()).find((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
    if (!found) throw new Error(`no article titled ${String(title)} in the archive`);
    return found.id;
  };
  /** `folio list --json` on the same archive: one record per line. */
  const cliList = async () =>
    (await serve.cli(['list', '--json', '--limit', '100'])).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: number; title: string; tags: string[]; favorite: boolean; archived: boolean });

  beforeAll(async () => {
    const image = { headers: { 'content-type': 'image/png' }, body: PHOTO };
    site = await startFixtureServer({
      // Its other images 404 here: the capture keeps the article and drops those.
      '/images-gallery/': { body: page_('images-gallery') },
      '/images-gallery/images/photo1.jpg': image,
      '/blog-lazy-images/': { body: page_('blog-lazy-images') },
      '/xss-article/': { body: page_('xss-article') },
      '/xss-article/images/bin.png': image,
    });
    serve = await startFolioServe();
    browser = await launchChromium();
    // Two articles are already in the library when the user arrives (saved from the CLI or a
    // bookmarklet, say); the third is added through the UI by the first test.
    await serve.api('capture.add', { urls: [site.url('/blog-lazy-images/'), site.url('/xss-article/')] });
    const status = await queueSettled();
    expect(status.failed).toBe(0);
    expect(status.saved).toBe(2);
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (siteOpen) await site?.close();
  });

  beforeEach(async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    // Well under the test timeout, so a failing wait reports its own locator.
    page.setDefaultTimeout(10_000);
    requests = await watchRequests(page, serve.origin);
    problems = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  });
  afterEach(async (ctx: TestContext) => {
    await screenshotOnFailure(ctx, page, 'app-serve');
    await page?.context().close();
    // Nothing may leave for another origin, and the app must not log errors (CSP reports included).
    expect(requests.foreign).toEqual([]);
    expect(problems).toEqual([]);
  });

  /** Opens the printed launch address (sets the cookie) and waits for the list. */
  async function openApp(): Promise<void> {
    await page.goto(serve.launchUrl);
    await page.getByRole('listbox', { name: 'Articles' }).getByRole('option').first().waitFor();
    // The token left the address bar in the handshake.
    expect(page.url()).toBe(`${serve.origin}/`);
  }
  const row = (title: string | RegExp) => page.getByRole('listbox', { name: 'Articles' }).getByRole('option', { name: title });
  const reader = (title: string | RegExp) => page.getByRole('article', { name: title });

  it('adds a URL typed into Add URL: progress says Saved and the article appears in the list', async () => {
    await openApp();
    await expect(row(GALLERY_TITLE).count()).resolves.toBe(0);
    const url = site.url('/images-gallery/');
    await page.getByRole('textbox', { name: 'Add URL' }).fill(url);
    await page.getByRole('button', { name: 'Save' }).click();
    // The queue shows the link as Folio stores it (normalised: no trailing slash).
    const progress = page.getByRole('list', { name: 'Capture progress' }).getByRole('listitem').filter({ hasText: site.url('/images-gallery') });
    await progress.getByText('Saved', { exact: true }).waitFor({ timeout: 20_000 });
    await row(GALLERY_TITLE).waitFor();
    await page.getByRole('status').filter({ hasText: /^3 articles$/ }).waitFor();
    // Really stored: the CLI on the same archive lists it, with the page's own title.
    expect((await cliList()).map((a) => a.title)).toContain(GALLERY_TITLE);
    expect(site.requests.some((r) => r.path === '/images-gallery/images/photo1.jpg')).toBe(true);
  });

  it('searches: a result count and a snippet with the term in <mark>', async () => {
    await openApp();
    await page.getByRole('textbox', { name: 'Search' }).fill('cormorant');
    await page.getByRole('status').filter({ hasText: /^1 result$/ }).waitFor();
    const hit = row(GALLERY_TITLE);
    await expect(hit.count()).resolves.toBe(1);
    const marks = await hit.locator('mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect(m.toLowerCase()).toBe('cormorant');
    // The same count the API gives.
    const api = await serve.api<ListPage<SearchHit>>('articles.search', { query: 'cormorant' });
    expect(api.total).toBe(1);
    await page.getByRole('textbox', { name: 'Search' }).fill('zzqxyv');
    await page.getByRole('heading', { name: 'No results for “zzqxyv”' }).waitFor();
  });

  it('reads offline: with the source site stopped, the stored image loads from the bridge', async () => {
    await site.close();
    siteOpen = false;
    const id = await idOf(GALLERY_TITLE);
    const detail = await serve.api<ArticleDetail>('articles.get', { id });
    await openApp();
    await row(GALLERY_TITLE).click();
    const article = reader(GALLERY_TITLE);
    await article.getByText('I waited ten minutes for it to come back').waitFor();
    const img = article.getByRole('img', { name: 'Fishing boats moored in two rows at dawn', exact: true });
    const src = await img.getAttribute('src');
    expect(src).toMatch(/^assets\/[0-9a-f]{64}$/);
    expect(detail.html).toContain(`folio-asset:${src!.slice('assets/'.length)}`);
    await expect.poll(() => img.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(40);
    expect(requests.all).toContain(`${serve.origin}/${src}`);
  });

  it('tags, favorites, archives, deletes and undoes: the UI, the API and the CLI agree', async () => {
    const id = await idOf(BLOG_TITLE);
    await openApp();
    await row(BLOG_TITLE).click();
    const article = reader(BLOG_TITLE);
    await article.waitFor();

    await article.getByRole('textbox', { name: 'Add tag' }).fill('sewing');
    await article.getByRole('textbox', { name: 'Add tag' }).press('Enter');
    await article.getByRole('button', { name: 'Remove tag sewing' }).waitFor();
    await page.getByRole('button', { name: '☆ Favorite' }).click();
    await expect.poll(() => page.getByRole('button', { name: '★ Favorite' }).getAttribute('aria-pressed')).toBe('true');
    const toolbar = page.getByRole('toolbar', { name: 'Article actions' });
    await toolbar.getByRole('button', { name: 'Archive' }).click();
    await expect.poll(() => toolbar.getByRole('button', { name: 'Archived' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => (await serve.api<ArticleDetail>('articles.get', { id })).archived).toBe(true);
    const afterEdits = await serve.api<ArticleDetail>('articles.get', { id });
    expect({ tags: afterEdits.tags, favorite: afterEdits.favorite, archived: afterEdits.archived }).toEqual({ tags: ['sewing'], favorite: true, archived: true });
    const viaCli = (await cliList()).find((a) => a.id === id);
    expect(viaCli).toMatchObject({ tags: ['sewing'], favorite: true, archived: true });
    // The sidebar's tag facet counts it.
    await page.getByRole('navigation', { name: 'Library views' }).getByRole('button', { name: /sewing\s*1/ }).waitFor();

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByText(/^Deleted “Bringing a 1962 Pfaff 130/).waitFor();
    await row(BLOG_TITLE).waitFor({ state: 'detached' });
    expect((await cliList()).some((a) => a.id === id)).toBe(false);
    await page.getByRole('button', { name: 'Undo' }).click();
    await row(BLOG_TITLE).waitFor();
    const restored = (await cliList()).find((a) => a.id === id);
    expect(restored).toMatchObject({ tags: ['sewing'], favorite: true, archived: true });
  });

  it('keyboard: / j k Enter a f Esc ?, each checked against the archive', async () => {
    await openApp();
    const ids = (await listAll()).map((a) => a.id); // newest first, as the list shows them
    expect(ids.length).toBe(3);
    const selected = page.locator('[role="option"][aria-selected="true"]');
    await page.getByRole('listbox', { name: 'Articles' }).focus();
    await page.keyboard.press('j');
    await expect.poll(() => selected.getAttribute('id')).toBe(`article-row-${ids[0]}`);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(() => selected.getAttribute('id')).toBe(`article-row-${ids[2]}`);
    await page.keyboard.press('k');
    await expect.poll(() => selected.getAttribute('id')).toBe(`article-row-${ids[1]}`);
    await page.keyboard.press('Enter');
    const title = (await serve.api<ArticleDetail>('articles.get', { id: ids[1] })).title;
    await reader(title).waitFor();
    const before = await serve.api<ArticleDetail>('articles.get', { id: ids[1] });
    await page.keyboard.press('f');
    await expect.poll(async () => (await serve.api<ArticleDetail>('articles.get', { id: ids[1] })).favorite).toBe(!before.favorite);
    await page.keyboard.press('a');
    await expect.poll(async () => (await serve.api<ArticleDetail>('articles.get', { id: ids[1] })).archived).toBe(!before.archived);
    await page.keyboard.press('Escape');
    await page.getByRole('article').waitFor({ state: 'detached' });
    await checkSearchAndHelpKeys(page);
  });

  it('switches the theme: data-theme changes, is saved in the archive and survives a reload', async () => {
    await openApp();
    const html = page.locator('html');
    const initial = (await serve.api<Settings>('settings.get', {})).theme;
    await expect(html.getAttribute('data-theme')).resolves.toBe(initial);
    await page.locator('summary', { hasText: 'Display' }).click();
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await expect.poll(() => html.getAttribute('data-theme')).toBe('dark');
    await expect.poll(async () => (await serve.api<Settings>('settings.get', {})).theme).toBe('dark');
    await page.reload();
    await page.getByRole('listbox', { name: 'Articles' }).getByRole('option').first().waitFor();
    await expect.poll(() => html.getAttribute('data-theme')).toBe('dark');
    await expect(page.evaluate(() => getComputedStyle(document.body).backgroundColor)).resolves.toBe('rgb(20, 20, 23)');
  });

  it('opens the hostile fixture article (scripts, handlers, SVG, frames…) and runs nothing', async () => {
    await page.addInitScript(() => {
      const w = window as unknown as { __xss: number };
      w.__xss = 0;
      for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
        (window as unknown as Record<string, unknown>)[name] = () => void w.__xss++;
      }
    });
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await openApp();
    await row(XSS_TITLE).click();
    const article = reader(XSS_TITLE);
    await article.getByText('Moisture matters more than anything else.').waitFor();
    await article.getByText('Neither system is hard once the routine is set.').waitFor();
    // Give timers, load/error events and autofocus a moment to fire if anything slipped through.
    await page.mouse.move(700, 400);
    await page.waitForTimeout(300);
    await expect(page.evaluate(() => (window as unknown as { __xss: number }).__xss)).resolves.toBe(0);
    expect(dialogs).toBe(0);
    await expect(article.locator('script, iframe, object, embed, svg, math, form, [onerror], [onload], [style]').count()).resolves.toBe(0);
    expect(page.url()).toBe(`${serve.origin}/`);
  });
});
