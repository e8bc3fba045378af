import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../app/store/open-archive.js';
import type { Archive } from '../../app/store/archive.js';
import { makeCapture, rng } from '../helpers/make-capture.js';

/**
 * Issue #7 §3: 10,000 generated query strings — random bytes, FTS5 syntax fragments, SQL
 * fragments, query-language fragments, odd Unicode and very long strings — through the search
 * API of a real archive: no exception, every one answered with a page, nothing changed.
 */
const FTS5_FRAGMENTS = ['"', '""', '*', '(', ')', 'NEAR', 'NEAR(', 'NEAR/3', 'AND', 'OR', 'NOT', '^', ':', '-', '+', '{', '}', '{title text}:', 'title:', 'text:', 'byline:', 'rowid:', 'article_fts:', '"a" * "b"', 'col : x', '\'', 'OR OR', 'NOT NOT', '(("', '*"', '"*', '^"x"'];
const SQL_FRAGMENTS = ["'; DROP TABLE articles; --", "' OR 1=1 --", '" OR ""="', 'UNION SELECT * FROM images', '%', '_', '\\', '/*', '*/', '; VACUUM;', "') --", 'x\'); DELETE FROM articles; --', 'MATCH', 'LIKE', 'ESCAPE', '?', ':name', '@p', '$x', '\u0000'];
const LANGUAGE_FRAGMENTS = ['is:', 'is:unread', 'is:nope', '-is:archived', 'before:', 'before:2024-13-45', 'after:0000-00-00', 'after:2024-02-30', 'sort:', 'sort:published', 'sort:"', 'tag:', 'tag:"', 'tag:""', 'site:', 'site:*', 'lang:', 'author:"', 'title:"', '-', '--', '-"', 'OR', '"unbalanced', 'prefix*', '**', '***'];
const WORDS = ['archive', 'river', 'garden', 'the', 'search', 'library', '図書館', '東京', 'café', 'naïve', 'straße', 'مكتبة', 'ספרייה', '🎉', '👨‍👩‍👧', 'e\u0301', 'a', 'I', '0', '1e9', 'null', 'undefined'];
const ODD = ['\u200b', '\u202e', '\ufeff', '\ud800', '\udfff', '\u0007', '\t', '\n', '\r\n', '\u2028', '\uffff', '\u{10ffff}'];

function generate(i: number): string {
  const next = rng(i + 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  switch (i % 6) {
    case 0: {
      // Random bytes, decoded as UTF-8 (with replacement characters) or Latin-1.
      const bytes = Buffer.from(Array.from({ length: Math.floor(next() * 200) }, () => Math.floor(next() * 256)));
      return next() < 0.5 ? bytes.toString('utf8') : bytes.toString('latin1');
    }
    case 1:
      return Array.from({ length: 1 + Math.floor(next() * 8) }, () => (next() < 0.6 ? pick(FTS5_FRAGMENTS) : pick(WORDS))).join(next() < 0.5 ? ' ' : '');
    case 2:
      return Array.from({ length: 1 + Math.floor(next() * 5) }, () => (next() < 0.6 ? pick(SQL_FRAGMENTS) : pick(WORDS))).join(' ');
    case 3:
      return Array.from({ length: 1 + Math.floor(next() * 8) }, () => (next() < 0.5 ? pick(LANGUAGE_FRAGMENTS) : pick(WORDS))).join(next() < 0.7 ? ' ' : '');
    case 4:
      return Array.from({ length: 1 + Math.floor(next() * 10) }, () => (next() < 0.5 ? pick(ODD) : pick(WORDS))).join('');
    default: {
      // Very long: 1 KB to 100 KB of repeated fragments.
      const unit = `${pick(WORDS)} ${pick(FTS5_FRAGMENTS)} ${pick(SQL_FRAGMENTS)} `;
      return unit.repeat(Math.ceil((1000 + next() * 99_000) / unit.length));
    }
  }
}

describe('query fuzz (10,000 generated queries)', () => {
  let dir: string;
  let archive: Archive;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'folio-fuzz-'));
    archive = openArchive(join(dir, 'fuzz.db'));
    for (let i = 1; i <= 40; i++) {
      const { capture, blobs } = makeCapture({ seed: i, words: 200 });
      archive.saveCapture(capture, blobs, { tags: i % 2 ? ['research'] : ['travel'] });
    }
    const { capture, blobs } = makeCapture({ seed: 99, text: '市立図書館は駅前に移転した。東京の古書店街。', title: '図書館の話' });
    archive.saveCapture(capture, blobs);
  });

  afterAll(() => {
    archive?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every query with a page and never throws or changes the archive', () => {
    const before = archive.stats();
    const failures: { i: number; query: string; error: string }[] = [];
    let answered = 0;
    let withHits = 0;
    for (let i = 0; i < 10_000; i++) {
      const query = generate(i);
      try {
        const page = archive.search(query, { limit: 10 });
        expect(Array.isArray(page.items)).toBe(true);
        expect(Number.isInteger(page.total)).toBe(true);
        expect(page.items.length).toBeLessThanOrEqual(10);
        answered++;
        if (page.total > 0) withHits++;
      } catch (err) {
        failures.push({ i, query: query.slice(0, 80), error: String(err) });
      }
    }
    console.info(`query fuzz: 10000 tried, ${answered} answered, ${withHits} with hits, ${failures.length} failures`);
    expect(failures).toEqual([]);
    expect(answered).toBe(10_000);
    // The generator must exercise real searches, not only empty ones.
    expect(withHits).toBeGreaterThan(500);
    expect(archive.stats().articles).toBe(before.articles);
    expect(archive.checkIntegrity()).toEqual([]);
  });
});
