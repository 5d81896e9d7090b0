/**
 * CSV export of a session's window: a header row, then one row per x.
 * Plain TypeScript (no `vscode`), unit-tested.
 */
import type { Columns } from '../shared/protocol';
import { EPOCH_MS_THRESHOLD } from '../shared/timeAxis';

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

/** Largest |ms| a `Date` can hold (±100 000 000 days around 1970). */
export const MAX_DATE_MS = 8.64e15;
/** A chunk of {@link csvChunks} holds whole rows and stops growing past this many characters. */
export const CSV_CHUNK_CHARS = 64 * 1024;

/**
 * Formats columns as CSV (RFC 4180 quoting, `\n` line ends, a final newline).
 * Missing values (NaN) are empty cells. Series names are quoted when needed and
 * a leading `=`, `+`, `-`, `@` is defused so that spreadsheets do not run
 * names that came from the network as formulas. For small windows and tests;
 * exports stream {@link csvChunks} instead.
 */
export function formatCsv(cols: Columns, opts: CsvOptions = {}): string {
  let text = '';
  for (const chunk of csvChunks(cols, opts)) text += chunk;
  return text;
}

/**
 * The same text as {@link formatCsv}, as a sequence of chunks of whole rows,
 * each about `chunkChars` long (one row longer at most), so that a window of
 * any size is written without ever being one string.
 */
export function* csvChunks(cols: Columns, opts: CsvOptions = {}, chunkChars = CSV_CHUNK_CHARS): Generator<string, void, undefined> {
  const time = isTimeAxis(cols);
  const iso = time && opts.isoTime !== false;
  const header = [opts.xName ?? (time ? 'time_ms' : 'x'), ...(iso ? ['time'] : []), ...cols.series];
  let chunk = header.map(csvField).join(',') + '\n';
  const n = cols.x.length;
  const from = opts.fromX;
  for (let i = 0; i < n; i++) {
    const x = cols.x[i]!;
    if (from !== undefined && !(x >= from)) continue;
    let row = formatNumber(x);
    if (iso) row += ',' + timeCell(x);
    for (const col of cols.y) row += ',' + formatNumber(col[i]!);
    chunk += row + '\n';
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** How many data rows {@link csvChunks} writes (the header not counted). */
export function csvRowCount(cols: Pick<Columns, 'x'>, opts: Pick<CsvOptions, 'fromX'> = {}): number {
  const from = opts.fromX;
  if (from === undefined) return cols.x.length;
  let n = 0;
  for (let i = 0; i < cols.x.length; i++) if (cols.x[i]! >= from) n++;
  return n;
}

/** The ISO 8601 time of epoch ms `x`; outside the `Date` range (or not finite), `x` as a number. */
export function timeCell(x: number): string {
  return Number.isFinite(x) && Math.abs(x) <= MAX_DATE_MS ? new Date(x).toISOString() : formatNumber(x);
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
