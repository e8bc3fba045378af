import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureCliBuilt } from '../helpers/cli-build.js';

/**
 * Running the real CLI (`node bin/folio.js …`) from the import and backup tests. The CLI runs
 * from build/, so it is compiled first when missing or older than the sources (tsc still emits
 * when files other engineers are editing have type errors).
 */
export const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/folio.js');


export function ensureBuilt(): void {
  ensureCliBuilt('build/app/import/folio-backup.js');
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the CLI process in bytes (only with `measureMemory`). */
  maxRssBytes?: number;
}

const RSS_MARK = 'folio-test-maxrss=';
/** Preloaded into the child with --import: reports its peak RSS on exit (resourceUsage().maxRSS is in KiB). */
const RSS_PRELOAD = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\n${RSS_MARK}'+process.resourceUsage().maxRSS*1024+'\\n'))`;

/** Runs the CLI asynchronously (fixture servers live in the test process). TZ fixed for stable dates. */
export function folio(args: string[], env: Record<string, string> = {}, opts: { measureMemory?: boolean } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const nodeArgs = opts.measureMemory ? ['--import', RSS_PRELOAD] : [];
    const child = spawn(process.execPath, [...nodeArgs, bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const mark = stderr.lastIndexOf(RSS_MARK);
      if (mark === -1) return resolve({ code, stdout, stderr });
      const maxRssBytes = Number(stderr.slice(mark + RSS_MARK.length).trim());
      resolve({ code, stdout, stderr: stderr.slice(0, mark).replace(/\n$/, ''), maxRssBytes });
    });
  });
}

/** The lines of `--json` output, parsed. */
export function jsonLines(s: string): Record<string, unknown>[] {
  return s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
