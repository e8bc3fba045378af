import { availableParallelism } from 'node:os';
import { FolioError, type FolioErrorCode } from '../core/errors.js';
import type { Extraction } from '../core/types.js';
import type { ExtractRequest, ExtractResult, ExtractReply, ExtractorMessage } from './extract-protocol.js';
import { forkExtractor, type ExtractorExit, type ExtractorLauncher, type ExtractorProcess } from './extract-process.js';
import type { ImageDom } from './images.js';

/**
 * A pool of extraction processes (parse5 + Readability + DOMPurify), the CPU-heavy step of
 * capture. Fetching and image downloads stay on the calling thread (they are I/O); only the
 * DOM work moves off it, so the pool can be as small as the core count and the calling thread
 * (the CLI's, or the desktop app's core process) never blocks on a page.
 *
 * Processes, not worker threads: a worker's heap, jsdom's code (28 MB per isolate) and its
 * garbage all count against the one process that also holds the archive and the queue, and
 * V8's helper threads, shared by every thread of a process, collected the workers' garbage
 * beside the main thread's. With two workers a 1,000-page import peaked at 534–574 MB in one
 * process; see the README's performance section for the figures with processes.
 *
 * Each page has a time limit and each process a heap cap: a pathological page costs one
 * process (it is killed and another started), never the app. A process also retires after
 * `pagesPerProcess` pages, so what a long batch fragments or leaks is handed back to the system.
 *
 * Hand-written rather than a pool library: the desktop app cannot fork Node processes (its
 * packaged binary refuses to run as Node), its processes are Electron utility processes
 * started by the main process, and the pool takes them through `launcher`.
 */
export interface ExtractPoolOptions {
  processes?: number; // default: min(available cores, 4)
  timeoutMs?: number; // per page, from when a started process takes it; default 30 s
  startTimeoutMs?: number; // for a new process to load jsdom and say it is ready; default 60 s
  maxHeapMb?: number; // per process old-generation cap, default 512 MB
  semiSpaceMb?: number; // per process V8 semi-space size, default 8 MB (see below)
  idleMs?: number; // a process with nothing to do for this long ends, default 60 s
  /**
   * Scheduling niceness of the processes, default 5. The calling thread fetches, saves and
   * answers the UI in short bursts; two extraction processes keep both cores of a 2-core machine
   * busy, and at equal priority the caller waited for a core behind them. At 5 the caller wins a
   * core when it wakes, while an extraction still gets ~30 % of a core beside two busy normal
   * processes (at 10, ~10 %: an extraction thread at 10 beside two busy processes once took over
   * 3 s for a one-line page, and the per-page limit is wall-clock time).
   * 1,000-page import, event-loop max / p99: 0 → 46–57 / 20–21 ms, 5 → 45–47 / 17 ms.
   */
  niceness?: number;
  /**
   * Threads V8 may start in each process for garbage collection and compiling beside the
   * process's own (Node's --v8-pool-size), default 1. V8 otherwise starts one per core, and on
   * a 2-core machine with two processes extracting, their parallel collections were more
   * threads wanting a core when the calling thread woke: they gain nothing when the cores are
   * already busy. 1,000-page import, 3 runs each, same session: event-loop max 56.9, 51.0,
   * 43.7 → 34.4, 38.3, 42.6 ms (p99 19.3–20.2 → 17.7–18.5), the import 125–133 → 110–118 s,
   * an extraction process's peak RSS 298–303 → 264–283 MB.
   */
  v8Threads?: number;
  pagesPerProcess?: number; // a process ends after this many requests (about 3 a page), default 2,000
  launcher?: ExtractorLauncher; // default: child_process.fork (extract-process.ts)
}

export interface ExtractPool {
  extract(html: string, url: string): Promise<Extraction>;
  /** The DOM steps of image localizing, in the same processes (ImageOptions.dom). */
  readonly imageDom: ImageDom;
  readonly processes: number;
  /** Extraction processes alive now: none until the first page, none again once idle for idleMs. */
  liveProcesses(): number;
  /** Rejects what is queued, ends every process, and resolves once they have exited. */
  close(): Promise<void>;
}

type Op = ExtractRequest['op'];
type Task = { [K in Op]: Omit<Extract<ExtractRequest, { op: K }>, 'id'> }[Op];

interface Job {
  task: Task;
  /** The page, for error messages. */
  label: string;
  resolve(value: unknown): void;
  reject(err: FolioError): void;
  id?: number;
}

interface Slot {
  proc: ExtractorProcess;
  job: Job | null;
  served: number;
  /** Whether the process has loaded what extraction needs (ExtractorReady). */
  ready: boolean;
  timer?: NodeJS.Timeout;
  idleTimer?: NodeJS.Timeout;
  exited: Promise<void>;
}

export function createExtractPool(options: ExtractPoolOptions = {}): ExtractPool {
  const size = options.processes ?? Math.max(1, Math.min(availableParallelism(), 4));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const maxHeapMb = options.maxHeapMb ?? 512;
  const idleMs = options.idleMs ?? 60_000;
  const pagesPerProcess = options.pagesPerProcess ?? 2_000;
  const launcher = options.launcher ?? forkExtractor;
  const limits = { maxHeapMb, semiSpaceMb: options.semiSpaceMb ?? 8, niceness: options.niceness ?? 5, v8Threads: options.v8Threads ?? 1 };
  const queue: Job[] = [];
  const slots = new Set<Slot>();
  let nextId = 1;
  let closed = false;

  function start(): Slot {
    const proc = launcher(limits);
    let exitedResolve!: () => void;
    const slot: Slot = { proc, job: null, served: 0, ready: false, exited: new Promise((r) => (exitedResolve = r)) };
    proc.onMessage((message) => ('ready' in message ? becameReady(slot) : finish(slot, message)));
    // Start-up has its own limit, apart from the page's: loading jsdom took over 3 s here on a
    // busy 2-core machine, and a 3 s page limit then failed a one-line page.
    slot.timer = setTimeout(() => {
      const job = slot.job;
      retire(slot);
      job?.reject(
        new FolioError(
          'EXTRACT_FAILED',
          `${job.label}: the extraction process did not start within ${Math.round(startTimeoutMs / 1000)} s; the machine may be overloaded — try again`,
        ),
      );
      pump();
    }, startTimeoutMs);
    proc.onExit((exit) => {
      slots.delete(slot);
      clearTimeout(slot.timer);
      clearTimeout(slot.idleTimer);
      const job = slot.job;
      slot.job = null;
      if (job) job.reject(exitError(job, exit));
      exitedResolve();
      pump();
    });
    slots.add(slot);
    return slot;
  }

  function pump(): void {
    while (queue.length > 0 && !closed) {
      let slot: Slot | undefined;
      for (const s of slots) if (!s.job) slot = s;
      if (!slot && slots.size < size) slot = start();
      if (!slot) return;
      assign(slot, queue.shift()!);
    }
  }

  function assign(slot: Slot, job: Job): void {
    clearTimeout(slot.idleTimer);
    job.id = nextId++;
    slot.job = job;
    slot.proc.keepAlive(true);
    if (slot.ready) startPageTimer(slot, job);
    slot.proc.send({ ...job.task, id: job.id } as ExtractRequest);
  }

  function becameReady(slot: Slot): void {
    if (slot.ready) return;
    slot.ready = true;
    clearTimeout(slot.timer);
    if (slot.job) startPageTimer(slot, slot.job);
  }

  function startPageTimer(slot: Slot, job: Job): void {
    slot.timer = setTimeout(() => {
      retire(slot);
      job.reject(
        new FolioError(
          'EXTRACT_FAILED',
          `${job.label}: extraction took longer than ${Math.round(timeoutMs / 1000)} s and was stopped; the page is too large or too complex to clean`,
        ),
      );
    }, timeoutMs);
  }

  function finish(slot: Slot, reply: ExtractReply): void {
    const job = slot.job;
    if (!job || reply.id !== job.id) return; // an answer to a job already failed by its time limit
    clearTimeout(slot.timer);
    slot.job = null;
    slot.served++;
    if (reply.ok) job.resolve(reply.value);
    else job.reject(new FolioError(folioCode(reply.error.code), reply.error.message));
    if (slot.served >= pagesPerProcess) {
      retire(slot);
    } else {
      slot.proc.keepAlive(false);
      slot.idleTimer = setTimeout(() => retire(slot), idleMs);
      slot.idleTimer.unref();
    }
    pump();
  }

  /** Ends a process now; whatever it was doing has been answered already (or is answered on exit). */
  function retire(slot: Slot): void {
    slots.delete(slot);
    clearTimeout(slot.timer);
    clearTimeout(slot.idleTimer);
    slot.job = null;
    slot.proc.kill();
  }

  function exitError(job: Job, exit: ExtractorExit): FolioError {
    if (exit.outOfMemory) {
      return new FolioError('EXTRACT_FAILED', `${job.label}: extraction needed more than ${maxHeapMb} MB and was stopped`);
    }
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    return new FolioError(
      'EXTRACT_FAILED',
      `${job.label}: the extraction process stopped unexpectedly (${how}) while cleaning this page; try again, and report the page if it happens again`,
    );
  }

  function run<K extends Op>(task: Extract<Task, { op: K }>, label: string): Promise<ExtractResult[K]> {
    return new Promise((resolve, reject) => {
      if (closed) {
        reject(closedError(label));
        return;
      }
      queue.push({ task, label, resolve: resolve as (value: unknown) => void, reject });
      pump();
    });
  }

  const runImageStep = async <K extends 'plan-images' | 'apply-images'>(task: Extract<Task, { op: K }>, label: string) => {
    try {
      return await run<K>(task, label);
    } catch (err) {
      throw new FolioError('EXTRACT_FAILED', `${label}: could not rewrite the article's images (${(err as Error).message})`);
    }
  };

  return {
    processes: size,
    liveProcesses: () => slots.size,
    imageDom: {
      plan: (html, pageUrl) => runImageStep<'plan-images'>({ op: 'plan-images', html, pageUrl }, pageUrl),
      apply: (html, decisions) => runImageStep<'apply-images'>({ op: 'apply-images', html, decisions }, 'article'),
    },
    extract: (html, url) => run<'extract'>({ op: 'extract', html, url }, url),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) {
        job.reject(closedError(job.label));
      }
      const exits = [...slots].map((slot) => slot.exited);
      for (const slot of [...slots]) {
        const job = slot.job;
        slot.proc.keepAlive(true); // so that the exits awaited below can arrive
        retire(slot);
        job?.reject(closedError(job.label));
      }
      await Promise.all(exits);
    },
  };
}

function closedError(label: string): FolioError {
  return new FolioError('EXTRACT_FAILED', `${label}: extraction was stopped (the extraction pool is closed)`);
}

/** Keeps a FolioError code that crossed from the process; anything else is an extraction failure. */
function folioCode(code: string | undefined): FolioErrorCode {
  return code && /^[A-Z_]+$/.test(code) ? (code as FolioErrorCode) : 'EXTRACT_FAILED';
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
