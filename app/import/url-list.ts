/**
 * A plain text or Markdown file of links: every http(s) URL is an item, in order; a Markdown
 * link `[text](url)` keeps its text as the title. Read line by line (bounded memory), so items
 * carry their line number.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ImportItem } from './import-items.js';

const LINK = /\[([^\]\n]*)\]\(\s*<?(https?:\/\/[^\s)>]+(?:\([^\s)]*\)[^\s)>]*)*)>?(?:\s+"[^"]*")?\s*\)|(https?:\/\/[^\s<>"'`]+)/gi;

export async function* parseUrlList(input: Readable): AsyncGenerator<ImportItem> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    yield* urlsInLine(n === 1 ? text.replace(/^\uFEFF/, '') : text, n);
  }
}

export function* urlsInLine(text: string, line: number): Generator<ImportItem> {
  for (const m of text.matchAll(LINK)) {
    if (m[2]) {
      const title = m[1]!.trim();
      yield { url: m[2], tags: [], line, ...(title && title !== m[2] ? { title } : {}) };
    } else if (m[3]) {
      yield { url: trimTrailing(m[3]), tags: [], line };
    }
  }
}

/** Sentence punctuation after a bare URL is not part of it; a closing parenthesis is only when balanced. */
function trimTrailing(url: string): string {
  let u = url.replace(/[.,;:!?*_~]+$/, '');
  while (u.endsWith(')') && (u.match(/\(/g)?.length ?? 0) < (u.match(/\)/g)?.length ?? 0)) u = u.slice(0, -1).replace(/[.,;:!?]+$/, '');
  while (/[\]>]$/.test(u)) u = u.slice(0, -1);
  return u;
}
