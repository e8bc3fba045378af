import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { VERBATIM_CHAR, bigramLookup, isBigram } from '../../app/store/bigram-lookup.js';

/**
 * The two-character lookup (app/store/bigram-lookup.ts) reads the trigram index's terms as if
 * they were the text: that holds only for characters the trigram tokenizer keeps as they are
 * (no case folding, no diacritics removed). Checked here for every character VERBATIM_CHAR
 * accepts, with SQLite's own tokenizer configured as migration 0002 configures it.
 */

const db = new Database(':memory:');
afterAll(() => db.close());

function verbatimCodePoints(): string[] {
  const out: string[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    if (VERBATIM_CHAR.test(ch)) out.push(ch);
  }
  return out;
}

describe('VERBATIM_CHAR', () => {
  it('the trigram tokenizer (remove_diacritics 1) indexes every one of its characters unchanged', () => {
    const chars = verbatimCodePoints();
    expect(chars.length).toBeGreaterThan(150_000); // Han (BMP and planes 2–3), kana, Hangul syllables
    db.exec(`CREATE VIRTUAL TABLE t USING fts5 (a, tokenize = 'trigram remove_diacritics 1');
             CREATE VIRTUAL TABLE t_terms USING fts5vocab (t, 'row');`);
    const insert = db.prepare('INSERT INTO t (a) VALUES (?)');
    const expected = new Set<string>();
    const CHUNK = 4000;
    db.transaction(() => {
      for (let i = 0; i < chars.length; i += CHUNK) {
        const run = chars.slice(i, i + CHUNK);
        insert.run(run.join(''));
        for (let k = 0; k + 2 < run.length; k++) expected.add(run[k]! + run[k + 1]! + run[k + 2]!);
      }
    })();
    const terms = new Set(db.prepare('SELECT term FROM t_terms').pluck().all() as string[]);
    const changed = [...expected].filter((t) => !terms.has(t));
    expect(changed.slice(0, 10)).toEqual([]);
    expect(terms.size).toBe(expected.size);
  });

  it('leaves out characters the tokenizer changes or that need the scan: Latin, full-width Latin, combining marks', () => {
    for (const ch of ['A', 'a', 'é', 'Ａ', 'ａ', '\u3099', '\u309a', 'ก', '1', '、', '。']) expect({ ch, ok: VERBATIM_CHAR.test(ch) }).toEqual({ ch, ok: false });
  });
});

describe('isBigram', () => {
  it('is true for exactly two verbatim characters', () => {
    expect(['東京', 'ます', '연구', 'カメ', '𠀋𠀋'].map(isBigram)).toEqual([true, true, true, true, true]);
    expect(['東', '東京都', 'Ａ京', '東a', 'ภา', '東 '].map(isBigram)).toEqual([false, false, false, false, false, false]);
  });
});

describe('bigramLookup', () => {
  const sqlOf = (statements: { sql: string }[]) => statements.map((st) => st.sql);

  it('with no index term starting with the needle, only looks for columns that end with it', () => {
    const [tails, ...rest] = bigramLookup('東京', null, []);
    expect(rest).toEqual([]);
    expect(tails!.sql.split(' UNION ALL ')).toHaveLength(3);
    expect(tails!.params).toEqual(['東京', '東京', '東京']);
    expect(bigramLookup('東京', 'author', [])[0]!.sql).toMatch(/^SELECT article_id FROM article_search INDEXED BY article_search_byline_tail WHERE/);
  });

  it('ORs a few terms into one quoted MATCH, limited to the field’s column when there is one', () => {
    expect(bigramLookup('東京', null, ['東京の', '東京"'])[0]!.params).toEqual(['"東京の" OR "東京"""']);
    expect(bigramLookup('東京', 'title', ['東京の'])[0]!.params).toEqual(['{title} : ("東京の")']);
    expect(bigramLookup('東京', 'author', ['東京の', '東京\n'])[0]!.params).toEqual(['{byline} : ("東京の" OR "東京\n")']);
  });

  it('reads the instance list over the term range when many terms start with the needle', () => {
    const many = Array.from({ length: 101 }, (_, i) => `東京${String.fromCodePoint(0x4e00 + i)}`);
    expect(sqlOf(bigramLookup('東京', null, many.slice(0, 100)))[0]).toMatch(/MATCH/);
    const [instances] = bigramLookup('東京', 'title', many);
    expect(instances!.sql).toBe('SELECT DISTINCT doc FROM article_trigram_instances WHERE term >= ? AND term <= ? AND col IN (?)');
    expect(instances!.params).toEqual(['東京', '東京\u{10ffff}', 'title']);
    expect(bigramLookup('東京', null, many)[0]!.params).toEqual(['東京', '東京\u{10ffff}']);
  });
});
