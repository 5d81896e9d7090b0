/**
 * Min/max decimation for drawing (webview/plot/decimate.ts): extremes kept, output
 * bounded by the pixel width, x still sorted, gaps kept, and the chart wrapper
 * re-decimating on zoom.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decimateMinMax,
  DrawDecimator,
  lowerBound,
  upperBound,
  withDecimation,
  type ColumnSet,
  type DecimatableChart,
} from '../../webview/plot/decimate';

/** A deterministic pseudo-random sequence in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function series(n: number, seriesCount: number, seed = 1): Float64Array[] {
  const r = rng(seed);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 1000 + i * 0.5;
  const ys = Array.from({ length: seriesCount }, (_, s) => {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = Math.sin(i / 500 + s) * 10 + (r() - 0.5) * 3;
    return y;
  });
  return [x, ...ys];
}

/** Min and max of column `col` over rows whose x falls in bucket `k` of [a, b] split in `w`. */
function bucketExtremes(data: ColumnSet, col: number, w: number, a: number, b: number) {
  const x = data[0]!;
  const y = data[col]!;
  const mins = new Array<number>(w).fill(Infinity);
  const maxs = new Array<number>(w).fill(-Infinity);
  for (let i = 0; i < x.length; i++) {
    const v = y[i];
    if (v == null || Number.isNaN(v)) continue;
    let k = Math.floor(((x[i]! - a) * w) / (b - a));
    k = Math.min(w - 1, Math.max(0, k));
    mins[k] = Math.min(mins[k]!, v);
    maxs[k] = Math.max(maxs[k]!, v);
  }
  return { mins, maxs };
}

function assertSorted(x: ArrayLike<number>): void {
  for (let i = 1; i < x.length; i++) assert.ok(x[i]! >= x[i - 1]!, `x not sorted at ${i}`);
}

describe('decimateMinMax', () => {
  it('keeps every per-column extreme, the first and last row, and bounds the output', () => {
    for (const S of [1, 4]) {
      const data = series(100_000, S, S);
      const w = 800;
      const out = decimateMinMax(data, w)!;
      assert.ok(out, 'decimated');
      assert.equal(out.length, S + 1);
      assert.ok(out[0]!.length <= w * 4, `length ${out[0]!.length} within 4 rows per pixel column`);
      assert.ok(out[0]!.length < 100_000 / 10, 'much smaller than the input');
      assertSorted(out[0]!);
      assert.equal(out[0]![0], data[0]![0]);
      assert.equal(out[0]![out[0]!.length - 1], data[0]![data[0]!.length - 1]);
      const a = data[0]![0]!;
      const b = data[0]![data[0]!.length - 1]!;
      for (let s = 1; s <= S; s++) {
        const want = bucketExtremes(data, s, w, a, b);
        const got = bucketExtremes(out, s, w, a, b);
        assert.deepEqual(got.mins, want.mins, `series ${s} minima`);
        assert.deepEqual(got.maxs, want.maxs, `series ${s} maxima`);
        // Global extremes too (a single spike must survive).
        assert.equal(Math.max(...out[s]!), Math.max(...data[s]!));
        assert.equal(Math.min(...out[s]!), Math.min(...data[s]!));
      }
    }
  });

  it('with one series, outputs rows of the input', () => {
    const data = series(20_000, 1, 7);
    const out = decimateMinMax(data, 300)!;
    const rowOf = new Map<number, number>();
    data[0]!.forEach((x, i) => rowOf.set(x, i));
    for (let i = 0; i < out[0]!.length; i++) {
      const r = rowOf.get(out[0]![i]!);
      assert.ok(r !== undefined);
      assert.equal(out[1]![i], data[1]![r]);
    }
    assert.equal(new Set(out[0]!).size, out[0]!.length, 'no row twice');
  });

  it('with several series, outputs only x and values of the input, at most 4 rows per column', () => {
    const data = series(20_000, 3, 9);
    const out = decimateMinMax(data, 300)!;
    assert.ok(out[0]!.length <= 1200);
    const xs = new Set(data[0]!);
    for (const v of out[0]!) assert.ok(xs.has(v));
    for (let s = 1; s <= 3; s++) {
      const vs = new Set(data[s]!);
      for (const v of out[s]!) assert.ok(vs.has(v), `value ${v} of series ${s} is one of its values`);
    }
  });

  it('keeps a lone spike', () => {
    const [x, y] = series(1_000_000, 1);
    y![777_777] = 1e6;
    y![123_456] = -1e6;
    const out = decimateMinMax([x!, y!], 640)!;
    assert.ok(out[1]!.includes(1e6));
    assert.ok(out[1]!.includes(-1e6));
    assert.ok(out[0]!.length <= 640 * 4);
  });

  it('keeps gaps: NaN never becomes an extreme, and a column with no value stays NaN', () => {
    const n = 10_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => (i >= 4000 && i < 6000 ? NaN : i % 7));
    const z = Float64Array.from({ length: n }, (_, i) => (i % 2 ? NaN : -(i % 5)));
    const out = decimateMinMax([x, y, z], 100)!;
    assertSorted(out[0]!);
    for (let i = 0; i < out[0]!.length; i++) {
      const xi = out[0]![i]!;
      if (xi > 4100 && xi < 5900) assert.ok(Number.isNaN(out[1]![i]), `gap kept at x=${xi}`);
    }
    // Outside the gap every column still has its 0 and 6.
    const { mins, maxs } = bucketExtremes(out, 1, 100, 0, n - 1);
    assert.equal(mins[0], 0);
    assert.equal(maxs[0], 6);
    assert.equal(mins[50], Infinity, 'no value in a column of the gap');
    // Interleaved NaN (sparse series) does not hide the extremes.
    const zz = bucketExtremes(out, 2, 100, 0, n - 1);
    assert.equal(zz.mins[10], -4);
    assert.equal(zz.maxs[10], -0);
    assert.ok(!out[1]!.some((v) => v === null));
  });

  it('treats null as a gap too', () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7];
    const y = [1, null, 5, undefined, -2, 3, null, 0];
    const out = decimateMinMax([x, y], 1)!;
    assert.deepEqual([...out[1]!], [1, 5, -2, 0]);
    assert.deepEqual([...out[0]!], [0, 2, 4, 7]);
  });

  it('decimates a sub-range, with rows beyond the edges folded into the edge columns', () => {
    const data = series(50_000, 1);
    const x = data[0]!;
    const a = x[10_000]!;
    const b = x[20_000]!;
    const out = decimateMinMax(data, 200, 9_999, 20_001, a, b)!;
    assert.equal(out[0]![0], x[9_999]);
    assert.equal(out[0]![out[0]!.length - 1], x[20_001]);
    assert.ok(out[0]!.length <= 200 * 4);
    assertSorted(out[0]!);
  });

  it('refuses unsorted or NaN x (drawn raw instead)', () => {
    assert.equal(decimateMinMax([[0, 2, 1, 3], [1, 2, 3, 4]], 1), undefined);
    assert.equal(decimateMinMax([[0, NaN, 2], [1, 2, 3]], 1), undefined);
  });

  it('handles a constant x, one row and no rows', () => {
    const out = decimateMinMax([[5, 5, 5, 5], [3, 1, 4, 1]], 10)!;
    // One column: first (3), min (1), max (4) and last (1) rows, in order.
    assert.deepEqual([...out[1]!], [3, 1, 4, 1]);
    assert.deepEqual([...out[0]!], [5, 5, 5, 5]);
    assert.deepEqual(decimateMinMax([[1], [2]], 10)!.map((c) => [...c]), [[1], [2]]);
    assert.deepEqual(decimateMinMax([[], []], 10)!.map((c) => c.length), [0, 0]);
  });
});

describe('binary searches', () => {
  it('find the bounds of a range', () => {
    const x = [1, 2, 2, 3, 5];
    assert.equal(lowerBound(x, 2), 1);
    assert.equal(upperBound(x, 2), 2);
    assert.equal(lowerBound(x, 4), 4);
    assert.equal(upperBound(x, 4), 3);
    assert.equal(lowerBound(x, 9), 5);
    assert.equal(upperBound(x, 0), -1);
  });
});

describe('DrawDecimator', () => {
  it('passes small data through and decimates beyond twice the width', () => {
    const d = new DrawDecimator();
    const small = series(1_500, 1);
    assert.equal(d.prepare(small, 800), small, 'same columns when ≤ 2 × width');
    assert.equal(d.decimated, false);
    const big = series(1_000_000, 1);
    const out = d.prepare(big, 800);
    assert.notEqual(out, big);
    assert.equal(d.decimated, true);
    assert.ok(out[0]!.length <= 3200);
  });

  it('zoomed far in, draws the full columns (the chart draws only what is in view)', () => {
    const d = new DrawDecimator();
    const big = series(1_000_000, 1);
    const x = big[0]!;
    assert.equal(d.prepare(big, 800, x[5000], x[5500]), big);
    assert.equal(d.decimated, false);
    // Zooming out again asks for decimation.
    assert.equal(d.needsUpdate(x[0]!, x[999_999]!, 800), true);
  });

  it('asks for an update only when the range moves by a pixel column or the width changes', () => {
    const d = new DrawDecimator();
    const big = series(200_000, 2);
    const x = big[0]!;
    d.prepare(big, 500);
    const a = x[0]!;
    const b = x[199_999]!;
    assert.equal(d.needsUpdate(a, b, 500), false);
    assert.equal(d.needsUpdate(a + (b - a) / 1000, b, 500), false, 'sub-pixel move');
    assert.equal(d.needsUpdate(a + (b - a) / 10, b, 500), true, 'zoom');
    assert.equal(d.needsUpdate(a, b, 600), true, 'resize');
  });
});

describe('withDecimation', () => {
  type Data = readonly ArrayLike<number>[];
  class FakeChart implements DecimatableChart<Data> {
    data: Data;
    series: { width?: number }[] = [{}, { width: 1.5 }, { width: 2 }];
    scales: { x: { min: number | null; max: number | null } } = { x: { min: null, max: null } };
    bbox = { width: 400 };
    redraws = 0;
    destroyed = false;
    constructor(
      readonly opts: { width: number; hooks?: Record<string, unknown> },
      data: Data,
    ) {
      this.data = data;
    }
    setData(data: Data, resetScales?: boolean): void {
      this.data = data;
      if (resetScales !== false) {
        const x = data[0]!;
        this.setScale(x[0]!, x[x.length - 1]!);
      }
    }
    setScale(min: number, max: number): void {
      this.scales.x = { min, max };
      for (const h of (this.opts.hooks?.setScale as ((u: unknown, k: string) => void)[]) ?? []) h(this, 'x');
    }
    redraw(): void {
      this.redraws++;
    }
    destroy(): void {
      this.destroyed = true;
    }
  }

  const factory = withDecimation((opts: { width: number; hooks?: Record<string, unknown> }, data: Data, _target: null) => new FakeChart(opts, data));
  const tick = () => new Promise<void>((r) => setTimeout(r, 0));

  it('decimates at creation and on setData, and keeps hooks the options had', async () => {
    let userHook = 0;
    const big = series(1_000_000, 1);
    const chart = factory({ width: 400, hooks: { setScale: [() => userHook++] } }, big, null);
    assert.ok(chart.data[0]!.length <= 400 * 4, 'created with decimated data');
    chart.setData(big);
    assert.ok(chart.data[0]!.length <= 400 * 4);
    assert.equal(userHook, 1, 'the options hook still runs');
    await tick();
    assert.equal(chart.redraws, 0, 'no re-decimation when x covers the whole data');
  });

  it('re-decimates the zoomed range from the full data, before the next frame', async () => {
    const big = series(1_000_000, 1);
    const x = big[0]!;
    const chart = factory({ width: 400 }, big, null);
    chart.setData(big);
    const coarse = chart.data;
    chart.setScale(x[100_000]!, x[200_000]!);
    await tick();
    assert.equal(chart.redraws, 1);
    assert.notEqual(chart.data, coarse);
    const dx = chart.data[0]!;
    assert.ok(dx[0]! <= x[100_000]! && dx[dx.length - 1]! >= x[200_000]!, 'covers the zoomed range');
    assert.ok(dx[dx.length - 1]! <= x[200_001]!, 'and not much more');
    // Keeping the zoom while data arrives: setData(…, false) decimates the zoomed range.
    chart.setData(big, false);
    assert.ok(chart.data[0]![0]! >= x[99_999]!);
    // Zoomed far in: the full columns are drawn.
    chart.setScale(x[500_000]!, x[500_300]!);
    await tick();
    assert.equal(chart.data, big);
    chart.destroy();
    assert.equal(chart.destroyed, true);
  });

  it('strokes thin series as hairlines while the data is decimated, and gives their width back after', async () => {
    const big = series(1_000_000, 2);
    const small = series(300, 2);
    const chart = factory({ width: 400 }, small, null);
    assert.deepEqual(chart.series.map((x) => x.width), [undefined, 1.5, 2], 'sparse data: own widths');
    chart.setData(big);
    assert.equal(chart.series[1]!.width, 1, '1.5 px becomes a 1 device-pixel hairline');
    assert.equal(chart.series[2]!.width, 2, 'a 2 px (high-contrast) line keeps its width');
    chart.setData(small);
    assert.equal(chart.series[1]!.width, 1.5, 'sparse again: own width back');
    // A series added later gets the same treatment.
    chart.series.push({ width: 1.5 });
    chart.setData(series(1_000_000, 3));
    assert.equal(chart.series[3]!.width, 1);
    // Zooming far in: full data, own widths.
    const x = chart.data === undefined ? [] : (series(1_000_000, 3)[0] as Float64Array);
    chart.setScale(x[500_000]!, x[500_300]!);
    await tick();
    assert.equal(chart.series[1]!.width, 1.5);
    // denseWidth 0 keeps every width.
    const keep = withDecimation((opts: { width: number; hooks?: Record<string, unknown> }, data: Data, _t: null) => new FakeChart(opts, data), { denseWidth: 0 });
    const c2 = keep({ width: 400 }, big, null);
    c2.setData(big);
    assert.equal(c2.series[1]!.width, 1.5);
  });
});

