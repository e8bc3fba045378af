/**
 * Instapaper's CSV export: `URL,Title,Selection,Folder,Timestamp,Tags`. Folder `Unread` is the
 * inbox, `Archive` means read and archived, `Starred` a favourite; any other folder name becomes
 * a tag. Tags is a JSON list (`["a","b"]`), `[]`, or empty. Timestamp is Unix seconds.
 */
import type { Readable } from 'node:stream';
import { csvRecords } from './csv-records.js';
import { unixToIso, type ImportItem } from './import-items.js';

export async function* parseInstapaperCsv(input: Readable, file: string): AsyncGenerator<ImportItem> {
  for await (const { fields, line } of csvRecords(input, file, ['url', 'folder'])) {
    const folder = (fields.folder ?? '').trim();
    const kind = folder.toLowerCase();
    const item: ImportItem = {
      url: (fields.url ?? '').trim(),
      tags: [...parseTagList(fields.tags ?? ''), ...(kind === '' || kind === 'unread' || kind === 'archive' || kind === 'starred' ? [] : [folder])],
      read: kind === 'archive',
      archived: kind === 'archive',
      favorite: kind === 'starred',
      line,
    };
    const title = fields.title?.trim();
    if (title && title !== item.url) item.title = title;
    const selection = fields.selection?.trim();
    if (selection) item.description = selection;
    const savedAt = unixToIso(fields.timestamp);
    if (savedAt) item.savedAt = savedAt;
    yield item;
  }
}

function parseTagList(text: string): string[] {
  const t = text.trim();
  if (t === '' || t === '[]') return [];
  try {
    const v = JSON.parse(t) as unknown;
    if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x && 'name' in x ? String((x as { name: unknown }).name) : String(x)));
  } catch {
    // Not JSON: fall through to a plain comma-separated list.
  }
  return t.replace(/^\[|\]$/g, '').split(',').map((s) => s.trim().replace(/^["']|["']$/g, '')).filter(Boolean);
}
