import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../app/core/contract.js';

// `folio serve` as a user runs it: the compiled CLI (npm test builds first) on a temp archive.
// It needs the store and the real handlers; until those are built this file says so and skips.

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'bin', 'folio.js');
const needed = ['build/app/cli/commands/serve.js', 'build/app/api/handlers.js', 'build/app/store/open-archive.js'];
const missing = needed.filter((f) => !existsSync(join(root, f)));
if (missing.length > 0) console.warn(`bridge-serve-cli tests skipped: not built yet: ${missing.join(', ')} (run \`npm run build\`)`);

let dir: string;
const children = new Set<ChildProcess>();

beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'folio-serve-'))));
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Serving {
  child: ChildProcess;
  launchUrl: string;
  port: number;
  token: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `folio serve` and resolves once it has printed its launch address. */
function serve(args: string[]): Promise<Serving> {
  const env = { ...process.env };
  delete env['FOLIO_DB'];
  delete env['BROWSER'];
  const child = spawn(process.execPath, [cli, 'serve', '--db', join(dir, 'folio.db'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    children.delete(child);
    resolve(code);
  }));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (c) => (stderr += c));
    child.stdout!.on('data', (c) => {
      stdout += c;
      const m = /(http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))/.exec(stdout);
      if (m) resolve({ child, launchUrl: m[1]!, port: Number(m[2]), token: m[3]!, stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`folio serve exited (${code}) before printing an address: ${stderr}`)));
  });
}

function call(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe.skipIf(missing.length > 0)('folio serve', () => {
  it('serves the archive on 127.0.0.1 with a persisted token, and stops cleanly on Ctrl-C', async () => {
    const first = await serve(['--port', '0']);
    const tokenFile = join(dir, 'bridge-token');
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(first.token);
    if (process.platform !== 'win32') expect(statSync(tokenFile).mode & 0o777).toBe(0o600);

    const handshake = await call(first.port, `/?token=${first.token}`);
    expect(handshake.status).toBe(303);
    const settings = await call(first.port, '/api/settings.get', {
      method: 'POST',
      headers: { authorization: `Bearer ${first.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(settings.status).toBe(200);
    expect(JSON.parse(settings.body)).toEqual({ ok: true, value: DEFAULT_SETTINGS });

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toContain('stopping');
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: first.port });
      s.once('connect', () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);

    // A restart keeps the token, so a bookmarklet made earlier still works.
    const second = await serve(['--port', '0']);
    expect(second.token).toBe(first.token);

    // A busy port is reported in one line, exit 1.
    const busy = spawn(process.execPath, [cli, 'serve', '--db', join(dir, 'folio.db'), '--port', String(second.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let busyErr = '';
    busy.stderr.on('data', (c) => (busyErr += c));
    const busyCode = await new Promise<number | null>((resolve) => busy.once('exit', resolve));
    expect(busyCode).toBe(1);
    expect(busyErr).toMatch(new RegExp(`^folio: Port ${second.port} on 127\\.0\\.0\\.1 is already in use`));

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
