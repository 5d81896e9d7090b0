/**
 * The chart as the view sees it: the few uPlot members it uses, so that tests
 * can inject a fake, and the real factory (uPlot with decimation, see decimate.ts).
 */
import uPlot from 'uplot';
import { withDecimation } from './decimate';

/** The part of uPlot that PlotView uses; tests inject a fake (the optional members are uPlot's, for zoom and pan). */
export interface PlotChart {
  setData(data: uPlot.AlignedData, resetScales?: boolean): void;
  setSize(size: { width: number; height: number }): void;
  destroy(): void;
  setScale?(key: string, limits: { min: number; max: number }): void;
  readonly scales?: { readonly [key: string]: { readonly min?: number | null; readonly max?: number | null } | undefined };
  /** Plot area in canvas pixels. */
  readonly bbox?: { readonly left: number; readonly width: number };
  /** The drawing canvas context (uPlot's `ctx`). */
  readonly ctx?: CanvasRenderingContext2D;
}

/** Creates a chart in `target`; the default makes a uPlot. */
export type ChartFactory = (opts: uPlot.Options, data: uPlot.AlignedData, target: HTMLElement) => PlotChart;

/** uPlot, drawing min/max per pixel column when more points than pixels are in view (see decimate.ts). */
export const defaultChartFactory: ChartFactory = withDecimation(
  (opts: uPlot.Options, data: uPlot.AlignedData, target: HTMLElement) => new uPlot(opts, data, target),
);

/** Whether the chart shows its series `index` (uPlot's numbering: 0 is x); true without a chart. */
export function isSeriesShown(chart: PlotChart | undefined, index: number): boolean {
  const series = (chart as { series?: { show?: boolean }[] } | undefined)?.series;
  return series?.[index]?.show !== false;
}
