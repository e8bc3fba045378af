import type { ArticleFlags } from '../../../app/core/article.js';

/** Favorite / archived / unread markers: an icon for the eye, words for screen readers. */
export function StateIcons({ flags }: { flags: ArticleFlags }) {
  return (
    <span className="state-icons">
      {!flags.read && (
        <span className="state state-unread" title="Unread">
          <span aria-hidden="true">●</span>
          <span className="sr-only">Unread</span>
        </span>
      )}
      {flags.favorite && (
        <span className="state state-favorite" title="Favorite">
          <span aria-hidden="true">★</span>
          <span className="sr-only">Favorite</span>
        </span>
      )}
      {flags.archived && (
        <span className="state state-archived" title="Archived">
          <span aria-hidden="true">▣</span>
          <span className="sr-only">Archived</span>
        </span>
      )}
    </span>
  );
}
