import { useEffect, useId, useRef, useState } from 'react';
import type { ExportFormat, ExportReady } from '../../../app/core/contract.js';
import { errorMessage } from '../api/client.js';
import { useClient } from '../state/client-context.js';
import type { ListSource } from '../state/list-source.js';
import { currentListScope, EXPORT_CHOICES, formatBytes, newJobId } from '../lib/io-text.js';
import { desktopSaver, SaveExportButton } from './SaveExportButton.js';

type Phase = { kind: 'choosing' } | { kind: 'running'; exportId: string; done: number; total: number } | { kind: 'ready'; result: ExportReady } | { kind: 'failed'; message: string };

/**
 * "Export…": a modal dialog to pick a format and what to export (the current search or tag, or
 * everything), a progress bar while the core writes it, then a download link. The file is
 * served once by the bridge (GET exports/<downloadId>) and deleted after.
 */
export function ExportDialog({ source }: { source: ListSource }) {
  const saver = desktopSaver();
  const client = useClient();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const formatId = useId();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<ExportFormat>('markdown');
  const [scope, setScope] = useState<'current' | 'all'>('all');
  const [phase, setPhase] = useState<Phase>({ kind: 'choosing' });
  const current = currentListScope(source);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  useEffect(
    () =>
      client.on('export.progress', (p) =>
        setPhase((cur) => (cur.kind === 'running' && cur.exportId === p.exportId ? { ...cur, done: p.done, total: p.total } : cur)),
      ),
    [client],
  );

  const show = () => {
    setPhase((cur) => (cur.kind === 'running' ? cur : { kind: 'choosing' }));
    setScope(current ? 'current' : 'all');
    setOpen(true);
  };

  const run = async () => {
    const exportId = newJobId();
    setPhase({ kind: 'running', exportId, done: 0, total: 0 });
    const selection = scope === 'current' && current ? current.selection : {};
    try {
      const result = await client['export.run']({ format, exportId, ...selection });
      setPhase({ kind: 'ready', result });
    } catch (err) {
      setPhase({ kind: 'failed', message: `The export failed: ${errorMessage(err)}` });
    }
  };

  return (
    <>
      <button type="button" className="export-open" onClick={show}>
        Export…
      </button>
      <dialog ref={ref} className="dialog export-dialog" aria-labelledby={titleId} onClose={() => setOpen(false)}>
        <h2 id={titleId}>Export articles</h2>
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            if (phase.kind !== 'running') void run();
          }}
        >
          <label htmlFor={formatId}>Format</label>{' '}
          <select id={formatId} value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} disabled={phase.kind === 'running'}>
            {EXPORT_CHOICES.map((c) => (
              <option key={c.format} value={c.format}>
                {c.label}
              </option>
            ))}
          </select>
          <fieldset disabled={phase.kind === 'running'}>
            <legend>Articles</legend>
            <label>
              <input type="radio" name="export-scope" checked={scope === 'all'} onChange={() => setScope('all')} /> All articles
            </label>
            <label title={current ? undefined : 'Search or choose a tag first; other filters cannot be exported as such'}>
              <input type="radio" name="export-scope" checked={scope === 'current'} disabled={!current} onChange={() => setScope('current')} />{' '}
              {current ? current.label : 'Current search or tag (none chosen)'}
            </label>
          </fieldset>
          {phase.kind === 'running' && (
            <p className="export-progress">
              <progress aria-label="Export progress" max={Math.max(phase.total, 1)} value={phase.total > 0 ? phase.done : undefined} />{' '}
              <span role="status">{phase.total > 0 ? `${phase.done} of ${phase.total} articles` : 'Starting…'}</span>
            </p>
          )}
          {phase.kind === 'ready' && (
            <p role="status" className="export-ready">
              Exported {phase.result.articles} article{phase.result.articles === 1 ? '' : 's'} ({formatBytes(phase.result.bytes)}).{' '}
              {saver ? (
                <SaveExportButton saver={saver} downloadId={phase.result.downloadId} fileName={phase.result.fileName} />
              ) : (
                <>
                  <a href={`exports/${encodeURIComponent(phase.result.downloadId)}`} download={phase.result.fileName}>
                    Download {phase.result.fileName}
                  </a>{' '}
                  <small>(the link works once, for an hour)</small>
                </>
              )}
            </p>
          )}
          {phase.kind === 'failed' && (
            <p role="alert" className="inline-error">
              {phase.message}
            </p>
          )}
          <div className="dialog-actions">
            <button type="submit" disabled={phase.kind === 'running'}>
              {phase.kind === 'ready' ? 'Export again' : 'Export'}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
