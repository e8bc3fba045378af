import type { EventName, FolioEvents, MethodName } from '../../../app/core/contract.js';
import { unwrapEnvelope } from './envelope.js';
import { FolioClientError } from './errors.js';
import { Listeners, type ConnectionState, type Transport } from './transport.js';

/** `satisfies` makes the type checker fail when the contract gains an event not listed here. */
const EVENT_NAMES = Object.keys({
  'queue.progress': true,
  'library.changed': true,
  'export.progress': true,
  'import.progress': true,
} as const satisfies Record<EventName, true>) as EventName[];

/**
 * The loopback bridge served by `folio serve`. Every URL is RELATIVE so the UI works under
 * whatever origin and path the bridge chose; auth is the HttpOnly cookie the bridge set when
 * the page was first opened with its token, so `credentials: 'same-origin'` is all we send.
 */
export function createHttpTransport(): Transport {
  const connection = new Listeners<ConnectionState>();
  const events = new Map<EventName, Listeners<unknown>>();
  let source: EventSource | null = null;

  async function invoke(method: MethodName, input: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
      });
    } catch {
      connection.emit('unreachable');
      throw new FolioClientError(
        'UNREACHABLE',
        "Can't reach Folio: the connection to the Folio server failed. Check that `folio serve` (or the Folio app) is still running, then try again.",
      );
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    if (res.status === 401 || res.status === 403) {
      connection.emit('unauthorized');
    } else {
      connection.emit('ok');
    }
    if (body === undefined) {
      if (res.status === 401 || res.status === 403) {
        throw new FolioClientError(
          'UNAUTHORIZED',
          'Folio refused this page: its session is missing or expired. Open Folio again from the link `folio serve` printed.',
        );
      }
      throw new FolioClientError(
        'BAD_RESPONSE',
        `Folio answered "${method}" with HTTP ${res.status} and no Folio reply. Restart \`folio serve\` and reload this page.`,
      );
    }
    return unwrapEnvelope(method, body);
  }

  // One EventSource for all subscriptions, opened on the first one: the bridge pushes named
  // events (`event: queue.progress`) whose data is the JSON payload.
  function ensureSource(): void {
    if (source || typeof EventSource === 'undefined') return;
    source = new EventSource('api/events', { withCredentials: true });
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (ev) => {
        let payload: unknown;
        try {
          payload = JSON.parse((ev as MessageEvent<string>).data);
        } catch {
          return; // a malformed event is dropped rather than crashing the UI
        }
        events.get(name)?.emit(payload);
      });
    }
    source.addEventListener('open', () => connection.emit('ok'));
    // EventSource retries by itself; CLOSED means it gave up (e.g. 401 or a non-stream reply).
    source.addEventListener('error', () => {
      if (source?.readyState === EventSource.CLOSED) connection.emit('unreachable');
    });
  }

  return {
    invoke,
    on<E extends EventName>(event: E, fn: (payload: FolioEvents[E]) => void) {
      let set = events.get(event);
      if (!set) events.set(event, (set = new Listeners<unknown>()));
      const off = set.add(fn as (v: unknown) => void);
      ensureSource();
      return off;
    },
    assetUrl: (sha256) => `assets/${encodeURIComponent(sha256)}`,
    onConnection: (fn) => connection.add(fn),
  };
}
