/** Format → the items of an export, read with the right reader (streamed where the format allows). */
import { parseInstapaperCsv } from './instapaper-csv.js';
import { ImportFormatError, type ImportFormat, type ImportItem } from './import-items.js';
import { parseNetscapeBookmarks } from './netscape-bookmarks.js';
import { parseOmnivore } from './omnivore.js';
import { parsePocketCsv } from './pocket-csv.js';
import { parsePocketHtml } from './pocket-html.js';
import { parsePocketZip } from './pocket-zip.js';
import { openFileSet, readHead, readWholeText, streamFile, type FileSet, type InputInfo } from './read-input.js';
import { parseReadeckFiles, parseReadeckJson } from './readeck.js';
import { parseUrlList } from './url-list.js';
import { parseWallabag } from './wallabag.js';

export async function* itemsOf(format: Exclude<ImportFormat, 'folio-json'>, info: InputInfo): AsyncGenerator<ImportItem> {
  switch (format) {
    case 'netscape':
      yield* parseNetscapeBookmarks(await readWholeText(requireFile(info, format), info.size), info.path);
      return;
    case 'pocket-html':
      yield* parsePocketHtml(await readWholeText(requireFile(info, format), info.size), info.path);
      return;
    case 'pocket-csv':
      yield* parsePocketCsv(streamFile(requireFile(info, format)), info.path);
      return;
    case 'instapaper':
      yield* parseInstapaperCsv(streamFile(requireFile(info, format)), info.path);
      return;
    case 'urls':
      yield* parseUrlList(streamFile(requireFile(info, format)));
      return;
    case 'wallabag':
      yield* parseWallabag(await readWholeText(requireFile(info, format), info.size), info.path);
      return;
    case 'pocket-zip':
      yield* withFiles(info, parsePocketZip);
      return;
    case 'omnivore':
      yield* withFiles(info, parseOmnivore);
      return;
    case 'readeck':
      if (!info.isDirectory && !(await isZip(info))) {
        yield* parseReadeckJson(await readWholeText(info.path, info.size), info.path);
        return;
      }
      yield* withFiles(info, parseReadeckFiles);
      return;
  }
}

async function* withFiles(info: InputInfo, parse: (files: FileSet) => AsyncGenerator<ImportItem>): AsyncGenerator<ImportItem> {
  const files = await openFileSet(info);
  try {
    yield* parse(files);
  } finally {
    files.close();
  }
}

async function isZip(info: InputInfo): Promise<boolean> {
  const head = await readHead(info.path, 4);
  return head.length === 4 && head[0] === 0x50 && head[1] === 0x4b;
}

function requireFile(info: InputInfo, format: string): string {
  if (info.isDirectory) throw new ImportFormatError(info.path, null, `is a folder, but the ${format} format is a single file`, 'give the export file itself');
  return info.path;
}
