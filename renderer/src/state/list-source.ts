import type { ArticleSummary, ListPage, SearchHit } from '../../../app/core/article.js';
import type { FolioClient } from '../api/client.js';

/** What the middle pane lists: the library with filters and sort, or search results. */
export type ListSource =
  | {
      kind: 'library';
      state: 'all' | 'unread' | 'read' | 'archived' | 'favorite';
      tag?: string;
      site?: string;
      sort: 'saved' | 'published' | 'title';
      order: 'asc' | 'desc';
    }
  | { kind: 'search'; query: string };

/** A list row: a summary, plus the snippet when it came from a search. */
export type Row = ArticleSummary & { snippet?: string };

/** Library rows fetched per request (the contract allows up to 500): cheap rows, so few requests while scrolling. */
export const PAGE_SIZE = 100;

/**
 * Search rows fetched per request. Each hit costs the core a snippet, and the first page is on
 * the keystroke → results path, so a page is what one screen shows: the rows in view plus the
 * list's overscan (a 1,700 px tall list at the default font size). At 10k articles a page of
 * 100 took 3–4× as long to answer as a page of 25 (most of it snippets, summaries and JSON);
 * later pages load as they scroll into view, like the library's.
 */
export const SEARCH_PAGE_SIZE = 25;

export function pageSizeOf(source: ListSource): number {
  return source.kind === 'search' ? SEARCH_PAGE_SIZE : PAGE_SIZE;
}

export function sourceKey(source: ListSource): string {
  return JSON.stringify(source);
}

export function fetchRows(client: FolioClient, source: ListSource, offset: number): Promise<ListPage<Row>> {
  if (source.kind === 'search') {
    return client['articles.search']({ query: source.query, offset, limit: SEARCH_PAGE_SIZE }) as Promise<ListPage<SearchHit>>;
  }
  return client['articles.list']({
    state: source.state,
    tag: source.tag,
    site: source.site,
    sort: source.sort,
    order: source.order,
    offset,
    limit: PAGE_SIZE,
  });
}
