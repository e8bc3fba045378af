import { useCallback, useEffect, useRef, useState } from 'react';

export interface Toast {
  id: number;
  message: string;
  action?: { label: string; run: () => void };
  /** Errors stay longer and are announced assertively. */
  kind: 'info' | 'error';
}

/** One toast at a time; a new one replaces the old. Undo toasts last ~8 s. */
export function useToast(): {
  toast: Toast | null;
  show(t: Omit<Toast, 'id'>, ms?: number): void;
  dismiss(): void;
} {
  const [toast, setToast] = useState<Toast | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const seq = useRef(0);

  const dismiss = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setToast(null);
  }, []);
  const show = useCallback((t: Omit<Toast, 'id'>, ms = 8000) => {
    if (timer.current) clearTimeout(timer.current);
    const id = ++seq.current;
    setToast({ ...t, id });
    timer.current = setTimeout(() => setToast((cur) => (cur?.id === id ? null : cur)), ms);
  }, []);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return { toast, show, dismiss };
}
