/**
 * `folio serve [--port N] [--open] [--db PATH]`: Folio's UI in any browser, over a server bound
 * to 127.0.0.1 (see app/bridge/server.ts for the protocol and its defences). Prints the launch
 * address (with the access key), optionally opens it, and runs until Ctrl-C / SIGTERM, then
 * closes the server and the archive cleanly.
 */
import { dirname } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { createEventBus } from '../../api/events.js';
import { openInBrowser } from '../../bridge/open-browser.js';
import { DEFAULT_BRIDGE_PORT, startBridge } from '../../bridge/server.js';
import { loadOrCreateToken, TOKEN_FILE_NAME } from '../../bridge/token.js';

interface ServeFlags {
  port: number;
  open?: boolean;
  db?: string;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the Folio interface to your browser on this computer only (127.0.0.1)')
    .option('--port <n>', `port to listen on; 0 picks a free one`, parsePort, DEFAULT_BRIDGE_PORT)
    .option('--open', 'open the interface in the default browser')
    .option('--db <path>', 'archive file (default: $FOLIO_DB, else the per-user Folio archive)')
    .addHelpText(
      'after',
      '\nThe printed address contains an access key, kept in a "' + TOKEN_FILE_NAME + '" file next to\n' +
        'the archive so bookmarks keep working across restarts: keep it to yourself. Once the\n' +
        'interface is open, visit /bookmarklet for a "Save to Folio" bookmark.\n' +
        '\nExamples:\n  folio serve --open\n  folio serve --port 0 --db ~/archive/folio.db',
    )
    .action(async (flags: ServeFlags) => runServe(flags));
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port number (0 to 65535; 0 picks a free port).`);
  }
  return port;
}

async function runServe(flags: ServeFlags): Promise<void> {
  // Loaded here, not at the top: every other command would otherwise pay for (and depend on)
  // the store and the handlers just to print its help.
  const [{ createHandlers }, { resolveArchivePath }, { openArchive }, { createQueueRunner }, { createExtractPool }] = await Promise.all([
    import('../../api/handlers.js'),
    import('../../store/default-path.js'),
    import('../../store/open-archive.js'),
    import('../../queue/runner.js'),
    import('../../capture/extract-pool.js'),
  ]);
  const archivePath = resolveArchivePath(flags.db);
  // Long-lived, answering the UI while it saves: WAL checkpoints run on a thread of their own.
  const archive = openArchive(archivePath, { backgroundCheckpoints: true });
  let runner: import('../../queue/runner.js').QueueRunner | undefined;
  let extractPool: import('../../capture/extract-pool.js').ExtractPool | undefined;
  try {
    const events = createEventBus();
    extractPool = createExtractPool();
    runner = createQueueRunner({ archive, events, extractPool });
    const handlers = createHandlers({ archive, events, runner, extractPool });
    // Finishes whatever a previous run left queued (jobs left running are requeued).
    runner.start();
    const bridge = await startBridge({
      handlers,
      events,
      getImage: (sha256) => archive.getImage(sha256),
      port: flags.port,
      // Stable across restarts so the bookmarklet keeps working.
      token: loadOrCreateToken(dirname(archivePath)),
    });
    process.stdout.write(
      `Folio is serving ${archivePath}\n` +
        `Open this address in your browser (it contains your access key; keep it private):\n\n` +
        `  ${bridge.launchUrl}\n\n` +
        `Press Ctrl-C to stop.\n`,
    );
    if (flags.open) await openInBrowser(bridge.launchUrl);
    const signal = await nextStopSignal();
    process.stderr.write(`folio: ${signal} received, stopping the server…\n`);
    await bridge.close();
  } finally {
    // Running captures are interrupted and left queued: the next start finishes them.
    await runner?.stop({ cancelRunning: true });
    await extractPool?.close();
    archive.close();
  }
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM, and stops listening for them. */
function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
    const onSignal = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, onSignal);
      resolve(signal);
    };
    for (const s of signals) process.on(s, onSignal);
  });
}
