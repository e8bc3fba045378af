import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchOrder } from '../../../app/core/article.js';
import { errorMessage } from '../api/client.js';
import { OneAtATime, Sequencer } from '../lib/latest.js';
import { SparseRows } from '../lib/sparse-rows.js';
import { useClient } from './client-context.js';
import { PAGE_SIZE, fetchRows, pageSizeOf, sourceKey, type ListSource, type Row } from './list-source.js';

export interface RowsState {
  /** The rows on screen; they stay until a newer answer replaces them (no empty flash). */
  rows: SparseRows<Row>;
  /** The source those rows belong to (may lag `source` while a new answer is on its way). */
  shownSource: ListSource | null;
  /** True while an answer newer than the shown rows is awaited. */
  pending: boolean;
  error: string | null;
  /** Why the shown search results are in the order they are, when it is not the expected one. */
  orderNote: string | null;
}

export interface RowsApi extends RowsState {
  /** Asks for the pages covering rows start..end (called as rows scroll into view). */
  ensureRange(start: number, end: number): void;
  patch(id: number, change: (row: Row) => Row): void;
  remove(id: number): void;
  /** Fetches the current source again (after a change elsewhere), keeping rows until it lands. */
  reload(): void;
}

/**
 * The middle pane's data: the first page of `source` decides `total` (which sizes the virtual
 * scroller), later pages load on demand. A Sequencer keeps out-of-order answers (typing fast
 * in search) from replacing newer ones.
 */
export function useRows(source: ListSource): RowsApi {
  const client = useClient();
  const [state, setState] = useState<RowsState>({
    rows: SparseRows.empty(PAGE_SIZE),
    shownSource: null,
    pending: true,
    error: null,
    orderNote: null,
  });
  const sequencer = useRef(new Sequencer()).current;
  // First pages of searches go one at a time: a query typed while another is being answered
  // waits for it, and is replaced by the next keystroke's if that comes first.
  const searches = useRef(new OneAtATime()).current;
  // Bumped whenever the shown rows are replaced; page answers for an older generation are dropped.
  const generation = useRef(0);
  const inFlight = useRef(new Set<number>());
  const shownRef = useRef<ListSource | null>(null);
  const [reloads, setReloads] = useState(0);
  const key = sourceKey(source);

  useEffect(() => {
    const ticket = sequencer.next();
    setState((s) => (s.pending ? s : { ...s, pending: true }));
    const load = () =>
      fetchRows(client, source, 0).then(
        (page) => {
          if (!sequencer.accept(ticket)) return;
          generation.current++;
          inFlight.current.clear();
          shownRef.current = source;
          setState({
            rows: SparseRows.fromFirstPage(page.total, page.items, pageSizeOf(source)),
            shownSource: source,
            pending: sequencer.pending,
            error: null,
            orderNote: orderNoteOf(page),
          });
        },
        (err: unknown) => {
          if (!sequencer.accept(ticket)) return;
          shownRef.current = source;
          setState((s) => ({ ...s, shownSource: source, pending: sequencer.pending, error: errorMessage(err) }));
        },
      );
    if (source.kind !== 'search') {
      void load();
      return;
    }
    // Called off if a newer source comes before it could be sent (its ticket is then never
    // answered; the newer ticket's answer settles `pending`).
    return searches.run(load);
    // `key` stands for `source` (a fresh object each render with equal content).
  }, [client, key, reloads, sequencer, searches]);

  // The latest rows, for ensureRange (called from scroll effects) without re-creating it.
  const rowsRef = useRef(state.rows);
  rowsRef.current = state.rows;

  const ensureRange = useCallback(
    (start: number, end: number) => {
      const shown = shownRef.current;
      if (!shown) return;
      const gen = generation.current;
      for (const offset of rowsRef.current.missingOffsets(start, end)) {
        if (inFlight.current.has(offset)) continue;
        inFlight.current.add(offset);
        fetchRows(client, shown, offset).then(
          (page) => {
            if (gen !== generation.current) return;
            inFlight.current.delete(offset);
            setState((cur) => ({ ...cur, rows: cur.rows.withPage(offset, page.items, page.total) }));
          },
          (err: unknown) => {
            if (gen !== generation.current) return;
            inFlight.current.delete(offset);
            setState((cur) => ({ ...cur, error: errorMessage(err) }));
          },
        );
      }
    },
    [client],
  );

  const patch = useCallback((id: number, change: (row: Row) => Row) => {
    setState((s) => ({ ...s, rows: s.rows.update(id, change) }));
  }, []);
  const remove = useCallback((id: number) => {
    // Offsets of rows after this one shift by one: in-flight pages would land misplaced.
    generation.current++;
    inFlight.current.clear();
    setState((s) => ({ ...s, rows: s.rows.remove(id) }));
  }, []);
  const reload = useCallback(() => setReloads((n) => n + 1), []);

  return { ...state, ensureRange, patch, remove, reload };
}

/**
 * Searching for words most articles contain (`the`, or a word the whole archive is about) lists
 * the newest first, since relevance has nothing to rank by; say so, and how to rank anyway.
 */
export const COMMON_WORDS_ORDER_NOTE = 'Newest first: every word searched for is in most articles (add sort:relevance to rank them)';

function orderNoteOf(page: object): string | null {
  return (page as Partial<SearchOrder>).sortReason === 'common-words' ? COMMON_WORDS_ORDER_NOTE : null;
}
