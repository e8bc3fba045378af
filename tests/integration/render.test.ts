import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../app/capture/chromium.js';
import { captureInput } from '../../app/capture/pipeline.js';
import { closeRenderer, renderPage } from '../../app/capture/render.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { pngBytes } from '../helpers/image-bytes.js';

const dir = join(import.meta.dirname, '../fixtures/pages/app-shell');
const fixture = (name: string) => readFileSync(join(dir, name));
const gallery = readFileSync(join(import.meta.dirname, '../fixtures/pages/images-gallery/source.html'));

let browser: string | null = null;
try {
  browser = findChromium();
} catch {
  browser = null;
}
if (!browser) console.warn('render tests skipped: no Chrome/Chromium found (set FOLIO_CHROMIUM to run them)');

describe('rendering JavaScript pages', () => {
  let server: FixtureServer;
  let shellUrl: string;

  beforeAll(async () => {
    server = await startFixtureServer({
      '/app-shell/': { body: fixture('source.html') },
      '/app-shell/app.js': { headers: { 'content-type': 'text/javascript' }, body: fixture('app.js') },
      '/app-shell/article.json': { headers: { 'content-type': 'application/json' }, body: fixture('article.json') },
      '/app-shell/images/estuary.png': { headers: { 'content-type': 'image/png' }, body: pngBytes(30, 20, [20, 90, 140]) },
      '/static/article.html': { body: gallery },
      '/download': { headers: { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="x.bin"' }, body: 'binary' },
    });
    shellUrl = server.url('/app-shell/');
  });
  afterAll(async () => {
    await closeRenderer();
    await server.close();
  });

  it('without rendering, an app shell yields next to no text', async () => {
    const { capture } = await captureInput(shellUrl, { render: 'never' });
    expect(capture.rendered).toBe(false);
    expect(capture.extractor).toBe('body');
    expect(capture.text.length).toBeLessThan(200);
    expect(capture.text).not.toContain('estuary');
    expect(server.requests.some((r) => r.path === '/app-shell/article.json')).toBe(false);
  });

  it.skipIf(!browser)('auto renders an app shell in Chromium and extracts the injected article', async () => {
    const { capture, blobs } = await captureInput(shellUrl, { render: 'auto' });
    expect(capture.rendered).toBe(true);
    expect(capture.extractor).toBe('readability');
    expect(capture.title).toBe('How the Estuary Remembers Its Floods');
    expect(capture.text).toContain('Every spring the estuary rewrites itself.');
    expect(capture.text).toContain('agree remarkably well with the sediment cores');
    expect(capture.wordCount).toBeGreaterThan(250);
    // The rendered DOM is what the article came from, so it is what is kept as the original.
    expect(capture.originalHtml).toContain('Core samples taken from the mudflats');
    expect(capture.finalUrl).toBe(shellUrl);
    // The script-inserted image is downloaded by the image stage (the browser skips images).
    expect(capture.images).toEqual([expect.objectContaining({ url: server.url('/app-shell/images/estuary.png'), type: 'image/png' })]);
    expect(blobs).toHaveLength(1);
    expect(capture.html).toMatch(/src="folio-asset:[0-9a-f]{64}"/);
  });

  it.skipIf(!browser)('auto leaves a normal article alone (no browser needed)', async () => {
    const pageLoads = () => server.requests.filter((r) => r.path === '/static/article.html').length;
    const before = pageLoads();
    const { capture } = await captureInput(server.url('/static/article.html'), { render: 'auto' });
    expect(capture.rendered).toBe(false);
    expect(capture.extractor).toBe('readability');
    // Only the static download: a browser render would have loaded the page a second time.
    expect(pageLoads() - before).toBe(1);
  });

  it.skipIf(!browser)('always renders, even a normal article', async () => {
    const { capture } = await captureInput(server.url('/static/article.html'), { render: 'always' });
    expect(capture.rendered).toBe(true);
    expect(capture.text).toContain('The tide was almost full when I reached the harbour wall');
  });

  it.skipIf(!browser)('renderPage returns the DOM after scripts ran, reusing one browser', async () => {
    const first = await renderPage(shellUrl, { timeoutMs: 15_000 });
    expect(first.status).toBe(200);
    expect(first.finalUrl).toBe(shellUrl);
    expect(first.html).toContain('<h1>How the Estuary Remembers Its Floods</h1>');
    expect(first.html).toContain('How the Estuary Remembers Its Floods | Tidewater Journal</title>');
    const second = await renderPage(shellUrl, { timeoutMs: 15_000 });
    expect(second.html).toContain('Every spring the estuary rewrites itself.');
    // After closing, the next render starts a fresh browser.
    await closeRenderer();
    const third = await renderPage(shellUrl, { timeoutMs: 15_000 });
    expect(third.html).toContain('Every spring the estuary rewrites itself.');
  });

  it.skipIf(!browser)('refuses downloads', async () => {
    await expect(renderPage(server.url('/download'), { timeoutMs: 10_000 })).rejects.toMatchObject({
      code: 'RENDER_FAILED',
      message: expect.stringContaining(server.url('/download')),
    });
  });

  it.skipIf(!browser)('a page that never loads ends with TIMEOUT', async () => {
    server.route('/never', () => {
      /* never answers */
    });
    await expect(renderPage(server.url('/never'), { timeoutMs: 800 })).rejects.toMatchObject({ code: 'TIMEOUT', transient: true });
  });

  it('with an unusable browser, auto keeps the static result and says why; always fails', async () => {
    const chromiumPath = '/nonexistent/chromium-for-folio-tests';
    const saved = process.env.FOLIO_CHROMIUM;
    delete process.env.FOLIO_CHROMIUM;
    try {
      const { capture } = await captureInput(shellUrl, { render: 'auto', chromiumPath });
      expect(capture.rendered).toBe(false);
      expect(capture.warnings.join('\n')).toMatch(/almost no text, but the browser path \/nonexistent\/chromium-for-folio-tests does not exist; point it \(or FOLIO_CHROMIUM\)/);
      await expect(captureInput(shellUrl, { render: 'always', chromiumPath })).rejects.toMatchObject({
        code: 'RENDER_FAILED',
        message: expect.stringContaining('FOLIO_CHROMIUM'),
      });
    } finally {
      if (saved !== undefined) process.env.FOLIO_CHROMIUM = saved;
    }
  });
});
