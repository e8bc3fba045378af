import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/open-archive.js';
import { makeCapture } from '../helpers/make-capture.js';

/**
 * The relevance half of the porter-stemming decision (migration 0002): the same documents in
 * a plain unicode61 index and in the archive's porter index; the query forms a reader types
 * should find every inflection. The speed/size half was measured once and is recorded in the
 * migration's comment.
 */
const DOCS = [
  'She runs along the river every morning.',
  'The run was cancelled because of the storm.',
  'Running a small library takes patience.',
  'The libraries of the city opened late.',
  'He connected the cables; the connection held.',
  'A quiet evening with no sport at all.',
];

const QUERIES: [string, number[]][] = [
  ['running', [0, 1, 2]],
  ['runs', [0, 1, 2]],
  ['library', [2, 3]],
  ['connecting', [4]],
];

let dir: string;
let archive: Archive;
let plain: Database.Database;
const ids: number[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-porter-'));
  archive = openArchive(join(dir, 'folio.db'));
  plain = new Database(':memory:');
  plain.exec(`CREATE VIRTUAL TABLE plain USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')`);
  DOCS.forEach((text, i) => {
    const { capture, blobs } = makeCapture({ seed: 70 + i, title: `Document ${i}`, text, words: 0 });
    ids.push(archive.saveCapture(capture, blobs).id);
    plain.prepare('INSERT INTO plain (rowid, text) VALUES (?, ?)').run(i, text);
  });
});
afterAll(() => {
  archive.close();
  plain.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('porter stemming', () => {
  it.each(QUERIES)('%s finds every inflection in the archive', (q, expected) => {
    expect(archive.search(q).items.map((h) => ids.indexOf(h.id)).sort()).toEqual(expected);
  });

  it('without porter the same queries miss inflections (why it is on)', () => {
    const plainHits = (q: string) =>
      (plain.prepare('SELECT rowid FROM plain WHERE plain MATCH ? ORDER BY rowid').all(`"${q}"`) as { rowid: number }[]).map((r) => r.rowid);
    let missed = 0;
    for (const [q, expected] of QUERIES) {
      const found = plainHits(q);
      expect(expected).toEqual(expect.arrayContaining(found));
      missed += expected.length - found.length;
    }
    expect(missed).toBeGreaterThanOrEqual(6);
  });

  it('an exact phrase is still a phrase of stems, not a substring', () => {
    expect(archive.search('"small library"').items.map((h) => ids.indexOf(h.id))).toEqual([2]);
    expect(archive.search('"library small"').items).toEqual([]);
  });
});
