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
const summary = await importFile(archive, file, {
  fetch: true,
  extractPool: pool,
  captureOptions: { render: 'never', fetch: { allowPrivateAddresses: true }, images: { allowPrivateAddresses: true } },
});
const seconds = (performance.now() - t0) / 1000;
delay.disable();
archive.close();
await pool.close();
process.stdout.write(
  JSON.stringify({
    saved: summary.saved,
    failed: summary.failed,
    items: summary.items,
    seconds,
    max_delay_ms: delay.max / 1e6,
    p99_delay_ms: delay.percentile(99) / 1e6,
    mean_delay_ms: delay.mean / 1e6,
  }) + '\n',
);
