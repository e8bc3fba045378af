import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtractPool, type ExtractPool } from '../../app/capture/extract-pool.js';
import { extractArticle } from '../../app/capture/extract.js';
import { captureInput, type CaptureOptions, type CaptureResult } from '../../app/capture/pipeline.js';
import { FolioError, type FolioErrorCode } from '../../app/core/errors.js';
import { SHIFT_JIS_TEXT, WINDOWS_1252_TEXT } from '../helpers/fixture-pages-encoding.js';
import {
  ARTICLE_SENTINEL,
  GOOD_PNG,
  HOSTILE_IMAGES,
  HOSTILE_PAGES,
  articleHtml,
  startHostileServer,
  type HostileServer,
  type PathTraffic,
} from '../helpers/hostile-server.js';

/**
 * Issue #7 §2 at pipeline level: every hostile server behaviour goes through `captureInput`, one
 * case after another in ONE loop (a failing case must never stop the batch), and each must end
 * within its time budget as either a failed capture (a FolioError with a specific code and a
 * message naming the URL and the cause) or a saved article (images that misbehaved recorded as
 * failed, with a reason). After each case the server must see every connection closed: the
 * client let go. Memory (RSS) is measured over the whole table.
 */

const MB = 1024 * 1024;
const PAGE_TIMEOUT_MS = 1500;
const IMAGE_TIMEOUT_MS = 1000;
/** Event-loop and scheduling slack on a loaded 2-core machine; not a performance claim. */
const SLACK_MS = 2500;
/** Extraction time limit of the extraction pool used for the 10 000-deep page (see that case). */
const POOL_TIMEOUT_MS = 3000;
/** The single-line page has no time limit in-thread; this only proves it ends (measured ≈6 s). */
const LONG_LINE_BUDGET_MS = 60_000;
const RSS_GROWTH_LIMIT = 300 * MB;

const OPTIONS: CaptureOptions = {
  render: 'never',
  fetch: { totalTimeoutMs: PAGE_TIMEOUT_MS, connectTimeoutMs: 1000, maxBytes: 2 * MB },
  images: { timeoutMs: IMAGE_TIMEOUT_MS, perImageMaxBytes: 1 * MB },
};

const builtChild = join(import.meta.dirname, '../../build/app/capture/extract-child.js');
const haveChild = existsSync(builtChild);

interface Outcome {
  result?: CaptureResult;
  error?: unknown;
  elapsedMs: number;
  /** Every hostile response closed within 2 s of the capture ending. */
  released: boolean;
  traffic: PathTraffic;
}

interface HostileCase {
  name: string;
  path: string;
  budgetMs: number;
  /** Needs the extraction extraction pool (compiled in build/). */
  usesPool?: boolean;
  /**
   * Extract with the app's default per-page limit (30 s) rather than the short POOL_TIMEOUT_MS:
   * for a page that is large but legitimate, which the case expects saved; the 3 s limit exists
   * for the deep-nesting case, and a loaded CI machine can need longer for 5 MB of text.
   */
  defaultPoolLimit?: boolean;
  /** Page size cap for this case, instead of 2 MB. */
  maxBytes?: number;
  check(outcome: Outcome, url: string): void;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const GOOD_SHA = sha(GOOD_PNG);

function failsWith(code: FolioErrorCode, cause: RegExp) {
  return (o: Outcome, url: string) => {
    if (o.result) throw new Error(`expected ${code}, but the capture succeeded (${o.result.capture.text.length} chars)`);
    expect(o.error).toBeInstanceOf(FolioError);
    const err = o.error as FolioError;
    expect({ code: err.code, message: err.message }).toEqual({ code, message: expect.stringContaining(url) });
    expect(err.message).toMatch(cause);
  };
}

function captured(o: Outcome): CaptureResult {
  if (!o.result) throw new Error(`expected a capture, got ${o.error instanceof Error ? o.error.message : String(o.error)}`);
  return o.result;
}

function savesArticle(...texts: string[]) {
  return (o: Outcome) => {
    const { capture } = captured(o);
    expect(capture.title).toBe('Keeping bees on a city rooftop');
    for (const t of texts) expect(capture.text).toContain(t);
  };
}

/** The article is saved with its good image; each listed image is recorded as failed with its reason. */
function savesArticleWithFailedImages(failed: Record<string, RegExp>) {
  return (o: Outcome, url: string) => {
    const { capture, blobs } = captured(o);
    expect(capture.text).toContain(ARTICLE_SENTINEL);
    const origin = new URL(url).origin;
    const good = capture.images.find((i) => i.url === origin + HOSTILE_IMAGES.good);
    expect(good).toEqual({ url: origin + HOSTILE_IMAGES.good, sha256: GOOD_SHA, type: 'image/png', bytes: GOOD_PNG.length });
    expect(blobs.map((b) => b.sha256)).toEqual([GOOD_SHA]);
    expect(capture.html).toContain(`src="folio-asset:${GOOD_SHA}"`);
    for (const [path, reason] of Object.entries(failed)) {
      const record = capture.images.find((i) => i.url === origin + path);
      if (!record || !('error' in record)) throw new Error(`${path} should be recorded as failed: ${JSON.stringify(record)}`);
      expect(record.error).toMatch(reason);
      // Shown as alt text, never loaded: no src, the original address kept for "load original".
      expect(capture.html).toContain(`data-folio-missing="${origin + path}"`);
      expect(capture.html).not.toContain(`src="${origin + path}"`);
    }
    expect(capture.images).toHaveLength(1 + Object.keys(failed).length);
    const summary = `${Object.keys(failed).length} of ${capture.images.length} image(s) could not be saved (see images for reasons)`;
    if (Object.keys(failed).length > 0) expect(capture.warnings).toContain(summary);
    else expect(capture.warnings.filter((w) => /image/.test(w))).toEqual([]);
  };
}

const TIMED_OUT = new RegExp(`no complete answer within ${PAGE_TIMEOUT_MS} ms`);
const IMAGE_TIMED_OUT = /no complete answer within 1 s/;
const NOT_AN_IMAGE = /^not an image \(text\/html\)$/;
const IMAGE_TOO_LARGE = /^larger than the 1 MB per-image limit$/;

const CASES: HostileCase[] = [
  { name: 'never answers', path: HOSTILE_PAGES.never, budgetMs: PAGE_TIMEOUT_MS + SLACK_MS, check: failsWith('TIMEOUT', TIMED_OUT) },
  { name: 'drips 1 byte/s', path: HOSTILE_PAGES.drip, budgetMs: PAGE_TIMEOUT_MS + SLACK_MS, check: failsWith('TIMEOUT', TIMED_OUT) },
  { name: 'headers never end', path: HOSTILE_PAGES.slowHeaders, budgetMs: PAGE_TIMEOUT_MS + SLACK_MS, check: failsWith('TIMEOUT', TIMED_OUT) },
  { name: 'TCP reset mid-body', path: HOSTILE_PAGES.reset, budgetMs: SLACK_MS, check: failsWith('CONNECTION_RESET', /closed before the page was complete/) },
  { name: 'not HTTP at all', path: HOSTILE_PAGES.notHttp, budgetMs: SLACK_MS, check: failsWith('NETWORK', /malformed HTTP response/) },
  { name: '301 loop', path: HOSTILE_PAGES.redirectLoop, budgetMs: SLACK_MS, check: failsWith('REDIRECT_LOOP', /redirects in a loop .*loop-b.*loop-a/) },
  {
    name: 'endless chain of new 301s',
    path: HOSTILE_PAGES.redirectForever,
    budgetMs: SLACK_MS,
    check: (o, url) => {
      failsWith('TOO_MANY_REDIRECTS', /redirected more than 10 times/)(o, url);
      expect(o.traffic.requests).toBe(11); // the 11th redirect target is never requested
    },
  },
  {
    name: '50 MB body, chunked',
    path: HOSTILE_PAGES.huge,
    budgetMs: PAGE_TIMEOUT_MS + SLACK_MS,
    check: (o, url) => {
      failsWith('TOO_LARGE', /larger than the 2 MB limit \(stopped after 2(\.\d)? MB\)/)(o, url);
      // The client hung up long before the end: what was sent is the cap plus socket buffers.
      expect(o.traffic.bytesSent).toBeLessThan(16 * MB);
    },
  },
  {
    name: '50 MB body, Content-Length announced',
    path: HOSTILE_PAGES.hugeDeclared,
    budgetMs: SLACK_MS,
    check: (o, url) => {
      failsWith('TOO_LARGE', /the server announced 50 MB/)(o, url);
      expect(o.traffic.bytesSent).toBeLessThan(16 * MB);
    },
  },
  { name: 'gzip bomb (1 MB → 1 GiB)', path: HOSTILE_PAGES.gzipBomb, budgetMs: PAGE_TIMEOUT_MS + SLACK_MS, check: failsWith('TOO_LARGE', /2 MB limit \(stopped after 2 MB\)/) },
  { name: 'brotli bomb (100 bytes → 64 MB)', path: HOSTILE_PAGES.brotliBomb, budgetMs: PAGE_TIMEOUT_MS + SLACK_MS, check: failsWith('TOO_LARGE', /2 MB limit \(stopped after 2 MB\)/) },
  {
    name: 'header says UTF-8, bytes are Shift_JIS, nothing else declared',
    path: HOSTILE_PAGES.charsetShiftJisAsUtf8,
    budgetMs: PAGE_TIMEOUT_MS + SLACK_MS,
    // As in a browser, the declared UTF-8 is used: the Japanese line is lost to U+FFFD, the rest is intact.
    check: (o) => {
      savesArticle(ARTICLE_SENTINEL, '\uFFFD')(o);
      expect(captured(o).capture.text).not.toContain(SHIFT_JIS_TEXT);
    },
  },
  {
    name: 'header says UTF-8, <meta> and bytes say Shift_JIS',
    path: HOSTILE_PAGES.charsetShiftJisMeta,
    budgetMs: PAGE_TIMEOUT_MS + SLACK_MS,
    check: savesArticle(ARTICLE_SENTINEL, SHIFT_JIS_TEXT),
  },
  {
    name: 'header says UTF-8, <meta> and bytes say windows-1252',
    path: HOSTILE_PAGES.charset1252AsUtf8,
    budgetMs: PAGE_TIMEOUT_MS + SLACK_MS,
    check: savesArticle(ARTICLE_SENTINEL, WINDOWS_1252_TEXT),
  },
  {
    name: 'BOM (UTF-8) vs header (windows-1252) vs <meta> (Shift_JIS)',
    path: HOSTILE_PAGES.charsetContradiction,
    budgetMs: PAGE_TIMEOUT_MS + SLACK_MS,
    check: savesArticle(ARTICLE_SENTINEL, 'Grüße aus 東京 — “quoted” €5'),
  },
  { name: 'PNG labelled text/html', path: HOSTILE_PAGES.pngAsHtml, budgetMs: SLACK_MS, check: failsWith('UNSUPPORTED_TYPE', /labelled text\/html but its content is image\/png/) },
  { name: 'zip labelled text/html', path: HOSTILE_PAGES.zipAsHtml, budgetMs: SLACK_MS, check: failsWith('UNSUPPORTED_TYPE', /labelled text\/html but its content is application\/zip/) },
  {
    // In-thread extraction of this page has no time limit and takes hours (see the report to the
    // lead: jsdom parsing and querySelector in extract-boilerplate.ts are super-linear in depth),
    // so it goes through the extraction pool, as the queue does: it must end by the pool's limit,
    // either extracted or stopped with EXTRACT_FAILED.
    name: 'article inside 10 000 nested <div>s (extraction pool)',
    path: HOSTILE_PAGES.deepNesting,
    budgetMs: POOL_TIMEOUT_MS + PAGE_TIMEOUT_MS + SLACK_MS,
    usesPool: true,
    check: (o, url) => {
      if (o.result) savesArticle(ARTICLE_SENTINEL)(o);
      else failsWith('EXTRACT_FAILED', /extraction took longer than 3 s and was stopped/)(o, url);
    },
  },
  {
    name: '5 MB page on a single line (extraction pool)',
    path: HOSTILE_PAGES.longLine,
    usesPool: true,
    defaultPoolLimit: true,
    budgetMs: LONG_LINE_BUDGET_MS,
    maxBytes: 8 * MB,
    check: (o) => {
      savesArticle(ARTICLE_SENTINEL)(o);
      expect(captured(o).capture.text.length).toBeGreaterThan(4.5 * MB);
    },
  },
  {
    name: 'images that are HTML pages served as image/png',
    path: HOSTILE_PAGES.htmlImages,
    budgetMs: PAGE_TIMEOUT_MS + IMAGE_TIMEOUT_MS + SLACK_MS,
    check: savesArticleWithFailedImages({ [HOSTILE_IMAGES.htmlAsPng]: NOT_AN_IMAGE, [HOSTILE_IMAGES.htmlAsPng2]: NOT_AN_IMAGE }),
  },
  {
    name: 'an image that never stops sending',
    path: HOSTILE_PAGES.endlessImage,
    budgetMs: PAGE_TIMEOUT_MS + IMAGE_TIMEOUT_MS + SLACK_MS,
    check: savesArticleWithFailedImages({ [HOSTILE_IMAGES.endless]: IMAGE_TOO_LARGE }),
  },
  {
    name: 'an image that drips',
    path: HOSTILE_PAGES.dripImage,
    budgetMs: PAGE_TIMEOUT_MS + IMAGE_TIMEOUT_MS + SLACK_MS,
    check: savesArticleWithFailedImages({ [HOSTILE_IMAGES.drip]: IMAGE_TIMED_OUT }),
  },
  {
    name: 'every hostile image at once',
    path: HOSTILE_PAGES.allBadImages,
    budgetMs: PAGE_TIMEOUT_MS + IMAGE_TIMEOUT_MS + SLACK_MS,
    check: savesArticleWithFailedImages({
      [HOSTILE_IMAGES.htmlAsPng]: NOT_AN_IMAGE,
      [HOSTILE_IMAGES.endless]: IMAGE_TOO_LARGE,
      [HOSTILE_IMAGES.drip]: IMAGE_TIMED_OUT,
      [HOSTILE_IMAGES.never]: IMAGE_TIMED_OUT,
      [HOSTILE_IMAGES.reset]: /closed before the page was complete/,
      [HOSTILE_IMAGES.loop]: /redirects in a loop/,
      [HOSTILE_IMAGES.gzipBomb]: IMAGE_TOO_LARGE,
    }),
  },
  {
    // Last on purpose: after everything above, a plain article still captures normally.
    name: 'control: a well-behaved article after all that',
    path: '/page/control',
    budgetMs: PAGE_TIMEOUT_MS + SLACK_MS,
    check: savesArticleWithFailedImages({}),
  },
];

let server: HostileServer;
let pool: ExtractPool | null = null;
/** The same pool with the app's default limits (defaultPoolLimit cases). */
let defaultPool: ExtractPool | null = null;
const outcomes = new Map<string, Outcome>();
const memory = { before: 0, after: 0, peak: 0 };

beforeAll(async () => {
  server = await startHostileServer();
  server.route('/page/control', { body: articleHtml({ inside: `<img src="${HOSTILE_IMAGES.good}" alt="The hive">` }) });
}, 30_000);

afterAll(async () => {
  await pool?.close();
  await defaultPool?.close();
  await server?.close();
});

describe('hostile servers through the whole capture pipeline', () => {
  beforeAll(async () => {
    if (haveChild) {
      pool = createExtractPool({ processes: 1, timeoutMs: POOL_TIMEOUT_MS });
      defaultPool = createExtractPool({ processes: 1 });
      // Start the processes now so their start-up (loading jsdom) is not charged to a case.
      for (const p of [pool, defaultPool]) await p.extract('<!DOCTYPE html><title>warm</title><p>warm up</p>', 'http://127.0.0.1/warm');
    } else {
      console.warn(`skipping the extraction-pool case: ${builtChild} is missing (run npx tsc -p tsconfig.build.json)`);
    }
    // The same for this thread: jsdom loads on the first in-thread parse (app/capture/dom-window.ts).
    extractArticle('<!DOCTYPE html><title>warm</title><p>warm up</p>', 'http://127.0.0.1/warm');
    memory.before = process.memoryUsage().rss;
    // One loop over every case: whatever one case does, the next one runs.
    for (const c of CASES) {
      if (c.usesPool && !pool) continue;
      const started = performance.now();
      let result: CaptureResult | undefined;
      let error: unknown;
      try {
        const options: CaptureOptions = { ...OPTIONS, fetch: { ...OPTIONS.fetch, maxBytes: c.maxBytes ?? OPTIONS.fetch!.maxBytes } };
        if (c.usesPool && pool) {
          // As the app captures: extraction and the image DOM steps in the pool.s processes.
          const workers = c.defaultPoolLimit ? defaultPool! : pool;
          options.extract = workers.extract;
          options.images = { ...options.images, dom: workers.imageDom };
        }
        result = await captureInput(server.url(c.path), options);
      } catch (err) {
        error = err;
      }
      const elapsedMs = Math.round(performance.now() - started);
      const released = await server.settle(2000);
      outcomes.set(c.name, { result, error, elapsedMs, released, traffic: server.traffic(c.path) });
      memory.peak = Math.max(memory.peak, process.memoryUsage().rss);
    }
    memory.after = process.memoryUsage().rss;
    const mb = (n: number) => `${(n / MB).toFixed(0)} MB`;
    console.log(
      [...outcomes].map(([name, o]) => `${name} → ${o.result ? 'saved' : (o.error as FolioError).code} (${o.elapsedMs} ms)`).join('\n') +
        `\nRSS before ${mb(memory.before)}, after ${mb(memory.after)}, peak ${mb(memory.peak)}, growth ${mb(memory.after - memory.before)}`,
    );
  }, 180_000);

  it('ran every case to an outcome (one failure never stopped the batch)', () => {
    const expected = CASES.filter((c) => haveChild || !c.usesPool).map((c) => c.name);
    expect([...outcomes.keys()]).toEqual(expected);
  });

  it(`kept memory bounded: RSS grew by less than ${RSS_GROWTH_LIMIT / MB} MB over the whole table`, () => {
    expect(memory.after - memory.before).toBeLessThan(RSS_GROWTH_LIMIT);
    expect(memory.peak - memory.before).toBeLessThan(RSS_GROWTH_LIMIT);
  });

  describe.each(CASES)('$name', (c) => {
    const outcome = (): Outcome => {
      const o = outcomes.get(c.name);
      if (!o) throw new Error(`${c.name} did not run`);
      return o;
    };
    const skip = Boolean(c.usesPool && !haveChild);

    it.skipIf(skip)('ends as a failed capture with a specific code, or a saved article, as expected', () => {
      c.check(outcome(), server.url(c.path));
    });

    it.skipIf(skip)(`ends within its budget (${c.budgetMs} ms) and leaves no connection open`, () => {
      const o = outcome();
      expect(o.elapsedMs).toBeLessThan(c.budgetMs);
      expect(o.released).toBe(true);
    });
  });
});
