/**
 * The view's local copy of a session's window: x plus one Float64Array per
 * series, preallocated (capacity plus some slack, see `slackFor`) so that
 * applying a frame copies numbers and allocates nothing (buffers are
 * reallocated only when the capacity or the set of series changes).
 *
 * The held rows are `[start, start + length)` of every column. Appending writes
 * after them and trims the oldest by moving `start` forward; only when the end
 * of the buffers is reached are the surviving rows moved back to offset 0, once
 * per `slack` rows appended, so an append costs O(rows appended) amortised
 * instead of shifting the whole window every time.
 */
import { HARD_MAX_POINTS } from '../../src/shared/limits';

/** Columns as they arrive; typed arrays normally, plain arrays tolerated. */
export interface IncomingColumns {
  readonly series: readonly string[];
  readonly x: ArrayLike<number>;
  readonly y: readonly ArrayLike<number>[];
}

/** uPlot's aligned data: x first, then one column per series. */
export type AlignedColumns = [Float64Array, ...Float64Array[]];

/** Hard upper bound on a window, whatever a message asks for: the host's largest window. */
export const MAX_CAPACITY = HARD_MAX_POINTS;

/** Checks the shape of incoming columns; returns the row count or -1 if malformed. */
export function columnLength(c: unknown): number {
  if (!c || typeof c !== 'object') {
    return -1;
  }
  const { series, x, y } = c as Partial<IncomingColumns>;
  if (!Array.isArray(series) || !Array.isArray(y) || series.length !== y.length || !isArrayLike(x)) {
    return -1;
  }
  const n = x.length;
  for (let i = 0; i < y.length; i++) {
    if (typeof series[i] !== 'string' || !isArrayLike(y[i]) || y[i].length !== n) {
      return -1;
    }
  }
  return n;
}

function isArrayLike(v: unknown): v is ArrayLike<number> {
  return (
    (ArrayBuffer.isView(v) && !(v instanceof DataView)) ||
    Array.isArray(v)
  );
}

/** Normalises a requested window size to an integer in [1, MAX_CAPACITY]. */
export function normaliseCapacity(points: unknown, fallback: number): number {
  const p = typeof points === 'number' && Number.isFinite(points) ? Math.floor(points) : fallback;
  return Math.min(MAX_CAPACITY, Math.max(1, p));
}

/** Slack is never less than this many rows (a few KB per column for tiny windows). */
export const MIN_SLACK = 1024;
/** Slack is never more than this many rows (2 MB per column). */
export const MAX_SLACK = 1 << 18;

/**
 * Rows allocated beyond the capacity. Every compaction copies at most
 * `capacity` rows and is followed by at least `slack` rows of plain appends, so
 * the amortised cost per appended row is `capacity / slack` row copies:
 * - up to 256 k rows, slack = capacity: at most one row copied per row
 *   appended, for twice the memory of a small window (at most 2 MB per column);
 * - beyond, slack is capped at 2^18 rows so memory stays close to the window's:
 *   a 1M-row window takes 10 MB per column instead of 8 MB (+25 %) for at most
 *   four row copies per row appended (one 8 MB move, ≈ 2 ms, per 256 k rows);
 *   at MAX_CAPACITY (10M rows), +2.6 % for at most 38 copies per row;
 * - small windows get MIN_SLACK rows anyway, so that they compact rarely
 *   for a negligible amount of memory.
 */
export function slackFor(capacity: number): number {
  return Math.max(MIN_SLACK, Math.min(capacity, MAX_SLACK));
}

function copy(dst: Float64Array, dstOff: number, src: ArrayLike<number>, srcOff: number, count: number): void {
  if (count <= 0) {
    return;
  }
  if (ArrayBuffer.isView(src)) {
    // A subarray is a view object, not a copy of the data: one per column per message.
    dst.set((src as Float64Array).subarray(srcOff, srcOff + count), dstOff);
  } else {
    for (let i = 0; i < count; i++) {
      dst[dstOff + i] = +src[srcOff + i];
    }
  }
}

/** A sliding window of columns with a fixed capacity. */
export class DataWindow {
  private _series: string[] = [];
  private _capacity = 0;
  private _length = 0;
  /** Offset of the oldest held row in every column. */
  private start = 0;
  /** Rows allocated per column: capacity + slack. */
  private size = 0;
  private x = new Float64Array(0);
  private y: Float64Array[] = [];
  /** Views of `[start, start + length)`; dropped whenever start, length or the columns change. */
  private cachedView: AlignedColumns | undefined;
  private identity: number[] = [];

  /** Series names, in column order. */
  get series(): readonly string[] {
    return this._series;
  }
  /** Rows currently held. */
  get length(): number {
    return this._length;
  }
  /** Rows the window keeps at most. */
  get capacity(): number {
    return this._capacity;
  }

  /** Replaces the whole window (snapshot, or a delta with `replace`). False if malformed. */
  replace(cols: IncomingColumns, capacity: number): boolean {
    const n = columnLength(cols);
    if (n < 0) {
      return false;
    }
    const cap = normaliseCapacity(capacity, Math.max(n, 1));
    if (!sameNames(this._series, cols.series) || cap !== this._capacity) {
      this.allocate(cols.series, cap);
    }
    const keep = Math.min(n, cap);
    const from = n - keep;
    copy(this.x, 0, cols.x, from, keep);
    for (let s = 0; s < this.y.length; s++) {
      copy(this.y[s], 0, cols.y[s], from, keep);
    }
    this.setWindow(0, keep);
    return true;
  }

  /** Appends rows and trims the oldest beyond `capacity`. False if malformed. */
  append(cols: IncomingColumns, capacity: number): boolean {
    const n = columnLength(cols);
    if (n < 0) {
      return false;
    }
    const cap = normaliseCapacity(capacity, this._capacity || Math.max(n, 1));
    if (cap !== this._capacity) {
      this.resize(cap);
    }
    // Map the delta's columns onto ours by name; series new to the window are added.
    const map = this.mapSeries(cols.series);
    if (n >= cap) {
      // The delta alone fills the window: keep its newest rows, at offset 0.
      this.write(cols, map, n - cap, 0, cap);
      this.setWindow(0, cap);
      return true;
    }
    const len = this._length;
    const drop = Math.max(0, len + n - cap);
    const kept = len - drop;
    let start = this.start + drop;
    if (start + kept + n > this.size) {
      // End of the buffers: move the rows that survive back to offset 0. This
      // leaves at least `slack` free rows after them (kept + n <= capacity).
      if (kept > 0) {
        this.x.copyWithin(0, start, start + kept);
        for (const col of this.y) {
          col.copyWithin(0, start, start + kept);
        }
      }
      start = 0;
    }
    this.write(cols, map, 0, start + kept, n);
    this.setWindow(start, kept + n);
    return true;
  }

  /** The value at the newest row of series `s`, if any. */
  last(s: number): number | undefined {
    return this._length > 0 && s < this.y.length ? this.y[s][this.start + this._length - 1] : undefined;
  }

  /** The first x held, if any. */
  firstX(): number | undefined {
    return this._length > 0 ? this.x[this.start] : undefined;
  }

  /**
   * Contiguous views of the held rows for the chart (x, then one per series,
   * all the same length); the same objects until the rows held move or the
   * shape changes.
   */
  view(): AlignedColumns {
    if (!this.cachedView) {
      const a = this.start;
      const b = a + this._length;
      this.cachedView = [this.x.subarray(a, b), ...this.y.map((c) => c.subarray(a, b))];
    }
    return this.cachedView;
  }

  /** Copies `count` rows of the delta from `from` into our columns at `at` (NaN for series it lacks). */
  private write(cols: IncomingColumns, map: readonly number[], from: number, at: number, count: number): void {
    copy(this.x, at, cols.x, from, count);
    for (let s = 0; s < this.y.length; s++) {
      const src = map[s];
      if (src >= 0) {
        copy(this.y[s], at, cols.y[src], from, count);
      } else {
        this.y[s].fill(NaN, at, at + count);
      }
    }
  }

  private setWindow(start: number, length: number): void {
    if (start !== this.start || length !== this._length) {
      this.start = start;
      this._length = length;
      this.cachedView = undefined;
    }
  }

  private allocate(series: readonly string[], cap: number): void {
    this._series = [...series];
    this._capacity = cap;
    this.size = cap + slackFor(cap);
    this._length = 0;
    this.start = 0;
    // Let go of the old buffers first, so that they can be collected if the new ones need the room.
    this.x = new Float64Array(0);
    this.y = [];
    this.x = new Float64Array(this.size);
    this.y = series.map(() => new Float64Array(this.size));
    this.identity = series.map((_, i) => i);
    this.cachedView = undefined;
  }

  private resize(cap: number): void {
    const keep = Math.min(this._length, cap);
    const from = this.start + this._length - keep;
    const size = cap + slackFor(cap);
    const grow = (old: Float64Array): Float64Array<ArrayBuffer> => {
      const next = new Float64Array(size);
      next.set(old.subarray(from, from + keep));
      return next;
    };
    this.x = grow(this.x);
    this.y = this.y.map(grow);
    this._capacity = cap;
    this.size = size;
    this.start = 0;
    this._length = keep;
    this.cachedView = undefined;
  }

  /** For each of our series, the index of the incoming column with its name, or -1. */
  private mapSeries(names: readonly string[]): number[] {
    if (sameNames(this._series, names)) {
      return this.identity;
    }
    for (const name of names) {
      if (!this._series.includes(name)) {
        this._series.push(name);
        const col = new Float64Array(this.size);
        col.fill(NaN, this.start, this.start + this._length);
        this.y.push(col);
        this.identity.push(this.identity.length);
        this.cachedView = undefined;
      }
    }
    return this._series.map((name) => names.indexOf(name));
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}
