import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractArticle } from '../../app/capture/extract.js';
import { createExtractPool } from '../../app/capture/extract-pool.js';
import { captureOptionsFromFlags, parsePositiveInteger, parseRenderMode } from '../../app/capture/capture-options.js';
import { captureInput, looksLikeAppShell, whyRender } from '../../app/capture/pipeline.js';
import { decompressText } from '../../app/store/compress.js';
import type { Extraction } from '../../app/core/types.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { pngBytes } from '../helpers/image-bytes.js';

const pages = join(import.meta.dirname, '../fixtures/pages');
const gallery = readFileSync(join(pages, 'images-gallery/source.html'), 'utf8');
const appShell = readFileSync(join(pages, 'app-shell/source.html'), 'utf8');
const builtChild = join(import.meta.dirname, '../../build/app/capture/extract-child.js');

describe('captureInput over HTTP', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer({
      '/article': { body: gallery.replace('<meta property="og:image" content="images/lead.jpg">', '') },
      '/old-address': { status: 301, headers: { location: '/article' } },
      '/images/photo1.jpg': { headers: { 'content-type': 'image/png' }, body: pngBytes(5, 5) },
      '/paper.pdf': { headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.4' },
      '/hang': () => {
        /* never answers */
      },
    });
  });
  afterAll(() => server.close());

  it('fills every Capture field: input as given, requested and final URL, ISO fetch time, original HTML', async () => {
    const before = Date.now();
    const { capture } = await captureInput(server.url('/old-address'), { render: 'never' });
    expect(capture.input).toBe(server.url('/old-address'));
    expect(capture.url).toBe(server.url('/old-address'));
    expect(capture.finalUrl).toBe(server.url('/article'));
    expect(capture.rendered).toBe(false);
    expect(Date.parse(capture.fetchedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(capture.fetchedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(capture.originalHtml).toContain('<h1>A Winter Walk Along the Harbour Wall</h1>');
    expect(capture.title).toBe('A Winter Walk Along the Harbour Wall');
    expect(capture.byline).toBe('Maren Holt');
    expect(capture.publishedTime).toBe('2024-01-14T08:30:00.000Z');
    // Relative images resolve against the final URL, not the redirecting one.
    expect(server.requests.some((r) => r.path === '/images/photo1.jpg')).toBe(true);
    // No og:image here: the lead image is the first article image, already stored.
    expect(capture.leadImage).toMatch(/^folio-asset:[0-9a-f]{64}$/);
  });

  it('compresses the original for the archive during capture only when asked (compressOriginal)', async () => {
    const plain = await captureInput(server.url('/article'), { render: 'never' });
    expect(plain.capture.originalCompressed).toBeUndefined();
    const { capture } = await captureInput(server.url('/article'), { render: 'never', compressOriginal: true });
    const packed = capture.originalCompressed!;
    expect(packed.codec).toBe('br');
    expect(packed.bytes).toBe(Buffer.byteLength(capture.originalHtml));
    expect(decompressText(packed.codec, packed.data)).toBe(capture.originalHtml);
  });

  it('passes fetch failures through with their codes', async () => {
    await expect(captureInput(server.url('/missing'))).rejects.toMatchObject({ code: 'HTTP_STATUS', message: expect.stringContaining('HTTP 404') });
    await expect(captureInput(server.url('/paper.pdf'))).rejects.toMatchObject({ code: 'UNSUPPORTED_TYPE', message: expect.stringContaining('application/pdf') });
    await expect(captureInput('ftp://example.com/a.html')).rejects.toMatchObject({ code: 'UNSUPPORTED_SCHEME' });
    await expect(captureInput(server.url('/hang'), { fetch: { totalTimeoutMs: 300 } })).rejects.toMatchObject({ code: 'TIMEOUT', transient: true });
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    const pending = captureInput(server.url('/hang'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(captureInput(server.url('/article'), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('uses an injected extractor (e.g. the extraction pool) for every extraction', async () => {
    const seen: string[] = [];
    const extract = (html: string, url: string): Extraction => {
      seen.push(url);
      return extractArticle(html, url);
    };
    const { capture } = await captureInput(server.url('/article'), { render: 'never', extract });
    expect(seen).toEqual([server.url('/article')]);
    expect(capture.extractor).toBe('readability');
  });

  it.skipIf(!existsSync(builtChild))('works with the extraction pool', async () => {
    const pool = createExtractPool({ processes: 1 });
    try {
      const { capture } = await captureInput(server.url('/article'), { render: 'never', extract: pool.extract });
      expect(capture.text).toContain('The tide was almost full');
    } finally {
      await pool.close();
    }
  });
  if (!existsSync(builtChild)) console.warn('worker-pool pipeline test skipped: build/ is missing (run npx tsc -p tsconfig.build.json)');
});

describe('when to render', () => {
  const extraction = (text: string, extractor: Extraction['extractor'] = 'readability'): Extraction =>
    ({ ...extractArticle('<p>x</p>', 'https://example.test/'), text, extractor }) as Extraction;
  const long = 'word '.repeat(600);

  it('renders when extraction failed, found almost nothing, or only a thin <body>', () => {
    expect(whyRender('<p>x', null, null)).toMatch(/could not be extracted/);
    expect(whyRender('<p>x', extraction('short'), null)).toBe('the page as downloaded has almost no text');
    expect(whyRender('<p>x', extraction('a'.repeat(800), 'body'), null)).toBe('the page as downloaded has no recognisable article');
  });

  it('renders app shells unless the static page already has a long article', () => {
    expect(looksLikeAppShell(appShell)).toBe(true);
    expect(whyRender(appShell, extraction('a'.repeat(900)), null)).toBe('the page looks like a JavaScript app shell');
    expect(whyRender(appShell, extraction(long), null)).toBeNull();
  });

  it('leaves ordinary articles alone', () => {
    expect(looksLikeAppShell(gallery)).toBe(false);
    expect(whyRender(gallery, extraction(long), null)).toBeNull();
    expect(whyRender(gallery, extraction('a'.repeat(900), 'json-ld'), null)).toBeNull();
  });

  it('recognises common mount points and script-only bodies', () => {
    expect(looksLikeAppShell('<body><div id="root"></div><script src="/main.js"></script></body>')).toBe(true);
    expect(looksLikeAppShell('<body><div id="__next">  </div><script>1</script></body>')).toBe(true);
    expect(looksLikeAppShell('<body><app-root></app-root><script src=main.js></script></body>')).toBe(true);
    expect(looksLikeAppShell('<body><nav>Home</nav><main></main><script src=x.js></script></body>')).toBe(true);
    // Server-rendered content inside the mount point is not a shell; nor is a page without scripts.
    expect(looksLikeAppShell(`<body><div id="root"><article>${'<p>Real text here. </p>'.repeat(30)}</article></div><script src=x.js></script></body>`)).toBe(false);
    expect(looksLikeAppShell('<body><div id="app"></div></body>')).toBe(false);
  });
});

describe('capture options from flags', () => {
  it('maps CLI flags onto fetch and render options', () => {
    expect(captureOptionsFromFlags({ render: 'never', timeout: 5000, connectTimeout: 1000, maxBytes: 1024 })).toEqual({
      render: 'never',
      fetch: { totalTimeoutMs: 5000, connectTimeoutMs: 1000, maxBytes: 1024 },
      renderTimeoutMs: 5000,
    });
    expect(captureOptionsFromFlags({})).toEqual({ render: 'auto', fetch: {} });
  });

  it('parses render modes and positive integers strictly', () => {
    expect(parseRenderMode(' Always ')).toBe('always');
    expect(() => parseRenderMode('sometimes')).toThrow(/not one of auto, never, always/);
    expect(parsePositiveInteger('--timeout', '250')).toBe(250);
    for (const bad of ['0', '-5', '1.5', '5s', '', '99999999999999999999']) {
      expect(() => parsePositiveInteger('--timeout', bad), bad).toThrow(/--timeout must be a whole number/);
    }
  });
});
