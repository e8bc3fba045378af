/**
 * Character classes that decide how a term is searched.
 *
 * The word index (unicode61) splits text on spaces and punctuation. Scripts written without
 * spaces between words (Chinese, Japanese, Thai…) come out as one long token per run, so a
 * word inside a run can only be found by substring: those terms go to the trigram index
 * (3+ characters) or to a plain substring scan (1–2 characters, below the trigram size).
 */
const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/**
 * The Unicode blocks of those scripts, as plain ranges: a superset of UNSPACED_SCRIPT (checked
 * for every code point in tests/unit/scripts.test.ts) that a regular expression tests several
 * times faster than the script properties, which expand to hundreds of small ranges. Saving an
 * English article asks whether its whole text holds such a character: 3.6 KB in ~20 µs rather
 * than ~70 µs. Leaves out general punctuation, so curly quotes and dashes are not a hit.
 */
const UNSPACED_BLOCK =
  /[\u0E00-\u0EFF\u1000-\u11FF\u1780-\u17FF\u19E0-\u19FF\u2E80-\u9FFF\uA960-\uA97F\uA9E0-\uAA7F\uAC00-\uD7FF\uF900-\uFAFF\uFF00-\uFFEF\u{116D0}-\u{116FF}\u{16FE0}-\u{1B2FF}\u{1F200}-\u{1F2FF}\u{20000}-\u{3FFFF}]/u;

/** False when the text surely has no character of a script written without spaces (a quick test). */
export function mayHaveUnspacedScript(text: string): boolean {
  return UNSPACED_BLOCK.test(text);
}

/** True when the text contains a character of a script written without spaces. */
export function hasUnspacedScript(text: string): boolean {
  return UNSPACED_SCRIPT.test(text);
}

/** True when the text holds something a tokenizer indexes (a letter or a digit). */
export function hasSearchableChar(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** Length in code points (what the trigram tokenizer counts), not UTF-16 units. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * The whitespace-separated runs of `text` that contain an unspaced-script character: what the
 * trigram index needs from an article body (see migration 0002). Neighbouring kept runs stay
 * separated by one space, as in the text (so phrases spanning them still match); where runs
 * were dropped a newline stands in, which no query contains, so nothing matches across the gap.
 */
export function unspacedRuns(text: string): string {
  if (!UNSPACED_BLOCK.test(text) || !UNSPACED_SCRIPT.test(text)) return '';
  let out = '';
  let previousKept = false;
  for (const run of text.split(/\s+/u)) {
    if (run === '') continue;
    if (UNSPACED_SCRIPT.test(run)) {
      if (out !== '') out += previousKept ? ' ' : '\n';
      out += run;
      previousKept = true;
    } else {
      previousKept = false;
    }
  }
  return out;
}
