/**
 * CSV export of a session's window: a header row, then one row per x.
 * Plain TypeScript (no `vscode`), unit-tested.
 */
import type { Columns } from '../shared/protocol';

/** x values above this (ms since epoch, 1973) are times; the same rule as the views. */
export const EPOCH_MS_THRESHOLD = 1e11;

/** Options of {@link formatCsv}. */
export interface CsvOptions {
  /** Name of the x column; default `time_ms` when x holds epoch milliseconds, else `x`. */
  readonly xName?: string;
  /** Keep only rows with x ≥ this (e.g. the start of a time window). */
  readonly fromX?: number;
  /** Add an ISO 8601 `time` column after x when x holds epoch milliseconds (default true). */
  readonly isoTime?: boolean;
}

/** Whether the columns' x looks like epoch milliseconds. */
export function isTimeAxis(cols: Pick<Columns, 'x'>): boolean {
  return cols.x.length > 0 && cols.x[0]! > EPOCH_MS_THRESHOLD;
}

/**
 * Formats columns as CSV (RFC 4180 quoting, `\n` line ends, a final newline).
 * Missing values (NaN) are empty cells. Series names are quoted when needed and
 * a leading `=`, `+`, `-`, `@` is defused so that spreadsheets do not run
 * names that came from the network as formulas.
 */
export function formatCsv(cols: Columns, opts: CsvOptions = {}): string {
  const time = isTimeAxis(cols);
  const iso = time && opts.isoTime !== false;
  const header = [opts.xName ?? (time ? 'time_ms' : 'x'), ...(iso ? ['time'] : []), ...cols.series];
  const lines = [header.map(csvField).join(',')];
  const n = cols.x.length;
  const from = opts.fromX;
  for (let i = 0; i < n; i++) {
    const x = cols.x[i]!;
    if (from !== undefined && !(x >= from)) continue;
    const row: string[] = [formatNumber(x)];
    if (iso) row.push(Number.isFinite(x) ? new Date(x).toISOString() : '');
    for (const col of cols.y) row.push(formatNumber(col[i]!));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

/** A number as CSV text: shortest exact form; NaN/undefined as an empty cell. */
export function formatNumber(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return String(v);
}

/** A text field: quoted if it holds a comma, quote or line break; formulas defused. */
export function csvField(s: string): string {
  let t = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  if (/[",\r\n]/.test(t)) t = `"${t.replace(/"/g, '""')}"`;
  return t;
}
