/**
 * How `folio add` reports one input: a JSON record (--json, one per line) or one human line
 * that fits 80 terminal columns (a failure's reason wraps onto more lines rather than being cut):
 *   saved      #12  A Winter Walk Along the Harbour Wall  (example.com)
 *   duplicate  #7   Bread Baking at Dawn  (example.org)
 *   failed     https://example.com/missing: HTTP 404 Not Found; check the address
 */
import { columns, wrap } from '../cli/commands/extract.js';
import { siteHost } from '../core/url-normalize.js';

export type AddStatus = 'saved' | 'duplicate' | 'failed' | 'pending';

export interface AddResult {
  input: string;
  status: AddStatus;
  /** The article (saved, duplicate). */
  id: number | null;
  url: string;
  title?: string;
  siteName?: string | null;
  error?: { code: string; message: string };
  /** A job an earlier, interrupted run had queued (finished by this one). */
  resumed?: boolean;
}

const WIDTH = 80;

export function jsonLine(r: AddResult): string {
  const record: Record<string, unknown> = { input: r.input, id: r.id, status: r.status, url: r.url };
  if (r.title !== undefined) record.title = r.title;
  if (r.error) record.error = { code: r.error.code, message: r.error.message };
  if (r.resumed) record.resumed = true;
  return JSON.stringify(record);
}

export function humanLine(r: AddResult, width = WIDTH): string {
  const label = r.status.padEnd(11);
  if (r.status === 'failed' || r.status === 'pending') {
    const reason = r.error?.message ?? '';
    // Most messages already start with the URL; do not say it twice.
    const text = reason.includes(r.input) || reason.includes(r.url) ? reason : `${r.input}: ${reason}`;
    // The reason is what the user acts on: wrapped under the label, never cut.
    return wrap(firstLine(text), width, label).join('\n');
  }
  const id = `#${r.id ?? '?'}`.padEnd(5);
  const site = `  (${r.siteName || siteHost(r.url) || 'file'})`;
  const room = width - columns(label) - columns(id) - 1 - columns(site);
  const title = fit(firstLine(r.title || r.url), Math.max(10, room));
  return fit(`${label}${id} ${title}${site}`, width);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/\s+/g, ' ').trim();
}

/** Cuts `text` to `width` columns, marking the cut with an ellipsis. */
export function fit(text: string, width: number): string {
  if (columns(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = columns(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + '…';
}
