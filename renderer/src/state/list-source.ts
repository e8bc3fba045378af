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

/** Rows fetched per request; the contract allows up to 200 for search and 500 for lists. */
export const PAGE_SIZE = 100;

export function sourceKey(source: ListSource): string {
  return JSON.stringify(source);
}

export function fetchRows(client: FolioClient, source: ListSource, offset: number): Promise<ListPage<Row>> {
  if (source.kind === 'search') {
    return client['articles.search']({ query: source.query, offset, limit: PAGE_SIZE }) as Promise<ListPage<SearchHit>>;
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
