/**
 * The view's local copy of a session's window: x plus one Float64Array per
 * series, preallocated at the window's capacity so that applying a frame copies
 * numbers and allocates nothing (buffers are reallocated only when the capacity
 * or the set of series changes).
 */

/** Columns as they arrive; typed arrays normally, plain arrays tolerated. */
export interface IncomingColumns {
  readonly series: readonly string[];
  readonly x: ArrayLike<number>;
  readonly y: readonly ArrayLike<number>[];
}

/** uPlot's aligned data: x first, then one column per series. */
export type AlignedColumns = [Float64Array, ...Float64Array[]];

/** Hard upper bound on a window, whatever a message asks for. */
export const MAX_CAPACITY = 10_000_000;

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
  private x = new Float64Array(0);
  private y: Float64Array[] = [];
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
    this.setLength(keep);
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
    const len = this._length;
    if (n >= cap) {
      const from = n - cap;
      copy(this.x, 0, cols.x, from, cap);
      for (let s = 0; s < this.y.length; s++) {
        const src = map[s];
        if (src >= 0) {
          copy(this.y[s], 0, cols.y[src], from, cap);
        } else {
          this.y[s].fill(NaN, 0, cap);
        }
      }
      this.setLength(cap);
      return true;
    }
    const drop = Math.max(0, len + n - cap);
    const kept = len - drop;
    if (drop > 0) {
      this.x.copyWithin(0, drop, len);
      for (const col of this.y) {
        col.copyWithin(0, drop, len);
      }
    }
    copy(this.x, kept, cols.x, 0, n);
    for (let s = 0; s < this.y.length; s++) {
      const src = map[s];
      if (src >= 0) {
        copy(this.y[s], kept, cols.y[src], 0, n);
      } else {
        this.y[s].fill(NaN, kept, kept + n);
      }
    }
    this.setLength(kept + n);
    return true;
  }

  /** The value at the newest row of series `s`, if any. */
  last(s: number): number | undefined {
    return this._length > 0 && s < this.y.length ? this.y[s][this._length - 1] : undefined;
  }

  /** The first x held, if any. */
  firstX(): number | undefined {
    return this._length > 0 ? this.x[0] : undefined;
  }

  /** Views of the held rows for the chart; the same objects until the shape changes. */
  view(): AlignedColumns {
    if (!this.cachedView) {
      const n = this._length;
      this.cachedView = [this.x.subarray(0, n), ...this.y.map((c) => c.subarray(0, n))];
    }
    return this.cachedView;
  }

  private setLength(n: number): void {
    if (n !== this._length) {
      this._length = n;
      this.cachedView = undefined;
    }
  }

  private allocate(series: readonly string[], cap: number): void {
    this._series = [...series];
    this._capacity = cap;
    this._length = 0;
    this.x = new Float64Array(cap);
    this.y = series.map(() => new Float64Array(cap));
    this.identity = series.map((_, i) => i);
    this.cachedView = undefined;
  }

  private resize(cap: number): void {
    const keep = Math.min(this._length, cap);
    const from = this._length - keep;
    const grow = (old: Float64Array): Float64Array<ArrayBuffer> => {
      const next = new Float64Array(cap);
      next.set(old.subarray(from, from + keep));
      return next;
    };
    this.x = grow(this.x);
    this.y = this.y.map(grow);
    this._capacity = cap;
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
        const col = new Float64Array(this._capacity);
        col.fill(NaN, 0, this._length);
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
