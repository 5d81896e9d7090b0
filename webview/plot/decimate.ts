/**
 * Decimation for drawing: when a chart would draw more points than it has pixel
 * columns, it is given, per pixel column, the rows that hold each series' first,
 * last, minimum and maximum value instead. The picture is the same (every
 * extreme is kept, so spikes never disappear), the cost of a redraw depends on
 * the chart's width instead of the window, and the data itself is untouched:
 * zooming in re-decimates the visible x range from the full columns.
 *
 * No DOM and no uPlot import: the chart is reached through the few members it
 * needs, so that this module is unit-tested in plain Node.
 */

/** A column as a chart takes it; `null`/`undefined` and NaN are gaps. */
export type Column = ArrayLike<number | null | undefined>;
/** x first (sorted, non-decreasing), then one column per series, all the same length. */
export type ColumnSet = readonly Column[];

/** Decimate when more than this many points per pixel column are in view. */
export const DECIMATE_FACTOR = 2;

/** Reusable output columns, grown on demand (never shrunk). */
export class DecimationBuffers {
  private cols: Float64Array[] = [];
  private rows = 0;

  /** `count` columns of at least `rows` rows each. */
  take(count: number, rows: number): Float64Array[] {
    if (this.cols.length !== count || this.rows < rows) {
      this.rows = Math.max(rows, this.rows);
      this.cols = Array.from({ length: count }, () => new Float64Array(this.rows));
    }
    return this.cols;
  }
}

/** Index of the first x ≥ `v` in the sorted column `x` within [lo, hi]; hi + 1 if none. */
export function lowerBound(x: Column, v: number, lo = 0, hi = x.length - 1): number {
  let a = lo;
  let b = hi + 1;
  while (a < b) {
    const m = (a + b) >>> 1;
    if ((x[m] as number) < v) a = m + 1;
    else b = m;
  }
  return a;
}

/** Index of the last x ≤ `v` in the sorted column `x` within [lo, hi]; lo - 1 if none. */
export function upperBound(x: Column, v: number, lo = 0, hi = x.length - 1): number {
  let a = lo;
  let b = hi + 1;
  while (a < b) {
    const m = (a + b) >>> 1;
    if ((x[m] as number) <= v) a = m + 1;
    else b = m;
  }
  return a - 1;
}

/**
 * Min/max decimation of rows [lo, hi] into `buckets` equal x intervals over
 * [xMin, xMax] (rows outside it fall into the first or last interval).
 *
 * Per interval (pixel column) at most four rows come out: the first row, each
 * series' two extremes (minimum and maximum, in the order they occur), and the
 * last row, so that the line drawn through them covers exactly the vertical
 * extent of the raw data in that column and joins its neighbours where the raw
 * line does. With one series these are rows of the data; with several, the two
 * middle rows carry each series' own extremes (at the x of the earliest and the
 * latest of them), which keeps the output at `4 × buckets` rows whatever the
 * number of series — fewer line segments to rasterize, which is what a software
 * canvas pays for.
 * NaN (and null) never count as an extreme; a series with no value in an interval
 * stays NaN there, so gaps stay gaps. x stays non-decreasing.
 *
 * Returns undefined (draw the raw data) if x is not sorted in [lo, hi] or is NaN.
 */
export function decimateMinMax(
  data: ColumnSet,
  buckets: number,
  lo = 0,
  hi = (data[0]?.length ?? 0) - 1,
  xMin?: number,
  xMax?: number,
  buffers: DecimationBuffers = new DecimationBuffers(),
): Float64Array[] | undefined {
  const x = data[0];
  if (!x) return undefined;
  const S = data.length - 1;
  lo = Math.max(0, lo | 0);
  hi = Math.min(x.length - 1, hi | 0);
  if (hi < lo) return data.map(() => new Float64Array(0));
  // Sorted (and no NaN) x, or no pixel columns make sense.
  for (let i = lo + 1; i <= hi; i++) if (!((x[i] as number) >= (x[i - 1] as number))) return undefined;
  if ((x[lo] as number) !== (x[lo] as number)) return undefined;
  const a = xMin ?? (x[lo] as number);
  const b = xMax ?? (x[hi] as number);
  buckets = Math.max(1, Math.floor(buckets));
  const span = b - a;
  if (!(span >= 0)) return undefined; // NaN bounds
  if (span === 0) buckets = 1;
  const out = buffers.take(S + 1, buckets * 4);
  const ox = out[0]!;
  const ys = data.slice(1);
  const minI = new Int32Array(S);
  const maxI = new Int32Array(S);
  const minV = new Float64Array(S);
  const maxV = new Float64Array(S);
  let o = 0;

  const rawRow = (r: number): void => {
    ox[o] = x[r] as number;
    for (let s = 0; s < S; s++) {
      const v = ys[s]![r];
      out[s + 1]![o] = v == null ? NaN : v;
    }
    o++;
  };

  // Column k holds the rows with a + k·w ≤ x < a + (k+1)·w (rows beyond [a, b] go to the
  // first or last column). Each column is a contiguous run of rows: found by binary
  // search, then scanned per series in a tight loop.
  const w = span / buckets;
  let start = lo;
  for (let k = 0; k < buckets && start <= hi; k++) {
    const end = k === buckets - 1 ? hi : lowerBound(x, a + (k + 1) * w, start, hi) - 1;
    if (end < start) continue;
    for (let s = 0; s < S; s++) extremes(ys[s]!, start, end, s, minI, maxI, minV, maxV);
    rawRow(start);
    if (end !== start) {
      if (S === 1) {
        // Real rows: first, the extremes in order, last (each once).
        const i = minI[0]!;
        const j = maxI[0]!;
        if (i >= 0) {
          const e1 = Math.min(i, j);
          const e2 = Math.max(i, j);
          if (e1 !== start) rawRow(e1);
          if (e2 !== e1 && e2 !== end) rawRow(e2);
        }
      } else {
        // Several series: two rows holding each series' extremes in their order.
        let e1 = end;
        let e2 = start;
        for (let s = 0; s < S; s++) {
          if (minI[s]! < 0) continue;
          e1 = Math.min(e1, minI[s]!, maxI[s]!);
          e2 = Math.max(e2, minI[s]!, maxI[s]!);
        }
        if (e1 > e2) e1 = e2;
        ox[o] = x[e1] as number;
        ox[o + 1] = x[e2] as number;
        for (let s = 0; s < S; s++) {
          const col = out[s + 1]!;
          const first = minI[s]! <= maxI[s]!;
          col[o] = minI[s]! < 0 ? NaN : first ? minV[s]! : maxV[s]!;
          col[o + 1] = minI[s]! < 0 ? NaN : first ? maxV[s]! : minV[s]!;
        }
        o += 2;
      }
      rawRow(end);
    }
    start = end + 1;
  }
  return out.map((c) => c.subarray(0, o));
}

/** Min and max of `col` over rows [from, to] into slot `s` (index -1: no value there). */
function extremes(
  col: Column,
  from: number,
  to: number,
  s: number,
  minI: Int32Array,
  maxI: Int32Array,
  minV: Float64Array,
  maxV: Float64Array,
): void {
  let mi = -1;
  let ma = -1;
  let lo = Infinity;
  let hi = -Infinity;
  if (col instanceof Float64Array) {
    // The usual case, kept monomorphic and branch-light: NaN fails both comparisons.
    for (let i = from; i <= to; i++) {
      const v = col[i]!;
      if (v < lo) {
        lo = v;
        mi = i;
      }
      if (v > hi) {
        hi = v;
        ma = i;
      }
    }
  } else {
    for (let i = from; i <= to; i++) {
      const v = col[i];
      if (v == null) continue;
      if (v < lo) {
        lo = v;
        mi = i;
      }
      if (v > hi) {
        hi = v;
        ma = i;
      }
    }
  }
  // A column of ±Infinity only has one side found; both point at a value row.
  if (mi < 0) mi = ma;
  if (ma < 0) ma = mi;
  minI[s] = mi;
  maxI[s] = ma;
  minV[s] = lo === Infinity ? hi : lo;
  maxV[s] = hi === -Infinity ? lo : hi;
}

/** What a decimator covered last: the x range, the pixel columns, and whether it decimated. */
interface Coverage {
  readonly decimated: boolean;
  readonly xMin: number;
  readonly xMax: number;
  readonly width: number;
}

/**
 * Chooses what a chart draws for the full columns over an x range: the full
 * columns themselves when at most `factor × width` rows are in view (the chart
 * then draws only the rows in view, which is cheap), else their min/max
 * decimation over that range (with one row beyond each edge, so lines reach the
 * border). Keeps the full columns to re-decimate when the range changes.
 */
export class DrawDecimator {
  private full: ColumnSet = [];
  private coverage: Coverage | undefined;
  private readonly buffers = new DecimationBuffers();
  /** Full columns whose x is not sorted are drawn raw until the next data. */
  private unsorted = false;

  constructor(readonly factor = DECIMATE_FACTOR) {}

  /** Whether the last {@link prepare} decimated. */
  get decimated(): boolean {
    return this.coverage?.decimated ?? false;
  }

  /** The full columns last given to {@link prepare}. */
  get data(): ColumnSet {
    return this.full;
  }

  /**
   * What to draw for `full` at `width` pixel columns over [xMin, xMax]
   * (default: the whole x range).
   */
  prepare(full: ColumnSet, width: number, xMin?: number, xMax?: number): ColumnSet {
    if (full !== this.full) this.unsorted = false;
    this.full = full;
    const x = full[0];
    const n = x?.length ?? 0;
    width = Math.max(1, Math.round(width));
    if (!x || n === 0 || this.unsorted) return this.raw(n, width);
    const a = xMin ?? (x[0] as number);
    const b = xMax ?? (x[n - 1] as number);
    const i0 = xMin === undefined ? 0 : Math.max(0, lowerBound(x, a) - 1);
    const i1 = xMax === undefined ? n - 1 : Math.min(n - 1, upperBound(x, b) + 1);
    if (i1 - i0 + 1 <= this.factor * width) return this.raw(n, width);
    const dec = decimateMinMax(full, width, i0, i1, a, b, this.buffers);
    if (!dec) {
      this.unsorted = true;
      return this.raw(n, width);
    }
    this.coverage = { decimated: true, xMin: a, xMax: b, width };
    return dec;
  }

  /** Whether the chart's x range or width moved enough that {@link prepare} would give something else. */
  needsUpdate(xMin: number, xMax: number, width: number): boolean {
    const c = this.coverage;
    const x = this.full[0];
    if (!c || !x || x.length === 0 || this.unsorted || !(xMax >= xMin)) return false;
    width = Math.max(1, Math.round(width));
    const inView = upperBound(x, xMax) - lowerBound(x, xMin) + 1;
    const want = inView > this.factor * width;
    if (!want) return c.decimated;
    if (!c.decimated || c.width !== width) return true;
    // Less than a pixel column of difference at either edge looks the same.
    const tol = (xMax - xMin) / width;
    return Math.abs(xMin - c.xMin) > tol || Math.abs(xMax - c.xMax) > tol;
  }

  private raw(n: number, width: number): ColumnSet {
    const x = this.full[0];
    this.coverage = { decimated: false, xMin: n ? (x![0] as number) : 0, xMax: n ? (x![n - 1] as number) : 0, width };
    return this.full;
  }
}

/** The members of a chart (uPlot) that decimation uses. */
export interface DecimatableChart<D> {
  setData(data: D, resetScales?: boolean): void;
  redraw(rebuildPaths?: boolean, recalcAxes?: boolean): void;
  destroy(): void;
  readonly scales: { readonly [key: string]: { readonly min?: number | null; readonly max?: number | null } | undefined };
  /** Plot area in canvas pixels (uPlot). */
  readonly bbox?: { readonly width: number };
  /** The chart's series (uPlot: x first); their `width` is read at each draw. */
  readonly series?: readonly { width?: number }[];
}

/** The members of chart options (uPlot) that decimation uses. */
export interface DecimatableOptions {
  readonly width: number;
  readonly hooks?: { readonly [name: string]: unknown };
}

type ChartHook = (self: never, key?: string) => void;

/** How decimated (dense) data is stroked: see {@link withDecimation}. */
export interface DecimationOptions {
  /** Decimate when more than this many points per pixel column are in view. */
  readonly factor?: number;
  /**
   * Line width in device pixels for series whose data is decimated, when their
   * own width is thinner than 2 CSS px (a high-contrast theme's 2 px stay).
   * Default 1: a hairline, which software raster strokes several times faster
   * than a 1.5 px line over a noisy signal (measured: 60 vs 31 fps for a
   * 1350 × 750 canvas), and which looks the same when every pixel column is
   * filled from its minimum to its maximum. 0 keeps the series' widths.
   */
  readonly denseWidth?: number;
}

/**
 * Wraps a chart factory (uPlot's constructor) so that every chart it makes
 * draws decimated data when there are more points in view than pixel columns:
 * - `setData(full)` draws the decimation of the whole x range (the chart then
 *   auto-ranges x over the same first and last x);
 * - `setData(full, false)` keeps the x range and decimates that range;
 * - a zoom or resize (x scale or size change) re-decimates the new range from
 *   the full columns, before the frame is painted.
 * Cursor and legend read the decimated rows (each a real row of the data).
 * While the data drawn is decimated, thin series are stroked as hairlines
 * (`denseWidth`); their own width comes back when it is not.
 */
export function withDecimation<O extends DecimatableOptions, D, T, C extends DecimatableChart<D>>(
  create: (opts: O, data: D, target: T) => C,
  options: DecimationOptions = {},
): (opts: O, data: D, target: T) => C {
  const factor = options.factor ?? DECIMATE_FACTOR;
  const denseWidth = options.denseWidth ?? 1;
  return (opts, data, target) => {
    const dec = new DrawDecimator(factor);
    /** Each series' own width, by series object (series may be added later). */
    const ownWidth = new WeakMap<object, number | undefined>();
    let chart: C | undefined;
    let destroyed = false;
    let queued = false;
    const dpr = (): number => {
      const r = (globalThis as { devicePixelRatio?: number }).devicePixelRatio;
      return typeof r === 'number' && r > 0 ? r : 1;
    };
    const width = (): number => {
      const w = chart?.bbox?.width;
      return w && w > 0 ? w : opts.width * dpr();
    };
    const xRange = (): [number, number] | undefined => {
      const s = chart?.scales.x;
      return s && typeof s.min === 'number' && typeof s.max === 'number' ? [s.min, s.max] : undefined;
    };
    // A zoom or resize is handled in a microtask: after the chart's own commit,
    // before the browser paints.
    const refresh = (): void => {
      if (queued || destroyed) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        const r = xRange();
        if (destroyed || !chart || !r || !dec.needsUpdate(r[0], r[1], width())) return;
        setRaw(dec.prepare(dec.data, width(), r[0], r[1]) as unknown as D, false);
        chart.redraw();
      });
    };
    const hooks: Record<string, unknown> = { ...(opts.hooks ?? {}) };
    const addHook = (name: string, fn: ChartHook): void => {
      const had = hooks[name];
      hooks[name] = [...(Array.isArray(had) ? had : had ? [had] : []), fn];
    };
    addHook('setScale', (_self, key) => {
      if (key === 'x') refresh();
    });
    addHook('setSize', () => refresh());
    /** Hairlines for thin series while the data drawn is decimated. */
    const applyWidths = (): void => {
      const list = chart?.series;
      if (!list || denseWidth <= 0) return;
      for (let i = 1; i < list.length; i++) {
        const s = list[i]!;
        if (!ownWidth.has(s)) ownWidth.set(s, s.width);
        const own = ownWidth.get(s);
        const thin = own === undefined || own < 2;
        const want = dec.decimated && thin ? denseWidth / dpr() : own;
        if (s.width !== want) s.width = want;
      }
    };

    const first = dec.prepare(data as unknown as ColumnSet, width());
    chart = create({ ...opts, hooks }, first as unknown as D, target);
    // The first frame is drawn by the constructor, before this; the next draw uses these.
    applyWidths();
    const setRaw0 = chart.setData.bind(chart);
    const setRaw = (d: D, resetScales?: boolean): void => {
      applyWidths();
      setRaw0(d, resetScales);
    };
    const destroy = chart.destroy.bind(chart);
    chart.setData = (d: D, resetScales?: boolean): void => {
      const r = resetScales === false ? xRange() : undefined;
      setRaw(dec.prepare(d as unknown as ColumnSet, width(), r?.[0], r?.[1]) as unknown as D, resetScales);
    };
    chart.destroy = (): void => {
      destroyed = true;
      destroy();
    };
    return chart;
  };
}
