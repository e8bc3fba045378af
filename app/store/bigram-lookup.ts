import { quoteFts5 } from '../core/query/to-fts5.js';
import type { TermField } from '../core/query/types.js';
import { UNSPACED_COLUMN_SQL } from './migrations/0004-substring-index.js';

/**
 * Finding a two-character CJK term (東京) through the trigram index instead of scanning text
 * (migration 0007 explains why). An article holds `東京` in a column exactly when
 *   - some trigram of that column starts with `東京` (an occurrence followed by a character:
 *     `東京の`, `東京\n`…), or
 *   - the column ends with `東京` (no character follows, so no such trigram).
 * Both are read from indexes: the trigram vocabulary gives the terms of the first kind (a range
 * of its sorted terms), a MATCH of those terms (or, when there are many, the index's instance
 * list over that range) gives their articles, and one expression index per column gives the
 * second kind.
 *
 * That equivalence needs the trigram tokenizer to keep each character of the term as it is:
 * it folds case and, with remove_diacritics, strips accents, so a term is taken this way only
 * when every character is one those leave alone: Han ideographs, kana and Hangul syllables
 * (tests/unit/bigram-lookup.test.ts checks every one of them against SQLite's tokenizer). Other
 * short terms (one character, Thai, full-width Latin…) keep migration 0004's scan.
 */

/** The characters the trigram tokenizer indexes unchanged (see the file comment). */
export const VERBATIM_CHAR =
  /[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\u{20000}-\u{3ffff}]/u;

/**
 * Up to this many index terms start with the needle, their articles come from one MATCH that ORs
 * them (FTS5 parses and seeks each: ~40 µs a term); past it, from the trigram index's instance
 * list, read over the same range of terms, whose cost follows the occurrences, not the terms (2,500
 * rows each holding 東京 followed by a different character: 2.6 ms; a MATCH of 2,000 terms 83 ms).
 */
const MATCH_MAX_TERMS = 100;

/** Index columns a substring atom searches, by its field (same names in both places). */
const COLUMNS: Record<'all' | TermField, readonly ('title' | 'byline' | 'cjk_text')[]> = {
  all: ['title', 'byline', 'cjk_text'],
  title: ['title'],
  author: ['byline'],
};

/** True when `needle` is two characters the trigram index keeps verbatim. */
export function isBigram(needle: string): boolean {
  const chars = [...needle];
  return chars.length === 2 && chars.every((c) => VERBATIM_CHAR.test(c));
}

/** A statement and its parameters (those bigramLookup gives yield article ids: trashed ones too, some twice). */
export interface IdStatement {
  sql: string;
  params: unknown[];
}

/** The needle's range of index terms: from itself to itself + U+10FFFF (above any third character). */
const termRange = (needle: string): [string, string] => [needle, `${needle}\u{10ffff}`];

/** The trigram index terms that start with `needle`, as many as the MATCH takes and one more (to tell). */
export function bigramTerms(needle: string): IdStatement {
  return { sql: 'SELECT term FROM article_trigram_vocab WHERE term >= ? AND term <= ? LIMIT ?', params: [...termRange(needle), MATCH_MAX_TERMS + 1] };
}

/**
 * The statements that find every article holding `needle` in the atom's columns, given the
 * index terms that start with it (what bigramTerms found): those terms' articles, and the
 * articles where a column ends with the needle.
 */
export function bigramLookup(needle: string, field: TermField | null, terms: readonly string[]): IdStatement[] {
  const columns = COLUMNS[field ?? 'all'];
  const all = columns.length === COLUMNS.all.length;
  const tails = bigramTails(needle, columns);
  if (terms.length === 0) return [tails];
  if (terms.length <= MATCH_MAX_TERMS) {
    const any = terms.map(quoteFts5).join(' OR ');
    const match = all ? any : `{${columns.join(' ')}} : (${any})`;
    return [{ sql: 'SELECT rowid FROM article_trigram WHERE article_trigram MATCH ?', params: [match] }, tails];
  }
  const inColumns = all ? '' : ` AND col IN (${columns.map(() => '?').join(', ')})`;
  return [
    {
      sql: `SELECT DISTINCT doc FROM article_trigram_instances WHERE term >= ? AND term <= ?${inColumns}`,
      params: [...termRange(needle), ...(all ? [] : columns)],
    },
    tails,
  ];
}

/**
 * The articles where one of `columns` ends with the needle: one indexed lookup per column in
 * migration 0007's partial expression indexes (each condition repeats its index's WHERE word for
 * word). INDEXED BY, because the planner's choice depends on statistics: in an analysed archive
 * it preferred scanning 0004's index, or a small table, to indexes it had no statistics for;
 * and should an index ever not fit, the statement fails instead of scanning.
 */
function bigramTails(needle: string, columns: readonly ('title' | 'byline' | 'cjk_text')[]): IdStatement {
  const lookups = columns.map(
    (c) => `SELECT article_id FROM article_search INDEXED BY article_search_${c === 'cjk_text' ? 'cjk' : c}_tail WHERE ${UNSPACED_COLUMN_SQL[c]} AND substr(${c}, -2) = ?`,
  );
  return { sql: lookups.join(' UNION ALL '), params: columns.map(() => needle) };
}
