import { columns, fit, TERMINAL_WIDTH } from './text.js';

/**
 * A plain-text table that fits a terminal: fixed-width columns keep their width (the widest
 * cell, capped), and the one `flex` column (e.g. the title) gets whatever room is left and
 * truncates with …. Cells never wrap, so each row is one line.
 */
export interface TableColumn<T> {
  header: string;
  cell: (row: T) => string;
  align?: 'left' | 'right';
  /** Takes the remaining width; exactly one column should set it. */
  flex?: boolean;
  /** Largest width for a non-flex column (default: no cap). */
  max?: number;
}

const GAP = '  ';

export function renderTable<T>(cols: readonly TableColumn<T>[], rows: readonly T[], width = TERMINAL_WIDTH): string[] {
  const cells = rows.map((r) => cols.map((c) => c.cell(r)));
  const widths = cols.map((c, i) => {
    const widest = Math.max(columns(c.header), ...cells.map((row) => columns(row[i]!)));
    return c.flex ? widest : Math.min(widest, c.max ?? Infinity);
  });
  const fixed = widths.reduce((sum, w, i) => sum + (cols[i]!.flex ? 0 : w), 0) + GAP.length * (cols.length - 1);
  cols.forEach((c, i) => {
    // The flex column shrinks to what is left (at least a few columns so it stays readable).
    if (c.flex) widths[i] = Math.max(4, Math.min(widths[i]!, width - fixed));
  });
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => fit(v, widths[i]!, cols[i]!.align))
      .join(GAP)
      .trimEnd();
  return [line(cols.map((c) => c.header)), ...cells.map(line)];
}
