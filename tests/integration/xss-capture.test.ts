import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureInput, type CaptureResult } from '../../app/capture/pipeline.js';
import { STORABLE_IMAGE_TYPES } from '../../app/capture/image-sniff.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { pngBytes } from '../helpers/image-bytes.js';
import {
  XSS_PAYLOADS,
  XSS_PROSE_AFTER,
  XSS_PROSE_BEFORE,
  unsafeConstructs,
  xssArticleHtml,
  type XssPayload,
} from '../fixtures/xss/payloads.js';

/**
 * Issue #7 §4 at capture level: every payload of the corpus, embedded in a real article served
 * over HTTP, goes through the FULL pipeline (fetch → extract → sanitize → images). The stored
 * article HTML is then parsed the way the reader will parse it, walked for anything executable,
 * and parsed a second time from its own serialization (a sanitizer's output that changes when
 * re-parsed is how mutation XSS gets through).
 */

const REAL_PNG = pngBytes(12, 8, [60, 140, 90]);
const CONCURRENCY = 4;

let server: FixtureServer;
const outcomes = new Map<string, CaptureResult | Error>();

const pathOf = (p: XssPayload) => `/xss/${p.name}`;

/** Runs `work` over `items` with at most `n` in flight; every item runs whatever the others do. */
async function eachLimited<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: n }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

/** Parses stored article HTML as the reader does: as the children of an element in a live document. */
function parseLikeTheReader(html: string): HTMLElement {
  const { document } = new JSDOM('<!DOCTYPE html><html><body><div id="reader"></div></body></html>').window;
  const host = document.getElementById('reader')!;
  host.innerHTML = html;
  return host;
}

beforeAll(async () => {
  server = await startFixtureServer({ '/real.png': { headers: { 'content-type': 'image/png' }, body: REAL_PNG } });
  for (const payload of XSS_PAYLOADS) server.route(pathOf(payload), { body: xssArticleHtml(payload) });
  await eachLimited(XSS_PAYLOADS, CONCURRENCY, async (payload) => {
    try {
      outcomes.set(payload.name, await captureInput(server.url(pathOf(payload)), { render: 'never', images: { timeoutMs: 3000 } }));
    } catch (err) {
      outcomes.set(payload.name, err as Error);
    }
  });
}, 120_000);
afterAll(() => server.close());

describe('the XSS corpus', () => {
  it('has at least 60 payloads, uniquely named, covering every category', () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(XSS_PAYLOADS.map((p) => p.name)).size).toBe(XSS_PAYLOADS.length);
    expect(new Set(XSS_PAYLOADS.map((p) => p.category))).toEqual(
      new Set(['script', 'event-handler', 'url-scheme', 'svg', 'mathml', 'meta-base-link', 'css', 'dom-clobbering', 'embedding', 'form', 'template-noscript', 'breakout', 'media', 'comment-cdata', 'mutation']),
    );
  });

  it('every payload, parsed as served, is flagged by the checker, except the few that are inert until mutated', () => {
    const inertAsParsed = XSS_PAYLOADS.filter((p) => {
      const page = p.where === 'head' ? `<!DOCTYPE html><head>${p.html}</head><body></body>` : `<!DOCTYPE html><body>${p.html}`;
      return unsafeConstructs(new JSDOM(page).window.document.documentElement).length === 0;
    }).map((p) => p.name);
    // Comments, CDATA and an escaped quote are text until a sanitizer or serializer mutates them;
    // a <frameset> after body content is dropped by the parser itself.
    expect(inertAsParsed).toEqual(['frameset-onload', 'attribute-quote-breakout', 'comment-hidden-img', 'cdata-in-html', 'conditional-comment']);
  });

  it('the checker itself flags what it must (so a clean result means something)', () => {
    const flagged = unsafeConstructs(
      parseLikeTheReader(
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(1)">a</a><p style="x" id="y">p</p><svg></svg>' +
          '<img src="folio-asset:abc"><a href="#frag">f</a><img srcset="a.png 1x">',
      ),
    );
    expect(flagged).toEqual([
      '<img src="x">',
      '<img onerror>',
      '<a href="javascript:alert(1)">',
      '<p style="x">',
      '<p id="y">',
      '<svg> in namespace http://www.w3.org/2000/svg',
      '<svg> element',
      '<img src="folio-asset:abc">',
      '<a href="#frag">',
      '<img srcset="a.png 1x">',
    ]);
    const sha = 'ab'.repeat(32);
    expect(unsafeConstructs(parseLikeTheReader(`<p title="t">ok <a href="https://x.example/#f">l</a><img src="folio-asset:${sha}" alt=""></p>`))).toEqual([]);
  });
});

describe.each(XSS_PAYLOADS)('payload $category / $name', (payload) => {
  const result = (): CaptureResult => {
    const outcome = outcomes.get(payload.name);
    if (outcome === undefined) throw new Error(`${payload.name} was never captured`);
    if (outcome instanceof Error) throw new Error(`capturing the article failed: ${outcome.message}`);
    return outcome;
  };

  it('leaves nothing executable in the stored HTML, even after a second parse', () => {
    const { capture } = result();
    const first = parseLikeTheReader(capture.html);
    expect(unsafeConstructs(first)).toEqual([]);
    const second = parseLikeTheReader(first.innerHTML);
    expect(unsafeConstructs(second)).toEqual([]);
    // A stable serialization: the markup the reader parses is the markup that was checked.
    expect(second.innerHTML).toBe(first.innerHTML);
  });

  it('keeps the article prose around the payload', () => {
    const { capture } = result();
    expect(capture.text).toContain(XSS_PROSE_BEFORE);
    expect(capture.text).toContain(XSS_PROSE_AFTER);
    expect(capture.title).toBe('Dawn at the harbour market');
  });

  it('records only web or inline image sources, stores only raster images, and no script URL in metadata', () => {
    const { capture, blobs } = result();
    for (const image of capture.images) expect(image.url).toMatch(/^(https?:\/\/|data:image\/)/);
    for (const blob of blobs) expect(STORABLE_IMAGE_TYPES.has(blob.type)).toBe(true);
    if (capture.canonicalUrl !== null) expect(capture.canonicalUrl).toMatch(/^https?:\/\//);
    if (capture.leadImage !== null) expect(capture.leadImage).toMatch(/^folio-asset:[0-9a-f]{64}$/);
  });
});

describe('legitimate content next to payloads', () => {
  it('a real image beside a handler is stored and shown as a folio-asset', () => {
    const outcome = outcomes.get('img-onload-real-image');
    if (!outcome || outcome instanceof Error) throw new Error('capture failed');
    const img = parseLikeTheReader(outcome.capture.html).querySelector('img[alt="a real photo"]');
    expect(img?.getAttribute('src')).toMatch(/^folio-asset:[0-9a-f]{64}$/);
    expect(outcome.blobs.map((b) => b.type)).toEqual(['image/png']);
  });

  it('a link with a ping keeps its web address and loses the ping', () => {
    const outcome = outcomes.get('a-ping');
    if (!outcome || outcome instanceof Error) throw new Error('capture failed');
    const link = [...parseLikeTheReader(outcome.capture.html).querySelectorAll('a')].find((a) => a.textContent === 'a link that pings');
    expect(link?.getAttribute('href')).toBe('https://ok.example/');
    expect(link?.getAttributeNames().sort()).toEqual(['href', 'rel']);
  });
});
