import { rmSync } from 'node:fs';
import { captureInput } from '../../app/capture/pipeline.js';
import { createExtractPool } from '../../app/capture/extract-pool.js';
import { openArchive } from '../../app/store/open-archive.js';
import { bareReadability, type CorpusPage } from './corpus.js';
import { localize, serveCorpus } from './corpus-server.js';
import { round, summarize, turn } from './stats.js';

/**
 * Capture: pages/s of the full pipeline (fetch from a local server → extract in the extraction pool
 * → sanitize → images from the same server → store) against serial bare jsdom + Readability on
 * the same pages, in the same run: each round runs bare, two workers and one worker in turn, and
 * the ratios are medians of each round's own ratios.
 */
export interface CaptureResult {
  pages: number;
  repeats: number;
  bare_pages_per_s: number;
  bare_ms: ReturnType<typeof summarize>;
  pipeline_pages_per_s: number;
  pipeline_processes: number;
  single_worker_pages_per_s: number;
  speedup: number;
  overhead_pct: number;
  failures: number;
}

async function runPipeline(
  urls: string[],
  dbPath: string,
  processes: number,
  concurrency: number,
): Promise<{ seconds: number; failures: number }> {
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}-wal`, { force: true });
  rmSync(`${dbPath}-shm`, { force: true });
  const pool = createExtractPool({ processes });
  const archive = openArchive(dbPath);
  // Warm the workers (module load) outside the timed section, as a running app would be.
  await Promise.all(Array.from({ length: processes }, () => pool.extract('<p>warm</p>', 'http://127.0.0.1/')));
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
    const parallel: number[] = [];
    const single: number[] = [];
    let failures = 0;
    const processes = 2;
    // One round = bare, then two workers, then one: the machine's speed drifts over minutes, so
    // each ratio compares runs of the same round, and the figures are medians over rounds.
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
      const p = await runPipeline(urls, `${tmpDir}/capture-parallel.db`, processes, 4);
      parallel.push(pages.length / p.seconds);
      failures = Math.max(failures, p.failures);
      const s = await runPipeline(urls, `${tmpDir}/capture-single.db`, 1, 1);
      single.push(pages.length / s.seconds);
    }
    const bare = summarize(bareRates).median;
    const pipe = summarize(parallel).median;
    const one = summarize(single).median;
    const speedup = summarize(parallel.map((rate, r) => rate / bareRates[r]!)).median;
    const overhead = summarize(single.map((rate, r) => (bareRates[r]! / rate) * 100 - 100)).median;
    return {
      pages: pages.length,
      repeats,
      bare_pages_per_s: round(bare),
      bare_ms: summarize(bareMs),
      pipeline_pages_per_s: round(pipe),
      pipeline_processes: processes,
      single_worker_pages_per_s: round(one),
      speedup: round(speedup),
      overhead_pct: round(overhead, 1),
      failures,
    };
  } finally {
    await server.close();
  }
}
