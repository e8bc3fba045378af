/**
 * Entry of one extraction process started by the pool with child_process.fork (the CLI,
 * `folio serve`, tests and benchmarks; the desktop app starts Electron utility processes
 * instead, main/extract-host.ts). Requests and replies travel over the IPC channel.
 */
import type { ExtractorMessage, ExtractRequest } from './extract-protocol.js';
import { serveExtraction } from './extract-service.js';

if (!process.send) {
  process.stderr.write('folio: extract-child.js is started by Folio\'s extraction pool, not on its own\n');
  process.exit(2);
}
process.title = 'folio-extract';
// The pool going away (closed, crashed, killed) ends this process too.
process.on('disconnect', () => process.exit(0));

serveExtraction({
  post: (reply: ExtractorMessage) => process.send!(reply),
  onMessage: (fn) => process.on('message', (message) => fn(message as ExtractRequest)),
});
