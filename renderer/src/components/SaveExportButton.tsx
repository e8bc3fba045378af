import { useState } from 'react';

/** The desktop app's preload adds saveExport (main shows a native save dialog and copies). */
interface SavingBridge {
  saveExport(downloadId: string, fileName: string): Promise<unknown>;
}

export function desktopSaver(): SavingBridge | null {
  const candidate = (globalThis as { folio?: { saveExport?: unknown } }).folio;
  return candidate && typeof candidate.saveExport === 'function' ? (candidate as SavingBridge) : null;
}

/** In the desktop app, a finished export is saved through a save dialog instead of a link. */
export function SaveExportButton({ saver, downloadId, fileName }: { saver: SavingBridge; downloadId: string; fileName: string }) {
  const [note, setNote] = useState<string | null>(null);
  const save = async () => {
    const r = (await saver.saveExport(downloadId, fileName)) as { saved?: boolean; path?: string; error?: string } | null;
    if (r?.saved) setNote(`Saved to ${r.path}`);
    else setNote(r?.error ? `Not saved: ${r.error}` : null);
  };
  return (
    <>
      <button type="button" onClick={() => void save()}>
        Save {fileName}…
      </button>
      {note && <span> {note}</span>}
    </>
  );
}
