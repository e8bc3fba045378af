import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureInput, type CaptureResult } from '../../app/capture/pipeline.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { gifBytes, jpegBytes, pngBytes, webpBytes } from '../helpers/image-bytes.js';

// The extraction engineer's lazy-loading blog post, served over HTTP with real image bytes:
// lazy attributes, noscript fallbacks, <picture>, w/x srcsets and an inline data: image must
// all end up as stored images, each the largest candidate, none loading from the network.
const page = readFileSync(join(import.meta.dirname, '../fixtures/pages/blog-lazy-images/source.html'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// Served with the content type of their extension, but the bytes are whatever format listed here.
const served: Record<string, Uint8Array> = {
  '/blog/post/images/pfaff-before.jpg': pngBytes(32, 21, [120, 110, 90]),
  '/blog/post/images/bobbin-480.jpg': jpegBytes(),
  '/blog/post/images/bobbin-960.jpg': pngBytes(30, 20, [80, 80, 80]),
  '/blog/post/images/motor.jpg': gifBytes(16, 16, [30, 30, 30]),
  '/blog/post/images/tension-assembly.jpg': jpegBytes(),
  '/blog/post/images/feed-dogs.jpg': pngBytes(12, 8, [5, 5, 5]),
  '/blog/post/images/feed-dogs-1200.jpg': pngBytes(24, 16, [6, 6, 6]),
  '/blog/post/images/workbench-400.jpg': pngBytes(8, 4, [7, 7, 7]),
  '/blog/post/images/workbench-800.jpg': pngBytes(16, 8, [8, 8, 8]),
  '/uploads/2023/11/workbench-1600.jpg': webpBytes(),
  '/blog/post/images/finished.webp': pngBytes(10, 10, [9, 9, 9]),
  '/blog/post/images/finished@2x.webp': pngBytes(20, 20, [10, 10, 10]),
};
const inlinePng = Buffer.from(/src="data:image\/png;base64,([^"]+)"/.exec(page.toString('utf8'))![1]!, 'base64');

describe('images of a lazy-loading blog post', () => {
  let server: FixtureServer;
  let result: CaptureResult;
  let pageUrl: string;

  beforeAll(async () => {
    const routes: Parameters<typeof startFixtureServer>[0] = { '/blog/post/': { body: page } };
    for (const [path, body] of Object.entries(served)) {
      routes[path] = { headers: { 'content-type': path.endsWith('.webp') ? 'image/webp' : 'image/jpeg' }, body };
    }
    server = await startFixtureServer(routes);
    pageUrl = server.url('/blog/post/');
    result = await captureInput(pageUrl, { render: 'never' });
  });
  afterAll(() => server.close());

  it('stores every image the article shows, choosing the largest candidate', () => {
    const stored = result.capture.images.map((i) => ('sha256' in i ? [i.url.replace(server.origin, ''), i.type, i.sha256] : [i.url, i.error]));
    expect(stored).toEqual([
      ['/blog/post/images/pfaff-before.jpg', 'image/png', sha(served['/blog/post/images/pfaff-before.jpg']!)],
      ['/blog/post/images/bobbin-960.jpg', 'image/png', sha(served['/blog/post/images/bobbin-960.jpg']!)],
      ['/blog/post/images/motor.jpg', 'image/gif', sha(served['/blog/post/images/motor.jpg']!)],
      ['/blog/post/images/tension-assembly.jpg', 'image/jpeg', sha(jpegBytes())],
      ['/blog/post/images/feed-dogs-1200.jpg', 'image/png', sha(served['/blog/post/images/feed-dogs-1200.jpg']!)],
      ['data:image/png;base64,…', 'image/png', sha(inlinePng)],
      ['/uploads/2023/11/workbench-1600.jpg', 'image/webp', sha(webpBytes())],
      ['/blog/post/images/finished@2x.webp', 'image/png', sha(served['/blog/post/images/finished@2x.webp']!)],
    ]);
    expect(result.blobs).toHaveLength(8);
  });

  it('never requests the smaller candidates or the lazy-loading placeholders', () => {
    const paths = new Set(server.requests.map((r) => r.path));
    for (const skipped of [
      '/blog/post/images/bobbin-480.jpg',
      '/blog/post/images/feed-dogs.jpg',
      '/blog/post/images/workbench-400.jpg',
      '/blog/post/images/workbench-800.jpg',
      '/blog/post/images/finished.webp',
      '/blog/post/images/lazy.gif',
      '/wp-content/themes/needle/assets/lazy.gif',
    ]) {
      expect(paths.has(skipped), skipped).toBe(false);
    }
  });

  it('sends the page as Referer and leaves no network reference in the HTML', () => {
    const imageRequests = server.requests.filter((r) => r.path !== '/blog/post/');
    expect(imageRequests).toHaveLength(7);
    for (const r of imageRequests) expect(r.headers.referer).toBe(pageUrl);
    expect(result.capture.html).not.toMatch(/\b(src|srcset)="(https?:|data:|\/)/);
    expect(result.capture.html).not.toContain('srcset');
    expect(result.capture.html.match(/<img\b/g)).toHaveLength(8);
    expect(result.capture.html.match(/src="folio-asset:[0-9a-f]{64}"/g)).toHaveLength(8);
    expect(result.capture.warnings.filter((w) => /image/.test(w))).toEqual([]);
  });
});
