import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Envelope } from '../../app/core/contract.js';

/**
 * The REAL `folio serve` for end-to-end tests: the compiled CLI (bin/folio.js → build/) as a
 * child process on a temp archive, port 0, plus the two other ways a test checks state behind
 * the UI's back: the HTTP API with the bearer token, and the `folio` CLI on the same archive.
 */

export const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'folio.js');
const NEEDED = ['build/app/cli/commands/serve.js', 'build/app/api/handlers.js', 'build/renderer/index.html'];

/** Why the e2e suites cannot run (the build is missing), or null. */
export function missingBuildReason(): string | null {
  const missing = NEEDED.filter((f) => !existsSync(join(ROOT, f)));
  return missing.length === 0 ? null : `not built yet: ${missing.join(', ')} (run \`npm run build\`)`;
}

export interface FolioServe {
  /** http://127.0.0.1:PORT (no trailing slash): the only origin the UI may talk to. */
  origin: string;
  /** The printed address with ?token=…; opening it sets the session cookie. */
  launchUrl: string;
  token: string;
  dbPath: string;
  /** Calls an API method over HTTP with the token, as any client would; throws on an error envelope. */
  api<T = unknown>(method: string, input?: unknown): Promise<T>;
  /** Runs `folio <args> --db <archive>` and returns its stdout (rejects on a non-zero exit). */
  cli(args: string[]): Promise<string>;
  stderr(): string;
  /** SIGTERM, waits for a clean exit, removes the temp folder. */
  stop(): Promise<void>;
}

export async function startFolioServe(): Promise<FolioServe> {
  const dir = mkdtempSync(join(tmpdir(), 'folio-e2e-'));
  const dbPath = join(dir, 'folio.db');
  const env = { ...process.env };
  delete env['FOLIO_DB'];
  delete env['BROWSER'];
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--db', dbPath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const launchUrl = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`folio serve printed no address within 20 s; stderr: ${stderr}`)), 20_000);
    child.stdout!.on('data', (c) => {
      stdout += c;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9._~%-]+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        done(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`folio serve exited (${code}) before printing an address: ${stderr}`));
    });
  });
  const url = new URL(launchUrl);
  const origin = url.origin;
  const token = url.searchParams.get('token')!;

  async function api<T>(method: string, input: unknown = {}): Promise<T> {
    let answer: { status: number; body: string };
    try {
      answer = await post(`/api/${method}`, JSON.stringify(input));
    } catch (err) {
      // Say whether the server died, and what it last said, rather than only "socket hang up".
      const state = child.exitCode !== null || child.signalCode !== null ? `exited (${child.exitCode ?? child.signalCode})` : 'still running';
      throw new Error(`${method}: ${(err as Error).message}; folio serve ${state}; stderr: ${stderr.slice(-2000)}`);
    }
    const envelope = JSON.parse(answer.body) as Envelope<T>;
    if (!envelope.ok) throw new Error(`${method} failed (${answer.status}): ${envelope.error.code} ${envelope.error.message}`);
    return envelope.value;
  }

  /**
   * One POST on a fresh connection (agent: false). Not fetch: its keep-alive pool can reuse a
   * socket at the moment the server's keep-alive timer closes it (ECONNRESET), which happens
   * when the serve process is slowed down by a busy machine.
   */
  function post(path: string, body: string): Promise<{ status: number; body: string }> {
    return new Promise((done, fail) => {
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
      const req = http.request({ host: url.hostname, port: url.port, path, method: 'POST', headers, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end(body);
    });
  }

  function cli(args: string[]): Promise<string> {
    return new Promise((done, fail) => {
      execFile(process.execPath, [CLI, ...args, '--db', dbPath], { env, timeout: 20_000 }, (err, out, errOut) => {
        if (err) fail(new Error(`folio ${args.join(' ')} failed: ${errOut || err.message}`));
        else done(out);
      });
    });
  }

  async function stop(): Promise<void> {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
      if (code === 'timeout') child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }

  return { origin, launchUrl, token, dbPath, api, cli, stderr: () => stderr, stop };
}
