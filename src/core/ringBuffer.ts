import type { Columns } from '../shared/protocol';

import { MAX_SERIES } from '../shared/limits';

/** Most series one session records; samples of further new series are dropped (and said so). */
export { MAX_SERIES };

/**
 * A columnar ring buffer: x plus one Float64Array per series, all of the same
 * capacity (the window in points). Preallocated; grows only when the window grows.
 *
 * `total` counts rows ever appended and `generation` changes whenever the
 * contents are replaced wholesale (a frame, a resize), so that a view can ask
 * for exactly what it has not seen.
 */
export class ColumnRing {
  private _capacity: number;
  private x: Float64Array;
  private readonly cols: Float64Array[] = [];
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  /** Physical index of the oldest row. */
  private start = 0;
  private _length = 0;
  private _total = 0;
  private _generation = 0;

  constructor(capacity: number, private readonly maxSeries = MAX_SERIES) {
    this._capacity = Math.max(1, capacity | 0);
    this.x = new Float64Array(this._capacity);
  }

  get capacity(): number {
    return this._capacity;
  }
  get length(): number {
    return this._length;
  }
  /** Rows appended since creation (monotonic). */
  get total(): number {
    return this._total;
  }
  /** Changes when contents are replaced rather than appended. */
  get generation(): number {
    return this._generation;
  }
  get seriesNames(): readonly string[] {
    return this.names;
  }

  /** Index of series `name`, adding a NaN-filled column if new; -1 past the series limit. */
  series(name: string): number {
    const i = this.index.get(name);
    if (i !== undefined) return i;
    if (this.names.length >= this.maxSeries) return -1;
    const col = new Float64Array(this._capacity).fill(NaN);
    this.cols.push(col);
    this.names.push(name);
    this.index.set(name, this.names.length - 1);
    // A new column changes the shape of the data views hold.
    this._generation++;
    return this.names.length - 1;
  }

  /** Appends a row at `x` with every series NaN; returns its physical index. */
  private appendRow(x: number): number {
    let phys: number;
    if (this._length < this._capacity) {
      phys = (this.start + this._length) % this._capacity;
      this._length++;
    } else {
      phys = this.start;
      this.start = (this.start + 1) % this._capacity;
    }
    this.x[phys] = x;
    for (const c of this.cols) c[phys] = NaN;
    this._total++;
    return phys;
  }

  /**
   * Records one sample. Samples of different series at the same x share a row
   * (if the latest row has that x and no value yet for the series).
   * Returns false if the series limit was reached.
   */
  push(name: string, x: number, y: number): boolean {
    const s = this.series(name);
    if (s < 0) return false;
    if (this._length > 0) {
      const last = (this.start + this._length - 1) % this._capacity;
      if (this.x[last] === x && Number.isNaN(this.cols[s]![last]!)) {
        this.cols[s]![last] = y;
        return true;
      }
    }
    const phys = this.appendRow(x);
    this.cols[s]![phys] = y;
    return true;
  }

  /** Appends one row with a value per series (by column index order of `values`). */
  pushRow(x: number, values: ArrayLike<number>): void {
    const phys = this.appendRow(x);
    const n = Math.min(values.length, this.cols.length);
    for (let i = 0; i < n; i++) this.cols[i]![phys] = values[i]!;
  }

  /**
   * Replaces the whole contents with a frame (truncated to the capacity, newest kept).
   * Returns the names of series dropped because of the series limit (usually none).
   */
  replace(x: ArrayLike<number>, series: readonly { name: string; values: ArrayLike<number> }[]): string[] {
    const dropped: string[] = [];
    for (const s of series) if (this.series(s.name) < 0) dropped.push(s.name);
    const n = Math.min(x.length, this._capacity);
    const off = x.length - n;
    this.start = 0;
    this._length = n;
    for (let i = 0; i < n; i++) this.x[i] = x[off + i]!;
    for (const c of this.cols) c.fill(NaN, 0, n);
    for (const s of series) {
      const col = this.cols[this.index.get(s.name)!];
      if (!col) continue;
      const m = Math.min(s.values.length - off, n);
      for (let i = 0; i < m; i++) col[i] = s.values[off + i]!;
    }
    this._total += n;
    this._generation++;
    return dropped;
  }

  /** Changes the capacity, keeping the newest rows. */
  resize(capacity: number): void {
    capacity = Math.max(1, capacity | 0);
    if (capacity === this._capacity) return;
    const keep = Math.min(this._length, capacity);
    const from = this._length - keep;
    const nx = new Float64Array(capacity);
    this.copyRange(this.x, nx, from, keep);
    for (let i = 0; i < this.cols.length; i++) {
      const nc = new Float64Array(capacity).fill(NaN);
      this.copyRange(this.cols[i]!, nc, from, keep);
      this.cols[i] = nc;
    }
    this.x = nx;
    this._capacity = capacity;
    this.start = 0;
    this._length = keep;
    this._generation++;
  }

  /**
   * Raises the capacity keeping every row, `total` and `generation` (a view's
   * `since` stays valid: nothing it has or lacks changed). No-op unless larger.
   */
  grow(capacity: number): void {
    capacity = Math.max(1, capacity | 0);
    if (capacity <= this._capacity) return;
    const n = this._length;
    const nx = new Float64Array(capacity);
    this.copyRange(this.x, nx, 0, n);
    for (let i = 0; i < this.cols.length; i++) {
      const nc = new Float64Array(capacity).fill(NaN);
      this.copyRange(this.cols[i]!, nc, 0, n);
      this.cols[i] = nc;
    }
    this.x = nx;
    this._capacity = capacity;
    this.start = 0;
  }

  /** Copies logical rows [from, from+count) of `src` into `dst` starting at 0. */
  private copyRange(src: Float64Array, dst: Float64Array, from: number, count: number): void {
    const p0 = (this.start + from) % this._capacity;
    const firstLen = Math.min(count, this._capacity - p0);
    dst.set(src.subarray(p0, p0 + firstLen), 0);
    if (firstLen < count) dst.set(src.subarray(0, count - firstLen), firstLen);
  }

  /** The newest `maxRows` rows (default: all), oldest first, as fresh arrays (safe to transfer). */
  snapshot(maxRows = this._length): Columns {
    const n = Math.max(0, Math.min(this._length, Math.floor(maxRows)));
    return this.rows(this._length - n, n);
  }

  /**
   * Rows appended after `total` was `sinceTotal`, or undefined if some of them
   * have already been overwritten (the caller then needs a snapshot).
   */
  since(sinceTotal: number): Columns | undefined {
    const count = this._total - sinceTotal;
    if (count < 0 || count > this._length) return undefined;
    return this.rows(this._length - count, count);
  }

  private rows(from: number, count: number): Columns {
    const x = new Float64Array(count);
    this.copyRange(this.x, x, from, count);
    const y = this.cols.map((c) => {
      const a = new Float64Array(count);
      this.copyRange(c, a, from, count);
      return a;
    });
    return { series: [...this.names], x, y };
  }

  /** Bytes held by the columns. */
  get byteLength(): number {
    return this._capacity * 8 * (1 + this.cols.length);
  }
}
