/**
 * Terminal text measurement and fitting. `columns` and `wrap` already exist in the extract
 * command (same rules: wide CJK = 2 columns, combining marks = 0); they are re-exported here so
 * every command measures text the same way.
 */
import { columns, wrap } from '../commands/extract.js';

export { columns, wrap };

/** The width every human-readable table and text block fits in. */
export const TERMINAL_WIDTH = 80;

const ELLIPSIS = '…';

/**
 * `text` on one line (runs of whitespace, including newlines, become one space) cut to at most
 * `width` columns, ending in … when something was cut.
 */
export function truncate(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (columns(flat) <= width) return flat;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const ch of flat) {
    const w = columns(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out.trimEnd() + ELLIPSIS;
}

/** Pads with spaces to exactly `width` columns (after truncating if needed). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - columns(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}
