import { SNIPPET_MARK_END, SNIPPET_MARK_START } from '../../../app/core/article.js';

export interface SnippetSegment {
  text: string;
  mark: boolean;
}

/**
 * Splits a search snippet into plain and matched runs, using the U+E000/U+E001 markers the
 * store puts around each matched term. The UI renders each run as a text node or a <mark>,
 * so snippet text is never parsed as HTML. Tolerant of unbalanced markers: a stray end is
 * dropped, an unclosed start marks to the end, nested starts do not nest.
 */
export function snippetSegments(snippet: string): SnippetSegment[] {
  const out: SnippetSegment[] = [];
  let mark = false;
  let run = '';
  const flush = () => {
    if (!run) return;
    const last = out[out.length - 1];
    // Adjacent runs of the same kind (e.g. "a\uE001\uE000b") read as one.
    if (last && last.mark === mark) last.text += run;
    else out.push({ text: run, mark });
    run = '';
  };
  for (const ch of snippet) {
    if (ch === SNIPPET_MARK_START) {
      if (!mark) {
        flush();
        mark = true;
      }
    } else if (ch === SNIPPET_MARK_END) {
      if (mark) {
        flush();
        mark = false;
      }
    } else {
      run += ch;
    }
  }
  flush();
  return out;
}
