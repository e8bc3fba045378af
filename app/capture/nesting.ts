/**
 * Pages nested thousands of elements deep (hostile or broken) make parsing and Readability
 * quadratic: 1,000 nested <div>s took 38 s here and 10,000 never finished. Browsers cap the
 * tree depth too (Chromium at 512). Before parsing, a linear scan estimates the depth; past
 * MAX_DEPTH the layout-only containers are dropped (their text stays), and if that is not
 * enough, every tag but the few that carry an article's shape.
 */
export const MAX_DEPTH = 256;

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*>/g;
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
// Elements whose end tag HTML lets authors omit: counting them as open would call an ordinary
// list or a run of unclosed <p>s "deep".
const OPTIONAL_END = new Set(['p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'colgroup', 'rb', 'rt', 'rp']);
const LAYOUT = /<\/?(?:div|span|section|article|main|aside|font|center|nav|header|footer|figure|b|i|u|em|strong|small|big|table|tbody|tr|td|blockquote|ul|ol|li)\b[^>]*>/gi;
const NOT_SHAPE = /<\/?(?!(?:p|br|h[1-6]|img|a|html|head|body|title|meta|link|base)\b)[a-zA-Z][a-zA-Z0-9:-]*\b[^>]*>/gi;

// Tag-looking text that is not markup: comments, and the bodies of raw-text elements (scripts
// often carry HTML or XML templates in strings).
const NOT_MARKUP = /<!--[\s\S]*?(?:-->|$)|<(script|style|textarea|xmp|template|noscript)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;

/** The deepest element nesting the tags of `html` describe (an estimate, linear time). */
export function nestingDepth(html: string): number {
  const stack: string[] = [];
  let max = 0;
  for (const m of html.replace(NOT_MARKUP, ' ').matchAll(TAG)) {
    const name = m[2]!.toLowerCase();
    if (m[1]) {
      if (stack[stack.length - 1] === name) stack.pop();
      else {
        const at = stack.lastIndexOf(name);
        if (at >= 0) stack.length = at;
      }
    } else if (!VOID.has(name) && !OPTIONAL_END.has(name) && !m[0].endsWith('/>')) {
      stack.push(name);
      if (stack.length > max) max = stack.length;
    }
  }
  return max;
}

export interface Flattened {
  html: string;
  /** The depth found, when the page had to be flattened; null when it was left alone. */
  depth: number | null;
}

export function flattenDeepNesting(html: string, maxDepth = MAX_DEPTH): Flattened {
  const depth = nestingDepth(html);
  if (depth <= maxDepth) return { html, depth: null };
  const layoutless = html.replace(LAYOUT, ' ');
  if (nestingDepth(layoutless) <= maxDepth) return { html: layoutless, depth };
  return { html: layoutless.replace(NOT_SHAPE, ' '), depth };
}
