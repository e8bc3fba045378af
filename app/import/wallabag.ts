/**
 * wallabag v2's JSON export: an array of entries
 *   {is_archived, is_starred, tags, title, url, content, created_at, published_at, published_by,
 *    reading_time, domain_name, language, preview_picture}
 * The content is included, so entries are saved offline (no fetch). is_archived (wallabag's
 * "mark as read") → read and archived; is_starred → favorite; created_at → saved date.
 */
import { dateToIso, ImportFormatError, type ImportItem } from './import-items.js';
import { asDocument, asFlag, asString, asTagList, isRecord, parseJsonText } from './json-input.js';

export function* parseWallabag(text: string, file: string): Generator<ImportItem> {
  const entries = parseJsonText(text, file);
  if (!Array.isArray(entries)) throw new ImportFormatError(file, null, 'expected a JSON array of wallabag entries', 'export from wallabag as JSON ("Export → JSON")');
  for (const entry of entries) {
    if (!isRecord(entry)) continue;
    const title = asString(entry.title)?.trim();
    const archived = asFlag(entry.is_archived);
    const item: ImportItem = {
      url: (asString(entry.url) ?? '').trim(),
      tags: asTagList(entry.tags),
      read: archived,
      archived,
      favorite: asFlag(entry.is_starred),
    };
    if (title) item.title = title;
    const savedAt = dateToIso(entry.created_at);
    if (savedAt) item.savedAt = savedAt;
    const html = asString(entry.content);
    if (html && html.trim()) {
      const authors = Array.isArray(entry.published_by) ? entry.published_by.filter((a) => typeof a === 'string').join(', ') : asString(entry.published_by);
      item.content = { html: asDocument(html, title), byline: authors || null, publishedAt: dateToIso(entry.published_at) ?? null };
    }
    yield item;
  }
}
