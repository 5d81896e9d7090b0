/**
 * Rows the ring keeps beyond the window: room for rows not yet sent when a period
 * brings more than the window, grown with the data rate.
 */

/**
 * Headroom grows to hold this long of data at the rate seen in a period: the
 * extension host stops for tens of milliseconds now and then (garbage
 * collection, VS Code's own work), and a source pushing 500,000 samples a second
 * brings 40,000 rows in 80 ms.
 */
export const HEADROOM_SECONDS = 0.25;
/** Headroom never takes more than this (bytes, all columns). */
export const MAX_HEADROOM_BYTES = 32 * 2 ** 20;

/**
 * Rows the ring keeps for a window of `points`: the window plus headroom, so that
 * rows not yet sent survive when a period brings more rows than the window (a tick
 * late under load at a high rate): views still get every row, and the newest
 * `points` of them are the window. Up to 64 k rows of headroom to start with
 * (twice the columns of a window of up to 64 k points; +6.5 % for a 1 M-point
 * window); a session whose rate needs more grows it (see `HEADROOM_SECONDS`).
 */
export function ringCapacity(points: number, headroom = defaultHeadroom(points)): number {
  return points + headroom;
}

/** The headroom of a window of `points` before any growth. */
export function defaultHeadroom(points: number): number {
  return Math.min(points, 65_536);
}

/**
 * The headroom after a period that brought `arrived` rows in `elapsedMs` (of a
 * streaming source with `series` series): enough for `HEADROOM_SECONDS` at that
 * rate, at least doubling, within `MAX_HEADROOM_BYTES`. Returns `current` when it
 * need not grow.
 */
export function grownHeadroom(current: number, arrived: number, elapsedMs: number, periodMs: number, series: number): number {
  if (arrived <= 0) return current;
  const perSecond = (arrived * 1000) / Math.max(periodMs, elapsedMs);
  const want = Math.ceil(perSecond * HEADROOM_SECONDS);
  if (want <= current) return current;
  const max = Math.floor(MAX_HEADROOM_BYTES / (8 * (1 + Math.max(1, series))));
  const next = Math.min(max, Math.max(want, current * 2));
  return next <= current ? current : next;
}
