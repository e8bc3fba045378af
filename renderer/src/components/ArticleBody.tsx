import { memo, useLayoutEffect, useRef, type MouseEvent } from 'react';
import { sanitizeArticleHtml } from '../lib/sanitize.js';

/**
 * The article's own HTML, sanitised again here and inserted as DOM nodes (see lib/sanitize).
 * React never sees this markup, so it cannot be re-rendered as HTML by mistake.
 */
export const ArticleBody = memo(function ArticleBody({ html, assetUrl }: { html: string; assetUrl(sha: string): string }) {
  const ref = useRef<HTMLDivElement>(null);
  // A layout effect: the content is in place before the reader restores the scroll position.
  useLayoutEffect(() => {
    ref.current?.replaceChildren(sanitizeArticleHtml(html, assetUrl));
  }, [html, assetUrl]);

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    // Links that lost their href (non-web schemes) must do nothing; the others open in a new
    // window (target=_blank), never in the app's own window.
    const link = (e.target as Element).closest?.('a');
    if (link && !link.getAttribute('href')) e.preventDefault();
  };

  return <div className="article-body" ref={ref} onClick={onClick} />;
});
