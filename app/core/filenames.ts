/**
 * File and folder names that are valid on Windows, macOS and Linux at once, for exports.
 * Pure (no Node APIs): the renderer may use it to preview names.
 *
 * The rules, and why:
 *  - `< > : " / \ | ? *` and control characters are illegal on Windows (and `/` everywhere);
 *    they become `-`.
 *  - Windows silently drops trailing dots and spaces, so "a." and "a" would collide: trimmed.
 *  - CON, PRN, AUX, NUL, COM1–9, LPT1–9 (any case, with or without an extension, also the
 *    superscript-digit forms) are device names on Windows: an `_` is appended to the stem.
 *  - NFC normalisation: macOS stores decomposed names, so an unnormalised "é" could name two
 *    different files that look the same.
 *  - At most 200 UTF-8 bytes (so also ≤ 200 characters), cut on a grapheme boundary so no
 *    character or emoji is split; ext4 and APFS allow 255 bytes, and the margin leaves room for
 *    numbering and a `.partial` suffix.
 *  - Never empty, `.` or `..`.
 */

export const MAX_NAME_BYTES = 200;

const ILLEGAL = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/gu;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
const encoder = new TextEncoder();

export function utf8Length(s: string): number {
  return encoder.encode(s).byteLength;
}

/** True for Windows device names, whatever the case or extension ("nul.txt", "Com1"). */
export function isReservedWindowsName(name: string): boolean {
  const stem = name.split('.')[0]!.trimEnd();
  return RESERVED.test(stem);
}

/** Cuts `s` to at most `maxBytes` UTF-8 bytes without splitting a grapheme cluster. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (utf8Length(s) <= maxBytes) return s;
  let out = '';
  let used = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)) {
    const n = utf8Length(segment);
    if (used + n > maxBytes) break;
    out += segment;
    used += n;
  }
  return out;
}

export interface SafeNameOptions {
  /** Used when nothing usable is left (default "untitled"). */
  fallback?: string;
  /** Default MAX_NAME_BYTES. */
  maxBytes?: number;
}

/**
 * Makes one path segment safe: see the rules at the top. An extension (the part after the
 * last dot, if short and plain) is kept whole when the name must be shortened.
 */
export function safeFileName(raw: string, opts: SafeNameOptions = {}): string {
  const maxBytes = opts.maxBytes ?? MAX_NAME_BYTES;
  const fallback = opts.fallback ?? 'untitled';
  let name = raw.normalize('NFC').replace(ILLEGAL, '-').replace(/\s+/gu, ' ').trim();
  const extMatch = /(\.[A-Za-z0-9]{1,8})$/.exec(name);
  const ext = extMatch && extMatch.index > 0 ? extMatch[1]! : '';
  let stem = ext ? name.slice(0, -ext.length) : name;
  stem = trimEnds(truncateUtf8(stem, maxBytes - utf8Length(ext)));
  if (stem === '' || /^\.+$/.test(stem)) stem = fallback;
  // Windows reserves "CON" whatever follows its first dot ("con.tar.gz"): mark that segment.
  if (isReservedWindowsName(stem)) stem = stem.replace(/^[^.]*?(?=\s*(\.|$))/, (s) => `${s}_`);
  name = trimEnds(stem + ext);
  return name === '' || name === '.' || name === '..' ? fallback : name;
}

/** Windows drops trailing dots and spaces; leading spaces confuse every shell. */
function trimEnds(s: string): string {
  return s.replace(/^[\s]+/u, '').replace(/[.\s]+$/u, '');
}

/**
 * A readable, safe slug for a title: lower case, letters and digits of any script (CJK kept),
 * everything else collapsed to single hyphens.
 */
export function slugify(title: string, maxBytes = 80): string {
  const slug = title
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return safeFileName(truncateUtf8(slug, maxBytes).replace(/-+$/, ''), { fallback: 'untitled' });
}

/**
 * Hands out names unique within one folder, compared case-insensitively (macOS and Windows
 * folders are case-insensitive): "a", "A" → "a", "A-2"; "x.md" twice → "x.md", "x-2.md".
 */
export class UniqueNames {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(foldCase(name));
  }

  /** A safe, not-yet-used name for `raw` (made safe first), now marked as used. */
  claim(raw: string, opts: SafeNameOptions = {}): string {
    const maxBytes = opts.maxBytes ?? MAX_NAME_BYTES;
    const first = safeFileName(raw, opts);
    if (this.tryTake(first)) return first;
    const extMatch = /(\.[A-Za-z0-9]{1,8})$/.exec(first);
    const ext = extMatch && extMatch.index > 0 ? extMatch[1]! : '';
    const stem = ext ? first.slice(0, -ext.length) : first;
    for (let n = 2; ; n++) {
      const suffix = `-${n}`;
      const candidate = trimEnds(truncateUtf8(stem, maxBytes - utf8Length(suffix + ext))) + suffix + ext;
      if (this.tryTake(candidate)) return candidate;
    }
  }

  private tryTake(name: string): boolean {
    const key = foldCase(name);
    if (this.taken.has(key)) return false;
    this.taken.add(key);
    return true;
  }
}

function foldCase(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
