import type { ExportFormat, ImportOutcome } from '../../../app/core/contract.js';
import type { ListSource } from '../state/list-source.js';

/**
 * Words for the export and import UI, kept pure so they are tested without a browser:
 * the one-line import summary, what "the current list" means as an export scope, and the
 * file kinds the import picker offers.
 */

/** "120 saved, 3 duplicates, 1 failed — line 42: …" (nothing is ever left blank). */
export function describeImport(outcome: ImportOutcome): string {
  const parts: string[] = [];
  const count = (n: number, one: string, many = `${one}s`) => {
    if (n > 0) parts.push(`${n} ${n === 1 ? one : many}`);
  };
  count(outcome.saved, 'saved', 'saved');
  count(outcome.bookmarked, 'bookmarked', 'bookmarked');
  count(outcome.duplicate, 'duplicate');
  count(outcome.skipped, 'skipped', 'skipped');
  count(outcome.failed, 'failed', 'failed');
  let text = parts.length > 0 ? parts.join(', ') : outcome.error ? 'Nothing imported' : 'The file held no articles';
  const firstFailure = outcome.failures[0];
  if (outcome.error) {
    text += ` — ${outcome.error.message}`;
  } else if (firstFailure) {
    text += ` — ${firstFailure.line !== null ? `line ${firstFailure.line}: ` : ''}${firstFailure.url ? `${firstFailure.url}: ` : ''}${firstFailure.error}`;
  }
  return text;
}

export type ExportScope = { label: string; selection: { query: string } | { tag: string } | Record<string, never> };

/**
 * The export scope matching what the list shows. The core exports by search, by tag, or all;
 * other filters (unread, a site…) have no export equivalent, so they are not offered as one.
 */
export function currentListScope(source: ListSource): ExportScope | null {
  if (source.kind === 'search') return { label: `Articles matching “${source.query}”`, selection: { query: source.query } };
  if (source.tag) return { label: `Articles tagged “${source.tag}”`, selection: { tag: source.tag } };
  return null;
}

export const EXPORT_CHOICES: { format: ExportFormat; label: string }[] = [
  { format: 'markdown', label: 'Markdown (zip of folders with images)' },
  { format: 'html', label: 'Offline HTML pages (zip)' },
  { format: 'epub', label: 'EPUB e-book' },
  { format: 'json', label: 'Folio backup (JSON)' },
  { format: 'bibtex', label: 'BibTeX citations' },
  { format: 'csl-json', label: 'CSL-JSON citations' },
];

/** What the file picker suggests (anything may still be dropped; the core decides by content). */
export const IMPORT_ACCEPT = '.html,.htm,.csv,.json,.zip,.txt';

/** A random id the UI picks so it can follow progress events that arrive before the answer. */
export function newJobId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
