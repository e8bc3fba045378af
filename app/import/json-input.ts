/**
 * JSON exports parsed as a whole, with syntax errors turned into a line number (V8 reports a
 * character position) and a message that names the file.
 */
import { ImportFormatError } from './import-items.js';

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(message);
    const line = pos ? lineOfOffset(text, Number(pos[1])) : /Unexpected end/.test(message) ? lineOfOffset(text, text.length) : null;
    throw new ImportFormatError(file, line, `the JSON is malformed (${message.replace(/ in JSON at position \d+.*$/, '')})`, 'export it again (the file may be truncated)', { cause: err });
  }
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Reads the first matching key (exporters differ in naming: `URL`/`url`, `is_archived`/`IsArchived`). */
export function pick(obj: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const k of keys) if (obj[k] !== undefined && obj[k] !== null) return obj[k];
  return undefined;
}

export function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** 1, "1", true → true. */
export function asFlag(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 'true';
}

/** Label lists as strings or as `{name}` objects. */
export function asTagList(v: unknown): string[] {
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (!Array.isArray(v)) return [];
  return v
    .map((x) => (typeof x === 'string' ? x : x && typeof x === 'object' ? asString((x as Record<string, unknown>).name ?? (x as Record<string, unknown>).label ?? (x as Record<string, unknown>).slug) : undefined))
    .filter((x): x is string => typeof x === 'string' && x.trim() !== '');
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Exported article HTML that is only a fragment gets a document around it, with its title. */
export function asDocument(html: string, title: string | undefined): string {
  if (/<html[\s>]|<body[\s>]/i.test(html)) return html;
  const t = (title ?? '').replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'));
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${t}</title></head><body><article><h1>${t}</h1>${html}</article></body></html>`;
}
