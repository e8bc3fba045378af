import type { QueueItem } from '../../../app/core/contract.js';

const STATUS_WORDS: Record<QueueItem['status'], string> = {
  pending: 'Waiting…',
  running: 'Saving…',
  saved: 'Saved',
  duplicate: 'Already in your library',
  failed: 'Failed',
};

interface Props {
  items: QueueItem[];
  retry(jobId: number): void;
  clearFinished(): void;
  onOpenArticle(id: number): void;
}

/** Each link being captured, with its state in words; failures say why and offer Retry. */
export function QueueList({ items, retry, clearFinished, onOpenArticle }: Props) {
  if (items.length === 0) return null;
  const finished = items.some((i) => i.status === 'saved' || i.status === 'duplicate');
  return (
    <div className="queue">
      <ul className="queue-list" aria-label="Capture progress" aria-live="polite">
        {items.map((item) => (
          <li key={item.jobId} className={`queue-item status-${item.status}`}>
            <span className="queue-url" title={item.url}>
              {item.url}
            </span>
            <span className="queue-status">{STATUS_WORDS[item.status]}</span>
            {item.status === 'failed' && (
              <>
                {item.error && <span className="queue-error">{item.error.message}</span>}
                <button type="button" onClick={() => retry(item.jobId)} aria-label={`Retry ${item.url}`}>
                  Retry
                </button>
              </>
            )}
            {(item.status === 'saved' || item.status === 'duplicate') && item.articleId !== null && (
              <button type="button" className="link-button" onClick={() => onOpenArticle(item.articleId!)}>
                Open
              </button>
            )}
          </li>
        ))}
      </ul>
      {finished && (
        <button type="button" className="link-button" onClick={clearFinished}>
          Clear finished
        </button>
      )}
    </div>
  );
}
