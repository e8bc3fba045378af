import { SNIPPET_MARK_END, SNIPPET_MARK_START } from '../core/article.js';
import { hasUnspacedScript } from '../core/query/scripts.js';

/**
 * Snippets made in code, for the hits FTS5's snippet() cannot describe: matches found by
 * substring (trigram index, short CJK terms) and matches only in the title or tags.
 */

const ELLIPSIS = '…';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A pattern for highlighting: unspaced-script needles match anywhere; other words match at a
 * word start and extend to the word's end (so "run" marks "running", as stemming matched it).
 */
function needlePattern(needles: readonly string[]): RegExp | null {
  const parts = [...new Set(needles.map((n) => n.trim()).filter(Boolean))]
    .sort((a, b) => b.length - a.length)
    .map((n) => (hasUnspacedScript(n) ? escapeRegExp(n) : `(?<![\\p{L}\\p{N}])${escapeRegExp(n)}[\\p{L}\\p{N}]*`));
  if (parts.length === 0) return null;
  return new RegExp(parts.join('|'), 'giu');
}

/** Wraps every occurrence of the needles in the snippet markers. */
export function highlight(text: string, needles: readonly string[]): string {
  const pattern = needlePattern(needles);
  if (!pattern) return text;
  return text.replace(pattern, (m) => `${SNIPPET_MARK_START}${m}${SNIPPET_MARK_END}`);
}

/**
 * About `maxChars` of `text` around the first occurrence of any needle, occurrences marked;
 * null when none occurs.
 */
export function snippetAround(text: string, needles: readonly string[], maxChars = 120): string | null {
  const pattern = needlePattern(needles);
  if (!pattern) return null;
  const m = pattern.exec(text);
  if (!m) return null;
  const before = Math.floor(maxChars / 3);
  let start = Math.max(0, m.index - before);
  let end = Math.min(text.length, start + maxChars);
  start = Math.max(0, Math.min(start, end - maxChars));
  // Do not cut a surrogate pair in half.
  if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start]!)) start--;
  if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end]!)) end++;
  const window = text.slice(start, end).replace(/\s+/g, ' ');
  return `${start > 0 ? ELLIPSIS : ''}${highlight(window, needles)}${end < text.length ? ELLIPSIS : ''}`;
}

/** The beginning of a text, cut at a word boundary near `maxChars`. */
export function leadOf(text: string, maxChars = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${space > maxChars / 2 ? cut.slice(0, space) : cut}${ELLIPSIS}`;
}

export function hasMarks(snippet: string | null | undefined): boolean {
  return !!snippet && snippet.includes(SNIPPET_MARK_START);
}
