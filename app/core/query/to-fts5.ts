/**
 * Compiles a ParsedQuery's text terms into FTS5 MATCH expressions. Pure string work: the store
 * (app/store/search.ts) binds the results as parameters and assembles the SQL.
 *
 * Safety: every term goes into FTS5 as a double-quoted string with `"` doubled, so no input can
 * reach FTS5's operators, column filters or syntax errors; only this compiler writes operators.
 *
 * Routing: most terms go to the word index (unicode61). Terms containing a script written
 * without spaces (see scripts.ts) go to the trigram index when they are 3+ characters long,
 * and to a substring scan when shorter (trigrams cannot match 1–2 characters).
 */
import { codePointLength, hasSearchableChar, hasUnspacedScript } from './scripts.js';
import type { ParsedQuery, QueryTerm } from './types.js';

export type TermRoute = 'words' | 'trigram' | 'substring';
export type FtsIndex = 'words' | 'trigram';

/** Where a term is looked up (see the file comment). */
export function routeTerm(term: QueryTerm): TermRoute {
  if (!hasUnspacedScript(term.text)) return 'words';
  return codePointLength(term.text) >= 3 ? 'trigram' : 'substring';
}

/** A string literal for FTS5: wrapped in double quotes, inner quotes doubled. */
export function quoteFts5(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** The FTS5 column a field term is limited to (same names in both indexes). */
const FIELD_COLUMN = { title: 'title', author: 'byline' } as const;

/** One term as an FTS5 expression, e.g. `"foo"`, `"foo" *`, `title : "machine learning"`. */
export function fts5Term(term: QueryTerm, index: FtsIndex = 'words'): string {
  // Trigram matching is substring matching already: a prefix mark would add nothing.
  const body = quoteFts5(term.text) + (term.kind === 'prefix' && index === 'words' ? ' *' : '');
  return term.field ? `${FIELD_COLUMN[term.field]} : ${body}` : body;
}

/**
 * An FTS5 expression requiring every group (AND), each group any of its terms (OR), and none of
 * `exclude` (NOT). Returns null when `include` is empty: FTS5 cannot express "everything
 * except", so exclusions alone are the caller's job (a NOT IN subquery).
 */
export function toFts5Match(
  include: readonly (readonly QueryTerm[])[],
  exclude: readonly QueryTerm[] = [],
  index: FtsIndex = 'words',
): string | null {
  const groups = include.filter((g) => g.length > 0);
  if (groups.length === 0) return null;
  const positive = groups
    .map((g) => (g.length === 1 ? fts5Term(g[0]!, index) : `(${g.map((t) => fts5Term(t, index)).join(' OR ')})`))
    .join(' AND ');
  if (exclude.length === 0) return positive;
  // NOT binds tighter than AND in FTS5; the parentheses keep the meaning obvious anyway.
  return `(${positive})${exclude.map((t) => ` NOT ${fts5Term(t, index)}`).join('')}`;
}

/** One alternative of a mixed group: an index lookup or a substring scan. */
export type PlanAtom =
  | { route: 'words'; match: string }
  | { route: 'trigram'; match: string }
  | { route: 'substring'; needle: string; field: QueryTerm['field'] };

/**
 * One phrase of a MATCH as bm25 weighs it: FTS5 gives each phrase of the expression its own
 * inverse document frequency. `words`: for a phrase of several words, each word alone with the
 * same field (and the prefix mark on the last), as MATCH expressions: a phrase is in no more
 * rows than its rarest word, so counting the words can settle that a phrase is rare without
 * matching the phrase itself. Empty for one word, and for the trigram index (where words
 * shorter than three characters have no trigrams).
 */
export interface RankedPhrase {
  match: string;
  prefix: boolean;
  /** True when every result contains it (it is not one of several joined by OR). */
  required: boolean;
  words: string[];
}

/**
 * How to run a query's text part. Groups whose terms all use the same index fold into one
 * MATCH per index (and the word index ranks the results); the rest become SQL conditions.
 */
export interface TextPlan {
  /** MATCH for the word index, exclusions folded in as NOT when possible; null if none. */
  words: string | null;
  /** True when `words` holds a prefix term (`word *`), which FTS5 expands to every matching term. */
  wordsHavePrefix: boolean;
  /** The phrases `words` is ranked by: its positive terms (an excluded term is in no result). */
  wordPhrases: RankedPhrase[];
  /** MATCH for the trigram index; null if none. */
  trigram: string | null;
  /** The phrases `trigram` is ranked by. */
  trigramPhrases: RankedPhrase[];
  /** Groups to check one by one: each is satisfied when any of its atoms is. */
  groups: PlanAtom[][];
  /** Exclusions not folded into `words`: an article matching any of these is dropped. */
  exclude: PlanAtom[];
  /** Texts of positive terms searched by substring (trigram + substring routes), for snippets. */
  substringNeedles: string[];
}

export function planTextQuery(query: Pick<ParsedQuery, 'include' | 'exclude'>): TextPlan {
  const wordGroups: QueryTerm[][] = [];
  const trigramGroups: QueryTerm[][] = [];
  const groups: PlanAtom[][] = [];
  const needles: string[] = [];
  for (const group of query.include.flatMap(splitMixedPhrase)) {
    const routes = new Set(group.map(routeTerm));
    for (const t of group) if (routeTerm(t) !== 'words') needles.push(t.text);
    if (routes.size === 1 && routes.has('words')) wordGroups.push(group);
    else if (routes.size === 1 && routes.has('trigram')) trigramGroups.push(group);
    else groups.push(group.map(atomFor));
  }
  const wordExcludes = query.exclude.filter((t) => routeTerm(t) === 'words');
  const otherExcludes = query.exclude.filter((t) => routeTerm(t) !== 'words');
  const words = toFts5Match(wordGroups, wordExcludes, 'words');
  // With no positive word terms, word exclusions cannot be folded into a MATCH.
  const exclude = [...(words === null ? wordExcludes : []), ...otherExcludes].map(atomFor);
  const folded = words === null ? [] : [...wordGroups.flat(), ...wordExcludes];
  return {
    words,
    wordsHavePrefix: folded.some((t) => t.kind === 'prefix'),
    wordPhrases: words === null ? [] : rankedPhrases(wordGroups, 'words'),
    trigram: toFts5Match(trigramGroups, [], 'trigram'),
    trigramPhrases: rankedPhrases(trigramGroups, 'trigram'),
    groups,
    exclude,
    substringNeedles: [...new Set(needles)],
  };
}

function rankedPhrases(groups: QueryTerm[][], index: FtsIndex): RankedPhrase[] {
  return groups.flatMap((group) =>
    group.map((term) => {
      const words = term.text.split(' ');
      const last = words.length - 1;
      const split =
        index === 'words' && words.length > 1
          ? words.flatMap((w, i) =>
              hasSearchableChar(w) ? [fts5Term({ kind: term.kind === 'prefix' && i === last ? 'prefix' : 'word', text: w, field: term.field }, index)] : [],
            )
          : [];
      return { match: fts5Term(term, index), prefix: term.kind === 'prefix' && index === 'words', required: group.length === 1, words: split };
    }),
  );
}

/**
 * The trigram index holds only the runs of unspaced scripts (migration 0002), so a one-term
 * group like "東京 tower" becomes two required terms, 東京 (trigram) and tower (words): the
 * same articles except where the two are not adjacent, which only widens the result a little.
 */
function splitMixedPhrase(group: QueryTerm[]): QueryTerm[][] {
  const term = group[0]!;
  if (group.length !== 1 || term.kind === 'word' || !hasUnspacedScript(term.text)) return [group];
  const runs = term.text.split(' ');
  if (runs.every(hasUnspacedScript)) return [group];
  // Consecutive runs of the same kind stay together as a phrase.
  const parts: string[][] = [];
  for (const run of runs) {
    const last = parts[parts.length - 1];
    if (last && hasUnspacedScript(last[0]!) === hasUnspacedScript(run)) last.push(run);
    else parts.push([run]);
  }
  const kept = parts.filter((p) => hasSearchableChar(p.join(' ')));
  return kept.map((p, i) => {
    const text = p.join(' ');
    const kind = term.kind === 'prefix' && i === kept.length - 1 ? 'prefix' : p.length > 1 ? 'phrase' : 'word';
    return [{ kind, text, field: term.field }];
  });
}

function atomFor(term: QueryTerm): PlanAtom {
  const route = routeTerm(term);
  if (route === 'substring') return { route, needle: term.text, field: term.field };
  if (route === 'trigram') return { route, match: fts5Term(term, route) };
  return { route, match: fts5Term(term, route) };
}
