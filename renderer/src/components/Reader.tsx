import { memo, useEffect, useId, useLayoutEffect, useMemo, useRef, type CSSProperties, type Ref } from 'react';
import type { ArticleDetail, ArticleFlags } from '../../../app/core/article.js';
import { throttle } from '../lib/latest.js';
import { formatDate, formatReadingTime, hostOf } from '../lib/format.js';
import type { ArticleState } from '../state/use-article.js';
import type { ReaderSettings } from '../state/use-settings.js';
import { ArticleBody } from './ArticleBody.js';
import { TagEditor } from './TagEditor.js';

/** Reading progress is saved at most this often while scrolling. */
export const PROGRESS_SAVE_MS = 1500;
/** Scrolled this far (fraction) counts as having reached the end. */
const END_FRACTION = 0.98;

interface Props {
  opened: ArticleState;
  hasOpen: boolean;
  settings: ReaderSettings;
  assetUrl(sha: string): string;
  onClose(): void;
  onFlags(article: ArticleDetail, change: Partial<ArticleFlags>): void;
  onTags(article: ArticleDetail, tags: string[]): void;
  onDelete(article: ArticleDetail): void;
  onProgress(id: number, progress: number): void;
  scrollHandle: Ref<HTMLDivElement>;
}

/** The right pane: the open article, or what to do when none is. */
export const Reader = memo(function Reader(props: Props) {
  const { opened, hasOpen } = props;
  let body;
  if (!hasOpen) {
    body = (
      <div className="pane-message">
        <p>Select an article to read it here.</p>
        <p className="muted">
          <kbd>j</kbd>/<kbd>k</kbd> to move, <kbd>Enter</kbd> to open, <kbd>?</kbd> for all shortcuts.
        </p>
      </div>
    );
  } else if (opened.error) {
    body = (
      <div className="pane-message" role="alert">
        <h2>Couldn't open the article</h2>
        <p>{opened.error}</p>
        <button type="button" onClick={opened.reload}>
          Retry
        </button>
      </div>
    );
  } else if (!opened.article) {
    body = <p className="pane-message">Opening the article…</p>;
  } else {
    body = <OpenArticle key={opened.article.id} {...props} article={opened.article} />;
  }
  return (
    <section className="pane pane-reader" aria-label="Reader">
      {body}
    </section>
  );
});

function OpenArticle(props: Props & { article: ArticleDetail }) {
  const { article, settings, onProgress, onFlags } = props;
  const titleId = useId();
  const scroller = useRef<HTMLDivElement | null>(null);
  // Only the user's own scrolling saves progress or marks read, not our restoring of it.
  const userScrolled = useRef(false);
  const markedRead = useRef(false);
  const articleRef = useRef(article);
  articleRef.current = article;

  const save = useMemo(() => throttle((p: number) => onProgress(article.id, p), PROGRESS_SAVE_MS), [article.id, onProgress]);
  useEffect(() => () => save.flush(), [save]);

  // Restore the saved position once the body is in place (ArticleBody's layout effect runs first).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const room = el.scrollHeight - el.clientHeight;
    el.scrollTop = room > 0 ? Math.round(article.readingProgress * room) : 0;
    // Focus the reader so Space/PageDown scroll the article straight away.
    el.focus({ preventScroll: true });
    // Deliberately once: this component is keyed by article id.
  }, []);

  const onScroll = () => {
    const el = scroller.current;
    if (!el || !userScrolled.current) return;
    const room = el.scrollHeight - el.clientHeight;
    if (room <= 0) return;
    const fraction = Math.min(1, Math.max(0, el.scrollTop / room));
    save(fraction);
    // Reaching the end is the one automatic "read": opening alone never marks an article read.
    const a = articleRef.current;
    if (fraction >= END_FRACTION && !a.read && !markedRead.current) {
      markedRead.current = true;
      onFlags(a, { read: true });
    }
  };
  const noteUser = () => {
    userScrolled.current = true;
  };

  const readerStyle = {
    '--reader-font-size': `${settings.fontSize}px`,
    '--reader-measure': `${settings.lineWidth}ch`,
  } as CSSProperties;
  const site = article.siteName || hostOf(article.finalUrl || article.url);
  const published = formatDate(article.publishedTime);

  return (
    <>
      <div className="reader-toolbar" role="toolbar" aria-label="Article actions">
        <button type="button" onClick={props.onClose} aria-label="Back to the list" title="Back (Esc)">
          ← Back
        </button>
        <button type="button" aria-pressed={article.read} onClick={() => {
          markedRead.current = true; // the user decided; don't override it on reaching the end
          onFlags(article, { read: !article.read });
        }} title="Mark read / unread (m)">
          {article.read ? 'Read ✓' : 'Mark read'}
        </button>
        <button type="button" aria-pressed={article.favorite} onClick={() => onFlags(article, { favorite: !article.favorite })} title="Favorite (f)">
          {article.favorite ? '★ Favorite' : '☆ Favorite'}
        </button>
        <button type="button" aria-pressed={article.archived} onClick={() => onFlags(article, { archived: !article.archived })} title="Archive (a)">
          {article.archived ? 'Archived' : 'Archive'}
        </button>
        <button type="button" className="danger" onClick={() => props.onDelete(article)}>
          Delete
        </button>
        <a className="button" href={article.url} target="_blank" rel="noopener noreferrer">
          Original ↗
        </a>
      </div>
      <div
        className="reader-scroll"
        ref={(el) => {
          scroller.current = el;
          const h = props.scrollHandle;
          if (typeof h === 'function') h(el);
          else if (h) (h as { current: HTMLDivElement | null }).current = el;
        }}
        tabIndex={-1}
        onScroll={onScroll}
        onWheel={noteUser}
        onKeyDown={noteUser}
        onPointerDown={noteUser}
        onTouchStart={noteUser}
      >
        <article
          className="reader"
          aria-labelledby={titleId}
          lang={article.lang ?? undefined}
          dir={article.dir ?? undefined}
          data-font={settings.fontFamily}
          style={readerStyle}
        >
          <header className="reader-header">
            <h1 id={titleId}>{article.title || site}</h1>
            {article.byline && <p className="byline">{article.byline}</p>}
            <p className="reader-meta">
              <span>{site}</span>
              {published && <span> · Published {published}</span>}
              <span> · Saved {formatDate(article.savedAt)}</span>
              {formatReadingTime(article.readingMinutes) && <span> · {formatReadingTime(article.readingMinutes)}</span>}
              {' · '}
              <a href={article.url} target="_blank" rel="noopener noreferrer">
                Original article ↗
              </a>
            </p>
            <TagEditor tags={article.tags} onChange={(tags) => props.onTags(article, tags)} />
          </header>
          {article.status === 'bookmark' && !article.html ? (
            <p className="muted">
              Only the link was imported for this article; its text hasn't been fetched yet. Open the original, or
              capture it again to read it offline.
            </p>
          ) : (
            <ArticleBody html={article.html} assetUrl={props.assetUrl} />
          )}
          <footer className="reader-end">
            <p>End of article.</p>
            {!article.read && (
              <button type="button" onClick={() => onFlags(article, { read: true })}>
                Mark as read
              </button>
            )}
          </footer>
        </article>
      </div>
    </>
  );
}
