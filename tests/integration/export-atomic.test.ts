import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportArticles, type ExportFormat } from '../../app/export/index.js';
import { compileStore } from '../helpers/compile-store.js';
import { seedArchive, type Seeded } from './export-fixtures.js';

let s: Seeded;
beforeAll(() => {
  s = seedArchive();
});
afterAll(() => s.cleanup());

const cases: [ExportFormat, string][] = [
  ['markdown', 'md-folder'],
  ['markdown', 'md.zip'],
  ['html', 'html-folder'],
  ['epub', 'book.epub'],
  ['json', 'backup.json'],
  ['json', 'backup.zip'],
  ['bibtex', 'refs.bib'],
  ['csl-json', 'refs.csl.json'],
];

describe('atomic output', () => {
  it.each(cases)('%s to %s: a failure mid-export leaves neither PATH nor a temp behind', async (format, name) => {
    const out = join(s.dir, 'failing', name);
    const failure = new Error('disk full (simulated by the progress callback)');
    await expect(
      exportArticles(s.archive, {
        format,
        out,
        onProgress: (done) => {
          if (done === 3) throw failure;
        },
      }),
    ).rejects.toBe(failure);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(s.dir, 'failing'))).toEqual([]);
  });

  it('a killed export leaves only a hidden .partial name, never something at PATH', async () => {
    // The exporter compiled for a plain node child, killed with SIGKILL while it is mid-way.
    const compiled = compileStore('app/export/index.ts');
    const store = compileStore();
    const storeUrl = store.storeUrl;
    const out = join(s.dir, 'killed', 'notes');
    const script = `
      const { exportArticles } = await import(${JSON.stringify(compiled.storeUrl)});
      const { openArchive } = await import(${JSON.stringify(storeUrl)});
      const archive = openArchive(${JSON.stringify(s.archive.path)});
      await exportArticles(archive, { format: 'markdown', out: ${JSON.stringify(out)}, onProgress: (done) => {
        if (done === 4) { process.stdout.write('midway\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000); }
      } });`;
    try {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => c.toString().includes('midway') && resolve());
        child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
      });
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('exit', resolve));
      expect(existsSync(out)).toBe(false);
      const left = readdirSync(join(s.dir, 'killed'));
      // The half-built folder is there, under a name that says it is not finished.
      expect(left).toEqual([`.notes.partial-${child.pid}`]);
      expect(readdirSync(join(s.dir, 'killed', left[0]!)).length).toBeGreaterThan(0);
    } finally {
      compiled.cleanup();
      store.cleanup();
    }
  });
});
