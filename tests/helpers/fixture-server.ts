import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 (port 0) for tests. Each test file declares its own
 * routes; a route is either a static response or a handler with full control over the
 * socket (for slow, broken or hostile behaviour).
 */
export type Route =
  | {
      status?: number;
      headers?: Record<string, string>;
      body?: string | Buffer | Uint8Array;
    }
  | ((req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>);

export interface FixtureServer {
  origin: string; // e.g. http://127.0.0.1:41234
  url(path: string): string;
  /** Add or replace a route while the server runs. */
  route(path: string, route: Route): void;
  /** Requests seen so far, in order (path + headers), for asserting Referer, User-Agent etc. */
  requests: { path: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startFixtureServer(routes: Record<string, Route> = {}): Promise<FixtureServer> {
  const table = new Map<string, Route>(Object.entries(routes));
  const requests: FixtureServer['requests'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(async (req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, headers: req.headers });
    const route = table.get(path) ?? table.get(path.split('?')[0]!);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<h1>Not found</h1>');
      return;
    }
    if (typeof route === 'function') {
      try {
        await route(req, res);
      } catch (err) {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err));
      }
      return;
    }
    res.writeHead(route.status ?? 200, { 'content-type': 'text/html; charset=utf-8', ...route.headers });
    res.end(route.body ?? '');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (p) => origin + p,
    route: (p, r) => void table.set(p, r),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging routes (never-answering servers) keep sockets open; destroy them so close() returns.
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
