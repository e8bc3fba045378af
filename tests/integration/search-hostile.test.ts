import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNIPPET_MARK_START } from '../../app/core/article.js';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/open-archive.js';
import { makeCapture } from '../helpers/make-capture.js';

/**
 * Whatever a person (or a script) types into the search box, search answers with a page of
 * results — possibly empty — and never an error, and never runs anything but a search.
 */
const HOSTILE: string[] = [
  // quotes
  '"',
  '""',
  '"""',
  '"unbalanced phrase',
  'phrase"',
  'a"b"c"d',
  '" " " "',
  "it's",
  "'single quoted'",
  // operators in odd places
  'OR',
  'OR OR OR',
  'OR library',
  'library OR',
  'AND',
  'NOT',
  'NEAR',
  'NEAR(a b)',
  'NEAR/3',
  'a NOT b',
  'a AND OR NOT b',
  '-',
  '--',
  '---library',
  '- library',
  '-"',
  '-""',
  '-OR',
  // column names and filters in odd places
  'text:',
  'title:',
  'title:title:title',
  ':',
  '::',
  'title :',
  'text:library',
  'tags:x',
  'rowid:1',
  'article_fts:library',
  '{title}:library',
  'title:"',
  'tag:""',
  'is:',
  'is:is:is',
  'before:',
  'before:9999-99-99',
  'after:0000-00-00',
  'sort:',
  'sort:drop',
  'lang:%',
  'site:%',
  'tag:%_%',
  // FTS5 syntax characters
  '*',
  '**',
  '*library',
  'lib*rary',
  '^',
  '^library',
  '+',
  '(',
  ')',
  '()',
  '(library',
  'library)',
  '((((((((((library))))))))))',
  '{',
  '}',
  '[',
  ']',
  ',',
  '.',
  '\\',
  '\\"',
  // SQL injection attempts
  "'; DROP TABLE articles; --",
  '"); DROP TABLE articles; --',
  "' OR 1=1 --",
  '" OR 1=1 --',
  '1; DELETE FROM articles',
  'library\' UNION SELECT * FROM settings --',
  "tag:x' OR '1'='1",
  'site:x" OR "1"="1',
  // unicode oddities
  '🎉',
  '🎉🎉🎉 library',
  '👨‍👩‍👧',
  'é',
  'e\u0301',
  '\u200b',
  '\u200blibrary\u200b',
  '\u202eyrarbil',
  '\ufeff',
  '\uD800',
  '\uDFFF\uD800',
  '\uE000\uE001',
  '図',
  '図書館 OR',
  '"図書館',
  '-図書館',
  '図書館*',
  'title:図',
  // control characters
  '\u0000',
  'library\u0000library',
  '\u0000\u0000\u0000',
  '\t\n\r',
  '\u0007\u001b[31m',
  '\u007f',
  // sizes
  'x'.repeat(10_000),
  'library '.repeat(2_000),
  '"'.repeat(5_000),
  '-'.repeat(5_000),
  '('.repeat(3_000),
  'OR '.repeat(3_000),
  'a OR '.repeat(1_000),
  Array.from({ length: 500 }, (_, i) => `tag:t${i}`).join(' '),
  '図'.repeat(4_000),
  '',
  ' ',
];

let dir: string;
let archive: Archive;
let articleCount: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-hostile-'));
  archive = openArchive(join(dir, 'folio.db'));
  for (let i = 0; i < 30; i++) {
    const text = i % 5 === 0 ? `市立図書館のお知らせ ${i}。library news` : undefined;
    const { capture, blobs } = makeCapture({ seed: i + 1, words: 200, text });
    archive.saveCapture(capture, blobs, { tags: i % 2 ? ['x', 'library'] : ['t1'] });
  }
  archive.addBookmark({ url: 'https://example.com/library-bookmark', title: 'Library bookmark' });
  articleCount = archive.listArticles().total;
});
afterAll(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hostile queries', () => {
  it(`has at least 60 cases (${HOSTILE.length})`, () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(60);
  });

  it.each(HOSTILE.map((q) => [JSON.stringify(q.length > 60 ? `${q.slice(0, 60)}… (${q.length} chars)` : q), q]))(
    '%s gives a page of results, never an error',
    (_label, q) => {
      const page = archive.search(q);
      expect(Array.isArray(page.items)).toBe(true);
      expect(Number.isInteger(page.total)).toBe(true);
      expect(page.total).toBeGreaterThanOrEqual(page.items.length);
      expect(page.offset).toBe(0);
      expect(page.limit).toBe(50);
      for (const hit of page.items) {
        expect(typeof hit.snippet).toBe('string');
        expect(typeof hit.title).toBe('string');
      }
      // With paging too.
      expect(() => archive.search(q, { limit: 1, offset: 3 })).not.toThrow();
    },
  );

  it('nothing was changed by any of them', () => {
    expect(archive.listArticles().total).toBe(articleCount);
    expect(archive.checkIntegrity()).toEqual([]);
    expect(archive.listTags().map((t) => t.tag)).toEqual(['library', 't1', 'x']);
  });

  it('odd inputs still search for their words', () => {
    expect(archive.search('"unbalanced library').total).toBe(0);
    expect(archive.search('((((((((((library))))))))))').total).toBe(archive.search('library').total);
    expect(archive.search('library\u0000library').total).toBe(archive.search('library').total);
    expect(archive.search('---library').total).toBe(archive.listArticles().total - archive.search('library').total);
    expect(archive.search('-図書館').total).toBe(articleCount - 6);
    expect(archive.search('\u200blibrary\u200b').total).toBeGreaterThan(0);
    expect(archive.search('library '.repeat(2_000)).total).toBe(archive.search('library').total);
    const hit = archive.search('OR library OR').items[0]!;
    expect(hit.snippet.includes(SNIPPET_MARK_START) || hit.title.toLowerCase().includes('library')).toBe(true);
  });
});
