import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { FolioError } from '../core/errors.js';
import { allowedAddresses, describeAddress } from './address-guard.js';
import { toFolioNetworkError } from './http-errors.js';

/**
 * One HTTP GET, one hop (no redirect following): node:http/https directly so the connect
 * timeout, the address guard and the streaming size cap are exact.
 *
 * What it guarantees:
 *  - the address connected to passed the guard (checked in the socket's own DNS lookup, so a
 *    second, different DNS answer cannot slip in between check and connect);
 *  - connecting (DNS + TCP + TLS handshake) ends within `connectTimeoutMs` or fails with
 *    CONNECT_TIMEOUT;
 *  - the body comes back decompressed (gzip, deflate, br) as a stream the caller counts;
 *  - aborting `signal` destroys the socket and rejects/errors with `signal.reason`.
 * No credentials are ever sent, no cookies kept, no connection reused.
 */

export interface HopGuard {
  /** See address-guard.ts: false for the URL the user typed. */
  fromPublic: boolean;
  allowPrivate: boolean;
  /** Builds the BLOCKED_ADDRESS error for an address the guard refused. */
  blocked(addresses: string[]): FolioError;
}

export interface HopRequest {
  url: URL;
  headers: Record<string, string>;
  connectTimeoutMs: number;
  /** Aborted by the caller's total timeout or cancellation; the reason is what gets thrown. */
  signal: AbortSignal;
  guard: HopGuard;
  /** Names the input in error messages (the URL the user asked for, not this hop's). */
  describe: string;
}

export interface HopResponse {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  /** The IP address actually connected to (decides the next hop's guard context). */
  remoteAddress: string;
  /** Content-Length as sent (of the encoded body), or null. */
  contentLength: number | null;
  /** The body, already decompressed. Errors are raw Node errors: see readCappedBody. */
  body: Readable;
  /** Stops everything now: socket, decompressors. */
  abort(reason?: Error): void;
}

/** Content codings we can undo, as advertised in Accept-Encoding. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

export function sendRequest(hop: HopRequest): Promise<HopResponse> {
  const { url, signal, guard } = hop;
  const isHttps = url.protocol === 'https:';
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');

  if (signal.aborted) return Promise.reject(signal.reason);

  // An IP literal never goes through `lookup`, so it is checked here; it cannot change under us.
  if (net.isIP(hostname) && allowedAddresses([hostname], guard).length === 0) {
    return Promise.reject(guard.blocked([hostname]));
  }

  let guardError: FolioError | null = null;
  const lookup: LookupFunction = (host, options, callback) => {
    dns.lookup(host, { all: true, family: options.family, hints: options.hints }, (err, found) => {
      if (err) return (callback as (e: Error) => void)(err);
      const addresses = found.map((a) => a.address);
      const allowed = new Set(allowedAddresses(addresses, guard));
      const usable = found.filter((a) => allowed.has(a.address));
      if (usable.length === 0) {
        guardError = guard.blocked(addresses);
        // Node decorates lookup errors; the real error is kept in guardError.
        return (callback as (e: Error) => void)(new Error('address refused by guard'));
      }
      if (options.all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, usable);
      else callback(null, usable[0]!.address, usable[0]!.family);
    });
  };

  return new Promise<HopResponse>((resolve, reject) => {
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    let response: http.IncomingMessage | undefined;
    let body: Readable | undefined;

    const abort = (reason?: Error) => {
      clearTimeout(connectTimer);
      req.destroy(reason);
      response?.destroy(reason);
      body?.destroy(reason);
    };
    const onAbort = () => abort(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });

    const fail = (err: unknown) => {
      // Once resolved, body errors surface through `body`; the abort listener must stay.
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      reject(guardError ?? (signal.aborted ? signal.reason : toFolioNetworkError(err, hop.describe)));
    };

    const req = (isHttps ? https : http).request(
      {
        protocol: url.protocol,
        hostname,
        port: url.port || undefined,
        path: url.pathname + url.search,
        method: 'GET',
        headers: hop.headers,
        agent: false, // a fresh connection per hop: every connection passes through `lookup`
        lookup,
        servername: isHttps && !net.isIP(hostname) ? hostname : undefined,
      },
      (res) => {
        clearTimeout(connectTimer);
        response = res;
        try {
          body = decodeContent(res, hop.describe);
        } catch (err) {
          fail(err);
          return;
        }
        settled = true;
        // Readers see errors through async iteration; this listener only keeps an error on a
        // body nobody reads any more (e.g. a redirect's) from crashing the process.
        body.on('error', () => {});
        // The listener stays for the body: aborting mid-body must still destroy the socket.
        body.once('close', () => signal.removeEventListener('abort', onAbort));
        const length = Number(res.headers['content-length']);
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage || http.STATUS_CODES[res.statusCode ?? 0] || '',
          headers: res.headers,
          remoteAddress: res.socket?.remoteAddress ?? '',
          contentLength: res.headers['content-length'] !== undefined && Number.isSafeInteger(length) ? length : null,
          body,
          abort,
        });
      },
    );

    req.on('error', fail);
    req.on('socket', (socket) => {
      connectTimer = setTimeout(() => {
        req.destroy(
          new FolioError(
            'CONNECT_TIMEOUT',
            `${hop.describe}: could not connect to ${url.host} within ${hop.connectTimeoutMs} ms; ` +
              'check the address and your connection, or try again later',
            { transient: true },
          ),
        );
      }, hop.connectTimeoutMs);
      // For HTTPS, "connected" means the TLS handshake finished too.
      socket.once(isHttps ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    req.end();
  });
}

/** Undoes Content-Encoding (possibly several, applied in order) and returns the decoded stream. */
function decodeContent(res: http.IncomingMessage, describe: string): Readable {
  const codings = (res.headers['content-encoding'] ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return res;
  const decoders = codings.reverse().map((coding) => {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        return zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
      case 'deflate':
        // Some servers send raw deflate despite the name; inflate both (zlib header or not).
        return zlib.createUnzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
      case 'br':
        return zlib.createBrotliDecompress();
      default:
        throw new FolioError(
          'DECODE_FAILED',
          `${describe}: the server compressed the page with "${coding}", which Folio cannot decode; ` +
            'try again later or save the page from the browser as an HTML file',
        );
    }
  });
  // pipeline destroys every stage on error (and the socket with `res`), so the last stream
  // reports the first failure; the callback only keeps the error from going unhandled.
  return pipeline([res, ...decoders], () => {}) as unknown as Readable;
}
