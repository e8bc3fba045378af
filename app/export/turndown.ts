import { gfm } from '@joplin/turndown-plugin-gfm';
import TurndownService from 'turndown';
import { assetSha } from './images.js';
import { parseFragment } from './html-dom.js';

/**
 * Stored article HTML → Markdown (CommonMark + GFM tables, strikethrough, task lists).
 *
 * The only raw HTML left in the output is <sup> and <sub>, which Markdown cannot express.
 * Everything else becomes Markdown or plain text: tables the GFM plugin would keep as HTML
 * (cells holding lists, code, headings…) are flattened first; wrappers (div, span, section)
 * just pass their content through.
 */
export interface MarkdownOptions {
  /** Where an image stored as folio-asset:<sha256> is found from the Markdown file, or null to drop it. */
  imageSrc(sha256: string): string | null;
}

/** Tags inside a table cell that would make the GFM plugin keep the whole table as HTML. */
const CELL_BLOCKS = 'ul, ol, li, h1, h2, h3, h4, h5, h6, hr, blockquote, p, div, section, dl, dt, dd, figure, figcaption, details, summary';
/** A stand-in element for code inside tables (the plugin keeps tables containing <code> as HTML). */
const CELL_CODE = 'folio-cell-code';

// One configured service, reused: turndown is synchronous, so the per-call options below are
// never seen by another conversion.
let converter: TurndownService | null = null;
let current: MarkdownOptions = { imageSrc: () => null };

export function htmlToMarkdown(html: string, opts: MarkdownOptions): string {
  // Turndown parses strings with domino, several times faster to walk than a jsdom tree, so
  // jsdom is used only to rewrite tables, and the result handed over as a string.
  let input = html;
  if (/<table[\s>]/i.test(html)) {
    const root = parseFragment(html);
    prepareTables(root);
    input = root.innerHTML;
  }
  converter ??= createService({ imageSrc: (sha) => current.imageSrc(sha) });
  current = opts;
  try {
    return converter.turndown(input).trim() + '\n';
  } finally {
    current = { imageSrc: () => null };
  }
}

function createService(opts: MarkdownOptions): TurndownService {
  const td = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
    strongDelimiter: '**',
    hr: '---',
  });
  td.use(gfm);

  td.addRule('fencedCodeWithLanguage', {
    filter: (node) => node.nodeName === 'PRE',
    replacement: (_content, node) => {
      const el = node as HTMLElement;
      const code = el.textContent ?? '';
      const lang = codeLanguage(el);
      const longestRun = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
      const fence = '`'.repeat(Math.max(3, longestRun + 1));
      return `\n\n${fence}${lang}\n${code.replace(/\n$/, '')}\n${fence}\n\n`;
    },
  });

  td.addRule('cellCode', {
    filter: (node) => node.nodeName.toLowerCase() === CELL_CODE,
    replacement: (_content, node) => inlineCode((node.textContent ?? '').replace(/\s*\n\s*/g, ' ')),
  });

  td.addRule('image', {
    filter: 'img',
    replacement: (_content, node) => {
      const el = node as HTMLElement;
      const raw = el.getAttribute('src');
      const sha = assetSha(raw);
      const src = sha ? opts.imageSrc(sha) : raw;
      if (!src) return '';
      const alt = (el.getAttribute('alt') ?? '').replace(/\s+/g, ' ').replace(/([\\[\]])/g, '\\$1');
      const title = el.getAttribute('title');
      const dest = /[\s()<>]/.test(src) ? `<${src}>` : src;
      return `![${alt}](${dest}${title ? ` "${title.replace(/"/g, '\\"')}"` : ''})`;
    },
  });

  // A figure is its image(s) then the caption as an italic line of its own.
  td.addRule('figure', {
    filter: 'figure',
    replacement: (content) => `\n\n${content.trim()}\n\n`,
  });
  td.addRule('figcaption', {
    filter: 'figcaption',
    replacement: (content) => {
      const text = content.trim().replace(/\s*\n+\s*/g, ' ');
      return text ? `\n\n_${text.replace(/_/g, '\\_')}_\n\n` : '';
    },
  });

  // ==text== is the highlight syntax of Obsidian and most Markdown editors.
  td.addRule('mark', { filter: 'mark', replacement: (content) => (content.trim() ? `==${content}==` : '') });
  // Markdown has no superscript/subscript: the one place raw HTML is kept.
  td.addRule('supSub', {
    filter: ['sup', 'sub'],
    replacement: (content, node) => {
      const tag = node.nodeName.toLowerCase();
      return content ? `<${tag}>${content}</${tag}>` : '';
    },
  });
  td.addRule('summary', { filter: 'summary', replacement: (content) => `\n\n**${content.trim()}**\n\n` });
  return td;
}

/**
 * The language of a code block. The sanitizer drops class attributes, but at capture a
 * `language-x`/`lang-x`/`highlight-source-x` class becomes `data-lang="x"` (markCodeLanguages
 * in app/capture/sanitize.ts), which it keeps; `lang` and a class are read too for HTML from
 * elsewhere. Only plain identifiers are used, so nothing can break the fence line.
 */
export function codeLanguage(pre: Element): string {
  const code = pre.querySelector('code');
  for (const el of [code, pre]) {
    if (!el) continue;
    const fromClass = /(?:^|\s)(?:language|lang)-([\w+#.-]+)/.exec(el.getAttribute('class') ?? '')?.[1];
    const value = el.getAttribute('data-lang') ?? el.getAttribute('data-language') ?? fromClass ?? el.getAttribute('lang');
    if (value && /^[\w+#.-]{1,32}$/.test(value)) return value.toLowerCase();
  }
  return '';
}

function inlineCode(text: string): string {
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/**
 * Makes every table convertible to a GFM table: block content in cells becomes inline text
 * separated by spaces (a GFM cell is one line), and code becomes a stand-in the plugin ignores.
 */
function prepareTables(root: HTMLElement): void {
  const doc = root.ownerDocument;
  for (const table of [...root.querySelectorAll('table')]) {
    for (const code of [...table.querySelectorAll('pre, code')]) {
      if (code.closest(CELL_CODE)) continue;
      const stand = doc.createElement(CELL_CODE);
      stand.textContent = code.textContent;
      code.replaceWith(stand);
    }
    // Deepest first, so nested blocks unwrap cleanly.
    for (const block of [...table.querySelectorAll(CELL_BLOCKS)].reverse()) {
      if (!block.closest('td, th')) continue;
      const prefix = block.nodeName === 'LI' ? '• ' : '';
      block.replaceWith(doc.createTextNode(' ' + prefix), ...block.childNodes, doc.createTextNode(' '));
    }
  }
}
