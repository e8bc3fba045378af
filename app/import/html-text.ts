/**
 * Tiny helpers for the line-oriented HTML exports (Netscape bookmarks, Pocket's ril_export.html):
 * they are scanned tag by tag rather than parsed into a DOM, so line numbers come for free and a
 * 100 000-bookmark file costs no more than its text.
 */

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', '#39': "'" };

/** Decodes the character references exporters write (named basics and numeric). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/** Text content of an HTML fragment: tags removed, entities decoded, whitespace collapsed. */
export function fragmentText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** `KEY="value"` attributes of a tag (names lower-cased; quoted, single-quoted or bare values). */
export function tagAttributes(source: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (const m of source.matchAll(re)) {
    out.set(m[1]!.toLowerCase(), decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

/** Maps string offsets to 1-based line numbers, moving forward only (one pass over the text). */
export class LineCounter {
  private offset = 0;
  private line = 1;
  constructor(private readonly text: string) {}
  lineAt(index: number): number {
    if (index < this.offset) {
      this.offset = 0;
      this.line = 1;
    }
    for (let i = this.text.indexOf('\n', this.offset); i !== -1 && i < index; i = this.text.indexOf('\n', i + 1)) {
      this.line++;
      this.offset = i + 1;
    }
    return this.line;
  }
}
