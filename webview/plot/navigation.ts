/**
 * Zoom, pan and follow on the chart's x axis: drag to zoom (uPlot's selection),
 * Shift+drag to pan, Ctrl/Cmd+wheel to zoom, double-click to follow, and the
 * keys Left/Right, +/- and F. While following, the x range tracks the data;
 * any zoom or pan holds the range shown until the user follows again.
 */
import type uPlot from 'uplot';
import { DisposableStore, listen, type IDisposable } from '../lifecycle';
import type { PlotChart } from './chart';

/** Keyboard and mouse help for the chart (also its accessible description). */
export const CHART_HELP =
  'Drag to zoom, Shift+drag to pan, Ctrl+wheel to zoom, double-click to follow live data. ' +
  'Keys: Left/Right pan, +/- zoom, F follows live data. Legend entries toggle series (Enter or Space).';

/** Fraction of the x range that one arrow key press pans. */
const PAN_STEP = 0.1;
/** Zoom factor of one +/- key press or wheel notch. */
const ZOOM_STEP = 1.25;

/** An x range. */
export interface XRange {
  readonly min: number;
  readonly max: number;
}

/** What navigation needs from the view. */
export interface NavigationHost {
  /** The chart, once there is one. */
  chart(): PlotChart | undefined;
  /** The view's data, set again (re-ranging both axes) when following resumes. */
  data(): uPlot.AlignedData;
  /** The chart's width in CSS pixels, for when the chart does not report its plot area. */
  chartWidth(): number;
  /** Following or the x range shown changed: update controls and status. */
  changed(): void;
}

/** The x-axis navigation of one chart host element. */
export class Navigation implements IDisposable {
  private readonly store = new DisposableStore();
  private _following = true;
  /** The x range held while not following (kept across a chart rebuild). */
  private heldX: XRange | undefined;

  constructor(
    private readonly host: NavigationHost,
    private readonly chartHost: HTMLElement,
    private readonly win: Window & typeof globalThis,
  ) {
    this.store.add(listen<'keydown'>(chartHost, 'keydown', (e) => this.onKey(e)));
    this.wirePointer();
  }

  /** Whether the x axis follows the data (false while zoomed or panned). */
  get following(): boolean {
    return this._following;
  }

  /** The x range to keep when the chart is rebuilt: undefined while following. */
  heldRange(): XRange | undefined {
    return this._following ? undefined : (this.currentX() ?? this.heldX);
  }

  /** Follow the data (true: back to live) or hold the x range shown now. */
  setFollowing(follow: boolean): void {
    if (this._following === follow) {
      return;
    }
    this._following = follow;
    if (follow) {
      this.heldX = undefined;
      this.rescale();
    } else {
      this.heldX = this.currentX();
    }
    this.host.changed();
  }

  /** Re-applies the scales after the y range, the time window or following changed. */
  rescale(): void {
    const chart = this.host.chart();
    if (!chart) {
      return;
    }
    if (this._following) {
      chart.setData(this.host.data(), true);
    } else {
      const x = this.currentX();
      // Setting x again makes uPlot re-range y (auto or fixed).
      if (x && chart.setScale) {
        chart.setScale('x', x);
      }
    }
  }

  /** uPlot's drag selection ended: zoom to it. */
  onSelect(u: uPlot): void {
    const sel = u.select;
    if (!sel || sel.width < 3) {
      return;
    }
    const min = u.posToVal(sel.left, 'x');
    const max = u.posToVal(sel.left + sel.width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.zoomTo(min, max);
  }

  dispose(): void {
    this.store.dispose();
  }

  /** Shows x in [min, max] and stops following. */
  private zoomTo(min: number, max: number): void {
    const chart = this.host.chart();
    if (!chart?.setScale || !Number.isFinite(min) || !Number.isFinite(max) || !(max > min)) {
      return;
    }
    this._following = false;
    this.heldX = { min, max };
    chart.setScale('x', { min, max });
    this.host.changed();
  }

  private currentX(): XRange | undefined {
    const x = this.host.chart()?.scales?.x;
    return x && typeof x.min === 'number' && typeof x.max === 'number' ? { min: x.min, max: x.max } : undefined;
  }

  /** Zooms by `factor` (> 1 zooms in) around `at` (default: the middle). */
  private zoomBy(factor: number, at?: number): void {
    const x = this.currentX();
    if (!x) {
      return;
    }
    const c = at ?? (x.min + x.max) / 2;
    this.zoomTo(c - (c - x.min) / factor, c + (x.max - c) / factor);
  }

  /** Pans by a fraction of the x range shown (positive: later). */
  private panBy(fraction: number): void {
    const x = this.currentX();
    if (!x) {
      return;
    }
    const d = (x.max - x.min) * fraction;
    this.zoomTo(x.min + d, x.max + d);
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.host.chart() || e.altKey || e.ctrlKey || e.metaKey) {
      return;
    }
    switch (e.key) {
      case 'ArrowLeft':
        this.panBy(-PAN_STEP);
        break;
      case 'ArrowRight':
        this.panBy(PAN_STEP);
        break;
      case '+':
      case '=':
        this.zoomBy(ZOOM_STEP);
        break;
      case '-':
      case '_':
        this.zoomBy(1 / ZOOM_STEP);
        break;
      case 'f':
      case 'F':
      case 'Home':
        this.setFollowing(true);
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  }

  /** Plot width in CSS pixels. */
  private plotWidth(): number {
    const w = this.host.chart()?.bbox?.width;
    const dpr = this.win.devicePixelRatio || 1;
    return w && w > 0 ? w / dpr : this.host.chartWidth();
  }

  /** Shift+drag pans, Ctrl+wheel zooms, double-click follows; plain drag (uPlot's selection) zooms. */
  private wirePointer(): void {
    let pan: { x0: number; min: number; max: number; width: number } | undefined;
    // Capture phase on the host: runs before uPlot's own listeners on the plot area.
    this.store.add(
      listen<'mousedown'>(
        this.chartHost,
        'mousedown',
        (e) => {
          if (!e.shiftKey || e.button !== 0 || !this.host.chart()) {
            return;
          }
          const x = this.currentX();
          if (!x) {
            return;
          }
          pan = { x0: e.clientX, ...x, width: this.plotWidth() };
          e.preventDefault();
          e.stopPropagation();
        },
        true,
      ),
    );
    this.store.add(
      listen<'mousemove'>(this.win, 'mousemove', (e) => {
        if (!pan) {
          return;
        }
        const d = ((pan.x0 - e.clientX) / Math.max(1, pan.width)) * (pan.max - pan.min);
        this.zoomTo(pan.min + d, pan.max + d);
      }),
    );
    this.store.add(
      listen<'mouseup'>(this.win, 'mouseup', () => {
        pan = undefined;
      }),
    );
    this.store.add(
      listen<'dblclick'>(
        this.chartHost,
        'dblclick',
        (e) => {
          e.preventDefault();
          e.stopPropagation();
          this.setFollowing(true);
        },
        true,
      ),
    );
    this.store.add(
      listen<'wheel'>(
        this.chartHost,
        'wheel',
        (e) => {
          // Plain wheel scrolls the page (a notebook); Ctrl/Cmd+wheel zooms.
          const chart = this.host.chart();
          if (!(e.ctrlKey || e.metaKey) || !chart || e.deltaY === 0) {
            return;
          }
          e.preventDefault();
          const x = this.currentX();
          const left = this.chartHost.getBoundingClientRect().left + (chart.bbox?.left ?? 0) / (this.win.devicePixelRatio || 1);
          const at = x ? x.min + ((e.clientX - left) / Math.max(1, this.plotWidth())) * (x.max - x.min) : undefined;
          this.zoomBy(e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, at);
        },
        { passive: false },
      ),
    );
  }
}
