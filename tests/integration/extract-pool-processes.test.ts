import { existsSync, readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExtractPool, type ExtractPool, type ExtractPoolOptions } from '../../app/capture/extract-pool.js';
import { forkExtractor, type ExtractorLauncher, type ExtractorProcess } from '../../app/capture/extract-process.js';
import type { ExtractorMessage } from '../../app/capture/extract-protocol.js';

/**
 * The extraction pool's processes (child_process.fork, as the CLI and `folio serve` use): a page
 * that needs more than the heap cap, a process that dies mid-page, retiring after N requests,
 * and closing — each costs at most the page concerned, and the next page is cleaned.
 */
const builtChild = join(import.meta.dirname, '../../build/app/capture/extract-child.js');

const SMALL = `<html><head><title>Small page</title></head><body><article><h1>Small page</h1><p>${'A sentence about reading offline. '.repeat(40)}</p></article></body></html>`;
/** 150,000 paragraphs (~6 MB): its trees need far more than 48 MB of heap. */
const HUGE = `<html><head><title>Huge</title></head><body><article>${Array.from({ length: 150_000 }, (_, i) => `<p class="c${i}">paragraph ${i} <b>x</b></p>`).join('')}</article></body></html>`;

/** `base` (forkExtractor unless given), keeping a handle on each process started. */
function recordingLauncher(base: ExtractorLauncher = forkExtractor): { launcher: ExtractorLauncher; started: ExtractorProcess[] } {
  const started: ExtractorProcess[] = [];
  return {
    started,
    launcher: (limits) => {
      const proc = base(limits);
      started.push(proc);
      return proc;
    },
  };
}

/** Runs `use` on a pool whose processes are recorded in `started`, closing the pool afterwards. */
async function withPool(options: ExtractPoolOptions, use: (pool: ExtractPool, started: ExtractorProcess[]) => Promise<void>): Promise<void> {
  const { launcher, started } = recordingLauncher(options.launcher);
  const pool = createExtractPool({ ...options, launcher });
  try {
    await use(pool, started);
  } finally {
    await pool.close();
  }
}

/**
 * forkExtractor whose processes seem to start slowly: each one's "ready" reaches the pool
 * `delayMs` late (never, when null), and anything it answers meanwhile waits behind it, as it
 * would behind a slow start.
 */
function slowStartLauncher(delayMs: number | null): ExtractorLauncher {
  return (limits) => {
    const proc = forkExtractor(limits);
    return {
      ...proc,
      onMessage: (fn) => {
        let held: ExtractorMessage[] | null = [];
        proc.onMessage((message) => {
          if (held === null) fn(message);
          else if (!('ready' in message)) held.push(message);
          else if (delayMs !== null) {
            setTimeout(() => {
              fn(message);
              for (const m of held!) fn(m);
              held = null;
            }, delayMs);
          }
        });
      },
    };
  };
}

describe.runIf(existsSync(builtChild))('extraction processes', () => {
  it("a process's start-up is not charged to its first page's time limit", async () => {
    // A 1 s page limit and a start that takes 2 s: the page itself takes a few milliseconds.
    await withPool({ processes: 1, timeoutMs: 1000, launcher: slowStartLauncher(2000) }, async (pool) => {
      expect((await pool.extract(SMALL, 'http://127.0.0.1/first')).title).toBe('Small page');
    });
  }, 60_000);

  it('a process that never says it is ready fails its page with the start-up limit named, and the pool goes on', async () => {
    // 8 s: the limit applies to the next, real process too, which loads jsdom on a busy machine.
    let launches = 0;
    const neverReadyFirst: ExtractorLauncher = (limits) => (launches++ === 0 ? slowStartLauncher(null)(limits) : forkExtractor(limits));
    await withPool({ processes: 1, startTimeoutMs: 8000, launcher: neverReadyFirst }, async (pool) => {
      await expect(pool.extract(SMALL, 'http://127.0.0.1/stuck')).rejects.toMatchObject({
        code: 'EXTRACT_FAILED',
        message: expect.stringMatching(/^http:\/\/127\.0\.0\.1\/stuck: the extraction process did not start within 8 s/),
      });
      expect((await pool.extract(SMALL, 'http://127.0.0.1/next')).title).toBe('Small page');
      expect(launches).toBe(2);
    });
  }, 60_000);

  it('a page over the heap cap fails with the cap named; the pool starts a new process for the next page', async () => {
    await withPool({ processes: 1, maxHeapMb: 48 }, async (pool, started) => {
      await expect(pool.extract(HUGE, 'http://127.0.0.1/huge')).rejects.toMatchObject({
        code: 'EXTRACT_FAILED',
        message: 'http://127.0.0.1/huge: extraction needed more than 48 MB and was stopped',
      });
      expect((await pool.extract(SMALL, 'http://127.0.0.1/small')).title).toBe('Small page');
      expect(started).toHaveLength(2);
    });
  }, 60_000);

  it('a process that dies mid-page fails that page only, saying how it ended', async () => {
    await withPool({ processes: 1 }, async (pool, started) => {
      expect((await pool.extract(SMALL, 'http://127.0.0.1/first')).title).toBe('Small page');
      const dying = pool.extract(HUGE, 'http://127.0.0.1/killed');
      const next = pool.extract(SMALL, 'http://127.0.0.1/next'); // queued behind it
      setTimeout(() => started[0]!.kill(), 100); // from outside the pool, as a crash would
      await expect(dying).rejects.toThrow(
        /^http:\/\/127\.0\.0\.1\/killed: the extraction process stopped unexpectedly \(signal SIGKILL\) while cleaning this page/,
      );
      expect((await next).title).toBe('Small page');
      expect(started).toHaveLength(2);
    });
  }, 60_000);

  it('retires a process after pagesPerProcess requests and goes on in a fresh one', async () => {
    await withPool({ processes: 1, pagesPerProcess: 2 }, async (pool, started) => {
      for (let i = 0; i < 5; i++) expect((await pool.extract(SMALL, `http://127.0.0.1/p${i}`)).title).toBe('Small page');
      expect(started).toHaveLength(3); // pages 0–1, 2–3, 4
      expect(pool.liveProcesses()).toBe(1);
    });
  }, 60_000);

  it('runs its processes at a lower priority than the caller (niceness 5 by default)', async () => {
    await withPool({ processes: 1 }, async (pool, started) => {
      expect((await pool.extract(SMALL, 'http://127.0.0.1/nice')).title).toBe('Small page');
      expect(getPriority(started[0]!.pid!) - getPriority()).toBe(5);
    });
  }, 60_000);

  it.runIf(process.platform === 'linux')('gives V8 one helper thread per process by default (v8Threads), not one per core', async () => {
    const threadsWith = async (options: ExtractPoolOptions) => {
      let threads = 0;
      await withPool({ processes: 1, ...options }, async (pool, started) => {
        expect((await pool.extract(SMALL, 'http://127.0.0.1/threads')).title).toBe('Small page');
        threads = readdirSync(`/proc/${started[0]!.pid!}/task`).length;
      });
      return threads;
    };
    // The same page in each, so every other thread (libuv's pool, Node's own) is the same.
    expect((await threadsWith({ v8Threads: 4 })) - (await threadsWith({}))).toBe(3);
  }, 60_000);

  it('runs pages in parallel up to its size, and close() fails what is queued and ends every process', async () => {
    const { launcher, started } = recordingLauncher();
    const pool = createExtractPool({ processes: 2, launcher });
    // Enough pages that many are still queued when the first answer arrives (several answers can
    // arrive in one read of the channel before this test resumes).
    const pages = Array.from({ length: 60 }, (_, i) => pool.extract(SMALL, `http://127.0.0.1/q${i}`));
    const settled = Promise.allSettled(pages);
    expect(started).toHaveLength(2);
    // The first answer from either process: not page 0's, which waits for its process to start.
    // On a loaded machine one process once started so much later than the other that the other
    // served every remaining page first, and nothing was left queued to fail.
    const first = await Promise.race(pages);
    expect(first.title).toBe('Small page');
    await pool.close();
    const outcomes = await settled;
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect((f.reason as Error).message).toMatch(/: extraction was stopped \(the extraction pool is closed\)$/);
    expect(pool.liveProcesses()).toBe(0);
    await expect(pool.extract(SMALL, 'http://127.0.0.1/after')).rejects.toThrow(/the extraction pool is closed/);
    expect(started).toHaveLength(2);
  }, 60_000);

  it('an error thrown while cleaning crosses with its code and message, and the process serves on', async () => {
    await withPool({ processes: 1 }, async (pool, started) => {
      await expect(pool.extract(SMALL, 'not a url')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('not a url') });
      expect((await pool.extract(SMALL, 'http://127.0.0.1/ok')).title).toBe('Small page');
      expect(started).toHaveLength(1);
    });
  }, 60_000);
});
