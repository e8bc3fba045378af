/**
 * `srcset` parsing (the WHATWG "parse a srcset attribute" algorithm) and the choice of the one
 * image Folio keeps when an article offers several sizes.
 *
 * The spec tokenizer matters: URLs may contain commas (e.g. CDN transforms like
 * `…/w_800,q_80/a.jpg 800w`), and descriptors may contain parentheses. A naive
 * `split(',')` breaks both.
 */

export interface SrcsetCandidate {
  url: string;
  /** `800w` */
  width?: number;
  /** `2x` (a candidate without descriptors is 1x) */
  density?: number;
  /** `600h` (future-compat descriptor; parsed, not used for the choice) */
  height?: number;
}

const WHITESPACE = /[\t\n\f\r ]/;

export function parseSrcset(value: string | null | undefined): SrcsetCandidate[] {
  const input = value ?? '';
  const candidates: SrcsetCandidate[] = [];
  let pos = 0;
  while (pos < input.length) {
    // Skip whitespace and separating commas.
    while (pos < input.length && (WHITESPACE.test(input[pos]!) || input[pos] === ',')) pos++;
    if (pos >= input.length) break;

    const start = pos;
    while (pos < input.length && !WHITESPACE.test(input[pos]!)) pos++;
    let url = input.slice(start, pos);
    const descriptors: string[] = [];

    if (url.endsWith(',')) {
      // "a.jpg," : the candidate ends here without descriptors.
      url = url.replace(/,+$/, '');
    } else {
      // Tokenize descriptors until a comma outside parentheses.
      let current = '';
      let inParens = false;
      for (; pos < input.length; pos++) {
        const c = input[pos]!;
        if (inParens) {
          current += c;
          if (c === ')') inParens = false;
          continue;
        }
        if (WHITESPACE.test(c)) {
          if (current) descriptors.push(current);
          current = '';
          continue;
        }
        if (c === ',') {
          pos++;
          break;
        }
        if (c === '(') inParens = true;
        current += c;
      }
      if (current) descriptors.push(current);
    }
    const candidate = candidateFrom(url, descriptors);
    if (candidate) candidates.push(candidate);
  }
  return candidates;
}

/** Applies the spec's descriptor rules; returns null for a candidate the spec says to drop. */
function candidateFrom(url: string, descriptors: string[]): SrcsetCandidate | null {
  if (!url) return null;
  const candidate: SrcsetCandidate = { url };
  for (const d of descriptors) {
    const last = d.slice(-1).toLowerCase();
    const num = d.slice(0, -1);
    if (last === 'w' && /^\d+$/.test(num)) {
      if (candidate.width !== undefined || candidate.density !== undefined) return null;
      const w = Number(num);
      if (w <= 0) return null;
      candidate.width = w;
    } else if (last === 'x' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(num)) {
      if (candidate.width !== undefined || candidate.density !== undefined || candidate.height !== undefined) return null;
      const x = Number(num);
      if (!(x >= 0)) return null;
      candidate.density = x;
    } else if (last === 'h' && /^\d+$/.test(num)) {
      if (candidate.height !== undefined || candidate.density !== undefined) return null;
      const h = Number(num);
      if (h <= 0) return null;
      candidate.height = h;
    } else {
      return null; // unknown descriptor: the whole candidate is invalid
    }
  }
  // A height without a width is invalid per spec.
  if (candidate.height !== undefined && candidate.width === undefined) return null;
  return candidate;
}

/**
 * The single best image URL for offline reading: the largest `w` candidate, else the
 * largest `x` candidate (no descriptor = 1x), else `src`. Returns null when there is nothing.
 * We prefer the largest because the offline copy is read on any screen, zoomed, or exported.
 */
export function bestImageUrl(srcset: string | null | undefined, src?: string | null): string | null {
  const candidates = parseSrcset(srcset);
  const withWidth = candidates.filter((c) => c.width !== undefined);
  if (withWidth.length > 0) {
    return withWidth.reduce((best, c) => (c.width! > best.width! ? c : best)).url;
  }
  if (candidates.length > 0) {
    return candidates.reduce((best, c) => ((c.density ?? 1) > (best.density ?? 1) ? c : best)).url;
  }
  const trimmed = src?.trim();
  return trimmed ? trimmed : null;
}
