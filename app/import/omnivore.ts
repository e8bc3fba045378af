/**
 * Omnivore's export (a zip, or the folder it unpacks to): `metadata_<from>_to_<to>.json` arrays of
 *   {id, slug, title, description, author, url, state, readingProgress, thumbnail, labels,
 *    savedAt, updatedAt, publishedAt}
 * and `content/<slug>.html`, the article as Omnivore stored it. Items with content are saved
 * offline; the others are fetched (or bookmarked with --no-fetch). state ARCHIVED → archived and
 * read; labels → tags; readingProgress (0–100) kept; DELETED items are skipped.
 */
import { dateToIso, ImportFormatError, type ImportItem } from './import-items.js';
import { asDocument, asString, asTagList, isRecord, parseJsonText } from './json-input.js';
import type { FileSet } from './read-input.js';

export const OMNIVORE_METADATA = /(^|\/)metadata_[^/]*\.json$/i;

export async function* parseOmnivore(files: FileSet): AsyncGenerator<ImportItem> {
  const metadataFiles = files.names.filter((n) => OMNIVORE_METADATA.test(n));
  if (metadataFiles.length === 0) {
    throw new ImportFormatError(files.label, null, 'no metadata_*.json file found', 'give the Omnivore export zip or the folder it unpacks to');
  }
  const names = new Set(files.names);
  for (const meta of metadataFiles) {
    const label = `${files.label} (${meta})`;
    const entries = parseJsonText((await files.read(meta)).toString('utf8'), label);
    if (!Array.isArray(entries)) throw new ImportFormatError(label, null, 'expected a JSON array of articles', 'give the Omnivore export zip or folder');
    const dir = meta.includes('/') ? meta.slice(0, meta.lastIndexOf('/') + 1) : '';
    for (const entry of entries) {
      if (!isRecord(entry)) continue;
      const state = (asString(entry.state) ?? '').toUpperCase();
      if (state === 'DELETED') continue;
      const title = asString(entry.title)?.trim();
      const progress = Number(entry.readingProgress ?? 0);
      const item: ImportItem = {
        url: (asString(entry.url) ?? '').trim(),
        tags: asTagList(entry.labels),
        read: state === 'ARCHIVED' || progress >= 100,
        archived: state === 'ARCHIVED',
      };
      if (title) item.title = title;
      if (Number.isFinite(progress) && progress > 0) item.progress = Math.min(1, progress / 100);
      const savedAt = dateToIso(entry.savedAt);
      if (savedAt) item.savedAt = savedAt;
      const description = asString(entry.description)?.trim();
      if (description) item.description = description;
      const slug = asString(entry.slug);
      const contentName = slug ? `${dir}content/${slug}.html` : null;
      if (contentName && names.has(contentName)) {
        const html = (await files.read(contentName)).toString('utf8');
        if (html.trim()) {
          item.content = { html: asDocument(html, title), byline: asString(entry.author) ?? null, publishedAt: dateToIso(entry.publishedAt) ?? null };
        }
      }
      yield item;
    }
  }
}
