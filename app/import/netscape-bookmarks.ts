/**
 * Netscape bookmark files (Chrome, Firefox, Safari, Edge, Pinboard, Raindrop…):
 *   <DT><H3 …>Folder</H3> <DL><p> … </DL><p>      folders, nested → each folder name is a tag
 *   <DT><A HREF ADD_DATE TAGS TOREAD PRIVATE>Title</A>   one bookmark
 *   <DD>description                                     optional, after its bookmark
 * The browsers' own root folders (Bookmarks bar, Bookmarks Menu, Other bookmarks…) are not tags.
 * ADD_DATE is Unix seconds (some tools write ms or µs: see unixToIso). Pinboard's TOREAD="1"
 * marks an unread item; every import starts unread anyway, so nothing is marked read.
 */
import { decodeEntities, fragmentText, LineCounter, tagAttributes } from './html-text.js';
import { ImportFormatError, unixToIso, type ImportItem } from './import-items.js';

/** Root folders browsers create themselves; lower-case. */
const ROOT_FOLDERS = new Set([
  'bookmarks bar',
  'bookmarks toolbar',
  'bookmarks menu',
  'other bookmarks',
  'mobile bookmarks',
  'favorites bar',
  'favourites bar',
  'favorites',
  'favourites',
  'bookmarksbar',
  'bookmarksmenu',
  'unsorted bookmarks',
]);

const TOKEN = /<(\/?)(dl|h3|a|dd|dt)\b([^>]*)>/gi;

export function* parseNetscapeBookmarks(html: string, file: string): Generator<ImportItem> {
  const lines = new LineCounter(html);
  const folders: (string | null)[] = [];
  let pendingFolder: string | null = null;
  let last: ImportItem | null = null;
  let scanned = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(html); m !== null; m = TOKEN.exec(html)) {
    scanned = TOKEN.lastIndex;
    const closing = m[1] === '/';
    const tag = m[2]!.toLowerCase();
    if (tag === 'dd' && !closing && last) {
      // The description runs until the next tag that starts an entry or closes the list.
      const rest = html.slice(TOKEN.lastIndex);
      const end = rest.search(/<(dt|\/?dl)\b/i);
      const text = fragmentText(end === -1 ? rest : rest.slice(0, end));
      if (text) last.description = text;
      continue;
    }
    if (closing) {
      if (tag === 'dl') folders.pop();
      continue;
    }
    if (tag === 'dl') {
      folders.push(pendingFolder);
      pendingFolder = null;
    } else if (tag === 'h3') {
      const attrs = tagAttributes(m[3]!);
      const end = html.indexOf('</', TOKEN.lastIndex);
      const name = fragmentText(html.slice(TOKEN.lastIndex, end === -1 ? undefined : end));
      const isRoot =
        attrs.has('personal_toolbar_folder') || attrs.has('unfiled_bookmarks_folder') || ROOT_FOLDERS.has(name.toLowerCase());
      pendingFolder = isRoot || name === '' ? null : name;
    } else if (tag === 'a') {
      const line = lines.lineAt(m.index);
      const close = html.slice(TOKEN.lastIndex).search(/<\/a\s*>/i);
      if (close === -1) {
        throw new ImportFormatError(
          file,
          line,
          'this bookmark is cut off (no closing </A>): the file looks truncated',
          'export the bookmarks again; the items before this line were imported',
        );
      }
      const attrs = tagAttributes(m[3]!);
      const title = fragmentText(html.slice(TOKEN.lastIndex, TOKEN.lastIndex + close));
      const tags = [
        ...folders.filter((f): f is string => f !== null),
        ...(attrs.get('tags') ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ];
      const item: ImportItem = { url: decodeEntities(attrs.get('href') ?? '').trim(), tags, line, read: false };
      if (title) item.title = title;
      const savedAt = unixToIso(attrs.get('add_date'));
      if (savedAt) item.savedAt = savedAt;
      if (last) yield last;
      last = item;
    }
  }
  if (last) yield last;
  // A bookmark tag that never closes (no '>') is invisible to the scan above: a truncated file.
  const cut = html.slice(scanned).search(/<a\s/i);
  if (cut !== -1) {
    throw new ImportFormatError(file, lines.lineAt(scanned + cut), 'this bookmark is cut off: the file looks truncated', 'export the bookmarks again; the items before this line were imported');
  }
}
