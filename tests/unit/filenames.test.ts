import { describe, expect, it } from 'vitest';
import { isReservedWindowsName, MAX_NAME_BYTES, safeFileName, slugify, truncateUtf8, UniqueNames, utf8Length } from '../../app/core/filenames.js';

describe('safeFileName', () => {
  it('replaces characters illegal on Windows and control characters', () => {
    expect(safeFileName('a/b:c?')).toBe('a-b-c-');
    expect(safeFileName('x<y>z"q|w*e\\r')).toBe('x-y-z-q-w-e-r');
    expect(safeFileName('tab\there\u0001bell\u007f')).toBe('tab-here-bell-');
  });

  it('drops trailing dots and spaces, and never yields "", "." or ".."', () => {
    expect(safeFileName('notes. . ')).toBe('notes');
    expect(safeFileName('.')).toBe('untitled');
    expect(safeFileName('..')).toBe('untitled');
    expect(safeFileName('   ')).toBe('untitled');
    expect(safeFileName('???', { fallback: 'article' })).toBe('---');
    expect(safeFileName('', { fallback: 'article' })).toBe('article');
  });

  it('renames Windows device names in any case and with extensions', () => {
    expect(safeFileName('CON')).toBe('CON_');
    expect(safeFileName('nul.txt')).toBe('nul_.txt');
    expect(safeFileName('Com1.tar.gz')).toBe('Com1_.tar.gz');
    expect(safeFileName('lpt9')).toBe('lpt9_');
    expect(safeFileName('console')).toBe('console');
    expect(isReservedWindowsName('aux.md')).toBe(true);
    expect(isReservedWindowsName('auxiliary')).toBe(false);
  });

  it('normalises to NFC so composed and decomposed names are the same file', () => {
    const decomposed = 'Cafe\u0301';
    expect(safeFileName(decomposed)).toBe('Caf\u00e9');
    expect(safeFileName(decomposed)).toBe(safeFileName('Caf\u00e9'));
  });

  it('cuts long names to 200 UTF-8 bytes on character boundaries, keeping the extension', () => {
    const cjk = '漢'.repeat(150); // 3 bytes each
    const name = safeFileName(`${cjk}.md`);
    expect(utf8Length(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(name.endsWith('.md')).toBe(true);
    expect(name.slice(0, -3)).toMatch(/^漢+$/);
    const emoji = '👩‍👩‍👧'.repeat(40);
    expect(truncateUtf8(emoji, 50)).toBe('👩‍👩‍👧'.repeat(Math.floor(50 / utf8Length('👩‍👩‍👧'))));
  });
});

describe('slugify', () => {
  it('keeps letters of every script, lower-cased, joined by single hyphens', () => {
    expect(slugify('Hello, World!  (2024)')).toBe('hello-world-2024');
    expect(slugify('東京の川 — 散歩')).toBe('東京の川-散歩');
    expect(slugify('Ünïcödé Straße')).toBe('ünïcödé-straße');
    expect(slugify('!!!')).toBe('untitled');
  });

  it('limits the slug length in bytes', () => {
    expect(utf8Length(slugify('word '.repeat(100)))).toBeLessThanOrEqual(80);
    expect(slugify('word '.repeat(100))).not.toMatch(/-$/);
  });
});

describe('UniqueNames', () => {
  it('numbers collisions, comparing case-insensitively', () => {
    const names = new UniqueNames(['index.md']);
    expect(names.claim('Index.md')).toBe('Index-2.md');
    expect(names.claim('a')).toBe('a');
    expect(names.claim('A')).toBe('A-2');
    expect(names.claim('a')).toBe('a-3');
    expect(names.claim('a/b')).toBe('a-b');
  });

  it('keeps numbered names within the byte limit', () => {
    const names = new UniqueNames();
    const long = 'x'.repeat(300);
    const first = names.claim(long);
    const second = names.claim(long);
    expect(first).toHaveLength(MAX_NAME_BYTES);
    expect(second).toHaveLength(MAX_NAME_BYTES);
    expect(second.endsWith('-2')).toBe(true);
  });
});
