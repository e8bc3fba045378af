import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../app/cli/main.js';
import { FolioError } from '../../app/core/errors.js';
import { exportArticles } from '../../app/export/index.js';
import { resolveSelection } from '../../app/export/select.js';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/index.js';
import { makeCapture } from '../helpers/make-capture.js';

/** More matches than one search page (200), so "all pages" is actually tested. */
const ZEBRAS = 230;
let dir: string;
let archive: Archive;
const ids: number[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-export-select-'));
  archive = openArchive(join(dir, 'archive.db'));
  for (let i = 1; i <= ZEBRAS + 20; i++) {
    const zebra = i <= ZEBRAS;
    const { capture, blobs } = makeCapture({ seed: i, words: 12, imageCount: 0, title: zebra ? `Zebra crossing number ${i}` : `Giraffe note ${i}` });
    ids.push(archive.saveCapture(capture, blobs, { savedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), tags: i % 10 === 0 ? ['tenth'] : [] }).id);
  }
});
afterAll(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('export selection', () => {
  it('takes every page of query results, not only the first', () => {
    const sel = resolveSelection(archive, { query: 'zebra' });
    expect(sel.ids).toHaveLength(ZEBRAS);
    expect(new Set(sel.ids)).toEqual(new Set(ids.slice(0, ZEBRAS)));
  });

  it('selects by tag, by ids (in the order given) or everything, oldest saved first', () => {
    expect(resolveSelection(archive, { tag: 'tenth' }).ids).toEqual(ids.filter((_, i) => (i + 1) % 10 === 0));
    expect(resolveSelection(archive, { ids: [ids[5]!, ids[2]!, ids[5]!] }).ids).toEqual([ids[5], ids[2]]);
    expect(resolveSelection(archive, {}).ids).toEqual(ids);
  });

  it('refuses unknown ids, trashed ones, empty queries and several selectors at once', () => {
    archive.deleteArticles([ids[7]!]);
    expect(() => resolveSelection(archive, { ids: [ids[1]!, 999_999, ids[7]!] })).toThrow(/No article with id 999999, \d+ in .*archive\.db/);
    expect(() => resolveSelection(archive, { query: '   ' })).toThrow(FolioError);
    expect(() => resolveSelection(archive, { tag: 'x', ids: [1] })).toThrow(/one of --query, --tag or --ids/);
    archive.restoreArticles([ids[7]!]);
  });
});

describe('folio export (CLI)', () => {
  async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
    try {
      const code = await main(['node', 'folio', 'export', '--db', join(dir, 'archive.db'), ...args]);
      return { code, stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.exitCode = undefined;
    }
  }

  it('exports the query selection and prints a JSON result', async () => {
    const file = join(dir, 'zebras.bib');
    const r = await run(['--format', 'bibtex', '--query', 'zebra', '--out', file, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ format: 'bibtex', path: file, articles: ZEBRAS, images: 0 });
    expect(readFileSync(file, 'utf8').match(/^@online\{/gm)).toHaveLength(ZEBRAS);
  });

  it('parses --ids and prints a human summary', async () => {
    const file = join(dir, 'two.json');
    const r = await run(['--format', 'csl-json', '--ids', `${ids[0]},${ids[1]}`, '--out', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Exported 2 articles as csl-json to ${file}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(2);
  });

  it('fails with one line naming the problem', async () => {
    const r = await run(['--format', 'epub', '--ids', '424242', '--out', join(dir, 'x.epub')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^folio: No article with id 424242 in .*; check the ids with `folio list`.*\n$/);
    const missing = await run(['--format', 'epub', '--out', join(dir, 'y.epub'), '--db', join(dir, 'nope.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^folio: there is no archive at .*nope\.db/);
    const usage = await run(['--format', 'pdf', '--out', join(dir, 'z.pdf')]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/pdf.*Allowed choices are markdown, html, epub, json, bibtex, csl-json/s);
  });

  it('an export API caller can also export everything', async () => {
    const result = await exportArticles(archive, { format: 'csl-json', out: join(dir, 'all.json') });
    expect(result.articles).toBe(ids.length);
  });
});
