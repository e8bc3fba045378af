import { memo, useEffect, useId, useRef, useState, type DragEvent, type ReactNode } from 'react';
import type { ImportOutcome } from '../../../app/core/contract.js';
import { errorMessage } from '../api/client.js';
import { uploadForImport } from '../api/upload.js';
import { useClient } from '../state/client-context.js';
import { describeImport, IMPORT_ACCEPT, newJobId } from '../lib/io-text.js';

interface ImportJob {
  importId: string;
  name: string;
  phase: 'uploading' | 'importing' | 'done' | 'failed';
  read: number;
  settled: number;
  outcome: ImportOutcome | null;
  error: string | null;
}

/**
 * The Add pane as a drop target: drop a bookmarks / CSV / JSON / zip export (or one saved
 * .html page), or pick it with "Import file…". Each file is uploaded, imported by the core,
 * followed by `import.progress` events, and ends with a one-line summary.
 */
export const ImportDrop = memo(function ImportDrop({ children }: { children: ReactNode }) {
  const client = useClient();
  const [jobs, setJobs] = useState<ImportJob[]>([]);
  const [over, setOver] = useState(false);
  const [fetchPages, setFetchPages] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const fetchId = useId();

  const patch = (importId: string, change: Partial<ImportJob>) =>
    setJobs((cur) => cur.map((j) => (j.importId === importId ? { ...j, ...change } : j)));

  useEffect(
    () =>
      client.on('import.progress', (p) =>
        setJobs((cur) =>
          cur.map((j) => {
            if (j.importId !== p.importId) return j;
            if (p.done && p.outcome) return { ...j, phase: 'done', read: p.read, settled: p.settled, outcome: p.outcome };
            if (j.phase === 'done') return j; // a late progress event never reopens a finished import
            return { ...j, phase: 'importing', read: p.read, settled: p.settled };
          }),
        ),
      ),
    [client],
  );

  const start = (files: Iterable<File>) => {
    for (const file of files) {
      const importId = newJobId();
      setJobs((cur) => [{ importId, name: file.name, phase: 'uploading' as const, read: 0, settled: 0, outcome: null, error: null }, ...cur].slice(0, 20));
      uploadForImport(client, file, { fetch: fetchPages, importId }).then(
        () => setJobs((cur) => cur.map((j) => (j.importId === importId && j.phase === 'uploading' ? { ...j, phase: 'importing' } : j))),
        (err: unknown) => patch(importId, { phase: 'failed', error: `Couldn't import “${file.name}”: ${errorMessage(err)}` }),
      );
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (e.dataTransfer.files.length > 0) start(Array.from(e.dataTransfer.files));
  };
  const onDragOver = (e: DragEvent) => {
    if (!Array.from(e.dataTransfer.types).includes('Files')) return;
    e.preventDefault(); // allows the drop
    e.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };

  return (
    <div
      className={`import-drop${over ? ' import-drop-over' : ''}`}
      data-testid="import-drop"
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={onDrop}
    >
      {children}
      <div className="import-controls">
        <button type="button" onClick={() => picker.current?.click()}>
          Import file…
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          accept={IMPORT_ACCEPT}
          aria-label="Import file"
          className="sr-only"
          tabIndex={-1}
          onChange={(e) => {
            if (e.target.files) start(Array.from(e.target.files));
            e.target.value = ''; // the same file can be chosen again
          }}
        />
        <label htmlFor={fetchId} className="import-fetch">
          <input id={fetchId} type="checkbox" checked={fetchPages} onChange={(e) => setFetchPages(e.target.checked)} /> Fetch pages now
        </label>
      </div>
      <p className="import-hint">Or drop a bookmarks file, a CSV / JSON / zip export, or a saved .html page here.</p>
      {jobs.length > 0 && (
        <ul className="import-jobs" aria-label="Imports" aria-live="polite">
          {jobs.map((j) => (
            <li key={j.importId} className={`import-job import-${j.phase}`}>
              <span className="import-name">{j.name}</span>{' '}
              {j.phase === 'uploading' && <span>sending…</span>}
              {j.phase === 'importing' && (
                <>
                  <progress aria-label={`Importing ${j.name}`} />{' '}
                  <span>{j.read > 0 ? `${j.settled} of ${j.read} read so far` : 'reading…'}</span>
                </>
              )}
              {j.phase === 'done' && j.outcome && (
                <span role={j.outcome.error ? 'alert' : 'status'} className={j.outcome.error ? 'inline-error' : 'import-summary'}>
                  {describeImport(j.outcome)}
                </span>
              )}
              {j.phase === 'failed' && (
                <span role="alert" className="inline-error">
                  {j.error}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});
