import type { Toast } from '../state/use-toast.js';

/** The toast area is always in the DOM so screen readers announce what appears in it. */
export function ToastView({ toast, dismiss }: { toast: Toast | null; dismiss(): void }) {
  return (
    <div className="toast-area" role="status" aria-live="polite">
      {toast && (
        <div className={`toast toast-${toast.kind}`} key={toast.id}>
          <span>{toast.message}</span>
          {toast.action && (
            <button
              type="button"
              onClick={() => {
                dismiss();
                toast.action!.run();
              }}
            >
              {toast.action.label}
            </button>
          )}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={dismiss}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
