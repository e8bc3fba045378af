import type { Migration } from './types.js';

/**
 * Blocks of the scripts written without spaces (Thai, Lao, Myanmar, Hangul, Khmer, CJK
 * ideographs, kana and their symbols), as inclusive code point ranges: a superset of
 * UNSPACED_SCRIPT in app/core/query/scripts.ts (tests/unit/unspaced-row.test.ts checks every
 * code point), taken by whole Unicode block so characters added to those scripts later still
 * fall inside. Frozen with this migration: the index below was built with it.
 */
export const UNSPACED_BLOCKS: readonly (readonly [number, number])[] = [
  [0x0e00, 0x0eff], // Thai, Lao
  [0x1000, 0x109f], // Myanmar
  [0x1100, 0x11ff], // Hangul Jamo
  [0x1780, 0x17ff], // Khmer
  [0x19e0, 0x19ff], // Khmer symbols
  [0x2e80, 0x2fdf], // CJK radicals, Kangxi radicals
  [0x3000, 0x9fff], // CJK symbols, kana, Bopomofo, Hangul compatibility, CJK extension A, CJK unified
  [0xa960, 0xa97f], // Hangul Jamo extended A
  [0xa9e0, 0xa9ff], // Myanmar extended B
  [0xaa60, 0xaa7f], // Myanmar extended A
  [0xac00, 0xd7ff], // Hangul syllables, Jamo extended B
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xff00, 0xffef], // half- and full-width forms
  [0x116d0, 0x116ff], // Myanmar extended C
  [0x16fe0, 0x16fff], // ideographic symbols
  [0x1aff0, 0x1b2ff], // kana extended, kana supplement, small kana
  [0x1f200, 0x1f2ff], // enclosed ideographic supplement
  [0x20000, 0x3ffff], // CJK extensions B–I, compatibility supplement (planes 2 and 3)
];

const globClass = `[${UNSPACED_BLOCKS.map(([a, b]) => `${String.fromCodePoint(a)}-${String.fromCodePoint(b)}`).join('')}]`;

/** Per column, the condition that it can hold a short unspaced-script term (UNSPACED_ROW_SQL is any of them). */
export const UNSPACED_COLUMN_SQL = {
  cjk_text: `cjk_text <> ''`,
  title: `title GLOB '*${globClass}*'`,
  byline: `byline GLOB '*${globClass}*'`,
} as const;

/**
 * True for the article_search rows that can hold a short unspaced-script term: some text of
 * such a script in the title or byline, or any CJK run of the body (cjk_text is empty exactly
 * when the body has none). The condition of the partial index below; a query includes it
 * word for word so SQLite can use that index (the planner matches partial-index conditions
 * by their text, not by meaning).
 */
export const UNSPACED_ROW_SQL = `(${UNSPACED_COLUMN_SQL.cjk_text} OR ${UNSPACED_COLUMN_SQL.title} OR ${UNSPACED_COLUMN_SQL.byline})`;

/**
 * Short (1–2 character) CJK/Thai terms are below the trigram size, so they are found by an
 * `instr` scan over title, byline and cjk_text (app/store/search-sql.ts). On the table itself
 * that scan walked every row's overflow chain to reach cjk_text, stored after the long `text`
 * (100,000 articles: 138 ms CPU per scan, run twice per search, for the page and the count).
 * This partial covering index holds those three columns for the rows that can match at all, so
 * the scan reads a small b-tree instead: at 100,000 articles (one in ten with Japanese text)
 * 10,268 entries rather than 430 MB of rows, 9.5 ms. Built in one pass (1.2 s at 100,000).
 */
export const migration0004: Migration = {
  version: 4,
  name: 'substring-index',
  up(db) {
    db.exec(`CREATE INDEX article_search_unspaced ON article_search (title, byline, cjk_text) WHERE ${UNSPACED_ROW_SQL};`);
  },
};
