/**
 * How the plot view writes and reads numbers and times (the period is written
 * by src/shared/format.ts, the same as in the host's tree).
 */
import uPlot from 'uplot';

/** A length of time in seconds (the time window): 10000 → "10 s", 500 → "0.5 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** Updates per second: one decimal below 10. */
export function formatRate(rate: number): string {
  return Number.isFinite(rate) ? rate.toFixed(rate >= 10 ? 0 : 1) : '0';
}

/** A value for the legend and status line: 6 significant digits, exponent form for very large or small values. */
export function formatNumber(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e9 || a < 1e-4)) {
    return v.toExponential(3);
  }
  return Number(v.toPrecision(6)).toString();
}

/** `fmt(v)`, or a dash when there is no value. */
export function formatOrDash(v: number | undefined, fmt: (n: number) => string): string {
  return v === undefined ? '—' : fmt(v);
}

const fmtMs = uPlot.fmtDate('{HH}:{mm}:{ss}.{fff}');
const fmtSec = uPlot.fmtDate('{HH}:{mm}:{ss}');
const fmtMin = uPlot.fmtDate('{HH}:{mm}');
const fmtDay = uPlot.fmtDate('{M}/{D} {HH}:{mm}');

/** A wall-clock time to the millisecond (x in ms since the epoch). */
export function formatTime(ms: number): string {
  return fmtMs(new Date(ms));
}

/** Wall-clock tick labels, as precise as the tick spacing `incr` (ms) needs. */
export function timeLabels(splits: readonly number[], incr: number): string[] {
  const fmt = incr < 1000 ? fmtMs : incr < 60_000 ? fmtSec : incr < 86_400_000 ? fmtMin : fmtDay;
  return splits.map((v) => (v == null ? '' : fmt(new Date(v))));
}

/** A number typed into a field, or undefined. */
export function parseNumber(v: unknown): number | undefined {
  const t = String(v ?? '').trim();
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : undefined;
}

/** A scale bound rounded to 3 significant digits, for the fixed-range fields. */
export function roundBound(v: number): number {
  return Number(v.toPrecision(3));
}
