/**
 * Entry of the core host: runs in an Electron utility process forked by capture-host.ts (see
 * there for why the core lives outside main). It does not import Electron: the utility process
 * provides `process.parentPort`, the MessagePort to main. The archive path arrives in FOLIO_DB.
 */
import type { ParentPort } from 'electron';
import { startCore } from './core-runtime.js';
import { brokeredExtractors } from './extract-launcher.js';
import { serveCore, type HostPort } from './host-server.js';
import type { MainToHost } from './host-protocol.js';

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  process.stderr.write('folio: core-host.js runs inside the Folio app (an Electron utility process); use `folio serve` to run the core on its own\n');
  process.exit(2);
}

// Extraction processes come from main (see extract-broker.ts); their ports and exits arrive
// among main's other messages and are taken out before the core sees the rest.
const extractors = brokeredExtractors((message) => parentPort.postMessage(message));

const port: HostPort = {
  post: (message) => parentPort.postMessage(message),
  onMessage: (fn) =>
    parentPort.on('message', (event) => {
      const message = event.data as MainToHost;
      if (!extractors.receive(message, event.ports)) fn(message);
    }),
};

const archivePath = process.env.FOLIO_DB;
const core = archivePath
  ? startCore(archivePath, { launcher: extractors.launcher })
  : Promise.reject(new Error('the Folio app started its core without an archive path (FOLIO_DB)'));

serveCore(port, core, () => process.exit(0));
