/**
 * The rows of a long list, loaded a page at a time as they scroll into view. Rows live at
 * their absolute index (a sparse array), so removing one shifts later rows exactly the way
 * the server's offsets shift after a delete, and pages fetched afterwards still line up.
 * Immutable: every change returns a new object, so React sees it.
 */
export interface HasId {
  id: number;
}

export class SparseRows<T extends HasId> {
  private constructor(
    readonly total: number,
    private readonly rows: (T | undefined)[],
    readonly pageSize: number,
  ) {}

  /** A list of `total` rows whose first page (from offset 0) is `items`. */
  static fromFirstPage<T extends HasId>(total: number, items: T[], pageSize: number): SparseRows<T> {
    const rows: (T | undefined)[] = new Array(Math.max(total, items.length));
    items.forEach((item, i) => (rows[i] = item));
    return new SparseRows(Math.max(total, items.length), rows, pageSize);
  }

  static empty<T extends HasId>(pageSize: number): SparseRows<T> {
    return new SparseRows<T>(0, [], pageSize);
  }

  at(index: number): T | undefined {
    return this.rows[index];
  }

  indexOf(id: number): number {
    return this.rows.findIndex((r) => r?.id === id);
  }

  /** Page-aligned offsets that have unloaded rows between `start` and `end` (inclusive). */
  missingOffsets(start: number, end: number): number[] {
    const out: number[] = [];
    const last = Math.min(end, this.total - 1);
    for (let page = Math.floor(Math.max(0, start) / this.pageSize) * this.pageSize; page <= last; page += this.pageSize) {
      const stop = Math.min(page + this.pageSize, this.total);
      for (let i = page; i < stop; i++) {
        if (this.rows[i] === undefined) {
          out.push(page);
          break;
        }
      }
    }
    return out;
  }

  /** Stores a page fetched from `offset`; `total` from the same answer wins (the list may have changed). */
  withPage(offset: number, items: T[], total: number): SparseRows<T> {
    const rows = this.rows.slice();
    rows.length = Math.max(total, offset + items.length);
    items.forEach((item, i) => (rows[offset + i] = item));
    return new SparseRows(rows.length, rows, this.pageSize);
  }

  /** Applies `change` to the row with this id, if loaded. */
  update(id: number, change: (row: T) => T): SparseRows<T> {
    const i = this.indexOf(id);
    if (i < 0) return this;
    const rows = this.rows.slice();
    rows[i] = change(rows[i]!);
    return new SparseRows(this.total, rows, this.pageSize);
  }

  /** Removes the row with this id; later rows move up one and the total shrinks. */
  remove(id: number): SparseRows<T> {
    const i = this.indexOf(id);
    if (i < 0) return this;
    const rows = this.rows.slice();
    rows.splice(i, 1);
    return new SparseRows(this.total - 1, rows, this.pageSize);
  }
}
