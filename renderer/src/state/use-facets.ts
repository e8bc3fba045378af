import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/client.js';
import { useClient } from './client-context.js';

export interface Facets {
  tags: { tag: string; count: number }[];
  sites: { site: string; count: number }[];
  error: string | null;
  reload(): void;
}

/** The sidebar's tag and site lists with counts. */
export function useFacets(): Facets {
  const client = useClient();
  const [tags, setTags] = useState<Facets['tags']>([]);
  const [sites, setSites] = useState<Facets['sites']>([]);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
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
  }, [client, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { tags, sites, error, reload };
}
