import { startFixtureServer, type FixtureServer } from './fixture-server.js';
import { pngBytes } from './image-bytes.js';
import { generateText, rng, sha256Hex } from './make-capture.js';

/**
 * The site the crash suites import from: `count` article pages on a real local HTTP server,
 * each answering after a seeded random delay (so a kill lands while captures are in flight),
 * every third page with two real PNG images (so a kill can land between an article and its
 * images). Everything a check needs to know about page i is in `pages[i]`.
 */
export interface CrashPage {
  url: string;
  title: string;
  /** SHA-256 of each image the page shows, in page order (empty for pages without images). */
  imageShas: string[];
}

export interface CrashSite {
  server: FixtureServer;
  pages: CrashPage[];
  /** The page a URL (as given or as stored) belongs to, or null. */
  pageOf(url: string): CrashPage | null;
  close(): Promise<void>;
}

export interface CrashSiteOptions {
  count: number;
  /** Longest delay before a page answers (the delay is uniform in 0…maxDelayMs). */
  maxDelayMs: number;
  seed: number;
  /** Path prefix, so one server can carry several independent sets of pages. */
  prefix?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startCrashSite(opts: CrashSiteOptions): Promise<CrashSite> {
  const server = await startFixtureServer();
  const pages = addCrashPages(server, opts);
  return { server, pages, pageOf: pageLookup(server, [pages]), close: () => server.close() };
}

/** Adds a set of pages to a running server (see CrashSiteOptions.prefix). */
export function addCrashPages(server: FixtureServer, opts: CrashSiteOptions): CrashPage[] {
  const prefix = opts.prefix ?? '/page';
  const next = rng(opts.seed);
  const pages: CrashPage[] = [];
  for (let i = 0; i < opts.count; i++) {
    const delay = Math.floor(next() * (opts.maxDelayMs + 1));
    const title = `Crash Page ${prefix.slice(1)} ${i}`;
    const images = i % 3 === 0 ? [0, 1].map((k) => pngBytes(6 + k, 4 + (i % 7), [i % 256, (i * 7 + opts.seed) % 256, 60 + k * 120])) : [];
    const imagePaths = images.map((_, k) => `${prefix}-media/photo-${i}-${k}.png`);
    images.forEach((bytes, k) => {
      const imageDelay = Math.floor(next() * 200);
      server.route(imagePaths[k]!, async (_req, res) => {
        await sleep(imageDelay);
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(bytes);
      });
    });
    const paragraphs = generateText(9000 + i + opts.seed, 260)
      .split('\n\n')
      .map((p) => `<p>${p}</p>`);
    const figures = imagePaths.map((p) => `<figure><img src="${p}" alt="Photo ${i}" width="320" height="200"></figure>`);
    const body = [paragraphs[0], ...figures, ...paragraphs.slice(1)].join('\n');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><article><h1>${title}</h1>${body}</article></body></html>`;
    const path = `${prefix}/${i}`;
    server.route(path, async (_req, res) => {
      await sleep(delay);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    pages.push({ url: server.url(path), title, imageShas: images.map(sha256Hex) });
  }
  return pages;
}

/** Finds a page by URL, ignoring a trailing slash or fragment the store may have normalised. */
export function pageLookup(server: FixtureServer, sets: CrashPage[][]): (url: string) => CrashPage | null {
  const byPath = new Map<string, CrashPage>();
  for (const set of sets) for (const p of set) byPath.set(new URL(p.url).pathname, p);
  return (url) => {
    try {
      const u = new URL(url);
      if (u.origin !== server.origin) return null;
      return byPath.get(u.pathname.replace(/\/$/, '')) ?? null;
    } catch {
      return null;
    }
  };
}
