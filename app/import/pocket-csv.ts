/**
 * Pocket's CSV export (2023 onwards; also each part_*.csv inside its export zip). Two column
 * orders exist — `title,url,time_added,cursor,tags,status` and `title,url,time_added,tags,status`
 * — so columns are read by header name. Tags are `|`-separated; `status` is `unread` or
 * `archive` (Pocket's "mark as read", so archived items are read too); time_added is Unix seconds.
 */
import type { Readable } from 'node:stream';
import { csvRecords } from './csv-records.js';
import { unixToIso, type ImportItem } from './import-items.js';

export async function* parsePocketCsv(input: Readable, file: string): AsyncGenerator<ImportItem> {
  for await (const { fields, line } of csvRecords(input, file, ['url'])) {
    const archived = (fields.status ?? '').trim().toLowerCase() === 'archive';
    const item: ImportItem = {
      url: (fields.url ?? '').trim(),
      tags: (fields.tags ?? '').split('|').map((t) => t.trim()).filter(Boolean),
      read: archived,
      archived,
      line,
    };
    const title = fields.title?.trim();
    // Pocket writes the URL as the title when it never resolved one.
    if (title && title !== item.url) item.title = title;
    const savedAt = unixToIso(fields.time_added);
    if (savedAt) item.savedAt = savedAt;
    yield item;
  }
}
