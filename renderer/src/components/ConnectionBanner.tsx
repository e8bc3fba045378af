import type { ConnectionState } from '../api/client.js';

/** Shown while the core does not answer; everything already on screen stays readable. */
export function ConnectionBanner({ state, onRetry }: { state: ConnectionState; onRetry(): void }) {
  if (state === 'ok') return null;
  return (
    <div className="banner" role="alert">
      {state === 'unauthorized' ? (
        <span>
          <strong>Folio didn't accept this page.</strong> Its session is missing or expired: open Folio again from the
          link that <code>folio serve</code> printed.
        </span>
      ) : (
        <span>
          <strong>Can't reach Folio.</strong> The Folio server or app isn't answering; check that it is still running.
          What is already shown stays readable.
        </span>
      )}
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
