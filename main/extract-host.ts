/**
 * Entry of one extraction process in the desktop app: an Electron utility process started by
 * main (extract-broker.ts) for the core's extraction pool. It does not import Electron: the
 * first message from main carries the MessagePort to the core, and every request arrives there.
 */
import type { MessagePortMain, ParentPort } from 'electron';
import type { ExtractorMessage, ExtractRequest } from '../app/capture/extract-protocol.js';
import { serveExtraction } from '../app/capture/extract-service.js';

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  process.stderr.write('folio: extract-host.js runs inside the Folio app (an Electron utility process)\n');
  process.exit(2);
}

parentPort.once('message', (event) => {
  const port: MessagePortMain | undefined = event.ports[0];
  if (!port) process.exit(2);
  serveExtraction({
    post: (reply: ExtractorMessage) => port.postMessage(reply),
    onMessage: (fn) => port.on('message', (e) => fn(e.data as ExtractRequest)),
  });
  // The core going away closes the port: nothing is left to do here.
  port.on('close', () => process.exit(0));
  port.start();
});
