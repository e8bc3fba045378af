import { createHandlers } from '../app/api/handlers.js';
import { createEventBus } from '../app/api/events.js';
import { createExtractPool } from '../app/capture/extract-pool.js';
import type { ExtractorLauncher } from '../app/capture/extract-process.js';
import { createQueueRunner } from '../app/queue/runner.js';
import { openArchive } from '../app/store/open-archive.js';
import type { RunningCore } from './host-server.js';

/**
 * Builds the core the app's window talks to: archive + event bus + capture queue (with its
 * extraction pool) + contract handlers — the same pieces `folio serve` wires up.
 * Runs inside the core host (a utility process), never in Electron's main process; its
 * extraction processes are utility processes too, started by main through `launcher`.
 */
export async function startCore(archivePath: string, options: { launcher?: ExtractorLauncher } = {}): Promise<RunningCore> {
  // Long-lived, answering the window while it saves: WAL checkpoints run on a thread of their own.
  const archive = openArchive(archivePath, { backgroundCheckpoints: true });
  const events = createEventBus();
  const extractPool = createExtractPool({ launcher: options.launcher });
  const runner = createQueueRunner({ archive, events, extractPool });
  const handlers = createHandlers({ archive, events, runner, extractPool });
  // Finishes whatever a previous run left queued (the runner requeues jobs left running).
  runner.start();
  return {
    archivePath,
    handlers,
    events,
    getImage: (sha256) => archive.getImage(sha256),
    async close() {
      // Quitting must be quick: running captures are interrupted and stay queued, and the
      // next start finishes them (as `folio serve` does on Ctrl-C).
      await runner.stop({ cancelRunning: true });
      await extractPool.close();
      archive.close();
    },
  };
}
