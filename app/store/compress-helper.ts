import { existsSync } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { compiledSibling } from '../compiled-script.js';
import { compressText, compressUtf8, type Compressed } from './compress.js';
import { PageState, type CompressBatchMessage, type CompressedPageMessage } from './compress-shared.js';

/**
 * Compresses a batch's original pages on two threads: the archive's own, which needs each page
 * as it writes its article, and a helper thread (compress-worker.ts), which starts from the
 * batch's last page. Restoring a backup compresses every original in the store's transaction
 * (39 % of a restore's CPU with real pages); the helper takes pages off the archive's thread
 * while that thread writes rows and search entries, so on two cores the two overlap. Measured
 * (issue #6), with and without the helper alternating: the bench's batched store 1,659 → 1,922
 * and 2,356 → 2,610 articles/s (two archives built side by side, batch by batch); restoring a
 * 1,000-article backup of real pages (209 MB) 4.32 → 3.97, 4.38 → 4.05, 4.86 → 4.43 s. Sending
 * the pages as strings was no faster: copying them to the thread cost as much as it saved, so
 * they are encoded once into memory both threads read.
 *
 * The archive's thread never waits for the helper to start or to catch up: a page nobody took
 * yet it compresses itself (so a batch costs at worst what it did without the helper); it waits
 * only for a page the helper is compressing at that moment, and not past HELPER_WAIT_MS, after
 * which the helper is taken for broken and dropped. The bytes are the same either way
 * (compressUtf8, the one Brotli setting).
 */
export interface PageBatch {
  /** Page i's compressed bytes (each is compressed once; later calls return the same value). */
  take(index: number): Compressed;
  /** How many pages the helper thread has compressed so far. */
  readonly helped: number;
}

export interface CompressHelperOptions {
  /** The thread's script (tests); by default compress-worker's compiled file. */
  script?: string;
  /** Longest wait for one page the helper is compressing, in ms. */
  waitMs?: number;
}

/**
 * Smaller batches stay on the calling thread: at this size the helper no longer pays (two 32 K
 * character pages taken at once: 0.77 ms through it against 0.59 ms on the calling thread).
 */
const MIN_BATCH_CHARS = 64 * 1024;
/** Longest wait for one page the helper is compressing (at 193 KB in 0.73 ms, 10 MB takes ~40 ms). */
const HELPER_WAIT_MS = 10_000;

export class CompressHelper {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private broken = false;
  private batches = 0;

  constructor(private readonly opts: CompressHelperOptions = {}) {}

  /** Starts compressing `texts` (on the helper when worth it) and returns them page by page. */
  batch(texts: readonly string[]): PageBatch {
    const chars = texts.reduce((n, t) => n + t.length, 0);
    const port = texts.length > 1 && chars >= MIN_BATCH_CHARS ? this.helperPort() : null;
    if (!port) return inlineBatch(texts);
    // Answers to an earlier batch that ended before taking them (an item failed, say): dropped.
    while (receiveMessageOnPort(port));
    const batch = ++this.batches;
    const lengths = texts.map((text) => Buffer.byteLength(text, 'utf8'));
    const offsets: number[] = [];
    const pages = Buffer.from(new SharedArrayBuffer(lengths.reduce((n, l) => n + l, 0)));
    let end = 0;
    texts.forEach((text, index) => {
      offsets.push(end);
      end += pages.write(text, end, lengths[index]!, 'utf8');
    });
    const states = new Int32Array(new SharedArrayBuffer(4 * texts.length));
    const message: CompressBatchMessage = { batch, pages: pages.buffer as SharedArrayBuffer, offsets, lengths, states: states.buffer as SharedArrayBuffer };
    port.postMessage(message);
    const done = new Map<number, Compressed>();
    const posted = (index: number): Compressed | null => {
      // Answers arrive in the helper's order; ones for earlier batches are left-overs.
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const page = m.message as CompressedPageMessage;
        if (page.batch !== batch) continue;
        done.set(page.index, { codec: page.codec, data: Buffer.from(page.data.buffer, page.data.byteOffset, page.data.byteLength), bytes: page.bytes });
        if (page.index === index) break;
      }
      return done.get(index) ?? null;
    };
    const ownCopy = (index: number): Compressed => {
      const start = offsets[index]!;
      const page = compressUtf8(pages.subarray(start, start + lengths[index]!));
      done.set(index, page);
      return page;
    };
    const waitMs = this.opts.waitMs ?? HELPER_WAIT_MS;
    return {
      get helped() {
        return states.filter((state) => state === PageState.Posted).length;
      },
      take: (index) => {
        const ready = done.get(index);
        if (ready) return ready;
        for (;;) {
          const state = Atomics.load(states, index);
          if (state === PageState.Waiting) {
            if (Atomics.compareExchange(states, index, PageState.Waiting, PageState.Taken) === PageState.Waiting) return ownCopy(index);
          } else if (state === PageState.Posted) {
            // Posted means on the port already; should it somehow not be, compress it here.
            return posted(index) ?? ownCopy(index);
          } else if (state === PageState.Helper) {
            if (Atomics.wait(states, index, PageState.Helper, waitMs) === 'timed-out' && Atomics.load(states, index) === PageState.Helper) {
              this.drop();
              return ownCopy(index);
            }
          } else {
            return ownCopy(index); // Taken: only by take itself, whose result is in `done`
          }
        }
      },
    };
  }

  /** Ends the helper thread (the archive is closing). */
  close(): void {
    this.drop();
  }

  private helperPort(): MessagePort | null {
    if (this.broken) return null;
    if (this.port) return this.port;
    const script = this.opts.script ?? compiledSibling(import.meta.url, 'compress-worker');
    if (!existsSync(script)) {
      this.broken = true;
      return null;
    }
    const { port1, port2 } = new MessageChannel();
    try {
      // No execArgv of the parent's (preloads, loaders, --inspect): this thread only compresses.
      this.worker = new Worker(script, { workerData: { port: port2 }, transferList: [port2], execArgv: [] });
    } catch {
      this.broken = true;
      return null;
    }
    // Neither may keep a CLI process alive; the archive's close() ends them properly.
    this.worker.unref();
    port1.unref();
    // A helper that fails is dropped; its pages are compressed by the archive's thread.
    this.worker.on('error', () => this.drop());
    this.port = port1;
    return port1;
  }

  private drop(): void {
    this.broken = true;
    this.port?.close();
    this.port = null;
    void this.worker?.terminate();
    this.worker = null;
  }
}

function inlineBatch(texts: readonly string[]): PageBatch {
  const done = new Map<number, Compressed>();
  return {
    helped: 0,
    take(index) {
      let page = done.get(index);
      if (!page) done.set(index, (page = compressText(texts[index]!)));
      return page;
    },
  };
}

