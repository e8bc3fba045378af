import { describe, expect, it } from 'vitest';
import type { ImportOutcome } from '../../app/core/contract.js';
import { currentListScope, describeImport, EXPORT_CHOICES, formatBytes } from '../../renderer/src/lib/io-text.js';

const base: ImportOutcome = { name: 'b.html', format: 'netscape', items: 0, saved: 0, bookmarked: 0, duplicate: 0, skipped: 0, failed: 0, failures: [] };

describe('describeImport', () => {
  it('lists the counts that are not zero, with the first failure and its line', () => {
    const text = describeImport({
      ...base,
      items: 124,
      saved: 120,
      duplicate: 3,
      failed: 1,
      failures: [{ line: 42, url: 'https://example.com/x', error: 'HTTP 404' }],
    });
    expect(text).toBe('120 saved, 3 duplicates, 1 failed — line 42: https://example.com/x: HTTP 404');
  });

  it('uses singulars, and says why nothing was imported when the file is unreadable', () => {
    expect(describeImport({ ...base, items: 1, duplicate: 1 })).toBe('1 duplicate');
    const broken = describeImport({ ...base, error: { code: 'BAD_FORMAT', message: 'this bookmark is cut off at line 4', line: 4 } });
    expect(broken).toBe('Nothing imported — this bookmark is cut off at line 4');
  });

  it('keeps the partial counts before a file error', () => {
    const text = describeImport({ ...base, items: 2, bookmarked: 2, error: { code: 'BAD_FORMAT', message: 'imported 2 items before line 9: cut off', line: 9 } });
    expect(text).toBe('2 bookmarked — imported 2 items before line 9: cut off');
  });

  it('is never blank, even for an empty file', () => {
    expect(describeImport(base)).toBe('The file held no articles');
  });
});

describe('currentListScope', () => {
  it('maps a search to a query export and a tag filter to a tag export', () => {
    expect(currentListScope({ kind: 'search', query: 'rivers -dams' })).toEqual({ label: 'Articles matching “rivers -dams”', selection: { query: 'rivers -dams' } });
    expect(currentListScope({ kind: 'library', state: 'all', tag: 'travel', sort: 'saved', order: 'desc' })?.selection).toEqual({ tag: 'travel' });
  });

  it('offers no "current list" for filters the export cannot express', () => {
    expect(currentListScope({ kind: 'library', state: 'unread', sort: 'saved', order: 'desc' })).toBeNull();
    expect(currentListScope({ kind: 'library', state: 'all', site: 'example.com', sort: 'saved', order: 'desc' })).toBeNull();
  });
});

describe('export choices and sizes', () => {
  it('offers every export format once', () => {
    expect(EXPORT_CHOICES.map((c) => c.format).sort()).toEqual(['bibtex', 'csl-json', 'epub', 'html', 'json', 'markdown']);
  });
  it('formats sizes for people', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(3.5 * 1024 * 1024)).toBe('3.5 MB');
  });
});
