import type { ExtractorExit, ExtractorLimits } from '../app/capture/extract-process.js';
import type { ContractErrorCode, Envelope, EventName, FolioEvents } from '../app/core/contract.js';

/**
 * The messages between Electron's main process and the core host (a utility process that owns
 * the archive, the capture queue and the handlers; see capture-host.ts for why). Plain
 * structured-clonable data. Pure: no Electron, no Node APIs, so both sides and the tests share it.
 */
export interface StoredImageMessage {
  type: string;
  data: Uint8Array;
}

export type MainToHost =
  | { kind: 'invoke'; id: number; method: string; input: unknown }
  | { kind: 'image'; id: number; sha256: string }
  | { kind: 'shutdown' }
  /** The extraction process `id` asked for is running; its MessagePort travels with this message. */
  | { kind: 'extractor-port'; id: number }
  /** The extraction process `id` has ended (or could not start: code null). */
  | { kind: 'extractor-exit'; id: number; exit: ExtractorExit };

export type HostToMain =
  | { kind: 'reply'; id: number; envelope: Envelope<unknown> }
  | { kind: 'image'; id: number; image: StoredImageMessage | null }
  | { kind: 'event'; name: EventName; payload: FolioEvents[EventName] }
  /** The archive is open and handlers are ready. */
  | { kind: 'ready'; archivePath: string }
  /** The core could not start (e.g. archive too new or corrupt); every call answers with this. */
  | { kind: 'fatal'; error: { code: ContractErrorCode; message: string } }
  /**
   * Only main can start utility processes: the core asks it for an extraction process
   * (main/extract-broker.ts) and is sent a MessagePort to it (main/extract-launcher.ts).
   */
  | { kind: 'spawn-extractor'; id: number; limits: ExtractorLimits }
  | { kind: 'kill-extractor'; id: number };

type Pending =
  | { kind: 'invoke'; method: string; resolve: (envelope: Envelope<unknown>) => void }
  | { kind: 'image'; resolve: (image: StoredImageMessage | null) => void };

/**
 * Main's side of the conversation: numbers each request, matches replies to them, and answers
 * every pending call when the host goes away (so no promise ever hangs and the renderer gets
 * an error it can show in words instead of a frozen spinner).
 */
export class HostClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (message: MainToHost) => void) {}

  invoke(method: string, input: unknown): Promise<Envelope<unknown>> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, { kind: 'invoke', method, resolve });
      this.send({ kind: 'invoke', id, method, input }, id);
    });
  }

  image(sha256: string): Promise<StoredImageMessage | null> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, { kind: 'image', resolve });
      this.send({ kind: 'image', id, sha256 }, id);
    });
  }

  /** Feeds one message from the host; returns it when it is not a reply (events, ready, fatal). */
  receive(message: HostToMain): HostToMain | null {
    if (message.kind !== 'reply' && message.kind !== 'image') return message;
    const entry = this.pending.get(message.id);
    if (!entry) return null; // a reply to a call already failed by failAll: drop it
    this.pending.delete(message.id);
    if (entry.kind === 'invoke' && message.kind === 'reply') entry.resolve(message.envelope);
    else if (entry.kind === 'image' && message.kind === 'image') entry.resolve(message.image);
    else if (entry.kind === 'invoke') entry.resolve(internalError(entry.method, 'the core answered a call with the wrong kind of reply'));
    else entry.resolve(null);
    return null;
  }

  /** Answers every pending call with an error (the host exited or could not be reached). */
  failAll(reason: string): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) {
      if (entry.kind === 'invoke') entry.resolve(internalError(entry.method, reason));
      else entry.resolve(null);
    }
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private send(message: MainToHost, id: number): void {
    try {
      this.post(message);
    } catch (err) {
      // E.g. an input that cannot be structured-cloned, or a host that is gone.
      const entry = this.pending.get(id);
      this.pending.delete(id);
      const why = err instanceof Error ? err.message : String(err);
      if (entry?.kind === 'invoke') entry.resolve(internalError(entry.method, `the call could not be sent to the core (${why})`));
      else entry?.resolve(null);
    }
  }
}

export function internalError(method: string, reason: string): Envelope<never> {
  return {
    ok: false,
    error: {
      code: 'INTERNAL',
      message: `Folio could not run ${method}: ${reason}. Try again in a moment; if it keeps happening, restart Folio.`,
    },
  };
}
