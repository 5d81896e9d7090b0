/**
 * DOM unit tests of PlotView's chart features (issue 7): y axis auto/fixed,
 * follow/zoom/pan, legend values, time window, export buttons and PNG requests.
 * Runs under happy-dom with a fake chart that records what PlotView asks of it.
 */
import { after, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Window } from 'happy-dom';
import type uPlot from 'uplot';
import type { HostToViewMessage, ViewSessionInfo, ViewToHostMessage } from '../../src/shared/protocol';
import { readYRange, sameYRange, saneYRange } from '../../src/shared/yRange';
import type { ChartFactory, PlotChart } from '../../webview/plot/chart';
import { fitX, fitY } from '../../webview/plot/chartOptions';
import { PlotView } from '../../webview/plot/plotView';
import { RateMeter } from '../../webview/plot/status';
import { checkYRange, SpecError } from '../../src/core/spec';

const win = new Window({ url: 'https://webview.test/' });
const doc = win.document as unknown as Document;
after(async () => {
  await win.happyDOM.close();
});

/** A chart that keeps uPlot's scales as PlotView's range functions compute them. */
class FakeChart implements PlotChart {
  readonly data: uPlot.AlignedData[] = [];
  readonly resets: (boolean | undefined)[] = [];
  readonly setScales: { key: string; min: number; max: number }[] = [];
  scales: Record<string, { min: number | null; max: number | null }> = { x: { min: null, max: null }, y: { min: null, max: null } };
  series: { show: boolean }[];
  readonly bbox = { left: 0, width: 600 };
  destroyed = false;
  constructor(readonly opts: uPlot.Options, data: uPlot.AlignedData) {
    this.series = opts.series.map(() => ({ show: true }));
    this.setData(data);
  }
  /** uPlot's auto-ranging, through the options' range functions. */
  private autoRange(data: uPlot.AlignedData): void {
    const x = data[0] as ArrayLike<number>;
    const xr = this.range('x', x.length ? x[0]! : null, x.length ? x[x.length - 1]! : null);
    this.scales.x = { min: xr[0], max: xr[1] };
    this.rangeY(data);
  }
  private rangeY(data: uPlot.AlignedData): void {
    let lo = Infinity;
    let hi = -Infinity;
    const x = data[0] as ArrayLike<number>;
    const { min, max } = this.scales.x!;
    for (let s = 1; s < data.length; s++) {
      const col = data[s] as ArrayLike<number>;
      for (let i = 0; i < col.length; i++) {
        if (min != null && max != null && (x[i]! < min || x[i]! > max)) continue;
        lo = Math.min(lo, col[i]!);
        hi = Math.max(hi, col[i]!);
      }
    }
    const yr = this.range('y', lo === Infinity ? null : lo, hi === -Infinity ? null : hi);
    this.scales.y = { min: yr[0], max: yr[1] };
  }
  range(key: string, min: number | null, max: number | null): uPlot.Range.MinMax {
    const r = this.opts.scales?.[key]?.range;
    return typeof r === 'function' ? (r as (u: unknown, a: number | null, b: number | null, k: string) => uPlot.Range.MinMax)(this, min, max, key) : [min, max];
  }
  setData(data: uPlot.AlignedData, resetScales?: boolean): void {
    this.data.push(data);
    this.resets.push(resetScales);
    if (resetScales !== false) this.autoRange(data);
  }
  setScale(key: string, limits: { min: number; max: number }): void {
    this.setScales.push({ key, ...limits });
    const r = this.range(key, limits.min, limits.max);
    this.scales[key] = { min: r[0], max: r[1] };
    if (key === 'x') this.rangeY(this.data.at(-1)!);
  }
  setSize(): void {}
  destroy(): void {
    this.destroyed = true;
  }
  /** What the legend shows for series `s` (cursor at `idx`, or away). */
  legend(s: number, idx: number | null): string {
    const v = idx == null ? null : (this.data.at(-1)![s] as ArrayLike<number>)[idx]!;
    const fmt = this.opts.series[s]!.value as (u: unknown, v: number | null, s: number, idx: number | null) => string;
    return String(fmt(this, v, s, idx));
  }
  /** Simulates uPlot's drag selection ending over [left, left + width] px of a 600 px plot. */
  select(left: number, width: number): void {
    const { min, max } = this.scales.x!;
    const u = {
      select: { left, width, top: 0, height: 100 },
      posToVal: (px: number) => min! + (px / 600) * (max! - min!),
      setSelect: () => undefined,
    };
    for (const hook of (this.opts.hooks?.setSelect ?? []) as ((u: unknown) => void)[]) hook(u);
  }
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => win.requestAnimationFrame(() => resolve()));
}

const VIEW = 'view-1';

function info(over: Partial<ViewSessionInfo> = {}): ViewSessionInfo {
  return {
    id: 'session-1',
    title: 'Pump pressure',
    sourceKind: 'sine',
    state: 'running',
    periodMs: 500,
    points: 100,
    paused: false,
    mode: 'replace',
    periodRange: { min: 250, max: 2000, step: 250 },
    maxPoints: 1000,
    rate: 2,
    malformed: 0,
    ...over,
  };
}

/** x = from.., y = x (and 10x for a second series). */
function cols(from: number, n: number, series = ['a'], step = 1) {
  const x = Float64Array.from({ length: n }, (_, i) => from + i * step);
  const y = series.map((_, s) => Float64Array.from({ length: n }, (_, i) => (i + 1) * 10 ** s));
  return { series, x, y };
}

type Control = HTMLElement & { value: string; disabled: boolean; checked?: boolean };

function makeView() {
  const root = doc.createElement('div');
  doc.body.appendChild(root);
  const posted: ViewToHostMessage[] = [];
  const charts: FakeChart[] = [];
  const factory: ChartFactory = (opts, data) => {
    const c = new FakeChart(opts, data);
    charts.push(c);
    return c;
  };
  const view = new PlotView(root, (m) => posted.push(m), { viewId: VIEW, closeLabel: 'Close', createChart: factory });
  const q = <T extends HTMLElement = Control>(sel: string): T => {
    const el = root.querySelector(sel);
    assert.ok(el, `missing ${sel}`);
    return el as T;
  };
  const send = (m: HostToViewMessage) => view.handle(m);
  const snapshot = async (n = 10, over: Partial<ViewSessionInfo> = {}, from = 1, series = ['a'], step = 1) => {
    send({ type: 'snapshot', viewId: VIEW, info: info(over), ...cols(from, n, series, step) });
    await nextFrame();
  };
  return { root, view, posted, charts, q, send, snapshot, chart: () => charts.at(-1)!, ds: root.dataset };
}

beforeEach(() => {
  doc.body.replaceChildren();
  doc.body.className = 'vscode-dark';
});

describe('PlotView y axis', () => {
  it('Fixed starts from the range shown and sends it; Auto sends auto', async () => {
    const h = makeView();
    await h.snapshot(10);
    const mode = h.q('.lp-ymode');
    const fixed = h.q('.lp-yfixed');
    assert.equal(fixed.hidden, true);
    const { min, max } = h.chart().scales.y!;
    mode.value = 'fixed';
    mode.dispatchEvent(new win.Event('change') as unknown as Event);
    const sent = h.posted.at(-1);
    assert.equal(sent?.type, 'setYRange');
    const rounded = [Number(min!.toPrecision(3)), Number(max!.toPrecision(3))];
    assert.deepEqual((sent as { yRange: unknown }).yRange, rounded);
    assert.equal(fixed.hidden, false);
    assert.equal(h.ds.yRange, rounded.join(','));
    mode.value = 'auto';
    mode.dispatchEvent(new win.Event('change') as unknown as Event);
    assert.deepEqual(h.posted.at(-1), { type: 'setYRange', viewId: VIEW, yRange: 'auto' });
  });

  it('min and max fields send a valid range on Enter, and refuse min ≥ max', async () => {
    const h = makeView();
    await h.snapshot(10, { yRange: [0, 100] });
    assert.equal(h.q('.lp-ymode').value, 'fixed');
    assert.equal(h.q('.lp-ymin').value, '0');
    assert.equal(h.q('.lp-ymax').value, '100');
    assert.deepEqual(h.chart().scales.y, { min: 0, max: 100 }, 'the chart uses the fixed range');
    const n = h.posted.length;
    h.q('.lp-ymax').value = '-5';
    h.q('.lp-ymax').dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Enter' }) as unknown as Event);
    assert.equal(h.posted.length, n, 'nothing sent');
    assert.ok(h.q('.lp-ymax').hasAttribute('invalid'));
    assert.match(h.q('.lp-status').textContent ?? '', /min must be a number below max/);
    h.q('.lp-ymax').value = '50';
    h.q('.lp-ymax').dispatchEvent(new win.Event('change') as unknown as Event);
    assert.deepEqual(h.posted.at(-1), { type: 'setYRange', viewId: VIEW, yRange: [0, 50] });
    assert.ok(!h.q('.lp-ymax').hasAttribute('invalid'));
    assert.deepEqual(h.chart().scales.y, { min: 0, max: 50 }, 'applied at once, before the host answers');
  });

  it('follows the host: a range set from the tree shows in the controls and the chart', async () => {
    const h = makeView();
    await h.snapshot(10);
    h.send({ type: 'info', viewId: VIEW, info: info({ yRange: [-3, 3] }) });
    assert.equal(h.q('.lp-ymode').value, 'fixed');
    assert.deepEqual(h.chart().scales.y, { min: -3, max: 3 });
    assert.match(h.q('.lp-status').textContent ?? '', /y -3 to 3/);
    h.send({ type: 'info', viewId: VIEW, info: info({ yRange: 'auto' }) });
    assert.equal(h.q('.lp-ymode').value, 'auto');
    assert.ok(h.chart().scales.y!.max! >= 10, 'auto again');
  });

  it('saneYRange and sameYRange', () => {
    assert.equal(saneYRange(undefined), 'auto');
    assert.equal(saneYRange([2, 1]), 'auto');
    assert.equal(saneYRange([0, NaN]), 'auto');
    assert.deepEqual(saneYRange([0, 1]), [0, 1]);
    // The spec validator's bound (src/core/spec.ts checks the same rule).
    assert.equal(saneYRange([-1e301, 0]), 'auto');
    assert.deepEqual(saneYRange([-1e300, 1e300]), [-1e300, 1e300]);
    assert.equal(readYRange('auto'), 'auto');
    assert.equal(readYRange([1, 2, 3]), undefined);
    assert.equal(readYRange(['0', 1]), undefined);
    assert.ok(sameYRange([0, 1], [0, 1]) && sameYRange('auto', 'auto') && !sameYRange('auto', [0, 1]));
  });

  it('the page and the spec validator accept the same y ranges', () => {
    const cases: unknown[] = ['auto', [0, 1], [1, 0], [0, 0], [-1e300, 1e300], [0, 1e301], [NaN, 1], [0, Infinity], ['0', 1], [0], [0, 1, 2], null, 'fixed'];
    for (const c of cases) {
      let host: unknown;
      try {
        host = checkYRange(c);
      } catch (e) {
        assert.ok(e instanceof SpecError);
        host = undefined;
      }
      assert.deepEqual(readYRange(c), host, JSON.stringify(c));
    }
  });
});

describe('PlotView parts', () => {
  it('fitX: the data range, its last window while following, some width around a single x', () => {
    const live = { following: true, windowMs: 10_000, timeAxis: true };
    assert.deepEqual(fitX(0, 50_000, live), [40_000, 50_000]);
    assert.deepEqual(fitX(0, 50_000, { ...live, following: false }), [0, 50_000]);
    assert.deepEqual(fitX(5, 5, { following: true, windowMs: undefined, timeAxis: false }), [4, 6]);
    assert.deepEqual(fitX(5, 5, { following: true, windowMs: undefined, timeAxis: true }), [-495, 505]);
    assert.deepEqual(fitX(null, null, live), [null, null]);
  });

  it('fitY: the fixed range, else the data with headroom, [0, 1] without finite data', () => {
    assert.deepEqual(fitY(0, 100, [-1, 1]), [-1, 1]);
    assert.deepEqual(fitY(null, null, 'auto'), [0, 1]);
    assert.deepEqual(fitY(0, Infinity, 'auto'), [0, 1]);
    const [lo, hi] = fitY(0, 100, 'auto');
    assert.ok(lo! <= 0 && hi! >= 100, `${lo}..${hi}`);
  });

  it('RateMeter: messages per second over the last 3 s, 0 once they stop', () => {
    const m = new RateMeter();
    assert.equal(m.rate(0), undefined);
    for (let t = 0; t <= 2000; t += 250) m.note(t);
    assert.equal(m.rate(2000), 4);
    assert.equal(m.rate(5001), 0);
  });
});

describe('PlotView zoom, pan and follow', () => {
  it('a drag selection zooms and stops following; new data keeps the range; Follow returns to live', async () => {
    const h = makeView();
    await h.snapshot(100);
    assert.equal(h.ds.following, 'true');
    h.chart().select(0, 300); // the first half of x = 1..100
    assert.equal(h.ds.following, 'false');
    assert.equal(h.q('.lp-follow').checked, false);
    assert.deepEqual(h.chart().setScales.at(-1), { key: 'x', min: 1, max: 50.5 });
    assert.match(h.q('.lp-status').textContent ?? '', /zoomed/);
    h.send({ type: 'delta', viewId: VIEW, replace: true, points: 100, ...cols(1, 100) });
    await nextFrame();
    assert.equal(h.chart().resets.at(-1), false, 'new data does not reset the scale while zoomed');
    assert.deepEqual(h.chart().scales.x, { min: 1, max: 50.5 });
    const follow = h.q('.lp-follow');
    follow.checked = true;
    follow.dispatchEvent(new win.Event('change') as unknown as Event);
    assert.equal(h.ds.following, 'true');
    assert.equal(h.chart().resets.at(-1), true);
    assert.deepEqual(h.chart().scales.x, { min: 1, max: 100 });
  });

  it('keyboard on the chart: arrows pan, + and - zoom, F follows', async () => {
    const h = makeView();
    await h.snapshot(101, { points: 101 }, 0);
    const chart = h.q('.lp-chart');
    assert.equal(chart.tabIndex, 0);
    assert.match(chart.getAttribute('aria-label') ?? '', /Pump pressure chart/);
    const key = (k: string) => chart.dispatchEvent(new win.KeyboardEvent('keydown', { key: k, cancelable: true }) as unknown as Event);
    key('ArrowRight');
    assert.deepEqual(h.chart().scales.x, { min: 10, max: 110 });
    key('ArrowLeft');
    key('ArrowLeft');
    assert.deepEqual(h.chart().scales.x, { min: -10, max: 90 });
    key('+');
    const z = h.chart().scales.x!;
    assert.ok(Math.abs(z.max! - z.min! - 80) < 1e-9, 'zoomed in by 1.25');
    key('-');
    const w = h.chart().scales.x!;
    assert.ok(Math.abs(w.max! - w.min! - 100) < 1e-9, 'and out again');
    assert.equal(h.ds.following, 'false');
    key('f');
    assert.equal(h.ds.following, 'true');
    assert.deepEqual(h.chart().scales.x, { min: 0, max: 100 });
  });

  it('double-click follows again', async () => {
    const h = makeView();
    await h.snapshot(100);
    h.chart().select(100, 100);
    assert.equal(h.ds.following, 'false');
    h.q('.lp-chart').dispatchEvent(new win.MouseEvent('dblclick', { bubbles: true }) as unknown as Event);
    assert.equal(h.ds.following, 'true');
  });

  it('a tiny selection (a click) does not zoom', async () => {
    const h = makeView();
    await h.snapshot(100);
    h.chart().select(100, 1);
    assert.equal(h.ds.following, 'true');
    assert.equal(h.chart().setScales.length, 0);
  });
});

describe('PlotView time window and legend', () => {
  const T0 = Date.UTC(2026, 0, 1);

  it('windowSeconds shows only the last N seconds of a time axis while following', async () => {
    const h = makeView();
    // 60 samples, 1 s apart.
    await h.snapshot(60, { mode: 'append', windowSeconds: 10 }, T0, ['a'], 1000);
    const last = T0 + 59_000;
    assert.deepEqual(h.chart().scales.x, { min: last - 10_000, max: last });
    assert.ok(h.chart().scales.y!.min! > 40, `y fits the window only: ${JSON.stringify(h.chart().scales.y)}`);
    assert.match(h.q('.lp-status').textContent ?? '', /last 10 s/);
    h.chart().select(0, 300);
    assert.deepEqual(h.chart().scales.x, { min: last - 10_000, max: last - 5000 }, 'zooming inside the window');
  });

  it('windowSeconds is ignored without a time axis', async () => {
    const h = makeView();
    await h.snapshot(60, { mode: 'append', windowSeconds: 10 });
    assert.deepEqual(h.chart().scales.x, { min: 1, max: 60 });
    assert.doesNotMatch(h.q('.lp-status').textContent ?? '', /last/);
  });

  it('the legend shows values under the cursor, and the newest values when the cursor is away', async () => {
    const h = makeView();
    await h.snapshot(5, {}, 1, ['a', 'b']);
    const c = h.chart();
    assert.equal(c.legend(1, 1), '2');
    assert.equal(c.legend(2, 1), '20');
    assert.equal(c.legend(1, null), '5', 'newest a');
    assert.equal(c.legend(2, null), '50', 'newest b');
    assert.equal(c.legend(0, null), '5', 'newest x');
  });

  it('records the series shown for tests and screen readers', async () => {
    const h = makeView();
    await h.snapshot(5, {}, 1, ['a', 'b']);
    assert.equal(h.ds.visibleSeries, 'a,b');
    h.chart().series[1]!.show = false;
    for (const hook of (h.chart().opts.hooks?.setSeries ?? []) as (() => void)[]) hook();
    assert.equal(h.ds.visibleSeries, 'b');
  });
});

describe('PlotView export', () => {
  const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

  /** A recording 2D context, and canvases that export PNG. */
  function fakeCanvas(): { calls: string[]; restore(): void } {
    const proto = (win as unknown as { HTMLCanvasElement: { prototype: Record<string, unknown> } }).HTMLCanvasElement.prototype;
    const { getContext, toDataURL } = proto;
    const calls: string[] = [];
    const ctx = new Proxy({} as Record<string, unknown>, {
      get: (_t, k) => (k === 'measureText' ? () => ({ width: 30 }) : (...args: unknown[]) => calls.push(`${String(k)}(${args.length ? String(args[0]).slice(0, 40) : ''})`)),
      set: (_t, k, v) => (calls.push(`${String(k)}=${String(v)}`), true),
    });
    proto.getContext = () => ctx;
    proto.toDataURL = () => PNG;
    return {
      calls,
      restore: () => {
        proto.getContext = getContext;
        proto.toDataURL = toDataURL;
      },
    };
  }

  it('the CSV button asks the host to export', async () => {
    const h = makeView();
    await h.snapshot(5);
    h.q('.lp-export-csv').click();
    assert.deepEqual(h.posted.at(-1), { type: 'exportCsv', viewId: VIEW });
    assert.match(h.q('.lp-export-csv').getAttribute('aria-label') ?? '', /CSV/);
  });

  it('the PNG button renders title, chart and legend on the theme background and sends it', async () => {
    const canvas = fakeCanvas();
    try {
      const h = makeView();
      await h.snapshot(5, {}, 1, ['a', 'b']);
      h.q('.lp-chart').appendChild(doc.createElement('canvas'));
      h.q('.lp-export-png').click();
      assert.deepEqual(h.posted.at(-1), { type: 'exportPng', viewId: VIEW, dataUrl: PNG });
      const text = canvas.calls.join(' ');
      assert.match(text, /fillText\(Pump pressure\)/);
      assert.match(text, /drawImage\(/);
      assert.match(text, /fillText\(a\).*fillText\(b\)/);
    } finally {
      canvas.restore();
    }
  });

  it('answers a renderPng request with its id; ignores requests for other views', async () => {
    const canvas = fakeCanvas();
    try {
      const h = makeView();
      await h.snapshot(5);
      h.send({ type: 'renderPng', viewId: 'other', requestId: 'png-1' });
      assert.notEqual(h.posted.at(-1)?.type, 'exportPng');
      h.send({ type: 'renderPng', viewId: VIEW, requestId: 'png-2' });
      assert.deepEqual(h.posted.at(-1), { type: 'exportPng', viewId: VIEW, dataUrl: PNG, requestId: 'png-2' });
    } finally {
      canvas.restore();
    }
  });

  it('export buttons are disabled once the session has ended (the host exports from the live session)', async () => {
    const h = makeView();
    await h.snapshot(5);
    assert.equal(h.q('.lp-export-csv').disabled, false);
    h.send({ type: 'ended', viewId: VIEW, reason: 'user-closed' });
    assert.equal(h.q('.lp-export-csv').disabled, true);
    assert.equal(h.q('.lp-export-png').disabled, true);
    const n = h.posted.length;
    h.q('.lp-export-csv').click();
    assert.equal(h.posted.length, n);
  });

  it('without canvas support the PNG button says so and sends nothing', async () => {
    const h = makeView();
    await h.snapshot(5);
    const n = h.posted.length;
    h.q('.lp-export-png').click();
    assert.equal(h.posted.length, n);
    assert.match(h.q('.lp-status').textContent ?? '', /cannot render a PNG/);
  });
});
