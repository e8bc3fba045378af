import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveCorpus } from './corpus-server.js';
import type { CorpusPage } from './corpus.js';
import { round } from './stats.js';

/**
 * Memory and responsiveness: a `pages`-page import (URL list, fetching on) in a child process,
 * pages served from this process by a local server (corpus pages cycled under distinct URLs,
 * every absolute origin in them pointed at the same server, as in the capture section).
 * Every 50 ms the RSS of the child and of each process it started (its extraction processes) is
 * read from /proc/<pid>/status: `peak_rss_mb` is the largest single process, as the issue
 * counts, and `peak_total_rss_mb` the whole tree at its largest sample. The child reports its
 * own main-thread event-loop delay (perf_hooks.monitorEventLoopDelay).
 */
export interface MemoryResult {
  pages: number;
  saved: number;
  /** Pages whose canonical URL an earlier page of the list already had (the corpus cycles). */
  duplicate: number;
  failed: number;
  seconds: number;
  /** The largest single process at any sample. */
  peak_rss_mb: number;
  /** The import's own process (archive, queue, fetches, saves). */
  peak_main_rss_mb: number;
  /** The largest extraction process. */
  peak_extractor_rss_mb: number;
  /** The import process and its extraction processes together, at the largest sample. */
  peak_total_rss_mb: number;
  extractor_processes_seen: number;
  rss_samples: number;
  eventloop_max_delay_ms: number;
  eventloop_p99_delay_ms: number;
  /** Seconds into the import of the longest gap between 10 ms timer ticks. */
  longest_stall_at_s: number;
  /** The main thread's time on a CPU / waiting for one during that stall (Linux; else null). */
  longest_stall_on_cpu_ms: number | null;
  longest_stall_runqueue_ms: number | null;
  /** The most CPU the main thread spent between two 10 ms ticks: our own longest unbroken run. */
  max_on_cpu_between_ticks_ms: number | null;
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

/** Child processes of `pid`, from /proc/<pid>/task/<tid>/children (every thread's). */
function childPids(pid: number): number[] {
  const pids: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list) pids.push(...list.split(/\s+/).map(Number));
    }
  } catch {
    // the process has exited between the reads
  }
  return pids;
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
  let peakMain = 0;
  let peakExtractor = 0;
  let peakTotal = 0;
  let samples = 0;
  const extractors = new Set<number>();
  const timer = setInterval(() => {
    const main = rssMb(child.pid!);
    if (main === null) return;
    let total = main;
    peakMain = Math.max(peakMain, main);
    for (const pid of childPids(child.pid!)) {
      const mb = rssMb(pid);
      if (mb === null) continue;
      extractors.add(pid);
      total += mb;
      peakExtractor = Math.max(peakExtractor, mb);
    }
    peak = Math.max(peakMain, peakExtractor);
    peakTotal = Math.max(peakTotal, total);
    samples++;
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
    saved: number; duplicate: number; failed: number; seconds: number; max_delay_ms: number; p99_delay_ms: number;
    longest_stall: { ms: number; at_s: number; on_cpu_ms: number | null; runqueue_ms: number | null };
    max_on_cpu_between_ticks_ms: number | null;
  };
  return {
    pages: count,
    saved: r.saved,
    duplicate: r.duplicate,
    failed: r.failed,
    seconds: round(r.seconds, 1),
    peak_rss_mb: round(peak, 1),
    peak_main_rss_mb: round(peakMain, 1),
    peak_extractor_rss_mb: round(peakExtractor, 1),
    peak_total_rss_mb: round(peakTotal, 1),
    extractor_processes_seen: extractors.size,
    rss_samples: samples,
    eventloop_max_delay_ms: round(r.max_delay_ms, 1),
    eventloop_p99_delay_ms: round(r.p99_delay_ms, 1),
    longest_stall_at_s: round(r.longest_stall.at_s, 1),
    longest_stall_on_cpu_ms: r.longest_stall.on_cpu_ms === null ? null : round(r.longest_stall.on_cpu_ms, 1),
    longest_stall_runqueue_ms: r.longest_stall.runqueue_ms === null ? null : round(r.longest_stall.runqueue_ms, 1),
    max_on_cpu_between_ticks_ms: r.max_on_cpu_between_ticks_ms === null ? null : round(r.max_on_cpu_between_ticks_ms, 1),
  };
}
