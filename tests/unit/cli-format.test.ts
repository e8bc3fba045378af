import { describe, expect, it } from 'vitest';
import { SNIPPET_MARK_END as E, SNIPPET_MARK_START as S, type SearchHit } from '../../app/core/article.js';
import { searchReport } from '../../app/cli/commands/search.js';
import { articleRecord, searchRecord } from '../../app/cli/format/records.js';
import {
  columns,
  fit,
  formatBytes,
  renderTable,
  snippetForTerminal,
  snippetToAnsi,
  snippetToMarkdown,
  truncate,
  useColor,
} from '../../app/cli/format/index.js';
import { articleMarkdown } from '../../app/cli/format/markdown.js';
import { listTable } from '../../app/cli/commands/list.js';

function hit(over: Partial<SearchHit> = {}): SearchHit {
  return {
    id: 7,
    url: 'https://www.example.org/a',
    finalUrl: 'https://www.example.org/a',
    canonicalUrl: null,
    title: 'Gardens of the river',
    byline: null,
    siteName: null,
    excerpt: null,
    lang: 'en',
    publishedTime: null,
    savedAt: '2024-03-05T10:00:00.000Z',
    updatedAt: '2024-03-05T10:00:00.000Z',
    wordCount: 900,
    readingMinutes: 4,
    leadImage: null,
    tags: ['nature'],
    status: 'captured',
    readingProgress: 0,
    read: true,
    archived: false,
    favorite: true,
    snippet: `the ${S}garden${E} by 2*3`,
    score: 1.5,
    ...over,
  };
}

describe('truncate / fit', () => {
  it('cuts to the column budget with an ellipsis, counting wide characters as two', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a long title here', 8)).toBe('a long…');
    expect(columns(truncate('a long title here', 8))).toBeLessThanOrEqual(8);
    const cjk = truncate('日本語のタイトルです', 7);
    expect(cjk).toBe('日本語…');
    expect(columns(cjk)).toBe(7);
    expect(truncate('two\nlines', 20)).toBe('two lines');
  });
  it('pads to an exact width, left or right', () => {
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('ab', 4, 'right')).toBe('  ab');
    expect(columns(fit('漢字漢字漢字', 5))).toBe(5);
  });
});

describe('renderTable', () => {
  it('gives the flex column what is left so no line exceeds the width', () => {
    const rows = [{ id: 1, t: 'x'.repeat(200) }, { id: 22, t: '中文标题'.repeat(30) }];
    const lines = renderTable([{ header: 'ID', cell: (r) => String(r.id), align: 'right' }, { header: 'TITLE', cell: (r) => r.t, flex: true }], rows, 40);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(columns(l)).toBeLessThanOrEqual(40);
    expect(lines[1]).toMatch(/^ 1  x+…$/);
    expect(lines[2]!.startsWith('22  中文')).toBe(true);
  });
  it('list table: 80 columns, flags letters, footer with the slice shown', () => {
    const items = [hit({ id: 3, title: 'T'.repeat(150), siteName: 'A publication with a very long name' }), hit({ id: 12, status: 'bookmark', read: false, favorite: false })];
    const lines = listTable(items, 40, 10);
    for (const l of lines) expect(columns(l)).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^ID\s+SAVED\s+TITLE\s+SITE\s+MIN\s+FLAGS$/);
    expect(lines[1]).toMatch(/^ 3  2024-03-0\d  T+…\s+A publication wit…\s+4  R-F$/);
    expect(lines[2]).toMatch(/example\.org\s+---B$/);
    expect(lines.at(-1)).toBe('11–12 of 40 articles');
  });
});

describe('snippets', () => {
  it('Markdown: matches become **…**, literal * and \\ are escaped so ** only ever means a match', () => {
    expect(snippetToMarkdown(`a ${S}b${E} c*d \\ e`)).toBe('a **b** c\\*d \\\\ e');
    expect(snippetToMarkdown(`**${S}x${E}**`)).toBe('\\*\\***x**\\*\\*');
    // A stray end is dropped, an unclosed start closed.
    expect(snippetToMarkdown(`a${E} ${S}b`)).toBe('a **b**');
  });
  it('terminal: SGR bold on/normal intensity around matches, text untouched', () => {
    expect(snippetToAnsi(`x ${S}y${E} 2*3`)).toBe('x \x1b[1my\x1b[22m 2*3');
    expect(snippetForTerminal(`${S}y${E}`, true)).toBe('\x1b[1my\x1b[22m');
    expect(snippetForTerminal(`${S}y${E}`, false)).toBe('**y**');
  });
  it('colour only on a TTY without NO_COLOR (and not TERM=dumb)', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(useColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
  it('search report: bold on a TTY, ** otherwise, wrapped within 80 columns, final count', () => {
    const long = hit({ snippet: `${'word '.repeat(30)}${S}garden${E} ${'more '.repeat(30)}`, title: 'L'.repeat(120) });
    const tty = searchReport('garden', [hit(), long], 2, 0, true);
    const plain = searchReport('garden', [hit(), long], 2, 0, false);
    expect(tty.join('\n')).toContain('\x1b[1mgarden\x1b[22m');
    expect(tty.join('\n')).not.toContain('**');
    expect(plain.join('\n')).toContain('**garden**');
    expect(plain.join('\n')).toContain('2\\*3');
    expect(plain.join('\n')).not.toContain('\x1b');
    for (const l of [...plain, ...tty.map((l) => l.replace(/\x1b\[\d+m/g, ''))]) expect(columns(l)).toBeLessThanOrEqual(80);
    expect(plain[0]).toBe('#7  Gardens of the river  (example.org, 2024-03-05)');
    expect(plain.at(-1)).toBe('2 results');
    expect(searchReport('nothing', [], 0, 0, false)).toEqual(['No results for "nothing".']);
    expect(searchReport('x', [hit()], 45, 20, false).at(-1)).toBe('45 results (showing 21–21; use --offset for more)');
  });
});

describe('JSON records', () => {
  it('article record: exactly the documented fields, in order', () => {
    const r = articleRecord(hit());
    expect(Object.keys(r)).toEqual(['id', 'title', 'url', 'site', 'savedAt', 'publishedTime', 'readingMinutes', 'wordCount', 'tags', 'read', 'archived', 'favorite', 'status']);
    expect(r).toMatchObject({ id: 7, site: 'example.org', read: true, favorite: true, archived: false, tags: ['nature'] });
  });
  it('search record: Markdown snippet on one line, score kept', () => {
    const r = searchRecord(hit({ snippet: `a\n\n${S}b${E}*` }));
    expect(Object.keys(r)).toEqual(['id', 'title', 'url', 'site', 'savedAt', 'snippet', 'score']);
    expect(r.snippet).toBe('a **b**\\*');
    expect(r.score).toBe(1.5);
  });
});

describe('formatBytes', () => {
  it('uses 1024 steps and one decimal below 10', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(23 * 1024 * 1024)).toBe('23 MB');
  });
});

describe('articleMarkdown', () => {
  it('GFM tables, strikethrough, fenced code, folio-asset images with alt, title as # heading', () => {
    const html =
      '<h1>My Title</h1><p>Some <del>old</del> <strong>text</strong>.</p>' +
      '<figure><img src="folio-asset:' + 'a'.repeat(64) + '" alt="A heron"></figure>' +
      '<table><thead><tr><th>k</th><th>v</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>' +
      '<pre><code class="language-ts">const x = 1;</code></pre>';
    const md = articleMarkdown({ title: 'My Title', html, text: '' });
    expect(md.startsWith('# My Title\n\nSome ~~old~~ **text**.')).toBe(true);
    expect(md.match(/# My Title/g)).toHaveLength(1);
    expect(md).toContain(`![A heron](folio-asset:${'a'.repeat(64)})`);
    expect(md).toMatch(/\| k +\| v +\|\n\| -+ \| -+ \|\n\| 1 +\| 2 +\|/);
    expect(md).toContain('```ts\nconst x = 1;\n```');
    expect(md).not.toMatch(/^---/);
  });
  it('a bookmark (no HTML) falls back to its text', () => {
    expect(articleMarkdown({ title: 'Saved link', html: '', text: '' })).toBe('# Saved link\n\n');
  });
});
