import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ArticleFlags, ArticleSummary } from '../../../app/core/article.js';
import { errorMessage } from '../api/client.js';
import { debounce } from '../lib/latest.js';
import { shortcutFor } from '../lib/keymap.js';
import { useClient } from '../state/client-context.js';
import type { ListSource } from '../state/list-source.js';
import { useArticle } from '../state/use-article.js';
import { useConnection } from '../state/use-connection.js';
import { useFacets } from '../state/use-facets.js';
import { useQueue } from '../state/use-queue.js';
import { useRows } from '../state/use-rows.js';
import { useSettings } from '../state/use-settings.js';
import { useToast } from '../state/use-toast.js';
import { AddPanel, type AddPanelHandle } from './AddPanel.js';
import type { ArticleListHandle } from './ArticleList.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { DisplaySettings } from './DisplaySettings.js';
import { ExportDialog } from './ExportDialog.js';
import { ImportDrop } from './ImportDrop.js';
import { ListPane, type SortChoice } from './ListPane.js';
import { Reader } from './Reader.js';
import type { SearchBoxHandle } from './SearchBox.js';
import { ShortcutHelp } from './ShortcutHelp.js';
import { Sidebar, type Filter } from './Sidebar.js';
import { ToastView } from './ToastView.js';
import { useMenuCommands } from '../state/use-menu-commands.js';

/** Which pane is shown when the window is too narrow for three (small windows, 200 % zoom). */
type NarrowView = 'sidebar' | 'list' | 'reader';

export function App({ initialAdd }: { initialAdd: { text: string; autoSave: boolean } | null }) {
  const client = useClient();
  const { toast, show, dismiss } = useToast();
  const showError = useCallback((message: string) => show({ message, kind: 'error' }, 10_000), [show]);
  const { settings, update: updateSettings } = useSettings(showError);
  const queue = useQueue(showError);
  const connection = useConnection();

  const [filter, setFilter] = useState<Filter>({ state: 'all' });
  const [sort, setSort] = useState<SortChoice>('saved:desc');
  const [query, setQuery] = useState('');
  const source = useMemo<ListSource>(() => {
    const q = query.trim();
    if (q) return { kind: 'search', query: q };
    const [by, order] = sort.split(':') as ['saved' | 'published' | 'title', 'asc' | 'desc'];
    return { kind: 'library', state: filter.state, tag: filter.tag, site: filter.site, sort: by, order };
  }, [query, filter, sort]);
  const list = useRows(source);
  // Once true, stays true: the list has answered (rows or an error) at least once.
  const facets = useFacets(list.shownSource !== null);

  const [selected, setSelected] = useState<{ index: number; id: number | null }>({ index: -1, id: null });
  const [openId, setOpenId] = useState<number | null>(null);
  const [view, setView] = useState<NarrowView>('list');
  const [helpOpen, setHelpOpen] = useState(false);
  const opened = useArticle(openId);

  const searchBox = useRef<SearchBoxHandle>(null);
  const listView = useRef<ArticleListHandle>(null);
  const addPanel = useRef<AddPanelHandle>(null);
  const readerScroll = useRef<HTMLDivElement>(null);

  // Keep the selection on the same article when rows reload or shift (a delete, new saves).
  useEffect(() => {
    setSelected((sel) => {
      if (sel.index < 0) return sel;
      if (sel.id !== null) {
        if (list.rows.at(sel.index)?.id === sel.id) return sel;
        const found = list.rows.indexOf(sel.id);
        if (found >= 0) return { index: found, id: sel.id };
      }
      const index = Math.min(sel.index, list.rows.total - 1);
      return { index, id: list.rows.at(index)?.id ?? null };
    });
  }, [list.rows]);
  // A new list (filter, search) starts with nothing selected.
  useEffect(() => setSelected({ index: -1, id: null }), [list.shownSource]);

  // Saves and edits elsewhere (CLI, bookmarklet, another window) refresh the list and facets.
  const reloadLibrary = useMemo(() => debounce(() => (list.reload(), facets.reload()), 400), [list.reload, facets.reload]);
  useEffect(() => client.on('library.changed', () => reloadLibrary()), [client, reloadLibrary]);
  useEffect(() => () => reloadLibrary.cancel(), [reloadLibrary]);

  const openArticle = useCallback((id: number) => {
    setOpenId(id);
    setView('reader');
  }, []);
  const closeReader = useCallback(() => {
    setOpenId(null);
    setView('list');
    // Back where the keyboard user was, unless they already moved on (e.g. pressed / at once).
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (!active || active === document.body) listView.current?.focus();
    });
  }, []);

  const activate = useCallback(
    (index: number) => {
      const row = list.rows.at(index);
      if (!row) return;
      setSelected({ index, id: row.id });
      openArticle(row.id);
    },
    [list.rows, openArticle],
  );

  const move = useCallback(
    (delta: number) => {
      const total = list.rows.total;
      if (total === 0) return;
      const from = selected.index < 0 ? (delta > 0 ? -1 : total) : selected.index;
      const index = Math.max(0, Math.min(total - 1, from + (Number.isFinite(delta) ? delta : delta > 0 ? total : -total)));
      const id = list.rows.at(index)?.id ?? null;
      setSelected({ index, id });
      listView.current?.scrollToIndex(index);
      // While reading, moving through the list reads the next article (like a mail reader).
      if (openId !== null && id !== null) setOpenId(id);
    },
    [list.rows, selected.index, openId],
  );

  // --- Article actions: optimistic, rolled back if the core refuses -----------------------
  const setFlags = useCallback(
    async (article: ArticleSummary, change: Partial<ArticleFlags>) => {
      const before: Partial<ArticleFlags> = {};
      for (const k of Object.keys(change) as (keyof ArticleFlags)[]) before[k] = article[k];
      list.patch(article.id, (r) => ({ ...r, ...change }));
      opened.patch((a) => (a.id === article.id ? { ...a, ...change } : a));
      try {
        await client['articles.setFlags']({ ids: [article.id], ...change });
      } catch (err) {
        list.patch(article.id, (r) => ({ ...r, ...before }));
        opened.patch((a) => (a.id === article.id ? { ...a, ...before } : a));
        showError(`Couldn't update “${article.title}”: ${errorMessage(err)}`);
      }
    },
    [client, list.patch, opened.patch, showError],
  );

  const setTags = useCallback(
    async (article: ArticleSummary, tags: string[]) => {
      const before = article.tags;
      list.patch(article.id, (r) => ({ ...r, tags }));
      opened.patch((a) => (a.id === article.id ? { ...a, tags } : a));
      try {
        const saved = await client['articles.setTags']({ id: article.id, tags });
        list.patch(article.id, (r) => ({ ...r, tags: saved.tags }));
        opened.patch((a) => (a.id === article.id ? { ...a, tags: saved.tags } : a));
        facets.reload();
      } catch (err) {
        list.patch(article.id, (r) => ({ ...r, tags: before }));
        opened.patch((a) => (a.id === article.id ? { ...a, tags: before } : a));
        showError(`Couldn't change the tags of “${article.title}”: ${errorMessage(err)}`);
      }
    },
    [client, list.patch, opened.patch, facets.reload, showError],
  );

  const remove = useCallback(
    async (article: ArticleSummary) => {
      list.remove(article.id);
      if (openId === article.id) closeReader();
      try {
        await client['articles.delete']({ ids: [article.id] });
        facets.reload();
        show({
          kind: 'info',
          message: `Deleted “${article.title}”`,
          action: {
            label: 'Undo',
            run: () => {
              client['articles.restore']({ ids: [article.id] }).then(
                () => {
                  list.reload();
                  facets.reload();
                  show({ kind: 'info', message: `Restored “${article.title}”` }, 4000);
                },
                (err: unknown) => showError(`Couldn't restore “${article.title}”: ${errorMessage(err)}`),
              );
            },
          },
        });
      } catch (err) {
        list.reload();
        showError(`Couldn't delete “${article.title}”: ${errorMessage(err)}`);
      }
    },
    [client, list.remove, list.reload, facets.reload, openId, closeReader, show, showError],
  );

  const saveProgress = useCallback(
    (id: number, progress: number) => {
      list.patch(id, (r) => ({ ...r, readingProgress: progress }));
      client['articles.setProgress']({ id, progress }).catch(() => {
        /* losing a scroll position is not worth interrupting reading; the banner shows outages */
      });
    },
    [client, list.patch],
  );

  // --- Keyboard ----------------------------------------------------------------------------
  // The target of a/f: the open article, else the selected row.
  const target = (): ArticleSummary | null => opened.article ?? (selected.index >= 0 ? (list.rows.at(selected.index) ?? null) : null);
  const onKey = (e: KeyboardEvent) => {
    if (helpOpen || e.defaultPrevented) return; // the dialog handles its own keys (Esc closes it)
    const action = shortcutFor(e);
    if (!action) return;
    switch (action) {
      case 'focusSearch':
        e.preventDefault();
        if (view === 'sidebar') setView('list');
        searchBox.current?.focus();
        return;
      case 'next':
      case 'previous':
        e.preventDefault();
        move(action === 'next' ? 1 : -1);
        return;
      case 'open': {
        const row = selected.index >= 0 ? list.rows.at(selected.index) : undefined;
        if (row) {
          e.preventDefault();
          openArticle(row.id);
        }
        return;
      }
      case 'back': {
        const el = e.target as HTMLElement | null;
        if (el && el !== document.body && typeof el.blur === 'function' && el.matches('input, textarea, select')) {
          el.blur();
          listView.current?.focus();
        } else if (openId !== null) {
          closeReader();
        } else if (view === 'sidebar') {
          setView('list');
        }
        return;
      }
      case 'archive':
      case 'favorite':
      case 'toggleRead': {
        const a = target();
        if (!a) return;
        e.preventDefault();
        if (action === 'archive') void setFlags(a, { archived: !a.archived });
        else if (action === 'favorite') void setFlags(a, { favorite: !a.favorite });
        else void setFlags(a, { read: !a.read });
        return;
      }
      case 'help':
        e.preventDefault();
        setHelpOpen(true);
        return;
    }
  };
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKeyRef.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const chooseFilter = useCallback((f: Filter) => {
    setFilter(f);
    searchBox.current?.clear();
    setView('list');
  }, []);
  const showAll = useCallback(() => chooseFilter({ state: 'all' }), [chooseFilter]);
  const retryConnection = useCallback(() => {
    list.reload();
    facets.reload();
  }, [list.reload, facets.reload]);
  const showSidebar = useCallback(() => setView('sidebar'), []);
  const showAdd = useCallback(() => {
    setView('sidebar');
    requestAnimationFrame(() => addPanel.current?.focus());
  }, []);
  const openHelp = useCallback(() => setHelpOpen(true), []);
  const closeHelp = useCallback(() => setHelpOpen(false), []);
  useMenuCommands({
    'menu.addUrl': showAdd,
    'menu.find': () => {
      if (view === 'sidebar') setView('list');
      searchBox.current?.focus();
    },
    'menu.shortcuts': openHelp,
    // The import picker and the export dialog own their state; the menu presses their buttons.
    'menu.import': () => document.querySelector<HTMLInputElement>('input[type=file][aria-label="Import file"]')?.click(),
    'menu.export': () => document.querySelector<HTMLButtonElement>('button.export-open')?.click(),
  });

  return (
    <div className="app" data-view={view}>
      <ConnectionBanner state={connection} onRetry={retryConnection} />
      <div className="panes">
        <Sidebar
          filter={filter}
          searching={source.kind === 'search'}
          facets={facets}
          onFilter={chooseFilter}
          onShortcuts={openHelp}
          addPanel={
            <>
              <ImportDrop>
                <AddPanel
                  items={queue.items}
                  add={queue.add}
                  retry={queue.retry}
                  clearFinished={queue.clearFinished}
                  onOpenArticle={openArticle}
                  initial={initialAdd}
                  handle={addPanel}
                />
              </ImportDrop>
              <ExportDialog source={source} />
            </>
          }
          display={<DisplaySettings settings={settings} update={updateSettings} />}
        />
        <ListPane
          source={source}
          list={list}
          selectedIndex={selected.index}
          openId={openId}
          sort={sort}
          onSort={setSort}
          onQuery={setQuery}
          onActivate={activate}
          onMove={move}
          onShowAll={showAll}
          onMenu={showSidebar}
          onAdd={showAdd}
          searchHandle={searchBox}
          listHandle={listView}
        />
        <Reader
          opened={opened}
          hasOpen={openId !== null}
          settings={settings}
          assetUrl={client.assetUrl}
          onClose={closeReader}
          onFlags={setFlags}
          onTags={setTags}
          onDelete={remove}
          onProgress={saveProgress}
          scrollHandle={readerScroll}
        />
      </div>
      <ToastView toast={toast} dismiss={dismiss} />
      <ShortcutHelp open={helpOpen} onClose={closeHelp} />
    </div>
  );
}
