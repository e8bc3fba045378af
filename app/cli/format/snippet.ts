import { SNIPPET_MARK_END, SNIPPET_MARK_START } from '../../core/article.js';

/**
 * Search snippets arrive with each match between SNIPPET_MARK_START and SNIPPET_MARK_END
 * (private-use characters). The CLI shows them as terminal bold or as Markdown `**bold**`.
 */

const BOLD_ON = '\x1b[1m';
/** "Normal intensity": ends bold without resetting any other attribute. */
const BOLD_OFF = '\x1b[22m';

/**
 * The snippet with matches as Markdown bold. So that `**` can only come from a match, the
 * text's own backslashes and asterisks are escaped (`\\`, `\*`); an unpaired marker is dropped.
 */
export function snippetToMarkdown(snippet: string): string {
  return mapMarks(snippet.replace(/[\\*]/g, (c) => `\\${c}`), '**', '**');
}

/** The snippet with matches in terminal bold (ANSI SGR 1/22). Text is left unescaped. */
export function snippetToAnsi(snippet: string): string {
  return mapMarks(snippet, BOLD_ON, BOLD_OFF);
}

/** Bold on a colour-capable terminal, Markdown `**` everywhere else (pipes, files, NO_COLOR). */
export function snippetForTerminal(snippet: string, color: boolean): string {
  return color ? snippetToAnsi(snippet) : snippetToMarkdown(snippet);
}

/**
 * Whether to emit ANSI styling: only to a terminal, and not when NO_COLOR is set to a
 * non-empty value (https://no-color.org) or TERM is "dumb".
 */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!stream.isTTY) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}

/** Replaces marker pairs with `open`/`close`: a stray end is dropped, an unclosed start is closed at the end. */
function mapMarks(snippet: string, open: string, close: string): string {
  let out = '';
  let inside = false;
  for (const ch of snippet) {
    if (ch === SNIPPET_MARK_START) {
      if (!inside) out += open;
      inside = true;
    } else if (ch === SNIPPET_MARK_END) {
      if (inside) out += close;
      inside = false;
    } else {
      out += ch;
    }
  }
  return inside ? out + close : out;
}

/** Plain snippet text with the markers removed (for measuring and truncating). */
export function stripMarks(snippet: string): string {
  return snippet.replaceAll(SNIPPET_MARK_START, '').replaceAll(SNIPPET_MARK_END, '');
}
