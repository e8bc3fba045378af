import type http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPage } from '../../app/capture/fetch.js';
import { FolioError } from '../../app/core/errors.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

async function failure(promise: Promise<unknown>): Promise<FolioError> {
  const err = await promise.then(
    () => new Error('expected the fetch to fail'),
    (e: unknown) => e,
  );
  if (!(err instanceof FolioError)) throw err;
  return err;
}

/** What a streaming route managed to send before the client hung up. */
interface StreamReport {
  written: number;
  closedEarly: boolean;
}

/**
 * Streams `total` bytes of HTML in 64 KB chunks, honouring back-pressure, and reports how many
 * bytes the socket accepted before the client closed it. Resolves `done` either way.
 */
function streamingRoute(total: number, headers: http.OutgoingHttpHeaders, report: (r: StreamReport) => void) {
  return (_req: http.IncomingMessage, res: http.ServerResponse) =>
    new Promise<void>((resolve) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let written = 0;
      let closed = false;
      res.on('close', () => {
        closed = true;
        report({ written, closedEarly: written < total });
        resolve();
      });
      const pump = () => {
        while (!closed && written < total) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!closed) res.end();
      };
      res.write('<!doctype html><p>');
      pump();
    });
}

const MB = 1024 * 1024;
let server: FixtureServer;
let lastStream: Promise<StreamReport>;
let reportStream: (r: StreamReport) => void;
function expectStream(): Promise<StreamReport> {
  lastStream = new Promise((resolve) => (reportStream = resolve));
  return lastStream;
}

beforeAll(async () => {
  server = await startFixtureServer({
    '/gone': { status: 404, body: '<h1>nope</h1>' },
    '/broken': { status: 500, body: '<h1>oops</h1>' },
    '/busy': { status: 503, body: 'later' },
    '/forbidden': { status: 403, body: 'no' },
    '/never': () => new Promise<void>(() => {}), // accepts, never answers
    '/drip': (req, res) => {
      // Headers at once, then one byte per second, forever: only a total timeout ends this.
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<p>');
      const timer = setInterval(() => res.write('x'), 1000);
      req.socket.on('close', () => clearInterval(timer));
    },
    '/reset': (req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '100000' });
      res.write('<!doctype html><p>' + 'a'.repeat(2000), () => req.socket.destroy());
    },
    '/reset-chunked': (req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }); // chunked
      res.write('<!doctype html><p>' + 'a'.repeat(2000), () => req.socket.destroy());
    },
    '/big-declared': (req, res) => streamingRoute(64 * MB, { 'content-length': String(64 * MB + 18) }, (r) => reportStream(r))(req, res),
    '/big-undeclared': (req, res) => streamingRoute(64 * MB, {}, (r) => reportStream(r))(req, res),
    '/bomb': {
      headers: { 'content-encoding': 'gzip' },
      // 64 MB of zeros compress to ~64 KB: only counting decompressed bytes catches this.
      body: zlib.gzipSync(Buffer.concat([Buffer.from('<!doctype html><p>'), Buffer.alloc(64 * MB)])),
    },
    '/small': { body: '<!doctype html><p>' + 'b'.repeat(900) },
  });
});
afterAll(() => server.close());

describe('HTTP errors', () => {
  it('404 is HTTP_STATUS, not transient, naming the URL and the status', async () => {
    const err = await failure(fetchPage(server.url('/gone')));
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.transient).toBe(false);
    expect(err.message).toBe(`${server.url('/gone')}: HTTP 404 Not Found; check the address`);
  });

  it('500 and 503 are HTTP_STATUS and transient', async () => {
    const err = await failure(fetchPage(server.url('/broken')));
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.transient).toBe(true);
    expect(err.message).toContain(`${server.url('/broken')}: HTTP 500 Internal Server Error`);
    expect((await failure(fetchPage(server.url('/busy')))).transient).toBe(true);
  });

  it('403 explains that the page refuses the download', async () => {
    const err = await failure(fetchPage(server.url('/forbidden')));
    expect(err.transient).toBe(false);
    expect(err.message).toContain('HTTP 403 Forbidden; the page needs a login or refuses automated downloads');
  });
});

describe('timeouts', () => {
  it('a server that never answers ends at the total timeout with TIMEOUT (transient)', async () => {
    const err = await failure(fetchPage(server.url('/never'), { totalTimeoutMs: 500 }));
    expect(err.code).toBe('TIMEOUT');
    expect(err.transient).toBe(true);
    expect(err.message).toContain(server.url('/never'));
    expect(err.message).toContain('500 ms');
  });

  it('a 1 byte/s drip is cut by the total timeout even though bytes keep coming', async () => {
    const err = await failure(fetchPage(server.url('/drip'), { totalTimeoutMs: 1500 }));
    expect(err.code).toBe('TIMEOUT');
    expect(err.transient).toBe(true);
  });

  it('a server that accepts TCP but never completes the TLS handshake hits CONNECT_TIMEOUT', async () => {
    const silent = net.createServer(() => {}); // holds the socket, says nothing
    const sockets: net.Socket[] = [];
    silent.on('connection', (s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const err = await failure(
        fetchPage(`https://127.0.0.1:${port}/`, { connectTimeoutMs: 300, totalTimeoutMs: 10_000 }),
      );
      expect(err.code).toBe('CONNECT_TIMEOUT');
      expect(err.transient).toBe(true);
      expect(err.message).toContain(`https://127.0.0.1:${port}/`);
      expect(err.message).toContain('300 ms');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('a refused connection is a transient NETWORK error', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((r) => probe.close(r)); // nothing listens there now
    const err = await failure(fetchPage(`http://127.0.0.1:${port}/`));
    expect(err.code).toBe('NETWORK');
    expect(err.transient).toBe(true);
    expect(err.message).toContain('refused the connection');
  });

  it('cancelling through the signal stops the fetch with CANCELLED', async () => {
    const controller = new AbortController();
    const pending = fetchPage(server.url('/never'), { signal: controller.signal, totalTimeoutMs: 10_000 });
    setTimeout(() => controller.abort(), 100);
    const err = await failure(pending);
    expect(err.code).toBe('CANCELLED');
    expect(err.message).toContain(server.url('/never'));
  });
});

describe('broken connections', () => {
  it('a reset mid-body (Content-Length) is CONNECTION_RESET and transient', async () => {
    const err = await failure(fetchPage(server.url('/reset')));
    expect(err.code).toBe('CONNECTION_RESET');
    expect(err.transient).toBe(true);
    expect(err.message).toContain(server.url('/reset'));
  });

  it('a reset mid-body (chunked) is CONNECTION_RESET too', async () => {
    const err = await failure(fetchPage(server.url('/reset-chunked')));
    expect(err.code).toBe('CONNECTION_RESET');
    expect(err.transient).toBe(true);
  });
});

describe('size cap', () => {
  it('refuses a body whose Content-Length is over the cap before reading it', async () => {
    const report = expectStream();
    const err = await failure(fetchPage(server.url('/big-declared'), { maxBytes: 1 * MB }));
    expect(err.code).toBe('TOO_LARGE');
    expect(err.message).toContain(server.url('/big-declared'));
    expect(err.message).toContain('1 MB limit');
    expect(err.message).toContain('announced 64 MB');
    const seen = await report;
    expect(seen.closedEarly).toBe(true);
    expect(seen.written).toBeLessThan(16 * MB); // kernel buffers hold a few MB at most
  });

  it('stops reading a body without Content-Length as soon as it passes the cap', async () => {
    const report = expectStream();
    const err = await failure(fetchPage(server.url('/big-undeclared'), { maxBytes: 1 * MB }));
    expect(err.code).toBe('TOO_LARGE');
    expect(err.message).toContain('1 MB limit');
    const seen = await report;
    expect(seen.closedEarly).toBe(true);
    expect(seen.written).toBeLessThan(16 * MB);
  });

  it('counts decompressed bytes: a gzip bomb stops at the cap', async () => {
    const err = await failure(fetchPage(server.url('/bomb'), { maxBytes: 2 * MB }));
    expect(err.code).toBe('TOO_LARGE');
    expect(err.message).toContain('2 MB limit');
    expect(err.message).toContain(server.url('/bomb'));
  });

  it('accepts a body exactly at the cap and refuses one byte over', async () => {
    const size = Buffer.byteLength('<!doctype html><p>' + 'b'.repeat(900));
    expect((await fetchPage(server.url('/small'), { maxBytes: size })).bytes).toBe(size);
    expect((await failure(fetchPage(server.url('/small'), { maxBytes: size - 1 }))).code).toBe('TOO_LARGE');
  });

  it('takes the cap from FOLIO_MAX_BYTES', async () => {
    const saved = process.env.FOLIO_MAX_BYTES;
    process.env.FOLIO_MAX_BYTES = '100';
    try {
      expect((await failure(fetchPage(server.url('/small')))).code).toBe('TOO_LARGE');
    } finally {
      if (saved === undefined) delete process.env.FOLIO_MAX_BYTES;
      else process.env.FOLIO_MAX_BYTES = saved;
    }
  });
});
