/**
 * Streaming CSV reading (csv-parse): records keyed by lower-cased header name, each with the
 * line it starts on, so memory stays bounded for a 100 MB export and every problem names its line.
 */
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { ImportFormatError } from './import-items.js';

export interface CsvRecord {
  /** Lower-cased, trimmed header → value. */
  fields: Record<string, string>;
  /** 1-based line where the record starts. */
  line: number;
}

/**
 * Yields the records of a CSV with a header row. Broken quoting, a wrong number of columns, a
 * missing required column: ImportFormatError naming the file and line.
 */
export async function* csvRecords(input: Readable, file: string, required: readonly string[]): AsyncGenerator<CsvRecord> {
  let firstError: CsvError | null = null;
  const parser = input.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      relax_column_count: false,
      info: true,
      // Broken records are reported through on_skip instead of destroying the stream, so the
      // records before them (already parsed in the same chunk) still reach the import.
      skip_records_with_error: true,
      on_skip: (err: CsvError | undefined) => {
        if (err && !firstError) firstError = err;
      },
    }),
  );
  // Reading errors (e.g. the file vanished) reach the parser's consumer instead of crashing.
  input.on('error', (err) => parser.destroy(err));
  let checked = false;
  try {
    for await (const chunk of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; index: number } & Record<string, unknown> }>) {
      if (!checked) {
        const missing = required.filter((c) => !(c in chunk.record));
        if (missing.length) {
          throw new ImportFormatError(file, 1, `the header has no ${missing.map((c) => `"${c}"`).join(', ')} column`, 'check that this is the right export file, or pass --format');
        }
        checked = true;
      }
      // info.lines is the line the record ends on; multi-line quoted fields start earlier.
      const start = (chunk.info as { lines: number }).lines - countNewlines(chunk.record);
      // Stop at the first broken record: what follows it is not trustworthy.
      if (firstError && errorLine(firstError) <= start) throw firstError;
      yield { fields: chunk.record, line: start };
    }
    if (firstError) throw firstError;
  } catch (err) {
    if (err instanceof ImportFormatError) throw err;
    if (err instanceof CsvError) {
      const line = typeof (err as { lines?: number }).lines === 'number' ? (err as unknown as { lines: number }).lines : null;
      throw new ImportFormatError(file, line, `the CSV is malformed (${err.message.replace(/ at line \d+$/, '')})`, 'fix that line (quotes must be doubled inside a quoted field) or export again', { cause: err });
    }
    throw err;
  }
}

function errorLine(err: CsvError): number {
  const lines = (err as unknown as { lines?: number }).lines;
  return typeof lines === 'number' ? lines : 0;
}

function countNewlines(record: Record<string, string>): number {
  let n = 0;
  for (const v of Object.values(record)) for (let i = v.indexOf('\n'); i !== -1; i = v.indexOf('\n', i + 1)) n++;
  return n;
}
