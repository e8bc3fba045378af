import type { EventName, FolioEvents, MethodName } from '../../../app/core/contract.js';

/** Whether the core is answering; drives the "can't reach Folio" banner. */
export type ConnectionState = 'ok' | 'unreachable' | 'unauthorized';

/**
 * One way of talking to the core (Electron IPC or the loopback HTTP bridge). `invoke` resolves
 * to the method's value or rejects with a FolioClientError.
 */
export interface Transport {
  invoke(method: MethodName, input: unknown): Promise<unknown>;
  on<E extends EventName>(event: E, fn: (payload: FolioEvents[E]) => void): () => void;
  assetUrl(sha256: string): string;
  onConnection(fn: (state: ConnectionState) => void): () => void;
}

/** A tiny listener set shared by the transports. */
export class Listeners<T> {
  private readonly fns = new Set<(value: T) => void>();
  add(fn: (value: T) => void): () => void {
    this.fns.add(fn);
    return () => void this.fns.delete(fn);
  }
  emit(value: T): void {
    for (const fn of [...this.fns]) fn(value);
  }
  get size(): number {
    return this.fns.size;
  }
}
