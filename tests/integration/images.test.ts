import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localizeImages } from '../../app/capture/images.js';
import { SVG_REFUSED_REASON } from '../../app/capture/image-sniff.js';
import { captureInput } from '../../app/capture/pipeline.js';
import type { Capture, CapturedImage, ImageBlob } from '../../app/core/types.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { dataUri, gifBytes, jpegBytes, pngBytes, webpBytes } from '../helpers/image-bytes.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const gallery = readFileSync(join(import.meta.dirname, '../fixtures/pages/images-gallery/source.html'));

// Each served with a misleading Content-Type: the stored type must come from the bytes.
const photo = pngBytes(16, 12, [200, 40, 40]);
const lead = pngBytes(10, 10, [10, 20, 30]);
const doorGif = gifBytes(12, 9, [90, 60, 30]);
const huge = new Uint8Array(Buffer.concat([pngBytes(8, 8), randomBytes(60_000)]));
const inlineGif = Buffer.from('R0lGODlhCAAIAIAAAB5ayAAAACwAAAAACAAIAAACJQQIECBAgAABAgQIECBAgAABAgQIECBAgAABAgQIECBAgAABAgUAOw==', 'base64');

function byUrl(images: CapturedImage[], suffix: string): CapturedImage {
  const found = images.find((i) => i.url.endsWith(suffix));
  if (!found) throw new Error(`no image record ending in ${suffix}: ${images.map((i) => i.url).join(', ')}`);
  return found;
}

describe('offline images through the capture pipeline', () => {
  let server: FixtureServer;
  let pageUrl: string;
  let capture: Capture;
  let blobs: ImageBlob[];

  beforeAll(async () => {
    server = await startFixtureServer({
      '/gallery/index.html': { body: gallery },
      '/gallery/images/photo1.jpg': { headers: { 'content-type': 'image/jpeg' }, body: photo },
      '/gallery/images/photo1-copy.jpg': { headers: { 'content-type': 'image/jpeg' }, body: photo },
      '/gallery/images/small.gif': { headers: { 'content-type': 'image/gif' }, body: gifBytes(4, 4) },
      '/gallery/images/large.webp': { headers: { 'content-type': 'application/octet-stream' }, body: webpBytes() },
      '/gallery/images/pic.webp': { headers: { 'content-type': 'image/webp' }, body: webpBytes() },
      '/gallery/images/pic-2x.jpg': { headers: { 'content-type': 'text/plain' }, body: jpegBytes() },
      '/gallery/images/pic-fallback.png': { headers: { 'content-type': 'image/png' }, body: pngBytes(5, 5) },
      '/gallery/images/fake.png': { headers: { 'content-type': 'image/png' }, body: '<!DOCTYPE html><html><body><h1>Oops</h1></body></html>' },
      '/gallery/images/huge.png': { headers: { 'content-type': 'image/png' }, body: huge },
      '/gallery/images/logo.svg': {
        headers: { 'content-type': 'image/svg+xml' },
        body: '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>',
      },
      '/gallery/images/museum-door.png': { headers: { 'content-type': 'image/png' }, body: doorGif },
      '/gallery/images/lead.jpg': { headers: { 'content-type': 'image/jpeg' }, body: lead },
    });
    pageUrl = server.url('/gallery/index.html');
    ({ capture, blobs } = await captureInput(pageUrl, { render: 'never', images: { perImageMaxBytes: 20_000 } }));
  });
  afterAll(() => server.close());

  it('keeps the article and stores each image with the type sniffed from its bytes', () => {
    expect(capture.extractor).toBe('readability');
    expect(capture.text).toContain('The tide was almost full when I reached the harbour wall');
    expect(byUrl(capture.images, '/photo1.jpg')).toEqual({ url: server.url('/gallery/images/photo1.jpg'), sha256: sha(photo), type: 'image/png', bytes: photo.length });
    expect(byUrl(capture.images, '/large.webp')).toMatchObject({ sha256: sha(webpBytes()), type: 'image/webp' });
    expect(byUrl(capture.images, '/pic-2x.jpg')).toMatchObject({ sha256: sha(jpegBytes()), type: 'image/jpeg' });
    expect(byUrl(capture.images, '/museum-door.png')).toMatchObject({ sha256: sha(doorGif), type: 'image/gif' });
  });

  it('takes the largest srcset candidate and the best <picture> source, never the smaller ones', () => {
    const paths = server.requests.map((r) => r.path);
    expect(paths).toContain('/gallery/images/large.webp');
    expect(paths).not.toContain('/gallery/images/small.gif');
    expect(paths).toContain('/gallery/images/pic-2x.jpg');
    expect(paths).not.toContain('/gallery/images/pic-fallback.png');
  });

  it('decodes and hashes an inline data: image', () => {
    const inline = capture.images.find((i) => i.url.startsWith('data:image/gif'));
    expect(inline).toEqual({ url: 'data:image/gif;base64,…', sha256: sha(inlineGif), type: 'image/gif', bytes: inlineGif.length });
  });

  it('records failures with reasons while the article succeeds', () => {
    expect(byUrl(capture.images, '/missing.png')).toEqual({ url: server.url('/gallery/images/missing.png'), error: expect.stringMatching(/HTTP 404/) });
    expect(byUrl(capture.images, '/fake.png')).toMatchObject({ error: 'not an image (text/html)' });
    expect(byUrl(capture.images, '/huge.png')).toMatchObject({ error: expect.stringMatching(/larger than the 19\.5 KB per-image limit/) });
    expect(byUrl(capture.images, '/logo.svg')).toMatchObject({ error: SVG_REFUSED_REASON });
    expect(capture.warnings).toContain(`4 of ${capture.images.length} image(s) could not be saved (see images for reasons)`);
  });

  it('stores identical bytes once, downloads a repeated URL once', () => {
    expect(byUrl(capture.images, '/photo1-copy.jpg')).toMatchObject({ sha256: sha(photo) });
    const hashes = blobs.map((b) => b.sha256);
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(hashes.filter((h) => h === sha(photo))).toHaveLength(1);
    expect(server.requests.filter((r) => r.path === '/gallery/images/photo1.jpg')).toHaveLength(1);
    for (const blob of blobs) expect(sha(blob.data)).toBe(blob.sha256);
    const stored = capture.images.filter((i): i is Extract<CapturedImage, { sha256: string }> => 'sha256' in i);
    expect(new Set(hashes)).toEqual(new Set(stored.map((i) => i.sha256)));
  });

  it('sends the page URL as Referer with every image request', () => {
    const imageRequests = server.requests.filter((r) => r.path.startsWith('/gallery/images/'));
    expect(imageRequests.length).toBeGreaterThanOrEqual(10);
    for (const r of imageRequests) expect(r.headers.referer).toBe(pageUrl);
  });

  it('rewrites the HTML so nothing loads from the network', () => {
    expect(capture.html).not.toMatch(/\ssrc="(https?:|data:)/);
    expect(capture.html).not.toMatch(/srcset=/);
    expect(capture.html).not.toMatch(/<(picture|source)\b/);
    const srcs = [...capture.html.matchAll(/<img\b[^>]*>/g)].map((m) => m[0]);
    expect(srcs.length).toBe(11);
    const assets = srcs.filter((tag) => /src="folio-asset:[0-9a-f]{64}"/.test(tag));
    expect(assets).toHaveLength(7);
    expect(capture.html).toContain(`src="folio-asset:${sha(photo)}"`);
    const missing = srcs.filter((tag) => tag.includes('data-folio-missing'));
    expect(missing).toHaveLength(4);
    expect(missing.join('\n')).toContain(`data-folio-missing="${server.url('/gallery/images/missing.png')}"`);
    // The author's alt text stays, so the reader shows it in place of the picture.
    expect(missing.join('\n')).toContain('alt="An error page pretending to be a picture"');
    for (const tag of missing) expect(tag).not.toMatch(/\ssrc=/);
  });

  it('stores the lead image too and reports it', () => {
    expect(capture.leadImage).toBe(`folio-asset:${sha(lead)}`);
    expect(byUrl(capture.images, '/lead.jpg')).toMatchObject({ sha256: sha(lead), type: 'image/png' });
    expect(blobs.some((b) => b.sha256 === sha(lead))).toBe(true);
  });
});

describe('localizeImages', () => {
  let server: FixtureServer;
  let inFlight = 0;
  let maxInFlight = 0;

  beforeAll(async () => {
    server = await startFixtureServer();
    for (let i = 0; i < 6; i++) {
      const body = pngBytes(20 + i, 20, [i * 30, 100, 100]);
      server.route(`/slow/${i}.png`, async (_req, res) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 60));
        inFlight--;
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(body);
      });
    }
    server.route('/hang.png', () => {
      /* never answers */
    });
    for (let i = 0; i < 3; i++) server.route(`/budget/${i}.png`, { headers: { 'content-type': 'image/png' }, body: Buffer.concat([pngBytes(4, 4, [i, 0, 0]), Buffer.alloc(3000)]) });
    server.route('/ok.png', { headers: { 'content-type': 'image/png' }, body: pngBytes(7, 7) });
  });
  afterAll(() => server.close());

  it('downloads with bounded concurrency, and a hanging image times out without failing the rest', async () => {
    const html = [0, 1, 2, 3, 4, 5].map((i) => `<p><img src="/slow/${i}.png" alt="slow ${i}"></p>`).join('') + '<img src="/hang.png">';
    const result = await localizeImages(html, server.url('/post'), { referer: server.url('/post'), concurrency: 2, timeoutMs: 400 });
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(maxInFlight).toBe(2);
    expect(result.images.filter((i) => 'sha256' in i)).toHaveLength(6);
    expect(result.images.find((i) => i.url.endsWith('/hang.png'))).toMatchObject({ error: expect.stringMatching(/no complete answer within 400 ms/) });
    // A failed image without alt text gets one, so the reader shows something in its place.
    expect(result.html).toContain('<img data-folio-missing="' + server.url('/hang.png') + '" alt="(image not saved)">');
  });

  it('admits images in document order until the per-article budget is spent', async () => {
    const html = [0, 1, 2].map((i) => `<img src="/budget/${i}.png" alt="b${i}">`).join('');
    // Each image is ~3.1 KB: two fit in 7000 bytes, the third does not.
    const result = await localizeImages(html, server.url('/post'), { referer: '', perArticleMaxBytes: 7000, concurrency: 3 });
    expect(result.images.map((i) => ('sha256' in i ? 'stored' : i.error))).toEqual([
      'stored',
      'stored',
      "skipped: the article's 6.8 KB image budget is used up",
    ]);
    expect(result.blobs).toHaveLength(2);
    expect(result.html.match(/folio-asset:/g)).toHaveLength(2);
  });

  it('falls back to src when the best srcset candidate fails', async () => {
    const result = await localizeImages('<img src="/ok.png" srcset="/gone-1200.png 1200w, /ok.png 300w">', server.url('/post'), { referer: '' });
    expect(result.images).toEqual([{ url: server.url('/ok.png'), sha256: sha(pngBytes(7, 7)), type: 'image/png', bytes: pngBytes(7, 7).length }]);
    expect(result.html).toBe(`<img src="folio-asset:${sha(pngBytes(7, 7))}">`);
  });

  it('collapses <picture> into its <img>, using the source when the img has no src', async () => {
    const html = '<picture><source media="(min-width: 1px)" srcset="/none.webp 1x"><source srcset="/ok.png 1x, /none.png 0.5x"><img alt="pic"></picture>';
    const result = await localizeImages(html, server.url('/post'), { referer: '' });
    expect(result.html).toBe(`<img alt="pic" src="folio-asset:${sha(pngBytes(7, 7))}">`);
  });

  it('decodes percent-encoded data: images and refuses inline SVG', async () => {
    const gif = gifBytes(6, 6);
    const percent = 'data:image/gif,' + Array.from(gif, (b) => '%' + b.toString(16).padStart(2, '0')).join('');
    const svg = 'data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E';
    const result = await localizeImages(`<img src="${percent}"><img src="${svg}" alt="svg"><img src="${dataUri('image/png', new Uint8Array([1, 2, 3]))}">`, 'https://example.test/a', {
      referer: '',
    });
    expect(result.images).toEqual([
      { url: 'data:image/gif,…', sha256: sha(gif), type: 'image/gif', bytes: gif.length },
      { url: 'data:image/svg+xml,…', error: SVG_REFUSED_REASON },
      { url: 'data:image/png;base64,…', error: 'not a recognised image format' },
    ]);
    expect(result.html).toContain('<img alt="svg" data-folio-missing="">');
  });

  it('refuses non-web image addresses', async () => {
    const result = await localizeImages('<img src="blob:https://example.test/1" alt="b"><img src="file:///etc/passwd" alt="f">', 'https://example.test/a', {
      referer: '',
    });
    expect(result.images).toEqual([
      { url: 'blob:https://example.test/1', error: 'unsupported image address (blob:); only http(s) and data: images are saved' },
      { url: 'file:///etc/passwd', error: "local images are only read from a saved page's own folder" },
    ]);
    expect(result.blobs).toEqual([]);
  });

  it('stops with CANCELLED when the signal is aborted', async () => {
    const controller = new AbortController();
    const pending = localizeImages('<img src="/hang.png">', server.url('/post'), { referer: '', signal: controller.signal, timeoutMs: 5000 });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
