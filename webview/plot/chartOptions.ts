/**
 * uPlot options of the view's chart: scales, axes and their ticks, series
 * styles from the theme, the legend's values, and the hooks that route drag
 * selection and legend toggles back to the view.
 */
import uPlot from 'uplot';
import type { YRange } from '../../src/shared/protocol';
import { formatNumber, formatOrDash, formatTime, timeLabels } from './format';
import type { ChartTheme } from './theme';

/** What the options are built from; the callbacks are the view's. */
export interface ChartSetup {
  readonly size: { width: number; height: number };
  /** x holds epoch milliseconds (wall-clock ticks). */
  readonly timeX: boolean;
  readonly theme: ChartTheme;
  /** Series names, in data order. */
  readonly series: readonly string[];
  /** Where uPlot mounts the legend. */
  readonly legendHost: HTMLElement;
  /** The newest finite value of column `s` (0 = x), shown in the legend while the cursor is away. */
  latest(s: number): number | undefined;
  /** The x range to show for the data's [min, max]. */
  xRange(min: number | null, max: number | null): uPlot.Range.MinMax;
  /** The y range to show for the data's [min, max]. */
  yRange(min: number | null, max: number | null): uPlot.Range.MinMax;
  /** A drag selection ended (the view zooms to it). */
  onSelect(u: uPlot): void;
  /** A series was shown or hidden from the legend. */
  onSeriesToggled(): void;
}

/** uPlot options for a chart of `setup.size`. */
export function chartOptions(setup: ChartSetup): uPlot.Options {
  const { theme: t, timeX } = setup;
  const axis: uPlot.Axis = {
    stroke: t.axis,
    font: t.font,
    labelFont: t.font,
    grid: { stroke: t.grid, width: 1 },
    ticks: { stroke: t.grid, width: 1, size: 4 },
  };
  // Values under the cursor; the newest values while the cursor is elsewhere.
  const at = (v: number | null, s: number, idx: number | null | undefined): number | undefined =>
    idx == null ? setup.latest(s) : v == null || Number.isNaN(v) ? undefined : v;
  const series: uPlot.Series[] = [
    timeX
      ? { label: 'time', value: (_u, v, s, idx) => formatOrDash(at(v, s, idx), formatTime) }
      : { label: 'x', value: (_u, v, s, idx) => formatOrDash(at(v, s, idx), formatNumber) },
  ];
  setup.series.forEach((name, i) => {
    // Past the palette, the colours repeat dashed, then dotted.
    const cycle = Math.floor(i / t.series.length);
    series.push({
      label: name,
      stroke: t.series[i % t.series.length],
      width: t.lineWidth,
      dash: cycle === 0 ? undefined : cycle === 1 ? [6, 3] : [2, 3],
      value: (_u, v, s, idx) => formatOrDash(at(v, s, idx), formatNumber),
    });
  });
  return {
    width: setup.size.width,
    height: setup.size.height,
    ms: 1,
    scales: {
      x: { time: timeX, range: (_u, min, max) => setup.xRange(min, max) },
      y: { range: (_u, min, max) => setup.yRange(min, max) },
    },
    series,
    axes: [
      { ...axis, size: xAxisSize(t), space: timeX ? 70 : 50, ...(timeX ? { values: timeTickLabels } : {}) },
      { ...axis, size: yAxisSize, space: 30 },
    ],
    // Drag selects an x range; onSelect zooms to it (so that every zoom goes through the view's navigation).
    cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 7 } },
    select: { show: true, left: 0, top: 0, width: 0, height: 0 },
    hooks: {
      setSelect: [(u) => setup.onSelect(u)],
      setSeries: [() => setup.onSeriesToggled()],
    },
    legend: {
      show: true,
      live: true,
      mount: (_u, el) => setup.legendHost.replaceChildren(el),
    },
  };
}

/** How the x range follows the data. */
export interface XFit {
  /** Following live data (not zoomed or panned). */
  readonly following: boolean;
  /** The time window in ms, if the session has one and x holds times. */
  readonly windowMs: number | undefined;
  readonly timeAxis: boolean;
}

/** x range: the data's, or its last `windowMs` while following; a single x gets some width. */
export function fitX(min: number | null, max: number | null, f: XFit): uPlot.Range.MinMax {
  if (min == null || max == null) {
    return [min, max];
  }
  if (f.following && f.windowMs !== undefined) {
    return [max - f.windowMs, max];
  }
  if (min === max) {
    return f.timeAxis ? [min - 500, max + 500] : [min - 1, max + 1];
  }
  return [min, max];
}

/** y range: the fixed one, or fitted to the data shown with some headroom. */
export function fitY(min: number | null, max: number | null, range: YRange): uPlot.Range.MinMax {
  if (range !== 'auto') {
    return [range[0], range[1]];
  }
  if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) {
    return [0, 1];
  }
  return uPlot.rangeNum(min, max, 0.1, true);
}

/** Time ticks as wall-clock times, as precise as the tick spacing needs (x in ms). */
function timeTickLabels(_u: uPlot, splits: number[], _axisIdx: number, _space: number, incr: number): string[] {
  return timeLabels(splits, incr);
}

/** x axis height: one line of labels below the ticks (uPlot's default leaves room for two). */
function xAxisSize(t: ChartTheme): number {
  const px = parseFloat(t.font) || 11;
  return Math.ceil(px * 1.4 + 4 + 5 + 4);
}

/** y axis width from its widest tick label, so large numbers are not clipped. */
function yAxisSize(self: uPlot, values: string[], axisIdx: number, cycleNum: number): number {
  const axis = self.axes[axisIdx];
  if (cycleNum > 1) {
    return (axis as { _size?: number })._size ?? 50;
  }
  let size = (axis.ticks?.size ?? 4) + (axis.gap ?? 5) + 8;
  const longest = (values ?? []).reduce((acc, v) => (v && v.length > acc.length ? v : acc), '');
  if (longest) {
    const font = Array.isArray(axis.font) ? axis.font[0] : axis.font;
    if (typeof font === 'string') {
      self.ctx.font = font;
    }
    size += self.ctx.measureText(longest).width / (self.ctx.canvas.ownerDocument.defaultView?.devicePixelRatio || 1);
  }
  return Math.ceil(size);
}
