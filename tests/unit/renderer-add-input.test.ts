import { describe, expect, it } from 'vitest';
import { parseAddInput, readAddFragment } from '../../renderer/src/lib/add-input.js';

describe('parseAddInput', () => {
  it('accepts one URL, trimmed', () => {
    expect(parseAddInput('  https://example.com/a  ')).toEqual(['https://example.com/a']);
  });
  it('splits pasted lists on newlines, spaces, tabs and commas; drops duplicates; keeps order', () => {
    const pasted = 'https://a.test/1\r\nhttps://b.test/2 https://a.test/1\n\n\thttps://c.test/3,https://d.test/4\n<https://e.test/5>';
    expect(parseAddInput(pasted)).toEqual(['https://a.test/1', 'https://b.test/2', 'https://c.test/3', 'https://d.test/4', 'https://e.test/5']);
  });
  it('returns nothing for blank input', () => {
    expect(parseAddInput(' \n\t ')).toEqual([]);
  });
});

describe('readAddFragment (bookmarklet #add=)', () => {
  it('decodes the URL and auto-saves http(s) only', () => {
    expect(readAddFragment('#add=https%3A%2F%2Fexample.com%2Fa%3Fb%3D1%26c%3D2')).toEqual({ text: 'https://example.com/a?b=1&c=2', autoSave: true });
    expect(readAddFragment('#add=javascript%3Aalert(1)')).toEqual({ text: 'javascript:alert(1)', autoSave: false });
    expect(readAddFragment('#add=not%20a%20url')).toEqual({ text: 'not a url', autoSave: false });
  });
  it('ignores other fragments and malformed escapes', () => {
    expect(readAddFragment('')).toBeNull();
    expect(readAddFragment('#section-2')).toBeNull();
    expect(readAddFragment('#add=')).toBeNull();
    expect(readAddFragment('#add=%E0%A4%A')).toBeNull();
  });
});
