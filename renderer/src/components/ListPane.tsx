import { memo, type Ref } from 'react';
import { formatCount } from '../lib/format.js';
import type { ListSource } from '../state/list-source.js';
import type { RowsApi } from '../state/use-rows.js';
import { ArticleList, type ArticleListHandle } from './ArticleList.js';
import { SearchBox, type SearchBoxHandle } from './SearchBox.js';

export type SortChoice = `${'saved' | 'published' | 'title'}:${'asc' | 'desc'}`;
const SORTS: { value: SortChoice; label: string }[] = [
  { value: 'saved:desc', label: 'Newest saved' },
  { value: 'saved:asc', label: 'Oldest saved' },
  { value: 'published:desc', label: 'Newest published' },
  { value: 'published:asc', label: 'Oldest published' },
  { value: 'title:asc', label: 'Title A–Z' },
  { value: 'title:desc', label: 'Title Z–A' },
];

const STATE_WORDS: Record<string, string> = {
  all: '',
  unread: 'unread ',
  read: 'read ',
  archived: 'archived ',
  favorite: 'favorite ',
};

interface Props {
  source: ListSource;
  list: RowsApi;
  selectedIndex: number;
  openId: number | null;
  sort: SortChoice;
  onSort(sort: SortChoice): void;
  onQuery(q: string): void;
  onActivate(index: number): void;
  onMove(delta: number): void;
  onShowAll(): void;
  onMenu(): void;
  onAdd(): void;
  searchHandle: Ref<SearchBoxHandle>;
  listHandle: Ref<ArticleListHandle>;
}

/** The middle pane: search, sort, the count, and the list or a state explaining its absence. */
export const ListPane = memo(function ListPane(props: Props) {
  const { source, list, sort, onSort } = props;
  const shown = list.shownSource;
  const searching = shown?.kind === 'search';
  const total = list.rows.total;

  let count = '';
  if (shown && !list.error) count = searching ? formatCount(total, 'result', 'results') : formatCount(total, 'article', 'articles');

  return (
    <section className="pane pane-list" aria-label="Article list">
      <div className="list-header">
        <div className="list-header-row">
          <button type="button" className="narrow-only" onClick={props.onMenu} aria-label="Menu: filters, tags, sites and settings">
            ☰
          </button>
          <SearchBox onQuery={props.onQuery} handle={props.searchHandle} />
          <button type="button" className="narrow-only" onClick={props.onAdd}>
            Add
          </button>
        </div>
        <div className="list-header-row list-status">
          <span role="status" className="count">
            {count}
            {list.pending && shown ? <span className="muted"> · {searching || source.kind === 'search' ? 'Searching…' : 'Updating…'}</span> : null}
          </span>
          {searching && list.orderNote && !list.error ? <span className="muted order-note">{list.orderNote}</span> : null}
          {source.kind === 'library' && (
            <label className="sort">
              <span className="sr-only">Sort</span>
              <select aria-label="Sort" value={sort} onChange={(e) => onSort(e.target.value as SortChoice)}>
                {SORTS.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        {source.kind === 'library' && (source.tag || source.site || source.state !== 'all') && (
          <p className="active-filter">
            Showing {STATE_WORDS[source.state]}articles
            {source.tag ? <> tagged <strong>{source.tag}</strong></> : null}
            {source.site ? <> from <strong>{source.site}</strong></> : null}.{' '}
            <button type="button" className="link-button" onClick={props.onShowAll}>
              Show all
            </button>
          </p>
        )}
      </div>
      <ListBody {...props} />
    </section>
  );
});

function ListBody(props: Props) {
  const { list } = props;
  const shown = list.shownSource;
  if (!shown) {
    if (list.error) return <ErrorState message={list.error} onRetry={list.reload} />;
    return <p className="pane-message">Loading your library…</p>;
  }
  if (list.error && list.rows.total === 0) return <ErrorState message={list.error} onRetry={list.reload} />;
  if (list.rows.total === 0) return <EmptyState source={shown} onShowAll={props.onShowAll} />;
  return (
    <>
      {list.error && (
        <div role="alert" className="inline-error">
          {list.error}{' '}
          <button type="button" onClick={list.reload}>
            Retry
          </button>
        </div>
      )}
      <ArticleList
        rows={list.rows}
        searchMode={shown.kind === 'search'}
        sourceKey={JSON.stringify(shown)}
        selectedIndex={props.selectedIndex}
        openId={props.openId}
        onActivate={props.onActivate}
        onMove={props.onMove}
        ensureRange={list.ensureRange}
        handle={props.listHandle}
      />
    </>
  );
}

function ErrorState({ message, onRetry }: { message: string; onRetry(): void }) {
  return (
    <div className="pane-message" role="alert">
      <h2>Couldn't load the list</h2>
      <p>{message}</p>
      <button type="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

function EmptyState({ source, onShowAll }: { source: ListSource; onShowAll(): void }) {
  if (source.kind === 'search') {
    return (
      <div className="pane-message">
        <h2>No results for “{source.query}”</h2>
        <p>Try fewer or different words, or open the search help (?) for the query syntax.</p>
      </div>
    );
  }
  if (source.state === 'all' && !source.tag && !source.site) {
    return (
      <div className="pane-message welcome">
        <h2>Your library is empty</h2>
        <p>
          Paste a link in <strong>Add URL</strong> and press <strong>Save</strong>: Folio fetches the article, keeps its
          text and images, and it stays readable offline.
        </p>
        <p>
          You can paste many links at once (one per line), save pages from your browser with the Folio bookmarklet, or
          bring in a bookmarks export with <code>folio import</code>.
        </p>
      </div>
    );
  }
  return (
    <div className="pane-message">
      <h2>Nothing here</h2>
      <p>
        No {STATE_WORDS[source.state]}articles{source.tag ? ` tagged “${source.tag}”` : ''}
        {source.site ? ` from ${source.site}` : ''}.
      </p>
      <button type="button" onClick={onShowAll}>
        Show all articles
      </button>
    </div>
  );
}
