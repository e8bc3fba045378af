/**
 * `folio extract <url|file>...`: runs the capture pipeline and prints what Folio would save —
 * metadata and text for people, or one JSON object per input (JSONL) with --json. Stores
 * nothing. Inputs run concurrently (bounded) but print in the order given; a failing input is
 * reported and the others go on, and the exit code is 1 if any failed.
 */
import { Command } from 'commander';
import { cliParser } from '../format/cli-parser.js';
import { asFolioError, FolioError } from '../../core/errors.js';
import type { Capture, RenderMode } from '../../core/types.js';
import { captureOptionsFromFlags, parsePositiveInteger, parseRenderMode, RENDER_MODES } from '../../capture/capture-options.js';
import { limiter } from '../../core/limiter.js';

const CONCURRENCY = 4;
const WIDTH = 80;

interface ExtractFlags {
  json?: boolean;
  render: RenderMode;
  timeout?: number;
  connectTimeout?: number;
  maxBytes?: number;
}

export function registerExtractCommand(program: Command): void {
  program
    .command('extract')
    .description('Fetch and clean pages (or saved .html files) and print the result; stores nothing')
    .argument('<inputs...>', 'http(s) URLs or paths of saved HTML pages')
    .option('--json', 'one JSON object per input per line (JSONL)')
    .option('--render <mode>', `render JavaScript pages in Chrome/Chromium: ${RENDER_MODES.join('|')}`, cliParser(parseRenderMode), 'auto')
    .option('--timeout <ms>', 'total time allowed for a page download (and a browser render)', cliParser(intFlag('--timeout')))
    .option('--connect-timeout <ms>', 'time allowed to connect to a server', cliParser(intFlag('--connect-timeout')))
    .option('--max-bytes <n>', 'largest page accepted, in bytes', cliParser(intFlag('--max-bytes')))
    .addHelpText(
      'after',
      '\nEnvironment:\n' +
        '  FOLIO_TIMEOUT_MS, FOLIO_CONNECT_TIMEOUT_MS, FOLIO_MAX_BYTES  defaults for the flags\n' +
        '  FOLIO_CHROMIUM  the browser used to render JavaScript pages\n' +
        '\nExamples:\n  folio extract https://example.com/post\n  folio extract --json ./saved-page.html https://example.com/a',
    )
    .action(async (inputs: string[], flags: ExtractFlags) => runExtract(inputs, flags));
}

function intFlag(name: string): (value: string) => number {
  return (value) => parsePositiveInteger(name, value);
}

type Outcome = { input: string; capture: Capture } | { input: string; error: FolioError };

async function runExtract(inputs: string[], flags: ExtractFlags): Promise<void> {
  const options = captureOptionsFromFlags({
    render: flags.render,
    timeout: flags.timeout,
    connectTimeout: flags.connectTimeout,
    maxBytes: flags.maxBytes,
  });
  // Loaded on use: jsdom and playwright-core would slow every other folio command's start-up.
  const { captureInput, closeRenderer } = await import('../../capture/pipeline.js');
  const run = limiter(CONCURRENCY);
  const pending = inputs.map((input) =>
    run(async (): Promise<Outcome> => {
      try {
        return { input, capture: (await captureInput(input, options)).capture };
      } catch (err) {
        return { input, error: asFolioError(err) };
      }
    }),
  );
  try {
    // Printed in input order as each becomes ready, not all at the end.
    for (const [i, promise] of pending.entries()) {
      const outcome = await promise;
      if ('error' in outcome) {
        process.exitCode = 1;
        if (flags.json) writeLine(JSON.stringify({ input: outcome.input, error: outcome.error.toJSON() }));
        else process.stderr.write(`folio: ${outcome.error.message.split('\n')[0]}\n`);
        continue;
      }
      if (flags.json) writeLine(JSON.stringify(jsonRecord(outcome.capture)));
      else process.stdout.write((i > 0 ? '\n' + '═'.repeat(WIDTH) + '\n\n' : '') + humanReport(outcome.capture));
    }
  } finally {
    await closeRenderer();
  }
}

function writeLine(line: string): void {
  process.stdout.write(line + '\n');
}

/** The --json record: the documented fields, in a stable order. */
export function jsonRecord(c: Capture): Record<string, unknown> {
  return {
    input: c.input,
    url: c.url,
    finalUrl: c.finalUrl,
    canonicalUrl: c.canonicalUrl,
    title: c.title,
    byline: c.byline,
    siteName: c.siteName,
    publishedTime: c.publishedTime,
    lang: c.lang,
    dir: c.dir,
    excerpt: c.excerpt,
    leadImage: c.leadImage,
    wordCount: c.wordCount,
    readingMinutes: c.readingMinutes,
    text: c.text,
    html: c.html,
    images: c.images,
    extractor: c.extractor,
    rendered: c.rendered,
    fetchedAt: c.fetchedAt,
    warnings: c.warnings,
  };
}

function humanReport(c: Capture): string {
  const saved = c.images.filter((i) => 'sha256' in i).length;
  const failed = c.images.length - saved;
  const fields: [string, string | null][] = [
    ['Title', c.title],
    ['Byline', c.byline],
    ['Site', c.siteName],
    ['Date', c.publishedTime],
    ['URL', c.finalUrl],
    ['Words', `${c.wordCount} (${c.readingMinutes} min read)`],
    ['Images', failed > 0 ? `${saved} saved, ${failed} not saved` : `${saved}`],
    ['Source', `${c.extractor}${c.rendered ? ', rendered in a browser' : ''}`],
  ];
  const lines: string[] = [];
  for (const [name, value] of fields) {
    if (value) lines.push(...wrap(value, WIDTH, `${name}:`.padEnd(9)));
  }
  for (const w of c.warnings) lines.push(...wrap(w, WIDTH, 'Warning: '));
  lines.push('');
  for (const paragraph of c.text.split(/\n/)) {
    lines.push(...(paragraph.trim() === '' ? [''] : wrap(paragraph.trim(), WIDTH, '')));
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

/**
 * Greedy word wrap to `width` terminal columns, with `label` on the first line and a hanging
 * indent after. Words wider than a line (URLs, CJK runs without spaces) are split by column.
 */
export function wrap(text: string, width: number, label: string): string[] {
  const indent = ' '.repeat(columns(label));
  const lines: string[] = [];
  let line = label;
  let lineWidth = columns(label);
  const room = width - indent.length;
  const fresh = () => line === label || line === indent;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const w = columns(word);
    const needed = fresh() ? w : w + 1;
    if (lineWidth + needed <= width) {
      line += (fresh() ? '' : ' ') + word;
      lineWidth += needed;
      continue;
    }
    if (!fresh()) {
      lines.push(line);
      line = indent;
      lineWidth = indent.length;
    }
    for (const piece of splitByColumns(word, room)) {
      if (!fresh()) {
        lines.push(line);
        line = indent;
        lineWidth = indent.length;
      }
      line += piece;
      lineWidth += columns(piece);
    }
  }
  if (!fresh() || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

function splitByColumns(word: string, room: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const ch of word) {
    const w = columns(ch);
    if (used + w > room && piece) {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += ch;
    used += w;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/** Terminal columns: East Asian wide/fullwidth characters take two, combining marks none. */
export function columns(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (/\p{Mn}|\p{Me}|\u200b|\u200d/u.test(ch)) continue;
    n += isWide(cp) ? 2 : 1;
  }
  return n;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

