/**
 * The process measured by the memory section (memory-bench.ts starts it): imports a URL list
 * with fetching on, as `folio import` does, and reports its main thread's event-loop delay as
 * one JSON line on stdout. RSS is sampled from outside (by the parent), so a blocked event loop
 * here cannot hide a peak.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { importFile } from '../../app/import/import-run.js';
import { openArchive } from '../../app/store/open-archive.js';
import { createExtractPool } from '../../app/capture/extract-pool.js';

const [file, dbPath] = process.argv.slice(2) as [string, string];
const delay = monitorEventLoopDelay({ resolution: 10 });
// As `folio import` opens it.
const archive = openArchive(dbPath, { backgroundCheckpoints: true });
delay.enable();
// As `folio import` does: captured pages are cleaned in the extraction pool.
const pool = createExtractPool();
const t0 = performance.now();
/**
 * The main thread's time on a CPU and waiting for one, in ms (Linux: the thread's schedstat;
 * null elsewhere). A stall's wall time minus both is time the thread was blocked (synchronous
 * I/O such as an fsync) or the whole VM was paused: the delay figure alone cannot tell our own
 * code running from the machine not running us, and on this VM one import had a 400 ms stall
 * where the others had 75 ms.
 */
const schedstat = `/proc/self/task/${process.pid}/schedstat`;
function threadTimes(): { cpu: number; wait: number } | null {
  try {
    const [cpu, wait] = readFileSync(schedstat, 'utf8').split(' ').map(Number);
    return { cpu: cpu! / 1e6, wait: wait! / 1e6 };
  } catch {
    return null;
  }
}
// When the longest stall happened, so a reader can tell start-up from the steady state, and
// what the thread was doing meanwhile.
let lastTick = performance.now();
let lastTimes = threadTimes();
let worst = { ms: 0, atS: 0, cpuMs: null as number | null, waitMs: null as number | null };
// The most CPU the main thread spent between two ticks: the longest our own code ran unbroken.
let maxOnCpu = 0;
const tick = setInterval(() => {
  const now = performance.now();
  const times = threadTimes();
  const late = now - lastTick - 10;
  const cpu = times && lastTimes ? times.cpu - lastTimes.cpu : null;
  const wait = times && lastTimes ? times.wait - lastTimes.wait : null;
  if (late > worst.ms) worst = { ms: late, atS: (lastTick - t0) / 1000, cpuMs: cpu, waitMs: wait };
  if (cpu !== null && cpu > maxOnCpu) maxOnCpu = cpu;
  lastTick = now;
  lastTimes = times;
}, 10);
const summary = await importFile(archive, file, {
  fetch: true,
  extractPool: pool,
  captureOptions: { render: 'never', fetch: { allowPrivateAddresses: true }, images: { allowPrivateAddresses: true } },
});
const seconds = (performance.now() - t0) / 1000;
clearInterval(tick);
delay.disable();
archive.close();
await pool.close();
process.stdout.write(
  JSON.stringify({
    saved: summary.saved,
    duplicate: summary.duplicate,
    failed: summary.failed,
    items: summary.items,
    seconds,
    max_delay_ms: delay.max / 1e6,
    p99_delay_ms: delay.percentile(99) / 1e6,
    longest_stall: { ms: worst.ms, at_s: worst.atS, on_cpu_ms: worst.cpuMs, runqueue_ms: worst.waitMs },
    max_on_cpu_between_ticks_ms: lastTimes ? maxOnCpu : null,
    mean_delay_ms: delay.mean / 1e6,
  }) + '\n',
);
