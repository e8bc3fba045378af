import { memo } from 'react';
import { formatDate, formatReadingTime, hostOf } from '../lib/format.js';
import type { Row } from '../state/list-source.js';
import { Snippet } from './Snippet.js';
import { StateIcons } from './StateIcons.js';

export function rowDomId(id: number): string {
  return `article-row-${id}`;
}

interface Props {
  row: Row | undefined;
  index: number;
  total: number;
  top: number;
  height: number;
  selected: boolean;
  open: boolean;
  onActivate(index: number): void;
}

/**
 * One library row. Memoised: a row re-renders only when its own data, position or
 * selection changes, never because the user typed in the search box.
 */
export const ArticleRow = memo(function ArticleRow({ row, index, total, top, height, selected, open, onActivate }: Props) {
  const position = { transform: `translateY(${top}px)`, height: `${height}px` };
  if (!row) {
    return (
      <div role="option" aria-selected={false} aria-disabled="true" aria-setsize={total} aria-posinset={index + 1} className="row row-loading" style={position}>
        <span className="row-title">Loading…</span>
      </div>
    );
  }
  const site = row.siteName || hostOf(row.finalUrl || row.url);
  const meta = [site, formatDate(row.savedAt), formatReadingTime(row.readingMinutes)].filter(Boolean).join(' · ');
  return (
    <div
      role="option"
      id={rowDomId(row.id)}
      aria-selected={selected}
      aria-current={open ? 'true' : undefined}
      aria-setsize={total}
      aria-posinset={index + 1}
      className={`row${selected ? ' is-selected' : ''}${open ? ' is-open' : ''}${row.read ? '' : ' is-unread'}`}
      style={position}
      onClick={() => onActivate(index)}
    >
      <div className="row-head">
        <span className="row-title">{row.title || hostOf(row.url)}</span>
        <StateIcons flags={row} />
      </div>
      <div className="row-meta">{meta}</div>
      {row.snippet !== undefined ? (
        <Snippet text={row.snippet} />
      ) : (
        row.tags.length > 0 && (
          <ul className="row-tags" aria-label="Tags">
            {row.tags.map((t) => (
              <li key={t} className="tag">
                {t}
              </li>
            ))}
          </ul>
        )
      )}
    </div>
  );
});
