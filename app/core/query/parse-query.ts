/**
 * Folio's search syntax, parsed by one pure function shared by the CLI, the UI and the API.
 *
 *   words            every word must match (AND)
 *   "exact phrase"   consecutive words; an unclosed quote closes at the end of the input
 *   -word -"phrase"  exclude
 *   a OR b           either (upper-case OR between two terms)
 *   pre*             prefix
 *   title:x author:x (values may be quoted: title:"machine learning"; -title:x excludes)
 *   site:x tag:x lang:x  is:unread|read|archived|favorite  (each may be negated: -is:archived)
 *   before:YYYY-MM-DD after:YYYY-MM-DD   (saved date, UTC; after: includes the day)
 *   sort:relevance|saved|published|title
 *
 * Anything else is searched literally: unknown `foo:bar`, AND/NOT/NEAR, punctuation. Stray
 * operators (OR at either end, `-` alone) are ignored. `parseQuery` never throws; the worst
 * input gives an empty query, which matches nothing.
 */
import { hasSearchableChar } from './scripts.js';
import { normalizeTag } from './tags.js';
import {
  MAX_QUERY_CHARS,
  MAX_QUERY_TERMS,
  type ParsedQuery,
  type QueryFilter,
  type QuerySort,
  type QueryTerm,
  type StateName,
  type TermField,
} from './types.js';

type RawToken =
  | { type: 'or' }
  | { type: 'term'; negated: boolean; term: QueryTerm }
  | { type: 'filter'; filter: QueryFilter }
  | { type: 'sort'; sort: QuerySort };

const STATE_NAMES: Record<string, StateName> = {
  unread: 'unread',
  read: 'read',
  archived: 'archived',
  favorite: 'favorite',
  favourite: 'favorite',
  starred: 'favorite',
};
const SORTS: readonly QuerySort[] = ['relevance', 'saved', 'published', 'title'];
const TEXT_FIELDS: Record<string, TermField> = { title: 'title', author: 'author', byline: 'author' };
const FILTER_FIELDS = new Set(['site', 'tag', 'lang', 'is', 'before', 'after', 'sort']);

export function parseQuery(input: string): ParsedQuery {
  const source = typeof input === 'string' ? input : String(input ?? '');
  let truncated = source.length > MAX_QUERY_CHARS;
  const text = clean(source.slice(0, MAX_QUERY_CHARS));
  const warnings: string[] = [];

  const include: QueryTerm[][] = [];
  const exclude: QueryTerm[] = [];
  const filters: QueryFilter[] = [];
  let sort: QuerySort | null = null;
  let count = 0;
  // OR joins the previous positive term and the next one; anything else in between cancels it.
  let lastWasPositiveTerm = false;
  let pendingOr = false;

  for (const token of tokenize(text, warnings)) {
    if (token.type === 'or') {
      pendingOr = lastWasPositiveTerm;
      lastWasPositiveTerm = false;
      continue;
    }
    if (token.type === 'sort') {
      sort = token.sort;
      pendingOr = lastWasPositiveTerm = false;
      continue;
    }
    if (count >= MAX_QUERY_TERMS) {
      truncated = true;
      continue;
    }
    count++;
    if (token.type === 'filter') {
      filters.push(token.filter);
      pendingOr = lastWasPositiveTerm = false;
    } else if (token.negated) {
      exclude.push(token.term);
      pendingOr = lastWasPositiveTerm = false;
    } else {
      if (pendingOr && include.length > 0) include[include.length - 1]!.push(token.term);
      else include.push([token.term]);
      pendingOr = false;
      lastWasPositiveTerm = true;
    }
  }
  if (truncated) warnings.push(`the query was cut to ${MAX_QUERY_CHARS} characters / ${MAX_QUERY_TERMS} terms`);
  const hasText = include.length > 0;
  return {
    include,
    exclude,
    filters,
    sort,
    hasText,
    isEmpty: !hasText && exclude.length === 0 && filters.length === 0,
    truncated,
    warnings,
  };
}

/**
 * Removes what can only cause trouble: control characters (NUL included), lone surrogates and
 * the snippet marker characters; turns typographic quotes into plain ones (macOS and phones
 * type “smart quotes”), and composes characters (NFC) so é typed either way is the same.
 */
function clean(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\uE000\uE001]/g, ' ')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, ' ')
    .replace(/[\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033\uFF02]/g, '"')
    .normalize('NFC');
}

function isSpace(ch: string): boolean {
  return /\s/u.test(ch);
}

/** Splits the input into operators, terms and filters. */
function* tokenize(text: string, warnings: string[]): Generator<RawToken> {
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (isSpace(text[i]!)) {
      i++;
      continue;
    }
    let negated = false;
    while (i < n && text[i] === '-') {
      negated = true;
      i++;
    }
    if (i >= n || isSpace(text[i]!)) continue; // `-` or `--` alone: nothing to negate

    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      const body = close === -1 ? text.slice(i + 1) : text.slice(i + 1, close);
      i = close === -1 ? n : close + 1;
      let prefix = false;
      while (i < n && text[i] === '*') {
        prefix = true;
        i++;
      }
      const term = makeTerm(body, true, prefix, null);
      if (term) yield { type: 'term', negated, term };
      continue;
    }

    // A bare chunk runs to the next space, except inside quotes (title:"two words").
    const start = i;
    let inQuote = false;
    while (i < n && (inQuote || !isSpace(text[i]!))) {
      if (text[i] === '"') inQuote = !inQuote;
      i++;
    }
    const chunk = text.slice(start, i);
    if (chunk === 'OR' && !negated) {
      yield { type: 'or' };
      continue;
    }
    const fielded = interpretField(chunk, negated, warnings);
    if (fielded !== undefined) {
      if (fielded !== null) yield fielded;
      continue;
    }
    const term = bareTerm(chunk);
    if (term) yield { type: 'term', negated, term };
  }
}

/**
 * `name:value` with a known name → a filter or field term (null when the value is unusable and
 * was reported in warnings); undefined when the chunk is not a known field, so it is searched
 * as words.
 */
function interpretField(chunk: string, negated: boolean, warnings: string[]): RawToken | null | undefined {
  const m = /^\(?([A-Za-z]+):(.*)$/su.exec(chunk);
  if (!m) return undefined;
  const name = m[1]!.toLowerCase();
  const textField = TEXT_FIELDS[name];
  if (!textField && !FILTER_FIELDS.has(name)) return undefined;
  let raw = m[2]!.replace(/\)+$/, '');
  const quoted = raw.startsWith('"');
  let prefix = false;
  if (quoted) {
    const close = raw.indexOf('"', 1);
    const after = close === -1 ? '' : raw.slice(close + 1);
    raw = close === -1 ? raw.slice(1) : raw.slice(1, close);
    prefix = after.startsWith('*');
  }
  const value = raw.trim();
  if (value === '') return null; // `title:` still being typed: no constraint yet

  if (textField) {
    let body = value;
    if (!quoted && /\*+$/.test(body)) {
      prefix = true;
      body = body.replace(/\*+$/, '');
    }
    const term = makeTerm(body, quoted || /\s/u.test(body), prefix, textField);
    return term ? { type: 'term', negated, term } : null;
  }

  switch (name) {
    case 'tag': {
      const tag = normalizeTag(value);
      return tag === null ? null : { type: 'filter', filter: { kind: 'tag', value: tag, negated } };
    }
    case 'site': {
      const site = normalizeSite(value);
      if (site === '') return null;
      return { type: 'filter', filter: { kind: 'site', value: site, negated } };
    }
    case 'lang': {
      const lang = value.toLowerCase().replace(/_/g, '-');
      if (!/^[a-z]{2,8}(-[a-z0-9]{1,8})*$/.test(lang)) {
        warnings.push(`ignored lang:${value} (use a language code such as en or pt-br)`);
        return null;
      }
      return { type: 'filter', filter: { kind: 'lang', value: lang, negated } };
    }
    case 'is': {
      const state = STATE_NAMES[value.toLowerCase()];
      if (!state) {
        warnings.push(`ignored is:${value} (use is:unread, is:read, is:archived or is:favorite)`);
        return null;
      }
      return { type: 'filter', filter: { kind: 'is', value: state, negated } };
    }
    case 'before':
    case 'after': {
      if (!isIsoDate(value)) {
        warnings.push(`ignored ${name}:${value} (dates are YYYY-MM-DD)`);
        return null;
      }
      // -before:D is after:D and the other way round.
      const kind = negated ? (name === 'before' ? 'after' : 'before') : name;
      return { type: 'filter', filter: { kind, value } };
    }
    case 'sort': {
      const sort = SORTS.find((s) => s === value.toLowerCase());
      if (!sort) {
        warnings.push(`ignored sort:${value} (use sort:relevance, sort:saved, sort:published or sort:title)`);
        return null;
      }
      return { type: 'sort', sort };
    }
    default:
      return undefined;
  }
}

/** A bare word: `pre*` is a prefix; stray quotes and wrapping parentheses are dropped. */
function bareTerm(chunk: string): QueryTerm | null {
  let body = chunk.replace(/^\(+|\)+$/g, '');
  let prefix = false;
  if (/\*+$/.test(body)) {
    prefix = true;
    body = body.replace(/\*+$/, '');
  }
  body = body.replace(/^\*+/, '');
  // A quote inside a word (foo"bar) separates words, as it does in the article text.
  const spaced = body.replace(/"/g, ' ').trim();
  return makeTerm(spaced, /\s/u.test(spaced), prefix, null);
}

function makeTerm(body: string, phrase: boolean, prefix: boolean, field: TermField | null): QueryTerm | null {
  const text = body.replace(/\s+/gu, ' ').trim();
  // Terms with nothing a tokenizer indexes (`^`, `*`, `()`, emoji) would match nothing or
  // everything; dropping them keeps the rest of the query meaningful.
  if (text === '' || !hasSearchableChar(text)) return null;
  const kind = prefix ? 'prefix' : phrase || /\s/u.test(text) ? 'phrase' : 'word';
  return { kind, text, field };
}

/** `https://www.Example.com/path` → `example.com`; plain names pass through lower-cased. */
function normalizeSite(value: string): string {
  return value
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/^www\./, '')
    .trim();
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}
