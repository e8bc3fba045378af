/**
 * Pocket's older `ril_export.html`: two lists under `<h1>Unread</h1>` and `<h1>Read Archive</h1>`,
 * each item `<li><a href="…" time_added="1500000000" tags="a,b">Title</a></li>`. Items under
 * "Read Archive" are read and archived.
 */
import { fragmentText, LineCounter, tagAttributes } from './html-text.js';
import { ImportFormatError, unixToIso, type ImportItem } from './import-items.js';

const TOKEN = /<(h1|a)\b([^>]*)>/gi;

export function* parsePocketHtml(html: string, file: string): Generator<ImportItem> {
  const lines = new LineCounter(html);
  let archived = false;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(html); m !== null; m = TOKEN.exec(html)) {
    const rest = html.slice(TOKEN.lastIndex);
    const tag = m[1]!.toLowerCase();
    const close = rest.search(tag === 'a' ? /<\/a\s*>/i : /<\/h1\s*>/i);
    if (close === -1) {
      throw new ImportFormatError(file, lines.lineAt(m.index), `this <${tag}> is never closed: the file looks truncated`, 'export from Pocket again; the items before this line were imported');
    }
    const text = fragmentText(rest.slice(0, close));
    if (tag === 'h1') {
      archived = /archive|read/i.test(text) && !/unread/i.test(text);
      continue;
    }
    const attrs = tagAttributes(m[2]!);
    const url = (attrs.get('href') ?? '').trim();
    const item: ImportItem = {
      url,
      tags: (attrs.get('tags') ?? '').split(',').map((t) => t.trim()).filter(Boolean),
      read: archived,
      archived,
      line: lines.lineAt(m.index),
    };
    if (text && text !== url) item.title = text;
    const savedAt = unixToIso(attrs.get('time_added'));
    if (savedAt) item.savedAt = savedAt;
    yield item;
  }
}
