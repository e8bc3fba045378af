import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Runs the real `folio` command (bin/folio.js over the compiled build/) as a child process and,
 * if asked, kills it with SIGKILL: after `killAfterMs`, or as soon as `killWhen` says so. A
 * SIGKILL gives the process no chance to clean up, which is the point of the crash suites.
 */
export const repoRoot = resolve(import.meta.dirname, '../..');
export const folioBin = join(repoRoot, 'bin/folio.js');

/** Why a crash suite cannot run here (printed by the suite as it skips), or null. */
export function crashSuiteSkipReason(): string | null {
  if (process.platform === 'win32') return 'SIGKILL semantics differ on Windows';
  const needed = ['build/app/cli/main.js', 'build/app/cli/commands/add.js', 'build/app/cli/commands/import.js', 'build/app/queue/runner.js', 'build/app/capture/extract-child.js'];
  const missing = needed.filter((f) => !existsSync(join(repoRoot, f)));
  return missing.length ? `the build is missing (${missing.join(', ')}); run npx tsc -p tsconfig.build.json` : null;
}

export interface FolioRun {
  /** null when killed. */
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
  ms: number;
  pid: number;
}

export interface FolioRunOptions {
  cwd: string;
  killAfterMs?: number;
  /** Checked every 10 ms with what the child printed so far; true kills it. */
  killWhen?: (stdout: string) => boolean;
  /** Gives up (kills, then rejects) after this long. Default 5 minutes. */
  timeoutMs?: number;
  stdin?: string;
}

export function runFolio(args: string[], opts: FolioRunOptions): Promise<FolioRun> {
  const started = Date.now();
  // FOLIO_DB cleared so only --db decides which archive is used; NO_COLOR for plain stderr.
  const child = spawn(process.execPath, [folioBin, ...args], { cwd: opts.cwd, env: { ...process.env, FOLIO_DB: '', NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  let killed = false;
  let timedOut = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(opts.stdin ?? '');
  const kill = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killed = true;
    child.kill('SIGKILL');
  };
  const timers: NodeJS.Timeout[] = [];
  if (opts.killAfterMs !== undefined) timers.push(setTimeout(kill, opts.killAfterMs));
  if (opts.killWhen) {
    const when = opts.killWhen;
    timers.push(setInterval(() => when(stdout) && kill(), 10));
  }
  timers.push(
    setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs ?? 5 * 60_000),
  );
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      for (const t of timers) clearTimeout(t);
      if (timedOut) reject(new Error(`folio ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 300_000} ms; stderr: ${stderr}`));
      else resolvePromise({ code, killed, stdout, stderr, ms: Date.now() - started, pid: child.pid! });
    });
  });
}
