/**
 * Pocket's export zip: one or more CSV files (`part_000000.csv`, `part_000001.csv`…, each with
 * the header) plus, in newer exports, annotation JSON that Folio does not use. Each CSV is read
 * like a single Pocket CSV; line numbers and messages name the CSV inside the zip.
 */
import { Readable } from 'node:stream';
import type { ImportItem } from './import-items.js';
import { parsePocketCsv } from './pocket-csv.js';
import type { FileSet } from './read-input.js';

export function pocketCsvNames(files: FileSet): string[] {
  return files.names.filter((n) => /\.csv$/i.test(n) && !n.split('/').some((p) => p.startsWith('__MACOSX') || p.startsWith('.')));
}

export async function* parsePocketZip(files: FileSet): AsyncGenerator<ImportItem> {
  for (const name of pocketCsvNames(files)) {
    const data = await files.read(name);
    yield* parsePocketCsv(Readable.from([data]), `${files.label} (${name})`);
  }
}
