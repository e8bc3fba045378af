import type { EventName, FolioEvents } from '../core/contract.js';

/**
 * A small typed event bus for the events the core pushes to the UI (FolioEvents in the
 * contract). The queue emits; transports (the loopback bridge's server-sent events, Electron
 * IPC) subscribe and forward. Synchronous and in-process on purpose: delivery order is emit
 * order, and a listener that throws is logged and skipped so it can never break the emitter
 * (the capture queue) or the other listeners.
 */

/** One event as a discriminated union, for listeners that forward every event (transports). */
export type AnyEvent = { [E in EventName]: { name: E; payload: FolioEvents[E] } }[EventName];

export interface EventBus {
  emit<E extends EventName>(name: E, payload: FolioEvents[E]): void;
  /** Subscribes to one event; returns the function that unsubscribes (idempotent). */
  on<E extends EventName>(name: E, fn: (payload: FolioEvents[E]) => void): () => void;
  /** Subscribes to every event, present and future, so a transport needs no list of names. */
  onAny(fn: (event: AnyEvent) => void): () => void;
  /** How many listeners are subscribed (per event, or in total with onAny ones); for leak checks. */
  listenerCount(name?: EventName): number;
}

export function createEventBus(): EventBus {
  const byName = new Map<EventName, Set<(payload: never) => void>>();
  const anyListeners = new Set<(event: AnyEvent) => void>();

  function safely(fn: () => void, name: EventName): void {
    try {
      fn();
    } catch (err) {
      console.error(`folio: a listener for the "${name}" event failed; the other listeners still ran:`, err);
    }
  }

  return {
    emit(name, payload) {
      // Snapshot: a listener that unsubscribes (or subscribes) during emit must not skip or
      // double-deliver to the others.
      for (const fn of [...(byName.get(name) ?? [])]) safely(() => (fn as (p: typeof payload) => void)(payload), name);
      const event = { name, payload } as AnyEvent;
      for (const fn of [...anyListeners]) safely(() => fn(event), name);
    },
    on(name, fn) {
      let set = byName.get(name);
      if (!set) byName.set(name, (set = new Set()));
      // Wrap so the same function subscribed twice gets two independent subscriptions.
      const entry = (payload: never) => fn(payload);
      set.add(entry);
      return () => void set.delete(entry);
    },
    onAny(fn) {
      const entry = (event: AnyEvent) => fn(event);
      anyListeners.add(entry);
      return () => void anyListeners.delete(entry);
    },
    listenerCount(name) {
      if (name) return (byName.get(name)?.size ?? 0) + anyListeners.size;
      let total = anyListeners.size;
      for (const set of byName.values()) total += set.size;
      return total;
    },
  };
}
