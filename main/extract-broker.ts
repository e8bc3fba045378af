import { MessageChannelMain, utilityProcess, type MessagePortMain, type UtilityProcess } from 'electron';
import { setPriority } from 'node:os';
import { extractorExecArgv, type ExtractorLimits } from '../app/core/extractor-flags.js';
import { childStderr } from '../app/core/v8-out-of-memory.js';
import type { MainToHost } from './host-protocol.js';

/**
 * Main's part in extraction: starts the extraction processes the core asks for. Only the main
 * process can create Electron utility processes, and the packaged app cannot fork Node ones
 * (its runAsNode fuse is off), so the core's extraction pool (app/capture/extract-pool.ts)
 * takes its processes from here: each is a utility process running build/main/extract-host.js,
 * connected to the core by a MessagePort, so pages and results never pass through main.
 */
export interface ExtractorBroker {
  spawn(id: number, limits: ExtractorLimits): void;
  kill(id: number): void;
  /** Ends every extraction process (the core that asked for them has gone). */
  killAll(): void;
}

export function createExtractorBroker(script: string, toCore: (message: MainToHost, transfer?: MessagePortMain[]) => void): ExtractorBroker {
  const children = new Map<number, UtilityProcess>();
  return {
    spawn(id, limits) {
      let child: UtilityProcess;
      try {
        child = utilityProcess.fork(script, [], {
          serviceName: 'Folio extraction',
          // stderr is read for V8's out-of-memory report, as the CLI's pool does.
          stdio: ['ignore', 'inherit', 'pipe'],
          // The CLI's flags (heap caps, V8's helper threads). Whether a utility process honours
          // --v8-pool-size as Node does is not checked here: this machine has no Electron binary.
          execArgv: extractorExecArgv(limits),
        });
      } catch (err) {
        console.error('folio: could not start an extraction process:', err);
        toCore({ kind: 'extractor-exit', id, exit: { code: null, signal: null, outOfMemory: false } });
        return;
      }
      children.set(id, child);
      // As the CLI's pool does (extract-process.ts lowerPriority): the core's thread wins a core when it wakes.
      child.once('spawn', () => {
        try {
          if (child.pid && limits.niceness > 0) setPriority(child.pid, limits.niceness);
        } catch {
          // not permitted here: extraction works the same
        }
      });
      const stderr = childStderr((text) => process.stderr.write(text));
      child.stderr?.on('data', (chunk: Buffer) => stderr.take(chunk.toString('utf8')));
      child.on('exit', (code) => {
        children.delete(id);
        toCore({ kind: 'extractor-exit', id, exit: { code, signal: null, ...stderr.finish() } });
      });
      const { port1, port2 } = new MessageChannelMain();
      child.postMessage({ kind: 'port' }, [port1]);
      toCore({ kind: 'extractor-port', id }, [port2]);
    },
    kill(id) {
      children.get(id)?.kill();
    },
    killAll() {
      for (const child of children.values()) child.kill();
      children.clear();
    },
  };
}
