import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/open-archive.js';
import { QUERY_MIX, rankFloorSql } from '../bench/search-bench.js';
import { generateText, makeCapture } from '../helpers/make-capture.js';

/**
 * The benchmark's ranking floor (tests/bench/search-bench.ts) is reported as a lower bound on
 * the search's time, which holds only if the floor statement ranks exactly what the search
 * ranks: the same index, the same MATCH, the same bm25 weights. Here its scores are held to
 * the search's first page on a real archive, and the queries it must not claim (filters,
 * terms the search checks outside the ranked MATCH) to having no floor.
 */

let dir: string;
let archive: Archive;
let db: Database.Database;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-rank-floor-'));
  const file = join(dir, 'folio.db');
  archive = openArchive(file);
  for (let i = 0; i < 400; i++) {
    let text = generateText(i + 1, 60);
    if (i % 3 === 0) text += ' People of the world say the first time is according to the government of computers.';
    if (i % 7 === 0) text += ' 市立図書館の研究者は東京にいる。';
    if (i % 11 === 0) text += ' Music and film and war.';
    const title = i % 5 === 0 ? `New people ${i}` : undefined;
    const { capture, blobs } = makeCapture({ seed: i + 1, text, words: 60, title });
    archive.saveCapture(capture, blobs, { tags: [i % 4 === 0 ? 'research' : 'misc'] });
  }
  db = new Database(file, { readonly: true });
});

afterAll(() => {
  db?.close();
  archive?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the search benchmark’s ranking floor', () => {
  it('scores exactly the rows the search puts on its first page', () => {
    let checked = 0;
    for (const q of ['people', 'time world', '"according to"', '"the first time"', 'govern*', 'comput*', 'title:new', 'music OR film -war', '図書館', '研究者']) {
      const floor = rankFloorSql(q);
      expect(floor, q).not.toBeNull();
      const page = archive.search(q, { limit: 20 });
      expect(page.total, q).toBeGreaterThan(0);
      if (page.sortedBy !== 'relevance') continue;
      // The floor's own statement with its bm25 as a column: the same scores in the same order.
      const bm25 = /ORDER BY (bm25\([^)]*\))/.exec(floor!.sql)![1]!;
      const rows = db.prepare(floor!.sql.replace('SELECT rowid', `SELECT rowid, ${bm25} AS s`)).all(floor!.match) as { rowid: number; s: number }[];
      expect(rows.map((r) => -r.s), q).toEqual(page.items.map((hit) => hit.score));
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('claims no floor for a query the search narrows before ranking (filters, a second index) or does not rank', () => {
    for (const q of ['tag:research science', 'site:example.com is:unread', '東京', 'people 東京']) {
      expect(rankFloorSql(q), q).toBeNull();
    }
  });

  it('has a floor for every ranked query of the mix but the filtered ones', () => {
    const without = QUERY_MIX.filter(({ q }) => rankFloorSql(q) === null).map(({ q }) => q);
    expect(without).toEqual(['tag:research science', 'site:example.com is:unread', '東京']);
  });
});
