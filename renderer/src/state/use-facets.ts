import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/client.js';
import { useClient } from './client-context.js';

export interface Facets {
  tags: { tag: string; count: number }[];
  sites: { site: string; count: number }[];
  error: string | null;
  reload(): void;
}

/**
 * The sidebar's tag and site lists with counts, fetched once `ready` (the list's first answer
 * is in). The core answers one request at a time, and counting tags over a large archive is
 * slow (~150–450 ms at 100k articles): asked for together, they held the first list paint back.
 */
export function useFacets(ready: boolean): Facets {
  const client = useClient();
  const [tags, setTags] = useState<Facets['tags']>([]);
  const [sites, setSites] = useState<Facets['sites']>([]);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!ready) return;
    let live = true;
    Promise.all([client['tags.list']({}), client['sites.list']({})]).then(
      ([t, s]) => {
        if (!live) return;
        setTags(t);
        setSites(s);
        setError(null);
      },
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [client, round, ready]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { tags, sites, error, reload };
}
