import type { ServerResponse } from 'node:http';
import type { EventBus } from '../api/events.js';
import { BASE_HEADERS } from './csp.js';

/**
 * Server-sent events: forwards every bus event to one browser as
 * `event: <name>\ndata: <json>\n\n`, with a comment line as heartbeat so proxies and idle
 * timers keep the stream open and a dead client is noticed. The subscription and timer are
 * released when either side closes; a client that stops reading is dropped (EventSource
 * reconnects) rather than letting its backlog grow without bound.
 */
export interface EventStreamOptions {
  heartbeatMs: number;
  /** Unsent bytes tolerated for one client before it is dropped. */
  maxBacklogBytes?: number;
}

export function openEventStream(res: ServerResponse, bus: EventBus, options: EventStreamOptions): () => void {
  const maxBacklog = options.maxBacklogBytes ?? 4 * 1024 * 1024;
  res.writeHead(200, {
    ...BASE_HEADERS,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  // `retry` tells EventSource how soon to reconnect after a drop (ms).
  res.write('retry: 3000\n: connected\n\n');

  let closed = false;
  const send = (chunk: string) => {
    if (closed) return;
    res.write(chunk);
    if (res.writableLength > maxBacklog) close(true);
  };
  // JSON.stringify escapes CR and LF inside strings, so the data always fits on one line.
  const unsubscribe = bus.onAny((event) => send(`event: ${event.name}\ndata: ${JSON.stringify(event.payload)}\n\n`));
  const heartbeat = setInterval(() => send(': heartbeat\n\n'), options.heartbeatMs);
  heartbeat.unref();

  /** Ends the stream; `hard` drops the connection at once (a client that stopped reading). */
  function close(hard = false): void {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    if (hard) res.destroy();
    else res.end();
  }
  // The response's 'close' fires when the client goes away (or after end): the one place to
  // release the subscription. (The request's 'close' fires as soon as its empty body is read.)
  res.on('close', () => close());
  res.on('error', () => close(true));
  return () => close();
}
