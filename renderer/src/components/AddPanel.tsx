import { memo, useEffect, useId, useImperativeHandle, useRef, useState, type FormEvent, type Ref } from 'react';
import type { QueueItem } from '../../../app/core/contract.js';
import { errorMessage } from '../api/client.js';
import { parseAddInput } from '../lib/add-input.js';
import { QueueList } from './QueueList.js';

export interface AddPanelHandle {
  focus(): void;
}

interface Props {
  items: QueueItem[];
  add(urls: string[]): Promise<void>;
  retry(jobId: number): void;
  clearFinished(): void;
  onOpenArticle(id: number): void;
  /** From the bookmarklet's #add= fragment: prefilled, and saved at once if autoSave. */
  initial: { text: string; autoSave: boolean } | null;
  handle: Ref<AddPanelHandle>;
}

/** "Add URL" + "Save": one link or many (pasted one per line), then their capture progress. */
export const AddPanel = memo(function AddPanel(props: Props) {
  const { add, initial } = props;
  const [text, setText] = useState(initial?.text ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const autoSaved = useRef(false);
  const boxId = useId();

  useImperativeHandle(props.handle, () => ({ focus: () => box.current?.focus() }));

  const save = async (value: string) => {
    const urls = parseAddInput(value);
    if (urls.length === 0) {
      setError('Paste a link (starting with https://) into Add URL first, then press Save.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await add(urls);
      setText('');
    } catch (err) {
      setError(`Couldn't add ${urls.length === 1 ? urls[0] : `${urls.length} links`}: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (initial?.autoSave && !autoSaved.current) {
      autoSaved.current = true;
      void save(initial.text);
    }
    // Only the startup fragment triggers this.
  }, [initial]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save(text);
  };
  const lines = Math.min(8, Math.max(1, text.split('\n').length));

  return (
    <section className="add-panel" aria-label="Add articles">
      <form onSubmit={onSubmit} className="add-form">
        <label className="add-label" htmlFor={boxId}>
          Add URL
        </label>
        <textarea
          ref={box}
          id={boxId}
          placeholder="https://…"
          title="One link, or several (one per line)"
          rows={lines}
          value={text}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            // Enter saves; Shift+Enter adds a line for typing several links by hand.
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void save(text);
            }
          }}
        />
        <button type="submit" disabled={busy}>
          Save
        </button>
      </form>
      {error && (
        <p role="alert" className="inline-error">
          {error}
        </p>
      )}
      <QueueList items={props.items} retry={props.retry} clearFinished={props.clearFinished} onOpenArticle={props.onOpenArticle} />
    </section>
  );
});
