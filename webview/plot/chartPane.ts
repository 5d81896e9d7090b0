/**
 * The chart area of a plot view: the focusable chart element with its
 * placeholder, the legend below it, and the uPlot chart itself. Draws at most
 * once per animation frame however many messages arrived, rebuilds the chart
 * when the series, the kind of x axis or the theme change, and follows the
 * container's size.
 */
import type uPlot from 'uplot';
import type { ViewSessionInfo, YRange } from '../../src/shared/protocol';
import { isEpochMs } from '../../src/shared/timeAxis';
import { DisposableStore, toDisposable, type IDisposable } from '../lifecycle';
import { isSeriesShown, type ChartFactory, type PlotChart } from './chart';
import { chartOptions, fitX, fitY } from './chartOptions';
import type { DataWindow } from './dataWindow';
import { elementMaker } from './dom';
import { enhanceLegend, syncLegend } from './legend';
import { CHART_HELP, type XRange } from './navigation';
import { drawPng } from './png';
import { readTheme, themeKey, type ChartTheme } from './theme';

/** Chart size used until the container has been laid out. */
const FALLBACK_SIZE = { width: 600, height: 300 };

/** What the chart needs from the view. */
export interface ChartPaneHost {
  info(): ViewSessionInfo | undefined;
  /** The y range in force. */
  yRange(): YRange;
  /** Whether the x axis follows the data. */
  following(): boolean;
  /** The x range to keep across a rebuild (undefined while following). */
  heldRange(): XRange | undefined;
  /** A drag selection ended. */
  onSelect(u: uPlot): void;
  /** The chart was drawn or a series toggled: update controls and status. */
  changed(): void;
}

/** The chart area of one view. */
export class ChartPane implements IDisposable {
  private readonly store = new DisposableStore();
  /** The focusable chart element (keyboard zoom and pan). */
  readonly element: HTMLElement;
  private readonly placeholder: HTMLElement;
  private readonly legendHost: HTMLElement;
  private readonly win: Window & typeof globalThis;
  private chartInstance: PlotChart | undefined;
  private chartKey = '';
  private size = { width: 0, height: 0 };
  private frame = 0;
  private theme: ChartTheme;
  private disposed = false;

  /** Appends the chart element, its help text and the legend to `root`. */
  constructor(
    private readonly root: HTMLElement,
    private readonly data: DataWindow,
    private readonly createChart: ChartFactory,
    private readonly host: ChartPaneHost,
    opts: { readonly title: string; readonly uid: string },
  ) {
    const doc = root.ownerDocument;
    this.win = (doc.defaultView ?? window) as Window & typeof globalThis;
    const el = elementMaker(doc);
    this.element = el('div', 'lp-chart', root);
    // Focusable for keyboard zoom and pan; the help is its description.
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-roledescription', 'chart');
    this.element.setAttribute('aria-label', `${opts.title} chart`);
    const help = el('span', 'lp-sr-only', root);
    help.id = `${opts.uid}-help`;
    help.textContent = CHART_HELP;
    this.element.setAttribute('aria-describedby', help.id);
    this.placeholder = el('div', 'lp-placeholder', this.element);
    this.placeholder.textContent = 'Waiting for data…';
    this.legendHost = el('div', 'lp-legend', root);
    this.theme = readTheme(root);
    this.observe();
  }

  /** The chart, once data has arrived. */
  get chart(): PlotChart | undefined {
    return this.chartInstance;
  }

  /** Follows the container's size and VS Code's theme; destroys the chart on dispose. */
  private observe(): void {
    const RO = this.win.ResizeObserver;
    if (RO) {
      const ro = new RO(() => this.resize());
      ro.observe(this.element);
      this.store.add(toDisposable(() => ro.disconnect()));
    }
    const doc = this.root.ownerDocument;
    const MO = this.win.MutationObserver;
    if (MO && doc.body) {
      // VS Code switches themes by changing body classes and the variables on <html>.
      const mo = new MO(() => {
        const next = readTheme(this.root);
        if (themeKey(next) !== themeKey(this.theme)) {
          this.theme = next;
          this.scheduleDraw();
        }
      });
      mo.observe(doc.body, { attributes: true, attributeFilter: ['class'] });
      mo.observe(doc.documentElement, { attributes: true, attributeFilter: ['style'] });
      this.store.add(toDisposable(() => mo.disconnect()));
    }
    this.store.add(
      toDisposable(() => {
        if (this.frame) {
          this.win.cancelAnimationFrame(this.frame);
          this.frame = 0;
        }
        this.chartInstance?.destroy();
        this.chartInstance = undefined;
      }),
    );
  }

  /** The chart's width in CSS pixels when it was last sized. */
  get width(): number {
    return this.size.width;
  }

  /** Whether data series `i` (0-based) is shown, not toggled off in the legend. */
  isShown(i: number): boolean {
    return isSeriesShown(this.chartInstance, i + 1);
  }

  /** Names the chart for assistive technology. */
  setTitle(title: string): void {
    this.element.setAttribute('aria-label', `${title} chart`);
  }

  /** The text shown until there is a chart. */
  setPlaceholder(text: string): void {
    if (this.placeholder.textContent !== text) {
      this.placeholder.textContent = text;
    }
  }

  /** Asks for a draw at the next animation frame (once, however often asked). */
  scheduleDraw(): void {
    if (!this.frame && !this.disposed) {
      this.frame = this.win.requestAnimationFrame(this.onFrame);
    }
  }

  /** The time window in ms, if the session has one and this chart has a time axis. */
  timeWindowMs(): number | undefined {
    const w = this.host.info()?.windowSeconds;
    return typeof w === 'number' && Number.isFinite(w) && w > 0 && this.isTimeAxis() ? w * 1000 : undefined;
  }

  /** The chart as a PNG data URL (see png.ts). */
  toPng(title: string): string | undefined {
    const canvas = this.element.querySelector('canvas');
    return drawPng({
      doc: this.root.ownerDocument,
      devicePixelRatio: this.win.devicePixelRatio || 1,
      canvas,
      cssWidth: canvas ? 0 : this.measure().width,
      placeholder: this.placeholder.textContent ?? '',
      theme: this.theme,
      title,
      series: this.data.series,
      isShown: (i) => this.isShown(i),
    });
  }

  dispose(): void {
    this.disposed = true;
    this.store.dispose();
  }

  /** At most one setData per animation frame, however many messages arrived. */
  private readonly onFrame = (): void => {
    this.frame = 0;
    if (this.disposed || this.data.series.length === 0) {
      return;
    }
    const timeX = this.isTimeAxis();
    const key = `${this.data.series.join('\u0000')}|${timeX}|${themeKey(this.theme)}`;
    const view = this.data.view();
    if (this.chartInstance && key === this.chartKey) {
      // While zoomed or panned, new data must not move the x range.
      this.chartInstance.setData(view, this.host.following());
      this.host.changed();
      return;
    }
    // New series, kind of x axis or theme: a new chart, keeping a held x range.
    const held = this.host.heldRange();
    this.chartInstance?.destroy();
    this.chartInstance = undefined;
    this.chartKey = key;
    this.placeholder.hidden = true;
    const size = this.measure();
    this.size = size;
    const isShown = (index: number): boolean => isSeriesShown(this.chartInstance, index);
    const opts = chartOptions({
      size,
      timeX,
      theme: this.theme,
      series: this.data.series,
      legendHost: this.legendHost,
      latest: (s) => this.latest(s),
      xRange: (min, max) =>
        fitX(min, max, { following: this.host.following(), windowMs: this.timeWindowMs(), timeAxis: this.isTimeAxis() }),
      yRange: (min, max) => fitY(min, max, this.host.yRange()),
      onSelect: (u) => this.host.onSelect(u),
      onSeriesToggled: () => {
        syncLegend(this.legendHost, isShown);
        this.host.changed();
      },
    });
    this.chartInstance = this.createChart(opts, view, this.element);
    enhanceLegend(this.legendHost, this.data.series, isShown);
    if (held && this.chartInstance.setScale) {
      this.chartInstance.setScale('x', held);
    }
    this.host.changed();
  };

  /** Append mode with epoch-millisecond x (or no data yet) shows wall-clock time. */
  private isTimeAxis(): boolean {
    if (this.host.info()?.mode !== 'append') {
      return false;
    }
    const x0 = this.data.firstX();
    return x0 === undefined || isEpochMs(x0);
  }

  /** The newest finite value of column `s` (0 = x), for the legend when the cursor is away. */
  private latest(s: number): number | undefined {
    const col = this.data.view()[s];
    if (!col) {
      return undefined;
    }
    for (let i = col.length - 1; i >= 0 && i >= col.length - 10_000; i--) {
      const v = col[i]!;
      if (!Number.isNaN(v)) {
        return v;
      }
    }
    return undefined;
  }

  private measure(): { width: number; height: number } {
    const w = Math.floor(this.element.clientWidth);
    const h = Math.floor(this.element.clientHeight);
    return {
      width: w > 0 ? w : FALLBACK_SIZE.width,
      height: h > 0 ? h : FALLBACK_SIZE.height,
    };
  }

  private resize(): void {
    if (!this.chartInstance) {
      return;
    }
    const size = this.measure();
    if (size.width !== this.size.width || size.height !== this.size.height) {
      this.size = size;
      this.chartInstance.setSize(size);
    }
  }
}
