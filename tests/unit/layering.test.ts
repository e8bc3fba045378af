import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering rules of the architecture, checked on every import in the tree:
// only main/ may import electron; app/ never imports main/ or renderer/; app/core/ uses no
// Node built-ins; renderer/ reaches the core only through app/core/.
const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|tsx)$/.test(name)) out.push(rel);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push((m[1] ?? m[2] ?? m[3])!);
  }
  return found;
}

describe('layering', () => {
  it('only main/ imports electron', () => {
    const offenders = [...sources('app'), ...sources('renderer'), ...sources('tests')]
      .filter((f) => !f.startsWith('tests/e2e/electron'))
      .filter((f) => importsOf(f).some((s) => s === 'electron' || s.startsWith('electron/')));
    expect(offenders).toEqual([]);
  });

  it('app/ never imports main/ or renderer/', () => {
    const offenders = sources('app').filter((f) =>
      importsOf(f).some((s) => /(^|\/)(main|renderer)\//.test(s) && s.startsWith('.')),
    );
    expect(offenders).toEqual([]);
  });

  it('app/core/ is pure: no Node built-ins', () => {
    const offenders = sources('app/core').filter((f) => importsOf(f).some((s) => s.startsWith('node:')));
    expect(offenders).toEqual([]);
  });

  it('renderer/ imports the core only from app/core/', () => {
    const offenders = sources('renderer').flatMap((f) =>
      importsOf(f)
        .filter((s) => s.includes('/app/') && !s.includes('/app/core/'))
        .map((s) => `${relative(root, join(root, f))} -> ${s}`),
    );
    expect(offenders).toEqual([]);
  });
});
