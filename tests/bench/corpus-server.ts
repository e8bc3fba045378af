import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pngBytes } from '../helpers/image-bytes.js';
import type { CorpusPage } from './corpus.js';

/**
 * Pages were saved against http://fakehost/ and also reference real hosts (CDNs, ad servers);
 * this machine has no network, so every absolute http(s) origin — and every protocol-relative
 * one (`//upload.wikimedia.org/…` in an attribute, srcset or url()) — points at the local server,
 * which answers any image path with a PNG. Both sides of the capture comparison parse the same text.
 * (Missing the protocol-relative form left one page waiting 15 s on DNS for 45 images, which
 * is this machine's lack of network, not the pipeline's cost.)
 */
export function localize(html: string, origin: string): string {
  return html
    .replace(/https?:\/\/[a-z0-9.-]+(?::\d+)?(?=[/"'\s)])/gi, origin)
    .replace(/(["'(,]\s*|\s)\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?=[/"'\s)])/gi, (_m, lead: string) => lead + origin);
}

/**
 * A local server for the benchmarks: `/<slug>/page.html` is that corpus page, `/p/<n>/page.html`
 * the n-th page cycled (distinct URLs for a long import), both localized; any image path is a PNG.
 *
 * Pages are localized once, when the server knows its origin, not per request (two regexes
 * over ~190 KB): the server shares this machine's two cores with what is measured, and a
 * remote site would not. `perf sched` over the 1,000-page import: this process used 12.1
 * CPU-seconds with localizing per request, 8.0 without (the rest is serving the pages and
 * their images over loopback), against the import process's 24.9.
 */
export async function serveCorpus(pages: CorpusPage[]): Promise<{ origin: string; close(): Promise<void> }> {
  const image = Buffer.from(pngBytes(16, 16, [120, 80, 200]));
  let localized: Buffer[] = [];
  let bySlug = new Map<string, Buffer>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const cycled = /^\/p\/(\d+)\/page\.html$/.exec(path);
    const named = /^\/([^/]+)\/page\.html$/.exec(path);
    const html = cycled ? localized[Number(cycled[1]) % localized.length] : named ? bySlug.get(named[1]!) : undefined;
    if (html !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    } else if (/\.(png|jpe?g|gif|webp)$/i.test(path)) {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(image);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  localized = pages.map((p) => Buffer.from(localize(p.html, origin), 'utf8'));
  bySlug = new Map(pages.map((p, i) => [p.slug, localized[i]!]));
  return { origin, close: () => new Promise<void>((r) => server.close(() => r())) };
}
