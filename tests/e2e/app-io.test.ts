import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import type { ArticleSummary, ListPage } from '../../app/core/article.js';
import { launchChromium, missingChromiumReason, screenshotOnFailure, collectPageProblems } from '../helpers/e2e-browser.js';
import { missingBuildReason, startFolioServe, type FolioServe } from '../helpers/e2e-serve.js';
import { readZip } from '../integration/export-fixtures.js';

// END TO END: import and export from the built UI in real Chromium against the real
// `folio serve`. Imports go through the file picker and through a drop on the Add pane; the
// export goes through the dialog, its progress bar, and a real browser download. No page is
// fetched (imports leave "Fetch pages now" off), so nothing here needs the network.

const skipReason = missingBuildReason() ?? missingChromiumReason();
if (skipReason) console.warn(`skipping tests/e2e/app-io.test.ts: ${skipReason}`);

const bookmarks = (links: [string, string][]) => `<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
${links.map(([url, title], i) => `    <DT><A HREF="${url}" ADD_DATE="${1700000000 + i}">${title}</A>`).join('\n')}
</DL><p>
`;

describe.skipIf(skipReason !== null)('Folio import and export in the browser (real folio serve, real Chromium)', () => {
  let serve: FolioServe;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let downloads: string;

  beforeAll(async () => {
    serve = await startFolioServe();
    browser = await launchChromium();
    downloads = mkdtempSync(join(tmpdir(), 'folio-e2e-downloads-'));
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });
  beforeEach(async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    problems = collectPageProblems(page);
    await page.goto(serve.launchUrl);
    await page.getByRole('button', { name: 'Import file…' }).waitFor();
  });
  afterEach(async (ctx: TestContext) => {
    await screenshotOnFailure(ctx, page, 'app-io');
    await page?.context().close();
    expect(problems).toEqual([]);
  });

  const row = (title: string) => page.getByRole('listbox', { name: 'Articles' }).getByRole('option', { name: title });
  const titles = async () => (await serve.api<ListPage<ArticleSummary>>('articles.list', { limit: 100 })).items.map((a) => a.title);

  it('imports a Netscape bookmarks file chosen with "Import file…": a summary, then the items in the list', async () => {
    const file = bookmarks([
      ['https://example.com/orchards-of-quince', 'Orchards of quince'],
      ['https://example.com/tidal-mills', 'Tidal mills of Brittany'],
      ['https://example.net/lighthouse-keepers', 'Lighthouse keepers'],
    ]);
    await page.getByLabel('Import file', { exact: true }).setInputFiles({ name: 'bookmarks.html', mimeType: 'text/html', buffer: Buffer.from(file) });
    const imports = page.getByRole('list', { name: 'Imports' });
    await imports.getByRole('status').filter({ hasText: '3 bookmarked' }).waitFor();
    await expect(imports.getByRole('listitem').first().textContent()).resolves.toContain('bookmarks.html');
    // library.changed refreshed the list without a reload.
    for (const title of ['Orchards of quince', 'Tidal mills of Brittany', 'Lighthouse keepers']) await row(title).waitFor();
    expect(await titles()).toEqual(expect.arrayContaining(['Orchards of quince', 'Tidal mills of Brittany', 'Lighthouse keepers']));
  });

  it('imports a file dropped onto the Add pane, and explains a file it cannot read', async () => {
    const file = bookmarks([
      ['https://example.org/salt-marshes', 'Salt marshes at dawn'],
      ['https://example.com/orchards-of-quince', 'Orchards of quince'],
    ]);
    await page.evaluate(
      ([good, bad]) => {
        const zone = document.querySelector('[data-testid="import-drop"]')!;
        for (const [name, text] of [['dropped.html', good], ['notes.txt', bad]] as const) {
          const data = new DataTransfer();
          data.items.add(new File([text], name, { type: name.endsWith('.html') ? 'text/html' : 'text/plain' }));
          zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
          zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
        }
      },
      [file, 'just a few words, no links at all'],
    );
    const imports = page.getByRole('list', { name: 'Imports' });
    // One new link and one already imported by the previous test.
    await imports.getByRole('listitem').filter({ hasText: 'dropped.html' }).getByText('1 bookmarked, 1 duplicate').waitFor();
    await row('Salt marshes at dawn').waitFor();
    const refused = imports.getByRole('listitem').filter({ hasText: 'notes.txt' }).getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/^Nothing imported — .{20,}/);
  });

  it('exports Markdown from the Export dialog: a progress bar, then a download that is a zip with index.md', async () => {
    // Record whether the progress bar ever appears: with a handful of articles it may be brief.
    await page.evaluate(() => {
      const w = window as unknown as { sawProgress: boolean };
      w.sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('progress[aria-label="Export progress"]')) w.sawProgress = true;
      }).observe(document.body, { childList: true, subtree: true, attributes: true });
    });
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export articles' });
    await dialog.getByLabel('Format').selectOption('markdown');
    await dialog.getByRole('radio', { name: 'All articles' }).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const link = dialog.getByRole('link', { name: /^Download folio-\d{4}-\d{2}-\d{2}-markdown\.zip$/ });
    await link.waitFor();
    expect(await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);
    await expect(dialog.getByRole('status').first().textContent()).resolves.toMatch(/Exported 4 articles/);

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/-markdown\.zip$/);
    const saved = join(downloads, download.suggestedFilename());
    await download.saveAs(saved);
    const entries = await readZip(saved);
    const index = entries.find((e) => e.name === 'index.md');
    expect(index, `entries: ${entries.map((e) => e.name).join(', ')}`).toBeDefined();
    const text = index!.data.toString('utf8');
    for (const title of ['Orchards of quince', 'Tidal mills of Brittany', 'Lighthouse keepers', 'Salt marshes at dawn']) expect(text).toContain(title);
    expect(entries.filter((e) => /^[^/]+\/index\.md$/.test(e.name))).toHaveLength(4);
  });
});
