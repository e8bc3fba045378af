/**
 * Entry of the core host: runs in an Electron utility process forked by capture-host.ts (see
 * there for why the core lives outside main). It does not import Electron: the utility process
 * provides `process.parentPort`, the MessagePort to main. The archive path arrives in FOLIO_DB.
 */
import type { ParentPort } from 'electron';
import { startCore } from './core-runtime.js';
import { serveCore, type HostPort } from './host-server.js';
import type { MainToHost } from './host-protocol.js';

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  process.stderr.write('folio: core-host.js runs inside the Folio app (an Electron utility process); use `folio serve` to run the core on its own\n');
  process.exit(2);
}

const port: HostPort = {
  post: (message) => parentPort.postMessage(message),
  onMessage: (fn) => parentPort.on('message', (event) => fn(event.data as MainToHost)),
};

const archivePath = process.env.FOLIO_DB;
const core = archivePath
  ? startCore(archivePath)
  : Promise.reject(new Error('the Folio app started its core without an archive path (FOLIO_DB)'));

serveCore(port, core, () => process.exit(0));
