import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The CLI runs from build/. Tests that spawn it compile first when `marker` (a compiled file
 * they depend on) is missing or older than any TypeScript source under app/; `npm test` builds
 * before vitest anyway. tsc still emits when some file has a type error, so the marker decides.
 */
export const repoRoot = join(import.meta.dirname, '../..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function ensureCliBuilt(marker = 'build/app/cli/main.js'): void {
  const file = join(repoRoot, marker);
  if (existsSync(file) && statSync(file).mtimeMs >= newestSource(join(repoRoot, 'app'))) return;
  spawnSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', join(repoRoot, 'tsconfig.build.json')], {
    cwd: repoRoot,
    stdio: 'ignore',
  });
  if (!existsSync(file)) throw new Error(`build failed (${marker} missing): run npx tsc -p tsconfig.build.json`);
}
