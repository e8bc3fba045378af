import { describe, expect, it } from 'vitest';
import { SparseRows } from '../../renderer/src/lib/sparse-rows.js';

const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: from + i, title: `A${from + i}` }));

describe('SparseRows (paged virtual list data)', () => {
  it('sizes the list from the first page total and reports missing pages in view', () => {
    const list = SparseRows.fromFirstPage(100_000, rows(1, 100), 100);
    expect(list.total).toBe(100_000);
    expect(list.at(0)?.id).toBe(1);
    expect(list.at(100)).toBeUndefined();
    expect(list.missingOffsets(0, 40)).toEqual([]);
    expect(list.missingOffsets(90, 230)).toEqual([100, 200]);
    expect(list.missingOffsets(99_990, 100_050)).toEqual([99_900]);
  });

  it('places later pages at their offsets and takes the newer total', () => {
    const list = SparseRows.fromFirstPage(300, rows(1, 100), 100).withPage(200, rows(201, 100), 300);
    expect(list.at(250)?.id).toBe(251);
    expect(list.missingOffsets(0, 299)).toEqual([100]);
    const grown = list.withPage(100, rows(101, 100), 305);
    expect(grown.total).toBe(305);
    expect(grown.missingOffsets(0, 304)).toEqual([300]);
  });

  it('removing a row shifts later rows up like the server offsets do, and is immutable', () => {
    const list = SparseRows.fromFirstPage(5, rows(1, 5), 100);
    const after = list.remove(3);
    expect(after.total).toBe(4);
    expect([0, 1, 2, 3].map((i) => after.at(i)?.id)).toEqual([1, 2, 4, 5]);
    expect(list.at(2)?.id).toBe(3);
    expect(list.remove(999)).toBe(list);
  });

  it('updates a loaded row by id', () => {
    const list = SparseRows.fromFirstPage(3, rows(1, 3), 100);
    const after = list.update(2, (r) => ({ ...r, title: 'changed' }));
    expect(after.at(1)?.title).toBe('changed');
    expect(list.at(1)?.title).toBe('A2');
    expect(after.indexOf(3)).toBe(2);
  });
});
