import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useImperativeHandle, useMemo, useRef, type KeyboardEvent, type Ref } from 'react';
import type { SparseRows } from '../lib/sparse-rows.js';
import type { Row } from '../state/list-source.js';
import { ArticleRow, rowDomId } from './ArticleRow.js';

export interface ArticleListHandle {
  scrollToIndex(index: number): void;
  focus(): void;
}

interface Props {
  rows: SparseRows<Row>;
  /** Search rows carry a snippet line and are taller. */
  searchMode: boolean;
  /** Changes when the list is replaced by another source: scroll back to the top. */
  sourceKey: string;
  selectedIndex: number;
  openId: number | null;
  onActivate(index: number): void;
  onMove(delta: number): void;
  ensureRange(start: number, end: number): void;
  handle: Ref<ArticleListHandle>;
}

/** Row height in CSS pixels: a fixed number of rems, so zoom and font size scale it alike. */
function rowHeightPx(searchMode: boolean): number {
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  return Math.round(rem * (searchMode ? 6.25 : 4.75));
}

/**
 * The library as a virtualised listbox: only the rows in view (plus a few) exist in the DOM,
 * so 100k articles scroll like 100. `total` from the first page sizes the scroller; the pages
 * for rows coming into view are requested through `ensureRange`.
 */
export const ArticleList = memo(function ArticleList(props: Props) {
  const { rows, searchMode, sourceKey, selectedIndex, openId, onActivate, onMove, ensureRange, handle } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const height = useMemo(() => rowHeightPx(searchMode), [searchMode]);
  const virtualizer = useVirtualizer({
    count: rows.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => height,
    overscan: 8,
  });

  useEffect(() => {
    virtualizer.measure();
  }, [height, virtualizer]);
  useEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [sourceKey, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const first = items.length ? items[0]!.index : 0;
  const last = items.length ? items[items.length - 1]!.index : -1;
  useEffect(() => {
    if (last >= 0) ensureRange(first, last);
  }, [first, last, rows, ensureRange]);

  useImperativeHandle(
    handle,
    () => ({
      scrollToIndex: (index: number) => virtualizer.scrollToIndex(index, { align: 'auto' }),
      focus: () => scrollRef.current?.focus(),
    }),
    [virtualizer],
  );

  const selectedRow = selectedIndex >= 0 ? rows.at(selectedIndex) : undefined;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Arrow keys move the selection only while the list itself has focus (elsewhere they scroll).
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      onMove(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      onMove(e.key === 'Home' ? -Infinity : Infinity);
    }
  };

  return (
    <div
      ref={scrollRef}
      className="list-scroll"
      role="listbox"
      aria-label="Articles"
      tabIndex={0}
      aria-activedescendant={selectedRow ? rowDomId(selectedRow.id) : undefined}
      onKeyDown={onKeyDown}
    >
      <div role="presentation" className="list-sizer" style={{ height: `${virtualizer.getTotalSize()}px` }}>
        {items.map((v) => {
          const row = rows.at(v.index);
          return (
            <ArticleRow
              key={row ? row.id : `i${v.index}`}
              row={row}
              index={v.index}
              total={rows.total}
              top={v.start}
              height={height}
              selected={v.index === selectedIndex}
              open={row !== undefined && row.id === openId}
              onActivate={onActivate}
            />
          );
        })}
      </div>
    </div>
  );
});
