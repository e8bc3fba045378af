import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setPriority } from 'node:os';
import { compiledSibling } from '../compiled-script.js';
import { FolioError } from '../core/errors.js';
import { extractorExecArgv, type ExtractorLimits } from '../core/extractor-flags.js';
import { childStderr } from '../core/v8-out-of-memory.js';
import type { ExtractorMessage, ExtractRequest } from './extract-protocol.js';

/**
 * One extraction process as the pool sees it, whatever started it: a Node child process
 * (forkExtractor, below) or an Electron utility process (main/extract-launcher.ts asks the
 * main process for one).
 */
export interface ExtractorProcess {
  /** Its process id, where the launcher knows it. */
  readonly pid?: number;
  send(request: ExtractRequest): void;
  onMessage(fn: (message: ExtractorMessage) => void): void;
  /** Called once when the process has ended; `detail` says why when it is known (e.g. out of memory). */
  onExit(fn: (exit: ExtractorExit) => void): void;
  kill(): void;
  /** Whether this process alone may keep the calling process alive (false while it idles). */
  keepAlive(on: boolean): void;
}

export interface ExtractorExit {
  code: number | null;
  signal: string | null;
  outOfMemory: boolean;
}

export type { ExtractorLimits } from '../core/extractor-flags.js';

export type ExtractorLauncher = (limits: ExtractorLimits) => ExtractorProcess;

/** Starts build/app/capture/extract-child.js with child_process.fork. */
export const forkExtractor: ExtractorLauncher = (limits) => {
  const child = fork(childFile(), [], {
    // Structured clone, as worker threads and MessagePorts use, not JSON.
    serialization: 'advanced',
    // Only these flags: not the parent's (a test runner's loaders, --inspect).
    execArgv: extractorExecArgv(limits),
    // stderr is read for V8's out-of-memory report (childStderr); anything else the child says is passed on.
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  lowerPriority(child.pid, limits.niceness);
  const stderr = childStderr((text) => process.stderr.write(text));
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => stderr.take(chunk));
  // A child killed or crashed mid-write must not take the pool's process down with EPIPE.
  child.on('error', () => undefined);
  let exited = false;
  const exitListeners: ((exit: ExtractorExit) => void)[] = [];
  // 'close', not 'exit': it comes after stderr has been read to its end, V8's report included.
  child.on('close', (code, signal) => {
    exited = true;
    const { outOfMemory } = stderr.finish();
    for (const fn of exitListeners) fn({ code, signal, outOfMemory });
  });
  return {
    pid: child.pid,
    send: (request) => {
      if (!exited) child.send(request);
    },
    onMessage: (fn) => child.on('message', (message) => fn(message as ExtractorMessage)),
    onExit: (fn) => exitListeners.push(fn),
    kill: () => {
      if (!exited) child.kill('SIGKILL');
    },
    keepAlive: (on) => {
      const channel = child.channel as { ref?(): void; unref?(): void } | undefined;
      const stderr = child.stderr as { ref?(): void; unref?(): void } | null;
      if (on) {
        child.ref();
        channel?.ref?.();
        stderr?.ref?.();
      } else {
        child.unref();
        channel?.unref?.();
        stderr?.unref?.();
      }
    },
  };
};

/** Lowers a process's scheduling priority; where that is not permitted it keeps running as it is. */
export function lowerPriority(pid: number | undefined, niceness: number): void {
  if (!pid || niceness <= 0) return;
  try {
    setPriority(pid, niceness);
  } catch {
    // not permitted here (or the process has already ended): extraction works the same, only less politely
  }
}

/** The child's compiled script (compiledSibling); it must exist. */
function childFile(): string {
  const compiled = compiledSibling(import.meta.url, 'extract-child');
  if (!existsSync(compiled)) {
    throw new FolioError('INTERNAL', `the extraction process is not built (${compiled}); run npm run build`);
  }
  return compiled;
}
