/**
 * Making an article's images offline: every <img> the cleaned article shows is downloaded (or
 * decoded, for data: URIs), its real type sniffed from the bytes, hashed with SHA-256 and the
 * HTML rewritten to `folio-asset:<sha256>`. A failed image is recorded with its reason and never
 * fails the article.
 *
 * How a failed image looks in stored HTML (renderable and safe, nothing loads from the network):
 *   <img alt="…" data-folio-missing="https://original/url.jpg">
 * i.e. no src/srcset at all, so the reader shows the alt text (an alt is added when the author
 * gave none), and the original address stays available for a "load original" affordance.
 */
import { createHash } from 'node:crypto';
import { parseInertDocument, releaseDocument } from './dom-window.js';
import { FolioError } from '../core/errors.js';
import { assetUrl, type CapturedImage, type ImageBlob } from '../core/types.js';
import { fetchBytes } from './fetch.js';
import { decodeDataUrl, shortDataUrl, sniffImage } from './image-sniff.js';
import { formatBytes } from './local-file.js';
import { bestImageUrl } from './srcset.js';
import { limiter } from '../core/limiter.js';
import { stripCredentials } from '../core/url-normalize.js';

export interface ImageOptions {
  /** Sent as Referer (image hosts often refuse hotlinks without it). Empty: send none. */
  referer: string;
  perImageMaxBytes?: number; // default 10 MB
  perArticleMaxBytes?: number; // default 50 MB, unique images counted once
  concurrency?: number; // default 6
  timeoutMs?: number; // default 20 s per image
  allowPrivateAddresses?: boolean;
  signal?: AbortSignal;
  /** The extraction's lead image (og:image…): reused if the article shows it, else downloaded too. */
  leadImageUrl?: string | null;
  /** The page the images belong to, for the address guard; default: pageUrl. */
  initiator?: string;
  /** data: URI → where it came from (images inlined from a local page's folder), for records. */
  sourceLabels?: ReadonlyMap<string, string>;
  /** URL → why it was not read (e.g. a local image outside the page's folder). */
  knownFailures?: ReadonlyMap<string, string>;
  /**
   * Where the HTML is parsed and rewritten: in this thread by default, or in the extraction
   * pool's workers (ExtractPool.imageDom) so that a long article never blocks the caller's
   * event loop. Downloads always happen in the calling thread.
   */
  dom?: ImageDom;
}

/** For each `<img>` in document order (after `<picture>` is collapsed): its URLs to try, best first. */
export type ImagePlan = string[][];
/** What became of each planned `<img>`: stored under a hash, or missing (with the URL meant, if any). */
export type ImageDecision = { sha256: string } | { missing: string | null };

/** The two DOM steps of localizing images (in a worker, each a parse of the article HTML). */
export interface ImageDom {
  plan(html: string, pageUrl: string): Promise<ImagePlan>;
  apply(html: string, decisions: ImageDecision[]): Promise<string>;
}

/** Parses `html` and lists each image's candidate URLs (see ImagePlan). */
export function planImages(html: string, pageUrl: string): ImagePlan {
  return withArticleDocument(html, (doc) => planImagesIn(doc, pageUrl));
}

/** Parses `html` again and rewrites each planned image as decided; returns the new HTML. */
export function applyImageDecisions(html: string, decisions: ImageDecision[]): string {
  return withArticleDocument(html, (doc) => applyImageDecisionsIn(doc, decisions));
}

function planImagesIn(doc: Document, pageUrl: string): ImagePlan {
  // Each image tries its best srcset candidate, then its plain src if that differs.
  return Array.from(doc.querySelectorAll('img')).map((img) =>
    [bestImageUrl(img.getAttribute('srcset'), img.getAttribute('src')), img.getAttribute('src')]
      .map((u) => (u ? absolute(u.trim(), pageUrl) : null))
      .filter((u, i, all): u is string => Boolean(u) && all.indexOf(u) === i),
  );
}

function applyImageDecisionsIn(doc: Document, decisions: ImageDecision[]): string {
  const imgs = Array.from(doc.querySelectorAll('img'));
  if (imgs.length !== decisions.length) {
    throw new FolioError('INTERNAL', `image rewrite: ${imgs.length} images in the article but ${decisions.length} decisions`);
  }
  imgs.forEach((img, i) => {
    const decision = decisions[i]!;
    if ('sha256' in decision) {
      img.setAttribute('src', assetUrl(decision.sha256));
      for (const name of REMOTE_ATTRIBUTES) img.removeAttribute(name);
      img.removeAttribute('data-folio-missing');
    } else {
      markMissing(img, decision.missing);
    }
  });
  return doc.body.innerHTML;
}

/**
 * The article as an inert document with `<picture>` collapsed — identically for planning and
 * applying, so the two see the same images in the same order.
 */
function parseArticle(html: string): Document {
  // A DOMParser document has no window: nothing in it runs or loads. (The thread's shared host
  // window parses it: a new JSDOM per article cost ~15 ms of main-thread time.)
  const doc = parseInertDocument(`<!DOCTYPE html><body>${html}`);
  collapsePictures(doc);
  return doc;
}

function withArticleDocument<T>(html: string, use: (doc: Document) => T): T {
  const doc = parseArticle(html);
  try {
    return use(doc);
  } finally {
    releaseDocument(doc);
  }
}

export interface LocalizedImages {
  html: string;
  /** One record per distinct image URL, in document order (the lead image last if separate). */
  images: CapturedImage[];
  /** Distinct by sha256. */
  blobs: ImageBlob[];
  /** The lead image, when it was stored. */
  leadImage?: { url: string; sha256: string };
}

export const IMAGE_DEFAULTS = {
  perImageMaxBytes: 10 * 1024 * 1024,
  perArticleMaxBytes: 50 * 1024 * 1024,
  concurrency: 6,
  timeoutMs: 20_000,
} as const;

type Outcome = { ok: true; sha256: string; type: string; data: Uint8Array } | { ok: false; error: string };

/** Attributes that only make sense for a remote image and must not survive the rewrite. */
const REMOTE_ATTRIBUTES = ['srcset', 'sizes', 'data-src', 'data-srcset', 'data-original', 'data-lazy-src', 'loading', 'decoding', 'crossorigin', 'referrerpolicy'];

export async function localizeImages(html: string, pageUrl: string, options: ImageOptions): Promise<LocalizedImages> {
  if (options.dom) return localizeWith(options.dom, html, pageUrl, options);
  // In this thread one parsed document serves both steps (a long article is parsed once).
  const doc = parseArticle(html);
  try {
    const sameDocument: ImageDom = {
      plan: async () => planImagesIn(doc, pageUrl),
      apply: async (_html, decisions) => applyImageDecisionsIn(doc, decisions),
    };
    return await localizeWith(sameDocument, html, pageUrl, options);
  } finally {
    releaseDocument(doc);
  }
}

async function localizeWith(dom: ImageDom, html: string, pageUrl: string, options: ImageOptions): Promise<LocalizedImages> {
  const perImageMax = options.perImageMaxBytes ?? IMAGE_DEFAULTS.perImageMaxBytes;
  const perArticleMax = options.perArticleMaxBytes ?? IMAGE_DEFAULTS.perArticleMaxBytes;
  const limit = limiter(Math.max(1, options.concurrency ?? IMAGE_DEFAULTS.concurrency));
  const timeoutMs = options.timeoutMs ?? IMAGE_DEFAULTS.timeoutMs;

  const plans = await dom.plan(html, pageUrl);

  // Bytes admitted so far (distinct images), so downloads stop early once the budget is spent.
  // The final, deterministic budget check happens below in document order.
  let admitted = 0;
  const admittedHashes = new Set<string>();
  const jobs = new Map<string, Promise<Outcome>>();

  const obtain = (url: string): Promise<Outcome> => {
    let job = jobs.get(url);
    if (!job) {
      job = limit(async (): Promise<Outcome> => {
        if (options.signal?.aborted) return { ok: false, error: 'cancelled' };
        const remaining = perArticleMax - admitted;
        if (remaining <= 0) return { ok: false, error: budgetReason(perArticleMax) };
        const outcome = await loadImage(url, {
          ...options,
          pageUrl,
          maxBytes: Math.min(perImageMax, remaining),
          perImageMax,
          perArticleMax,
          timeoutMs,
        });
        if (outcome.ok && !admittedHashes.has(outcome.sha256)) {
          admittedHashes.add(outcome.sha256);
          admitted += outcome.data.length;
        }
        return outcome;
      });
      jobs.set(url, job);
    }
    return job;
  };

  const attempt = async (candidates: string[]): Promise<{ url: string; outcome: Outcome } | null> => {
    let last: { url: string; outcome: Outcome } | null = null;
    for (const url of candidates) {
      last = { url, outcome: await obtain(url) };
      if (last.outcome.ok) return last;
    }
    // Report the failure of the preferred candidate: it is the one the article meant.
    return candidates.length > 1 ? { url: candidates[0]!, outcome: (await obtain(candidates[0]!)) } : last;
  };
  const leadUrl = options.leadImageUrl ? absolute(options.leadImageUrl, pageUrl) : null;
  const [results, leadResult] = await Promise.all([
    Promise.all(plans.map((candidates) => attempt(candidates))),
    leadUrl ? attempt([leadUrl]) : Promise.resolve(null),
  ]);
  if (options.signal?.aborted) throw new FolioError('CANCELLED', `${pageUrl}: capture was cancelled while saving images`);

  // Final pass in document order: the budget admits the first images, fails the rest.
  const stored = new Map<string, ImageBlob>();
  let storedBytes = 0;
  const records = new Map<string, CapturedImage>();
  const settle = (url: string, outcome: Outcome): CapturedImage => {
    const known = records.get(url);
    if (known) return known;
    let record: CapturedImage;
    if (!outcome.ok) {
      record = { url: label(url, options), error: outcome.error };
    } else if (!stored.has(outcome.sha256) && storedBytes + outcome.data.length > perArticleMax) {
      record = { url: label(url, options), error: budgetReason(perArticleMax) };
    } else {
      if (!stored.has(outcome.sha256)) {
        stored.set(outcome.sha256, { sha256: outcome.sha256, type: outcome.type, data: outcome.data });
        storedBytes += outcome.data.length;
      }
      record = { url: label(url, options), sha256: outcome.sha256, type: outcome.type, bytes: outcome.data.length };
    }
    records.set(url, record);
    return record;
  };

  const decisions = plans.map((_, i): ImageDecision => {
    const result = results[i];
    // No usable URL at all: the <img> is left without any remote reference.
    if (!result) return { missing: null };
    const record = settle(result.url, result.outcome);
    return 'sha256' in record ? { sha256: record.sha256 } : { missing: result.url };
  });
  const rewritten = await dom.apply(html, decisions);

  let leadImage: LocalizedImages['leadImage'];
  if (leadResult) {
    const record = settle(leadResult.url, leadResult.outcome);
    if ('sha256' in record) leadImage = { url: record.url, sha256: record.sha256 };
  }

  return { html: rewritten, images: [...records.values()], blobs: [...stored.values()], leadImage };
}

/** `<picture><source srcset>…<img></picture>` → the `<img>` alone, carrying the best source. */
function collapsePictures(doc: Document): void {
  for (const picture of Array.from(doc.querySelectorAll('picture'))) {
    const img = picture.querySelector('img');
    if (img && !img.getAttribute('src') && !img.getAttribute('srcset')) {
      const sources = Array.from(picture.querySelectorAll('source')).filter((s) => s.getAttribute('srcset')?.trim());
      // A source without a media query applies everywhere; else the first is the author's default.
      const source = sources.find((s) => !s.getAttribute('media')) ?? sources[0];
      if (source) img.setAttribute('srcset', source.getAttribute('srcset')!);
    }
    if (img) picture.replaceWith(img);
    else picture.remove();
  }
  // <source> outside <picture> (video/audio leftovers) would only reference the network.
  for (const source of Array.from(doc.querySelectorAll('source'))) source.remove();
}

function markMissing(img: Element, url: string | null): void {
  img.removeAttribute('src');
  for (const name of REMOTE_ATTRIBUTES) img.removeAttribute(name);
  // Only web addresses are worth keeping for "load original"; data: URIs can be megabytes.
  img.setAttribute('data-folio-missing', url && /^https?:/i.test(url) ? stripCredentials(url) : '');
  if (!img.hasAttribute('alt')) img.setAttribute('alt', '(image not saved)');
}

interface LoadContext extends ImageOptions {
  pageUrl: string;
  maxBytes: number;
  perImageMax: number;
  perArticleMax: number;
  timeoutMs: number;
}

/** One image URL → its bytes, sniffed and hashed, or the reason it is not stored. */
async function loadImage(url: string, ctx: LoadContext): Promise<Outcome> {
  const known = ctx.knownFailures?.get(url);
  if (known) return { ok: false, error: known };
  let data: Uint8Array;
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
  if (scheme === 'data:') {
    try {
      data = decodeDataUrl(url).data;
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
    if (data.length > ctx.maxBytes) return { ok: false, error: tooLargeReason(data.length, ctx) };
  } else if (scheme === 'http:' || scheme === 'https:') {
    try {
      const fetched = await fetchBytes(url, {
        referer: ctx.referer || undefined,
        maxBytes: ctx.maxBytes,
        totalTimeoutMs: ctx.timeoutMs,
        connectTimeoutMs: Math.min(10_000, ctx.timeoutMs),
        allowPrivateAddresses: ctx.allowPrivateAddresses ?? false,
        initiator: ctx.initiator ?? ctx.pageUrl,
        signal: ctx.signal,
        accept: 'image/avif,image/webp,image/apng,image/*,*/*;q=0.8',
      });
      data = fetched.data;
    } catch (err) {
      const e = err instanceof FolioError ? err : null;
      if (e?.code === 'TOO_LARGE') return { ok: false, error: tooLargeReason(null, ctx) };
      return { ok: false, error: withoutUrlPrefix(err instanceof Error ? err.message : String(err), url) };
    }
  } else if (scheme === 'file:') {
    return { ok: false, error: "local images are only read from a saved page's own folder" };
  } else {
    return { ok: false, error: `unsupported image address (${scheme || 'relative URL'}); only http(s) and data: images are saved` };
  }
  const sniffed = await sniffImage(data);
  if (!sniffed.ok) return { ok: false, error: sniffed.reason };
  const sha256 = createHash('sha256').update(data).digest('hex');
  return { ok: true, sha256, type: sniffed.type, data };
}

function tooLargeReason(size: number | null, ctx: LoadContext): string {
  // A cap below the per-image limit means the article's budget was what ran out.
  if (ctx.maxBytes < ctx.perImageMax) return budgetReason(ctx.perArticleMax);
  return `larger than the ${formatBytes(ctx.perImageMax)} per-image limit${size === null ? '' : ` (${formatBytes(size)})`}`;
}

function budgetReason(perArticleMax: number): string {
  return `skipped: the article's ${formatBytes(perArticleMax)} image budget is used up`;
}

/** Fetch errors start with the URL; the record already carries it. */
function withoutUrlPrefix(message: string, url: string): string {
  return message.startsWith(url + ': ') ? message.slice(url.length + 2) : message;
}

function label(url: string, options: ImageOptions): string {
  if (!url.startsWith('data:')) return stripCredentials(url);
  return options.sourceLabels?.get(url) ?? shortDataUrl(url);
}

function absolute(url: string, base: string): string | null {
  if (!url) return null;
  // data: URIs are kept verbatim: they key sourceLabels and can be megabytes long.
  if (/^data:/i.test(url)) return url;
  try {
    return new URL(url, base).href;
  } catch {
    return null;
  }
}

