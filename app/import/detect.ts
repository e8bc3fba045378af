/**
 * Which exporter made this file — from its content, not its name: the first 64 KB of a file,
 * or the entry names of a zip or folder. Unknown content fails with BAD_FORMAT listing what
 * Folio reads and how to force a format.
 */
import { ImportFormatError, IMPORT_FORMATS, type ImportFormat } from './import-items.js';
import { OMNIVORE_METADATA } from './omnivore.js';
import { pocketCsvNames } from './pocket-zip.js';
import { openFileSet, readHead, stripBom, type FileSet, type InputInfo } from './read-input.js';
import { READECK_INFO } from './readeck.js';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

export async function detectFormat(info: InputInfo): Promise<ImportFormat> {
  if (info.isDirectory) {
    const files = await openFileSet(info);
    try {
      return detectFileSet(files);
    } finally {
      files.close();
    }
  }
  const head = await readHead(info.path);
  if (head.subarray(0, 4).equals(ZIP_MAGIC) || head.subarray(0, 4).equals(EMPTY_ZIP_MAGIC)) {
    const files = await openFileSet(info);
    try {
      return detectFileSet(files);
    } finally {
      files.close();
    }
  }
  return detectText(stripBom(head.toString('utf8')), info.path);
}

/** Zips and folders, by the names of the files inside. */
export function detectFileSet(files: FileSet): ImportFormat {
  const names = files.names;
  if (names.some((n) => /(^|\/)backup\.json$/i.test(n)) && names.some((n) => /(^|\/)images\//.test(n) || /backup\.json$/i.test(n))) return 'folio-json';
  if (names.some((n) => OMNIVORE_METADATA.test(n))) return 'omnivore';
  if (names.some((n) => READECK_INFO.test(n))) return 'readeck';
  if (pocketCsvNames(files).length > 0) return 'pocket-zip';
  throw unknown(files.label, `it holds ${names.length} files (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}) but none Folio recognises`);
}

/** A text file, by its first bytes. */
export function detectText(head: string, file: string): ImportFormat {
  const start = head.trimStart();
  if (/^<!DOCTYPE\s+NETSCAPE-Bookmark-file-1/i.test(start)) return 'netscape';
  if (/^</.test(start)) {
    // Pocket's ril_export.html: "Unread" and "Read Archive" lists of links.
    if (/<h1[^>]*>\s*(Unread|Read Archive)\s*<\/h1>/i.test(head) && /<a\s[^>]*time_added=/i.test(head)) return 'pocket-html';
    // Bookmark files saved without their doctype still have the <DL><DT><A HREF structure.
    if (/<dl[^>]*>\s*(<p>)?\s*<dt>\s*<(a|h3)\b/i.test(head)) return 'netscape';
  }
  if (/^[[{]/.test(start)) {
    if (/"format"\s*:\s*"folio-backup"/.test(head)) return 'folio-json';
    if (/"is_starred"|"is_archived"\s*:\s*[01],|"reading_time"/.test(head) && /"is_starred"/.test(head)) return 'wallabag';
    if (/"slug"\s*:/.test(head) && /"readingProgress"|"labels"/.test(head)) return 'omnivore';
    if (/"is_marked"|"read_progress"|"IsMarked"/.test(head)) return 'readeck';
    throw unknown(file, 'it is JSON, but not a Folio backup, wallabag, Omnivore or Readeck export');
  }
  const firstLine = start.split(/\r?\n/, 1)[0]!.toLowerCase();
  const columns = firstLine.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  if (columns.includes('url') && columns.includes('time_added')) return 'pocket-csv';
  if (columns.includes('url') && columns.includes('folder') && columns.includes('timestamp')) return 'instapaper';
  if (/https?:\/\/\S/i.test(head)) return 'urls';
  throw unknown(file, 'no web address, bookmark, CSV header or JSON export shape found at its start');
}

function unknown(file: string, why: string): ImportFormatError {
  return new ImportFormatError(
    file,
    null,
    `unknown import format: ${why}`,
    `Folio imports ${IMPORT_FORMATS.join(', ')}; pass --format to choose one if the file is one of them`,
  );
}
