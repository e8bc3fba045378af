import http from 'node:http';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { captureInput } from '../../app/capture/pipeline.js';
import { createExtractPool } from '../../app/capture/extract-pool.js';
import { openArchive } from '../../app/store/open-archive.js';
import { pngBytes } from '../helpers/image-bytes.js';
import { bareReadability, type CorpusPage } from './corpus.js';
import { round, summarize, turn } from './stats.js';

/**
 * Capture: pages/s of the full pipeline (fetch from a local server → extract in the worker pool
 * → sanitize → images from the same server → store) against serial bare jsdom + Readability on
 * the same pages, in the same run.
 */
export interface CaptureResult {
  pages: number;
  repeats: number;
  bare_pages_per_s: number;
  bare_ms: ReturnType<typeof summarize>;
  pipeline_pages_per_s: number;
  pipeline_threads: number;
  single_worker_pages_per_s: number;
  speedup: number;
  overhead_pct: number;
  failures: number;
}

/**
 * Pages were saved against http://fakehost/ and also reference real hosts (CDNs, ad servers);
 * this machine has no network, so every absolute http(s) origin — and every protocol-relative
 * one (`//upload.wikimedia.org/…` in an attribute, srcset or url()) — points at the local server,
 * which answers any image path with a PNG. Both sides of the comparison parse the same text.
 * (Missing the protocol-relative form left one page waiting 15 s on DNS for 45 images, which
 * is this machine's lack of network, not the pipeline's cost.)
 */
export function localize(html: string, origin: string): string {
  return html
    .replace(/https?:\/\/[a-z0-9.-]+(?::\d+)?(?=[/"'\s)])/gi, origin)
    .replace(/(["'(,]\s*|\s)\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?=[/"'\s)])/gi, (_m, lead: string) => lead + origin);
}

async function serveCorpus(pages: CorpusPage[]): Promise<{ origin: string; close(): Promise<void> }> {
  const image = Buffer.from(pngBytes(16, 16, [120, 80, 200]));
  const bySlug = new Map(pages.map((p) => [p.slug, p.html]));
  let origin = '';
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const m = /^\/([^/]+)\/page\.html$/.exec(path);
    if (m && bySlug.has(m[1]!)) {
      // Pages were saved against http://fakehost/; point them at this server instead.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(localize(bySlug.get(m[1]!)!, origin));
      return;
    }
    if (/\.(png|jpe?g|gif|webp)$/i.test(path)) {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(image);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function runPipeline(
  urls: string[],
  dbPath: string,
  threads: number,
  concurrency: number,
): Promise<{ seconds: number; failures: number }> {
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}-wal`, { force: true });
  rmSync(`${dbPath}-shm`, { force: true });
  const pool = createExtractPool({ threads });
  const archive = openArchive(dbPath);
  // Warm the workers (module load) outside the timed section, as a running app would be.
  await Promise.all(Array.from({ length: threads }, () => pool.extract('<p>warm</p>', 'http://127.0.0.1/')));
  let failures = 0;
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++]!;
      try {
        const { capture, blobs } = await captureInput(url, { render: 'never', extract: pool.extract, images: { dom: pool.imageDom } });
        archive.saveCapture(capture, blobs);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  archive.close();
  await pool.close();
  return { seconds, failures };
}

export async function benchCapture(pages: CorpusPage[], repeats: number, tmpDir: string): Promise<CaptureResult> {
  const server = await serveCorpus(pages);
  const urls = pages.map((p) => `${server.origin}/${p.slug}/page.html`);
  try {
    const bareRates: number[] = [];
    const bareMs: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      for (const page of pages) {
        const t0 = performance.now();
        try {
          bareReadability(localize(page.html, server.origin), `${server.origin}/${page.slug}/page.html`);
        } catch {
          // Same rule as the pipeline: a page jsdom can't parse counts, it doesn't stop the run.
        }
        bareMs.push(performance.now() - t0);
        await turn();
      }
      bareRates.push(pages.length / ((performance.now() - start) / 1000));
    }

    const parallel: number[] = [];
    const single: number[] = [];
    let failures = 0;
    const threads = 2;
    for (let r = 0; r < repeats; r++) {
      const p = await runPipeline(urls, `${tmpDir}/capture-parallel.db`, threads, 4);
      parallel.push(pages.length / p.seconds);
      failures = Math.max(failures, p.failures);
      const s = await runPipeline(urls, `${tmpDir}/capture-single.db`, 1, 1);
      single.push(pages.length / s.seconds);
    }
    const bare = summarize(bareRates).median;
    const pipe = summarize(parallel).median;
    const one = summarize(single).median;
    return {
      pages: pages.length,
      repeats,
      bare_pages_per_s: round(bare),
      bare_ms: summarize(bareMs),
      pipeline_pages_per_s: round(pipe),
      pipeline_threads: threads,
      single_worker_pages_per_s: round(one),
      speedup: round(pipe / bare),
      overhead_pct: round((bare / one) * 100 - 100, 1),
      failures,
    };
  } finally {
    await server.close();
  }
}
