import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { FolioError } from '../core/errors.js';
import type { Extraction } from '../core/types.js';
import type { ExtractTask } from './extract-worker.js';
import type { ImageDom } from './images.js';
import { yieldHelperThreadsToMain } from './thread-priority.js';

/**
 * A pool of worker threads for extraction (parse5 + Readability + DOMPurify), the CPU-heavy
 * step of capture. Fetching and image downloads stay on the calling thread (they are I/O);
 * only extraction moves off it, so the pool can be as small as the core count and the main
 * thread (Electron's or the CLI's) never blocks on a page.
 *
 * Each page has a time limit and each worker a heap cap: a pathological page costs one
 * worker (it is terminated and replaced), never the app.
 */
export interface ExtractPoolOptions {
  threads?: number; // default: min(available cores, 4)
  timeoutMs?: number; // per page, default 30 s
  maxHeapMb?: number; // per worker old-generation cap, default 512 MB
  youngGenerationMb?: number; // per worker young-generation size, default 16 MB (see below)
  idleMs?: number; // a worker with nothing to do for this long ends, default 60 s
}

export interface ExtractPool {
  extract(html: string, url: string): Promise<Extraction>;
  /** The DOM steps of image localizing, in the same workers (ImageOptions.dom). */
  readonly imageDom: ImageDom;
  readonly threads: number;
  /** Worker threads alive now: none until the first page, none again once idle for idleMs. */
  liveWorkers(): number;
  close(): Promise<void>;
}

export function createExtractPool(options: ExtractPoolOptions = {}): ExtractPool {
  const threads = options.threads ?? Math.max(1, Math.min(availableParallelism(), 4));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxHeapMb = options.maxHeapMb ?? 512;
  const pool = new Piscina({
    filename: workerFile(),
    // Workers start with the first page and end after idleMs without one: an idle app or
    // `folio serve` then holds no extraction heaps (~90 MB of V8 heap per worker during a batch); the
    // next capture after a pause pays a worker start (~0.3 s, then jsdom's load on first use).
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: options.idleMs ?? 60_000,
    // A bounded young generation: V8's default for a worker (semi-spaces growing to 16 MB each)
    // kept ~40 MB per worker resident for a page's short-lived parser and tree objects.
    // 1,000-page import, peak RSS: default 613/617 MB, 16 MB 534, 8 MB 537, 4 MB 511; capture
    // with 2 workers, paired runs: 16 MB 2.06/2.05x bare, 4 MB 1.99/1.92x (more scavenges).
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: options.youngGenerationMb ?? 16 },
    // Piscina's default ('sync') parks an idle worker in Atomics.wait and takes the next page
    // without its event loop ever turning. jsdom's documents are freed only after a turn, so
    // every page a worker had cleaned stayed live: after a full GC a worker held 400 MB after
    // 260 corpus pages, and the 1,000-page import peaked at 1.2 GB. Messages let it turn (51 MB).
    atomics: 'disabled',
  });
  // A worker that dies between pages (e.g. out of memory while collecting garbage after one) is
  // replaced by piscina, and no page is lost; unhandled, that 'error' event would end the process.
  pool.on('error', () => undefined);
  // Before any worker starts (minThreads 0): V8's helper threads, which collect the workers'
  // garbage, yield to the main thread; the workers keep normal priority (thread-priority.ts).
  yieldHelperThreadsToMain();

  const runDom = async <T>(name: string, task: object, url: string): Promise<T> => {
    try {
      return (await pool.run(task, { name, signal: AbortSignal.timeout(timeoutMs) })) as T;
    } catch (err) {
      throw new FolioError('EXTRACT_FAILED', `${url}: could not rewrite the article's images (${(err as Error).message ?? err})`);
    }
  };
  return {
    threads,
    liveWorkers: () => pool.threads.length,
    imageDom: {
      plan: (html, pageUrl) => runDom('planImagesInWorker', { html, pageUrl }, pageUrl),
      apply: (html, decisions) => runDom('applyImagesInWorker', { html, decisions }, 'article'),
    },
    async extract(html, url) {
      const task: ExtractTask = { html, url };
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        return (await pool.run(task, { signal })) as Extraction;
      } catch (err) {
        if (err instanceof FolioError) throw err;
        if (signal.aborted) {
          throw new FolioError(
            'EXTRACT_FAILED',
            `${url}: extraction took longer than ${Math.round(timeoutMs / 1000)} s and was stopped; the page is too large or too complex to clean`,
          );
        }
        const e = err as { code?: string; message?: string };
        if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          throw new FolioError('EXTRACT_FAILED', `${url}: extraction needed more than ${maxHeapMb} MB and was stopped`);
        }
        // Errors thrown inside the worker arrive as plain Errors; keep FolioError codes that
        // survive structured cloning as a "code" property.
        const code = typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) ? e.code : 'EXTRACT_FAILED';
        throw new FolioError(code as FolioError['code'], e.message ?? String(err));
      }
    },
    close: () => pool.destroy(),
  };
}

/**
 * The worker must be plain JavaScript: when this module runs from the TypeScript sources
 * (under the test runner) point at the compiled copy in build/ instead.
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return here.replace(/extract-pool\.js$/, 'extract-worker.js');
  const compiled = here
    .replace(/[\\/]app[\\/]capture[\\/]extract-pool\.ts$/, '/build/app/capture/extract-worker.js');
  if (!existsSync(compiled)) {
    throw new FolioError('INTERNAL', `the extraction worker is not built (${compiled}); run npm run build`);
  }
  return compiled;
}

/**
 * A pool started on the first page to extract, for commands whose run may need none (a batch
 * of duplicates, an import of bookmarks or of exports that carry their content).
 */
export function lazyExtractPool(options: ExtractPoolOptions = {}): ExtractionWorkers & Pick<ExtractPool, 'close'> {
  let pool: ExtractPool | null = null;
  const started = () => (pool ??= createExtractPool(options));
  return {
    extract: (html, url) => started().extract(html, url),
    imageDom: {
      plan: (html, pageUrl) => started().imageDom.plan(html, pageUrl),
      apply: (html, decisions) => started().imageDom.apply(html, decisions),
    },
    close: async () => pool?.close(),
  };
}

/** What capture needs from a pool: extraction and the image DOM steps off the calling thread. */
export type ExtractionWorkers = Pick<ExtractPool, 'extract' | 'imageDom'>;
