/**
 * The process measured by the memory section (memory-bench.ts starts it): imports a URL list
 * with fetching on, as `folio import` does, and reports its main thread's event-loop delay as
 * one JSON line on stdout. RSS is sampled from outside (by the parent), so a blocked event loop
 * here cannot hide a peak.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { importFile } from '../../app/import/import-run.js';
import { openArchive } from '../../app/store/open-archive.js';
import { createExtractPool } from '../../app/capture/extract-pool.js';

const [file, dbPath] = process.argv.slice(2) as [string, string];
const delay = monitorEventLoopDelay({ resolution: 10 });
const archive = openArchive(dbPath);
delay.enable();
// As `folio import` does: captured pages are cleaned in the extraction pool.
const pool = createExtractPool();
const t0 = performance.now();
// When the longest stall happened, so a reader can tell start-up from the steady state.
let lastTick = performance.now();
let worst = { ms: 0, atS: 0 };
const tick = setInterval(() => {
  const now = performance.now();
  const late = now - lastTick - 10;
  if (late > worst.ms) worst = { ms: late, atS: (lastTick - t0) / 1000 };
  lastTick = now;
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
    longest_stall: { ms: worst.ms, at_s: worst.atS },
    mean_delay_ms: delay.mean / 1e6,
  }) + '\n',
);
