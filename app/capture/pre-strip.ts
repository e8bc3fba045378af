/**
 * Removes what Readability throws away anyway before the page is parsed, because the parser
 * spends time on every byte: `<script>` elements (except JSON-LD, which metadata and Readability
 * read) and `<style>` elements — 45.8 % of the bytes of the 130 corpus pages (25.7 → 13.9 MB).
 * On the corpus and the project's fixture pages (142) every extraction is identical with and
 * without this step (title, byline, HTML, text, all fields; tests/unit/extract-prestrip.test.ts
 * pins it for the fixtures, and `node build/tests/bench/pre-strip-check.js` re-proves it for a
 * corpus). tests/unit/pre-strip.test.ts checks the scanner against the real parser.
 *
 * Comments are kept: they are 0.6 % of the bytes, and removing them did change Readability's
 * result on 4 of the 142 pages (a comment inside a paragraph splits Readability's runs of
 * phrasing content), so the corpus does not show them safe to strip.
 *
 * A small linear scanner that follows the tokenizer's rules as far as they matter here: a tag
 * ends at the first `>` outside a quoted attribute value, and a quote opens a value only right
 * after `=` (so `<a title="<script>">` is not a script); end tags, `<!…>`, `<?…>` and `</…>`
 * bogus comments are skipped the way the tokenizer skips them; script and style are raw text up
 * to their first end tag (so a `<!--` inside a script goes with the script); title, textarea and
 * the other raw-text elements are skipped whole (a `<script>` in a textarea is text the reader
 * may show); comments end at `-->` or `--!>`. Unterminated constructs run to the end of the
 * input, as they do in the parser.
 *
 * Inside `<svg>`/`<math>` (up to their end tag or an HTML tag that breaks out of them, and
 * outside their HTML integration points such as `<foreignObject>`) nothing is removed: there
 * script and style are foreign elements whose content is ordinary markup, not raw text. Nor is a
 * `<style>` inside a `<select>`, which the tree builder ignores (its text stays in the select),
 * nor an element right after a lone `<` or a cut-short `&am`, which would run into the text that
 * follows it. Where the outcome depends on more than a scanner can know — an end tag inside SVG
 * that may close it through an HTML element around it, `<font>` in SVG, a `<frameset>` document —
 * it stops removing anything for the rest of the page: keeping a script costs parse time, never
 * content.
 */
const RAW_TEXT = new Set(['textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);
const FOREIGN = new Set(['svg', 'math']);
/** SVG/MathML elements whose content is HTML again (MathML annotation-xml left out: it depends on an attribute). */
const INTEGRATION_POINTS = new Set(['foreignobject', 'desc', 'title', 'mi', 'mo', 'mn', 'ms', 'mtext']);
/** HTML start tags that close open SVG/MathML elements (the spec's list, less `font`, which depends on its attributes). */
const BREAKOUT = new Set(
  'b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var'.split(' '),
);
/** Start tags that end an open `<select>` (or, for `select`, open one). */
const CLOSES_SELECT = new Set(['select', 'input', 'keygen', 'textarea']);
const JSON_LD = /\btype\s*=\s*["']?\s*application\/ld\+json/i;
/** Text that would run into what follows a removed element: a lone `<`, or a character reference cut short (`&am`). */
const DANGLING = /(?:<|&#?[a-zA-Z0-9]*)$/;

const NOTHING_TO_STRIP_UNLESS = /<(?:script|style)/i;

export function preStrip(html: string): string {
  // Nothing to strip: no scan, and no lower-cased copy of a page that may be megabytes long.
  if (!NOTHING_TO_STRIP_UNLESS.test(html)) return html;
  const lower = asciiLowerCase(html);
  const find = new ForwardSearch(lower);
  const foreign = new ForeignContent();
  let inSelect = false; // the tree builder ignores <style> in a <select>: its CSS becomes the select's text
  const out: string[] = [];
  let kept = 0; // html[kept, i) is copied as is
  let i = html.indexOf('<');
  while (i !== -1) {
    const next = html.charCodeAt(i + 1);
    if (next === 0x21 /* ! */) {
      i = declarationEnd(html, i, foreign.active());
    } else if (next === 0x3f /* ? */) {
      i = bogusCommentEnd(html, i + 2);
    } else if (next === 0x2f /* / */) {
      const after = html.charCodeAt(i + 2);
      if (isAsciiAlpha(after)) {
        const nameEnd = tagNameEnd(html, i + 2);
        const name = lower.slice(i + 2, nameEnd);
        if (!foreign.endTag(name)) break; // unknowable from here on: keep the rest as it is
        if (name === 'select' && !foreign.active()) inSelect = false;
        i = scanTag(html, nameEnd).end;
      } else if (after === 0x3e /* > */) {
        i += 3; // "</>" is dropped by the tokenizer
      } else if (Number.isNaN(after)) {
        break; // "</" at the end is text
      } else {
        i = bogusCommentEnd(html, i + 2);
      }
    } else if (isAsciiAlpha(next)) {
      const nameEnd = tagNameEnd(html, i + 1);
      const name = lower.slice(i + 1, nameEnd);
      const tag = scanTag(html, nameEnd);
      if (foreign.active() && BREAKOUT.has(name)) foreign.breakOut();
      // <font> breaks out of SVG only with some attributes; in a <frameset> document the tree
      // builder ignores script and style tags, so their content is markup: keep the rest as is.
      if ((foreign.active() && name === 'font') || name === 'frameset') break;
      if (!foreign.active() && CLOSES_SELECT.has(name)) inSelect = name === 'select' && !inSelect; // <select><select> closes the first
      if (foreign.active()) {
        // Foreign content: script, style, title, textarea… are ordinary elements, not raw text.
        if (!tag.selfClosing) foreign.open(name);
        i = tag.end;
      } else if (name === 'script' || (name === 'style' && !inSelect)) {
        const close = name === 'script' ? scriptEndTag(find, tag.end) : endTag(find, name, tag.end);
        const end = close === -1 ? html.length : scanTag(html, close + 2 + name.length).end;
        const keep =
          (name === 'script' && JSON_LD.test(html.slice(nameEnd, tag.end))) || DANGLING.test(html.slice(Math.max(kept, i - 40), i));
        if (!keep) {
          out.push(html.slice(kept, i));
          kept = end;
        }
        i = end;
      } else if (RAW_TEXT.has(name)) {
        const close = endTag(find, name, tag.end);
        i = close === -1 ? html.length : scanTag(html, close + 2 + name.length).end;
      } else if (name === 'plaintext') {
        break; // everything after <plaintext> is text
      } else {
        if (FOREIGN.has(name) && !tag.selfClosing) foreign.open(name);
        i = tag.end;
      }
    } else {
      i++; // a lone "<" is text
    }
    i = html.indexOf('<', i);
  }
  if (kept === 0) return html;
  out.push(html.slice(kept));
  return out.join('');
}

/**
 * Memoized forward searches: `find(key, from, search)` reuses the last answer for `key` when it
 * is still the first match at or after `from`. Without it every script would search the rest of
 * the page again for `<!--` (and a script full of `<!-- -->` pairs would re-walk its decoy end
 * tags for each pair): quadratic on hostile or merely script-heavy pages.
 */
class ForwardSearch {
  private readonly memo = new Map<string, { from: number; found: number }>();
  constructor(readonly text: string) {}

  find(key: string, from: number, search: (from: number) => number): number {
    const m = this.memo.get(key);
    // Valid when the earlier search started no later and found nothing before `from`.
    if (m && m.from <= from && (m.found === -1 || m.found >= from)) return m.found;
    const found = search(from);
    this.memo.set(key, { from, found });
    return found;
  }

  indexOf(needle: string, from: number): number {
    return this.find(needle, from, (f) => this.text.indexOf(needle, f));
  }
}

/**
 * The SVG/MathML elements open around the scanner, as far as a scanner can know them: an element
 * stack where integration points (`<foreignObject>`, `<desc>`…, whose content is HTML again) are
 * marked.
 */
class ForeignContent {
  private readonly stack: { name: string; html: boolean }[] = [];
  /** Cached: asked for every tag of the page. */
  private inside = false;

  /** True inside SVG/MathML and not inside one of its HTML integration points. */
  active(): boolean {
    return this.inside;
  }

  private settle(): void {
    const top = this.stack[this.stack.length - 1];
    this.inside = top !== undefined && !top.html;
  }

  /** A start tag (not self-closing) of `<svg>`/`<math>`, or of any element inside them. */
  open(name: string): void {
    this.stack.push({ name, html: this.inside && INTEGRATION_POINTS.has(name) });
    this.settle();
  }

  /** An HTML start tag such as `<p>` inside SVG closes the SVG elements up to the HTML around them. */
  breakOut(): void {
    while (this.inside) {
      this.stack.pop();
      this.settle();
    }
  }

  /**
   * Follows an end tag; false when the scanner cannot know its effect: inside SVG/MathML, an end
   * tag that matches no open SVG/MathML element closes the SVG if an HTML element of that name is
   * open around it (`<div><svg></div>`, an SVG left open) and is ignored otherwise.
   */
  endTag(name: string): boolean {
    if (this.stack.length === 0) return true;
    if (this.inside) {
      let k = this.stack.length - 1;
      while (k >= 0 && !this.stack[k]!.html && this.stack[k]!.name !== name) k--;
      if (k >= 0 && !this.stack[k]!.html) this.stack.length = k;
      else if (name === 'p' || name === 'br') this.breakOut(); // </p> and </br> break out like start tags
      else return false;
    } else if (this.stack[this.stack.length - 1]!.name === name) {
      this.stack.pop(); // the integration point itself
    } else if (FOREIGN.has(name)) {
      const k = this.stack.map((e) => e.name).lastIndexOf(name);
      if (k !== -1) this.stack.length = k;
    }
    this.settle();
    return true;
  }
}

/**
 * Lower-cases ASCII letters only, keeping every index of `html` valid in the result (the tokenizer
 * matches tag names that way). String#toLowerCase does that too, and much faster, except for two
 * characters: "İ" (U+0130) becomes two code units, shifting every later index (which cut the wrong
 * bytes out of Turkish pages), and the Kelvin sign (U+212A) becomes an ASCII "k".
 */
function asciiLowerCase(html: string): string {
  return /[\u0130\u212a]/.test(html) ? html.replace(/[A-Z]+/g, (s) => s.toLowerCase()) : html.toLowerCase();
}

function isAsciiAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/** The tokenizer's whitespace: tab, LF, FF, space (and CR, which it turns into LF first). Not NBSP. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;
}

function isTagBoundary(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return isSpace(c) || c === 0x2f /* / */ || c === 0x3e /* > */;
}

function tagNameEnd(html: string, from: number): number {
  let j = from;
  while (j < html.length && !isTagBoundary(html, j)) j++;
  return j;
}

/** `<!--…-->`; `<![CDATA[…]]>` in SVG/MathML; else (`<!DOCTYPE …>`, `<!x…>`) a bogus comment. */
function declarationEnd(html: string, i: number, foreign: boolean): number {
  if (html.startsWith('<!--', i)) return commentEnd(html, i + 4);
  if (foreign && html.startsWith('<![CDATA[', i)) {
    const end = html.indexOf(']]>', i + 9);
    return end === -1 ? html.length : end + 3;
  }
  return bogusCommentEnd(html, i + 2);
}

/** `<?…>`, `<!…>` and `</` + non-letter: the tokenizer makes a comment of them up to the first `>`. */
function bogusCommentEnd(html: string, from: number): number {
  const gt = html.indexOf('>', from);
  return gt === -1 ? html.length : gt + 1;
}

function commentEnd(html: string, from: number): number {
  // "<!-->" and "<!--->" are complete (empty) comments to the tokenizer.
  if (html.startsWith('>', from)) return from + 1;
  if (html.startsWith('->', from)) return from + 2;
  for (let j = html.indexOf('--', from); j !== -1; j = html.indexOf('--', j + 1)) {
    if (html.startsWith('>', j + 2)) return j + 3;
    if (html.startsWith('!>', j + 2)) return j + 4;
  }
  return html.length;
}

const enum Attr {
  /** Before an attribute name, after a quoted value, or after a `/` not followed by `>`. */
  Between,
  /** In an attribute name or after it (where `=` starts a value). */
  Name,
  /** After `=`: a quote here opens a quoted value. */
  BeforeValue,
  Unquoted,
  /** Just after a `/` that is not part of a value. */
  Slash,
}

/**
 * Where the tag whose attributes start at `from` (just after its name) ends, following the
 * tokenizer's attribute states: a quote opens a value only right after `=` (`<a ="x>` has an
 * attribute named `="x`), `>` inside a quoted value does not end the tag, and `/>` makes it
 * self-closing unless the `/` belongs to an unquoted value. End tags are scanned the same way.
 */
function scanTag(html: string, from: number): { end: number; selfClosing: boolean } {
  let state = Attr.Between;
  for (let j = from; j < html.length; j++) {
    const c = html.charCodeAt(j);
    if (c === 0x3e /* > */) return { end: j + 1, selfClosing: state === Attr.Slash };
    switch (state) {
      case Attr.Between:
      case Attr.Slash:
        state = isSpace(c) ? Attr.Between : c === 0x2f ? Attr.Slash : Attr.Name;
        break;
      case Attr.Name:
        if (c === 0x3d /* = */) state = Attr.BeforeValue;
        else if (c === 0x2f) state = Attr.Slash;
        // Whitespace after a name keeps `=` meaning "value follows"; the next name char starts a
        // new attribute, which is the same state here.
        break;
      case Attr.BeforeValue:
        if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
          const close = html.indexOf(html[j]!, j + 1);
          if (close === -1) return { end: html.length, selfClosing: false };
          j = close;
          state = Attr.Between;
        } else if (!isSpace(c)) {
          state = Attr.Unquoted;
        }
        break;
      case Attr.Unquoted:
        if (isSpace(c)) state = Attr.Between;
        break;
    }
  }
  return { end: html.length, selfClosing: false };
}

/** Where `</name` followed by whitespace, `/` or `>` starts at or after `from`, or -1. */
function endTag(find: ForwardSearch, name: string, from: number): number {
  const needle = `</${name}`;
  return find.find(`end:${name}`, from, (f) => {
    for (let j = find.text.indexOf(needle, f); j !== -1; j = find.text.indexOf(needle, j + 1)) {
      if (isTagBoundary(find.text, j + needle.length)) return j;
    }
    return -1;
  });
}

/** Same for `<script` (an open tag inside an escaped script). */
function nestedScriptTag(find: ForwardSearch, from: number): number {
  return find.find('open:script', from, (f) => {
    for (let j = find.text.indexOf('<script', f); j !== -1; j = find.text.indexOf('<script', j + 1)) {
      if (isTagBoundary(find.text, j + 7)) return j;
    }
    return -1;
  });
}

/**
 * The end tag of a script whose text starts at `from`, following the tokenizer's escaped states:
 * after `<!--`, a nested `<script>` means the next `</script>` does not end the element (old pages
 * wrap `document.write('<script …></script>')` in comments); `-->` leaves those states.
 */
function scriptEndTag(find: ForwardSearch, from: number): number {
  let escaped = false;
  let doubleEscaped = false;
  let j = from;
  for (;;) {
    const end = endTag(find, 'script', j);
    if (end === -1) return -1;
    const open = escaped ? -1 : find.indexOf('<!--', j);
    const leave = escaped ? find.indexOf('-->', j) : -1;
    const nested = escaped && !doubleEscaped ? nestedScriptTag(find, j) : -1;
    const next = Math.min(...[end, open, leave, nested].filter((k) => k !== -1));
    if (next === end) {
      if (!doubleEscaped) return end;
      doubleEscaped = false; // `</script>` inside the double-escaped part: back to escaped
      j = end + 8;
    } else if (next === open) {
      escaped = true;
      j = open + 2; // "<!-->" shares its dashes with the "-->" that leaves the escape at once
    } else if (next === leave) {
      escaped = doubleEscaped = false;
      j = leave + 3;
    } else {
      doubleEscaped = true;
      j = nested + 7;
    }
  }
}
