import { memo, type ReactNode } from 'react';
import type { Facets } from '../state/use-facets.js';

export type StateFilter = 'all' | 'unread' | 'archived' | 'favorite';
export interface Filter {
  state: StateFilter;
  tag?: string;
  site?: string;
}

const STATES: { value: StateFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'unread', label: 'Unread' },
  { value: 'favorite', label: 'Favorites' },
  { value: 'archived', label: 'Archived' },
];

interface Props {
  filter: Filter;
  /** Filters only count as active in the library view, not while searching. */
  searching: boolean;
  facets: Facets;
  onFilter(filter: Filter): void;
  onShortcuts(): void;
  /** The Add panel and display settings, rendered by the App. */
  addPanel: ReactNode;
  display: ReactNode;
}

/** The left pane: add links, the library's views, its tags and sites, display settings. */
export const Sidebar = memo(function Sidebar({ filter, searching, facets, onFilter, onShortcuts, addPanel, display }: Props) {
  const current = (active: boolean) => (active && !searching ? ('page' as const) : undefined);
  return (
    <aside className="pane pane-sidebar" aria-label="Sidebar">
      <h1 className="brand">Folio</h1>
      {addPanel}
      <nav aria-label="Library views">
        <ul className="nav-list">
          {STATES.map((s) => (
            <li key={s.value}>
              <button
                type="button"
                aria-current={current(filter.state === s.value && !filter.tag && !filter.site)}
                onClick={() => onFilter({ state: s.value })}
              >
                {s.label}
              </button>
            </li>
          ))}
        </ul>
        <h2>Tags</h2>
        {facets.tags.length === 0 ? (
          <p className="muted small">No tags yet. Add them from the reader.</p>
        ) : (
          <ul className="nav-list facet-list">
            {facets.tags.map((t) => (
              <li key={t.tag}>
                <button
                  type="button"
                  aria-current={current(filter.tag === t.tag)}
                  onClick={() => onFilter(filter.tag === t.tag ? { state: filter.state } : { state: filter.state, tag: t.tag })}
                >
                  <span className="facet-name">{t.tag}</span> <span className="count-badge">{t.count}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <h2>Sites</h2>
        {facets.sites.length === 0 ? (
          <p className="muted small">No sites yet.</p>
        ) : (
          <ul className="nav-list facet-list">
            {facets.sites.map((s) => (
              <li key={s.site}>
                <button
                  type="button"
                  aria-current={current(filter.site === s.site)}
                  onClick={() => onFilter(filter.site === s.site ? { state: filter.state } : { state: filter.state, site: s.site })}
                >
                  <span className="facet-name">{s.site}</span> <span className="count-badge">{s.count}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {facets.error && <p className="inline-error">Tags and sites couldn't load: {facets.error}</p>}
      </nav>
      {display}
      <button type="button" className="link-button" onClick={onShortcuts}>
        Keyboard shortcuts (?)
      </button>
    </aside>
  );
});
