/**
 * Plain text of sanitized article HTML, for search, snippets and word counts: block elements
 * separated by blank lines, list items and table rows on their own lines, whitespace collapsed
 * inside paragraphs (but kept inside `<pre>`).
 */

const PARAGRAPH_BLOCKS = new Set([
  'P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'PRE', 'FIGURE', 'FIGCAPTION', 'TABLE', 'CAPTION',
  'UL', 'OL', 'DL', 'DETAILS', 'SECTION', 'ARTICLE', 'DIV', 'HEADER', 'FOOTER', 'MAIN', 'ASIDE', 'NAV', 'ADDRESS',
]);
const LINE_BLOCKS = new Set(['LI', 'DT', 'DD', 'TR', 'SUMMARY']);
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD']);

const LINE = 1;
const PARAGRAPH = 2;
type Piece = { text: string; pre: boolean } | number;

export function htmlToPlainText(root: Node): string {
  const pieces: Piece[] = [];
  walk(root, false, pieces);
  return assemble(pieces);
}

function walk(node: Node, inPre: boolean, out: Piece[]): void {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 3 /* text */) {
      const data = (child as Text).data;
      out.push({ text: inPre ? data : data.replace(/\s+/g, ' '), pre: inPre });
      continue;
    }
    if (child.nodeType !== 1 /* element */) continue;
    const el = child as Element;
    const tag = el.tagName.toUpperCase();
    if (SKIPPED.has(tag)) continue;
    if (tag === 'BR') {
      out.push(LINE);
      continue;
    }
    if (tag === 'HR') {
      out.push(PARAGRAPH);
      continue;
    }
    if ((tag === 'TD' || tag === 'TH') && el.previousElementSibling) out.push({ text: '\t', pre: true });
    const gap = PARAGRAPH_BLOCKS.has(tag) ? PARAGRAPH : LINE_BLOCKS.has(tag) ? LINE : 0;
    if (gap) out.push(gap);
    walk(el, inPre || tag === 'PRE', out);
    if (gap) out.push(gap);
  }
}

/**
 * Joins the pieces. Built as a list of strings, not one growing string: trimming the growing
 * string's trailing blanks with a regex rescanned all of it at every block (quadratic: 500 ms for
 * one long Wikipedia article).
 */
function assemble(pieces: Piece[]): string {
  const out: string[] = [];
  let pendingBreak = 0;
  for (const piece of pieces) {
    if (typeof piece === 'number') {
      pendingBreak = Math.max(pendingBreak, piece);
      continue;
    }
    let text = piece.text;
    if (!piece.pre && (pendingBreak || endsWithBlank(out))) text = text.replace(/^ +/, '');
    if (text === '') continue;
    if (pendingBreak) {
      trimTrailingBlanks(out);
      if (out.length > 0) out.push('\n'.repeat(pendingBreak));
      pendingBreak = 0;
    }
    out.push(text);
  }
  return out
    .join('')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** True at the start, or after a space or a line break. */
function endsWithBlank(out: string[]): boolean {
  const last = out[out.length - 1];
  return last === undefined || last.endsWith(' ') || last.endsWith('\n');
}

/** Removes spaces and tabs at the end of the text so far (parts that are only blanks go). */
function trimTrailingBlanks(out: string[]): void {
  while (out.length > 0) {
    const trimmed = out[out.length - 1]!.replace(/[ \t]+$/, '');
    if (trimmed !== '') {
      out[out.length - 1] = trimmed;
      return;
    }
    out.pop();
  }
}

/** Han, Kana and Hangul are written without spaces: each character counts as a word. */
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC]/gu;
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;

export interface WordCount {
  words: number;
  /** Of which CJK characters (read more slowly per "word"). */
  cjk: number;
}

export function countWords(text: string): WordCount {
  let cjk = 0;
  const rest = text.replace(CJK_CHAR, () => {
    cjk++;
    return ' ';
  });
  const spaced = rest.split(/\s+/).filter((t) => HAS_WORD_CHAR.test(t)).length;
  return { words: spaced + cjk, cjk };
}

const WORDS_PER_MINUTE = 230;
const CJK_CHARS_PER_MINUTE = 500;

/** Whole minutes, at least 1 when there is any text. */
export function readingMinutes({ words, cjk }: WordCount): number {
  if (words === 0) return 0;
  return Math.max(1, Math.ceil((words - cjk) / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE));
}
