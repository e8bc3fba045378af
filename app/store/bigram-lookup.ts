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
 * of its sorted terms), a MATCH of those terms gives their articles, and one expression index
 * per column gives the second kind.
 *
 * That equivalence needs the trigram tokenizer to keep each character of the term as it is:
 * it folds case and, with remove_diacritics, strips accents, so a term is taken this way only
 * when every character is one those leave alone: Han ideographs, kana and Hangul syllables
 * (tests/unit/bigram-lookup.test.ts checks every one of them against SQLite's tokenizer). Other
 * short terms (one character, Thai, full-width Latin…) keep the scan.
 */

/** The characters the trigram tokenizer indexes unchanged (see the file comment). */
export const VERBATIM_CHAR =
  /[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\u{20000}-\u{3ffff}]/u;

/** Past this many index terms starting with the needle, the scan is used instead (a MATCH with that many ORs). */
const MAX_TERMS = 2000;

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

/** The trigram index terms that start with `needle`: `?` needle, `?` needle + U+10FFFF (above any third character). */
export const BIGRAM_TERMS_SQL = 'SELECT term FROM article_trigram_vocab WHERE term >= ? AND term <= ? LIMIT ?';

export function bigramTermsParams(needle: string): [string, string, number] {
  return [needle, `${needle}\u{10ffff}`, MAX_TERMS + 1];
}

/** True when there are too many terms to OR together in one MATCH (the caller scans instead). */
export function tooManyTerms(terms: readonly string[]): boolean {
  return terms.length > MAX_TERMS;
}

/** The MATCH for the articles holding any of `terms` in the atom's columns; null when there are none. */
export function bigramMatch(terms: readonly string[], field: TermField | null): string | null {
  if (terms.length === 0) return null;
  const any = terms.map(quoteFts5).join(' OR ');
  const columns = COLUMNS[field ?? 'all'];
  return columns.length === COLUMNS.all.length ? any : `{${columns.join(' ')}} : (${any})`;
}

/**
 * The articles where one of the atom's columns ends with the needle: one indexed lookup per
 * column in migration 0007's partial expression indexes (each condition repeats its index's
 * WHERE word for word). INDEXED BY, because the planner's choice depends on statistics: in an
 * analysed archive it preferred scanning 0004's index, or a small table, to indexes it had no
 * statistics for; and should an index ever not fit, the statement fails instead of scanning.
 * Parameters: the needle, once per column; an article may come more than once.
 */
export function bigramTailsSql(field: TermField | null): { sql: string; columns: number } {
  const columns = COLUMNS[field ?? 'all'];
  const lookups = columns.map(
    (c) => `SELECT article_id FROM article_search INDEXED BY article_search_${c === 'cjk_text' ? 'cjk' : c}_tail WHERE ${UNSPACED_COLUMN_SQL[c]} AND substr(${c}, -2) = ?`,
  );
  return { sql: lookups.join(' UNION ALL '), columns: columns.length };
}
