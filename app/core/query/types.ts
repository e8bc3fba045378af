/**
 * The parsed form of a Folio search query (see parse-query.ts for the syntax). Plain data:
 * the CLI, the UI and the store all read it, and only the store turns it into SQL.
 */

/** `word` matches a token, `phrase` consecutive tokens, `prefix` tokens starting with text. */
export type TermKind = 'word' | 'phrase' | 'prefix';

/** A text term limited to one field (`title:` or `author:`), or null for every text field. */
export type TermField = 'title' | 'author';

export interface QueryTerm {
  kind: TermKind;
  /** What to look for, without quotes or `*`; never empty, always has a letter or digit. */
  text: string;
  field: TermField | null;
}

/** States addressable with `is:`. `unread` means not marked read (archived or not). */
export type StateName = 'unread' | 'read' | 'archived' | 'favorite';

export type QueryFilter =
  /** `tag:x` exact (normalised) tag; `site:x` host or a sub-domain of it, or the site name; `lang:xx` language or a sub-tag of it. */
  | { kind: 'tag' | 'site' | 'lang'; value: string; negated: boolean }
  | { kind: 'is'; value: StateName; negated: boolean }
  /** Saved date bounds, YYYY-MM-DD in UTC: `after:` includes that day, `before:` excludes it. */
  | { kind: 'before' | 'after'; value: string };

export type QuerySort = 'relevance' | 'saved' | 'published' | 'title';

export interface ParsedQuery {
  /** AND of groups; a group matches when any of its terms does (terms joined by `OR`). */
  include: QueryTerm[][];
  /** No article matching any of these is returned (`-word`, `-"a phrase"`, `-title:x`). */
  exclude: QueryTerm[];
  filters: QueryFilter[];
  /** `sort:` if given; otherwise relevance when there is text, saved date when only filters. */
  sort: QuerySort | null;
  /** True when there is at least one positive text term. */
  hasText: boolean;
  /** True when there is neither a text term (positive or negative) nor a filter: matches nothing. */
  isEmpty: boolean;
  /** True when the input was cut to MAX_QUERY_CHARS or MAX_QUERY_TERMS. */
  truncated: boolean;
  /** Parts that were ignored and why, e.g. `before:yesterday (dates are YYYY-MM-DD)`. */
  warnings: string[];
}

/** Longest input parsed; the rest is ignored (a search box, not a document). */
export const MAX_QUERY_CHARS = 1000;
/** Most terms + filters kept; more only slow the query down without narrowing it usefully. */
export const MAX_QUERY_TERMS = 64;
