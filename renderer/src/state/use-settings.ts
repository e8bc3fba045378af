import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_SETTINGS, type Settings } from '../../../app/core/settings.js';
import { errorMessage } from '../api/client.js';
import { debounce } from '../lib/latest.js';
import { useClient } from './client-context.js';

/** Shown until `settings.get` answers; the core's answer replaces it. */
const INITIAL_SETTINGS: Settings = DEFAULT_SETTINGS;

export type ReaderSettings = Pick<Settings, 'theme' | 'fontSize' | 'lineWidth' | 'fontFamily'>;

export interface SettingsApi {
  settings: Settings;
  /** Applies at once (optimistic) and saves shortly after; reverts if saving fails. */
  update(change: Partial<ReaderSettings>): void;
  error: string | null;
}

export function useSettings(onError: (message: string) => void): SettingsApi {
  const client = useClient();
  const [settings, setSettings] = useState<Settings>(INITIAL_SETTINGS);
  const [error, setError] = useState<string | null>(null);
  const saved = useRef<Settings>(INITIAL_SETTINGS);
  const unsent = useRef<Partial<ReaderSettings>>({});
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  useEffect(() => {
    let live = true;
    client['settings.get']({}).then(
      (s) => {
        if (!live) return;
        saved.current = s;
        setSettings(s);
      },
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [client]);

  // Dragging a slider changes the value many times a second; save the last one only.
  const save = useMemo(
    () =>
      debounce(() => {
        const change = unsent.current;
        unsent.current = {};
        client['settings.set'](change).then(
          (s) => {
            saved.current = s;
            // Keep local values changed since this request left; they are still to be sent.
            setSettings((cur) => ({ ...s, ...pick(cur, unsent.current) }));
          },
          (err: unknown) => {
            setSettings(saved.current);
            onErrorRef.current(`Couldn't save the display settings: ${errorMessage(err)}`);
          },
        );
      }, 250),
    [client],
  );
  useEffect(() => () => save.flush(), [save]);

  const update = useCallback(
    (change: Partial<ReaderSettings>) => {
      unsent.current = { ...unsent.current, ...change };
      setSettings((cur) => ({ ...cur, ...change }));
      save();
    },
    [save],
  );

  // The theme lives on <html> so the whole app, not just the reader, follows it.
  useEffect(() => {
    document.documentElement.dataset.theme = settings.theme;
  }, [settings.theme]);

  return { settings, update, error };
}

function pick(s: Settings, keys: Partial<ReaderSettings>): Partial<Settings> {
  const out: Partial<Settings> = {};
  for (const k of Object.keys(keys) as (keyof ReaderSettings)[]) (out as Record<string, unknown>)[k] = s[k];
  return out;
}
