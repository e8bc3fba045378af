/**
 * Readeck exports, in the two shapes that exist:
 *   - its backup zip (`readeck export`): `data.json` at the root and, per bookmark,
 *     `bookmarks/<…>/info.json` with Go field names {UID, URL, Title, SiteName, Authors,
 *     Published, Created, Labels, IsArchived, IsMarked, ReadProgress, …}, next to the article
 *     content as `index.html` when Readeck had extracted it;
 *   - a JSON list of bookmarks as its API returns them {id, url, title, site_name, authors,
 *     published, created, labels, is_archived, is_marked, read_progress}.
 * Content present → saved offline. IsMarked → favorite; IsArchived → archived; progress 100 → read.
 */
import { dateToIso, ImportFormatError, type ImportItem } from './import-items.js';
import { asDocument, asFlag, asString, asTagList, isRecord, parseJsonText, pick } from './json-input.js';
import type { FileSet } from './read-input.js';

export const READECK_INFO = /(^|\/)info\.json$/i;

/** A bookmark record in either naming → an item (content attached by the caller). */
function toItem(entry: Record<string, unknown>): ImportItem {
  const title = asString(pick(entry, ['Title', 'title']))?.trim();
  const progress = Number(pick(entry, ['ReadProgress', 'read_progress']) ?? 0);
  const archived = asFlag(pick(entry, ['IsArchived', 'is_archived']));
  const item: ImportItem = {
    url: (asString(pick(entry, ['URL', 'url'])) ?? '').trim(),
    tags: asTagList(pick(entry, ['Labels', 'labels'])),
    read: archived || progress >= 100,
    archived,
    favorite: asFlag(pick(entry, ['IsMarked', 'is_marked'])),
  };
  if (title) item.title = title;
  if (Number.isFinite(progress) && progress > 0) item.progress = Math.min(1, progress / 100);
  const savedAt = dateToIso(pick(entry, ['Created', 'created']));
  if (savedAt) item.savedAt = savedAt;
  const description = asString(pick(entry, ['Description', 'description']))?.trim();
  if (description) item.description = description;
  return item;
}

function byline(entry: Record<string, unknown>): string | null {
  const authors = pick(entry, ['Authors', 'authors']);
  return Array.isArray(authors) ? authors.filter((a) => typeof a === 'string').join(', ') || null : (asString(authors) ?? null);
}

export async function* parseReadeckFiles(files: FileSet): AsyncGenerator<ImportItem> {
  const infos = files.names.filter((n) => READECK_INFO.test(n));
  if (infos.length === 0) throw new ImportFormatError(files.label, null, 'no bookmarks/…/info.json found', 'give the zip made by Readeck\'s export');
  const names = new Set(files.names);
  for (const info of infos) {
    const label = `${files.label} (${info})`;
    const entry = parseJsonText((await files.read(info)).toString('utf8'), label);
    if (!isRecord(entry)) continue;
    const item = toItem(entry);
    const contentName = info.replace(READECK_INFO, '$1index.html');
    if (names.has(contentName)) {
      const html = (await files.read(contentName)).toString('utf8');
      if (html.trim()) {
        item.content = { html: asDocument(html, item.title), byline: byline(entry), publishedAt: dateToIso(pick(entry, ['Published', 'published'])) ?? null };
      }
    }
    yield item;
  }
}

export function* parseReadeckJson(text: string, file: string): Generator<ImportItem> {
  const data = parseJsonText(text, file);
  const list = Array.isArray(data) ? data : isRecord(data) && Array.isArray(data.bookmarks) ? data.bookmarks : null;
  if (!list) throw new ImportFormatError(file, null, 'expected a JSON list of Readeck bookmarks', 'give Readeck\'s export zip or its bookmark list');
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const item = toItem(entry);
    const html = asString(pick(entry, ['content', 'Content', 'html']));
    if (html && html.trim()) item.content = { html: asDocument(html, item.title), byline: byline(entry), publishedAt: dateToIso(pick(entry, ['published', 'Published'])) ?? null };
    yield item;
  }
}
