import { useCallback, useEffect, useState } from 'react';
import type { ArticleDetail } from '../../../app/core/article.js';
import { errorMessage } from '../api/client.js';
import { useClient } from './client-context.js';

export interface ArticleState {
  article: ArticleDetail | null;
  loading: boolean;
  error: string | null;
  /** Applies an optimistic change to the open article. */
  patch(change: (a: ArticleDetail) => ArticleDetail): void;
  reload(): void;
}

/** The article open in the reader (null id = none). */
export function useArticle(id: number | null): ArticleState {
  const client = useClient();
  const [article, setArticle] = useState<ArticleDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (id === null) {
      setArticle(null);
      setError(null);
      setLoading(false);
      return;
    }
    let live = true;
    setLoading(true);
    setError(null);
    client['articles.get']({ id }).then(
      (a) => {
        if (!live) return;
        setArticle(a);
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        setArticle(null);
        setError(errorMessage(err));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [client, id, round]);

  const patch = useCallback((change: (a: ArticleDetail) => ArticleDetail) => {
    setArticle((a) => (a ? change(a) : a));
  }, []);
  const reload = useCallback(() => setRound((n) => n + 1), []);

  // Only expose the article when it is the one asked for (no flash of the previous one).
  const current = article && article.id === id ? article : null;
  return { article: current, loading: loading || (id !== null && !current && !error), error, patch, reload };
}
