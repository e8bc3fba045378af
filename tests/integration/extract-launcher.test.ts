import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createExtractPool } from '../../app/capture/extract-pool.js';
import type { HostToMain, MainToHost } from '../../main/host-protocol.js';
import { brokeredExtractors, type PortLike } from '../../main/extract-launcher.js';

/**
 * The desktop app's extraction processes: the core asks main for one, main starts it and sends
 * the core a MessagePort to it. Electron cannot run here, so "main" is played by this test:
 * it answers `spawn-extractor` with a worker thread serving extraction on a worker_threads
 * MessagePort (the same service the utility process runs), and `kill-extractor` by ending it.
 * What is under test is the core's side: the real pool over brokeredExtractors.
 */
const builtService = join(import.meta.dirname, '../../build/app/capture/extract-service.js');

const PAGE = `<html><head><title>Via a port</title></head><body><article><h1>Via a port</h1><p>${'Words travel through a MessagePort. '.repeat(40)}</p></article></body></html>`;

/** Electron's MessagePortMain delivers { data }; a worker_threads port delivers the data itself. */
function asPortLike(port: MessagePort): PortLike {
  return {
    postMessage: (message) => port.postMessage(message),
    on: (_event, listener) => port.on('message', (data: unknown) => listener({ data })),
    start: () => port.start(),
    close: () => port.close(),
  };
}

function fakeMain() {
  const workers = new Map<number, Worker>();
  const requests: HostToMain[] = [];
  let core!: ReturnType<typeof brokeredExtractors>;
  const toCore = (message: MainToHost, ports: PortLike[] = []) => core.receive(message, ports);
  core = brokeredExtractors((message) => {
    requests.push(message);
    if (message.kind === 'spawn-extractor') {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(
        `const { workerData } = require('node:worker_threads');
         import(workerData.service).then(({ serveExtraction }) => {
           const port = workerData.port;
           serveExtraction({ post: (m) => port.postMessage(m), onMessage: (fn) => port.on('message', fn) });
         });`,
        { eval: true, workerData: { port: port1, service: pathToFileURL(builtService).href }, transferList: [port1] },
      );
      workers.set(message.id, worker);
      worker.on('exit', (code) => {
        workers.delete(message.id);
        toCore({ kind: 'extractor-exit', id: message.id, exit: { code, signal: null, outOfMemory: false } });
      });
      // As main does, the port is sent right away: requests wait in the core until it arrives.
      setTimeout(() => toCore({ kind: 'extractor-port', id: message.id }, [asPortLike(port2)]), 20);
    } else if (message.kind === 'kill-extractor') {
      void workers.get(message.id)?.terminate();
    }
  });
  return { core, requests, workers };
}

describe.runIf(existsSync(builtService))('extraction processes brokered by main (desktop app)', () => {
  it('asks main for a process, extracts over the port it is sent, and asks main to end it', async () => {
    const main = fakeMain();
    const pool = createExtractPool({ processes: 1, launcher: main.core.launcher, maxHeapMb: 300, semiSpaceMb: 4 });
    try {
      const [a, b] = await Promise.all([pool.extract(PAGE, 'http://127.0.0.1/a'), pool.extract(PAGE, 'http://127.0.0.1/b')]);
      expect([a.title, b.title]).toEqual(['Via a port', 'Via a port']);
      expect(a.text).toContain('Words travel through a MessagePort.');
      expect(main.requests).toEqual([{ kind: 'spawn-extractor', id: 1, limits: { maxHeapMb: 300, semiSpaceMb: 4, niceness: 5, v8Threads: 1 } }]);
    } finally {
      await pool.close();
    }
    expect(main.requests.at(-1)).toEqual({ kind: 'kill-extractor', id: 1 });
    expect(main.workers.size).toBe(0);
    expect(pool.liveProcesses()).toBe(0);
  }, 60_000);

  it('a process main reports ended mid-page fails that page, and the next page gets a new one', async () => {
    const main = fakeMain();
    const pool = createExtractPool({ processes: 1, launcher: main.core.launcher });
    try {
      expect((await pool.extract(PAGE, 'http://127.0.0.1/first')).title).toBe('Via a port');
      const huge = `<html><body><article>${'<p>x <b>y</b></p>'.repeat(200_000)}</article></body></html>`;
      const lost = pool.extract(huge, 'http://127.0.0.1/lost');
      setTimeout(() => void main.workers.get(1)?.terminate(), 50);
      await expect(lost).rejects.toThrow(/^http:\/\/127\.0\.0\.1\/lost: the extraction process stopped unexpectedly \(exit code 1\)/);
      expect((await pool.extract(PAGE, 'http://127.0.0.1/after')).title).toBe('Via a port');
      expect(main.requests.filter((r) => r.kind === 'spawn-extractor').map((r) => r.id)).toEqual([1, 2]);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('a port for a process the core no longer wants is closed, and other messages pass through', () => {
    const core = brokeredExtractors(() => undefined);
    const { port1, port2 } = new MessageChannel();
    let closed = false;
    port2.on('close', () => (closed = true));
    expect(core.receive({ kind: 'extractor-port', id: 99 }, [asPortLike(port1)])).toBe(true);
    expect(core.receive({ kind: 'shutdown' }, [])).toBe(false);
    return new Promise<void>((resolve) => setTimeout(() => (expect(closed).toBe(true), resolve()), 50));
  });
});
