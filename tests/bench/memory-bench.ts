import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveCorpus } from './corpus-server.js';
import type { CorpusPage } from './corpus.js';
import { round } from './stats.js';

/**
 * Memory and responsiveness: a `pages`-page import (URL list, fetching on) in a child process,
 * pages served from this process by a local server (corpus pages cycled under distinct URLs,
 * every absolute origin in them pointed at the same server, as in the capture section).
 * The child's RSS — every thread of it, extraction workers included — is read from
 * /proc/<pid>/status every 50 ms; the child reports its own main-thread event-loop delay
 * (perf_hooks.monitorEventLoopDelay).
 */
export interface MemoryResult {
  pages: number;
  saved: number;
  failed: number;
  seconds: number;
  peak_rss_mb: number;
  rss_samples: number;
  eventloop_max_delay_ms: number;
  eventloop_p99_delay_ms: number;
}

const SAMPLE_MS = 50;

/** Resident set of a process in MB (Linux /proc), or null once it has exited. */
function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export async function benchMemory(pages: CorpusPage[], count: number, tmpDir: string): Promise<MemoryResult> {
  const server = await serveCorpus(pages);
  const list = join(tmpDir, 'memory-urls.txt');
  const dbPath = join(tmpDir, 'memory.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  writeFileSync(list, Array.from({ length: count }, (_, i) => `${server.origin}/p/${i}/page.html`).join('\n') + '\n');
  const child = spawn(process.execPath, [fileURLToPath(new URL('./memory-child.js', import.meta.url)), list, dbPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peak = 0;
  let samples = 0;
  const timer = setInterval(() => {
    const mb = rssMb(child.pid!);
    if (mb !== null) {
      peak = Math.max(peak, mb);
      samples++;
    }
  }, SAMPLE_MS);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    if (code !== 0) throw new Error(`memory bench: the import process exited with ${code}`);
  } finally {
    clearInterval(timer);
    await server.close();
  }
  const r = JSON.parse(out.trim().split('\n').pop()!) as {
    saved: number; failed: number; seconds: number; max_delay_ms: number; p99_delay_ms: number;
  };
  return {
    pages: count,
    saved: r.saved,
    failed: r.failed,
    seconds: round(r.seconds, 1),
    peak_rss_mb: round(peak, 1),
    rss_samples: samples,
    eventloop_max_delay_ms: round(r.max_delay_ms, 1),
    eventloop_p99_delay_ms: round(r.p99_delay_ms, 1),
  };
}
