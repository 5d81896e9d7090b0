/**
 * PlotView: one live plot (uPlot chart, controls, status line) bound to one view
 * id. Shared by the panel page and the notebook renderer; it knows nothing about
 * how messages travel, only the protocol.
 *
 * The vscode-elements components are registered by the entry points (see
 * elements.ts), not here, so that this module loads in a fake DOM for tests.
 */
import uPlot from 'uplot';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type {
  DeltaMessage,
  HostToViewMessage,
  SnapshotMessage,
  ViewSessionInfo,
  ViewToHostMessage,
  YRange,
} from '../../src/shared/protocol';
import { DataWindow } from './dataWindow';
import { withDecimation } from './decimate';
import { DisposableStore, listen, toDisposable, type IDisposable } from '../lifecycle';
import { readTheme, themeKey, type ChartTheme } from './theme';
import { StartGate } from './startGate';

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

/** Options of a {@link PlotView}. */
export interface PlotViewOptions {
  /** This view's id in the protocol; messages for other ids are ignored. */
  readonly viewId: string;
  /** Label of the button that ends the session ('Close' in panels, 'Stop' in notebooks). */
  readonly closeLabel: 'Close' | 'Stop';
  /** `fill`: the chart fills the root (panels); `fixed`: a fixed-height chart (notebook outputs). */
  readonly layout?: 'fill' | 'fixed';
  /** Title to show until the host's first info arrives. */
  readonly title?: string;
  /** Chart factory, for tests. */
  readonly createChart?: ChartFactory;
  /** The notebook output's session uuid (renderers): lets the user start an output that has no session. */
  readonly output?: string;
}

/** `data-state` values besides the session states. */
export type ViewState = ViewSessionInfo['state'] | 'connecting' | 'unknown-session' | 'not-started';

/** x values above this (ms since epoch, 1973) are taken as times in append mode. */
const EPOCH_MS_THRESHOLD = 1e11;
/** Chart size used until the container has been laid out. */
const FALLBACK_SIZE = { width: 600, height: 300 };
/** The period select lists every step up to this many options, else a choice of round values. */
const MAX_PERIOD_OPTIONS = 40;
const NICE_PERIODS = [
  10, 20, 25, 50, 100, 200, 250, 500, 750, 1000, 1500, 2000, 2500, 3000, 5000, 10000, 15000, 20000,
  30000, 45000, 60000,
];

/** uPlot, drawing min/max per pixel column when more points than pixels are in view (see decimate.ts). */
const defaultChartFactory: ChartFactory = withDecimation((opts: uPlot.Options, data: uPlot.AlignedData, target: HTMLElement) => new uPlot(opts, data, target));

/** Keyboard and mouse help for the chart (also its accessible description). */
export const CHART_HELP =
  'Drag to zoom, Shift+drag to pan, Ctrl+wheel to zoom, double-click to follow live data. ' +
  'Keys: Left/Right pan, +/- zoom, F follows live data. Legend entries toggle series (Enter or Space).';

/** Span over which the view measures its update rate. */
const RATE_WINDOW_MS = 3000;
/** Fraction of the x range that one arrow key press pans. */
const PAN_STEP = 0.1;
/** Zoom factor of one +/- key press or wheel notch. */
const ZOOM_STEP = 1.25;

/** A live plot bound to one view id. */
export class PlotView implements IDisposable {
  private readonly store = new DisposableStore();
  private readonly viewId: string;
  private readonly createChart: ChartFactory;
  private readonly data = new DataWindow();
  private readonly win: Window & typeof globalThis;
  private readonly doc: Document;

  private disposed = false;
  private info: ViewSessionInfo | undefined;
  private state: ViewState = 'connecting';
  private statusOverride: string | undefined;
  private updates = 0;
  /** Rows received in data messages since the view started (monotonic; `data-received`). */
  private received = 0;
  private ignored = 0;
  private requestedPeriod: number | undefined;
  private requestedPoints: number | undefined;
  private requestedYRange: YRange | undefined;
  private periodOptionsKey = '';
  /** Whether the x axis follows the data (false while zoomed or panned). */
  private following = true;
  /** The x range held while not following (kept across a chart rebuild). */
  private heldX: { min: number; max: number } | undefined;
  /** A short message for the status line (e.g. an invalid y range), cleared by the next valid action. */
  private notice: string | undefined;

  private chart: PlotChart | undefined;
  private chartKey = '';
  private chartSize = { width: 0, height: 0 };
  private frame = 0;
  private theme: ChartTheme;

  // DOM
  private readonly titleEl: HTMLElement;
  private readonly sourceEl: HTMLElement;
  private readonly periodSelect: VscodeSingleSelect;
  private readonly pointsField: VscodeTextfield;
  private readonly pauseButton: VscodeButton;
  private readonly closeButton: VscodeButton;
  private readonly yModeSelect: VscodeSingleSelect;
  private readonly yMinField: VscodeTextfield;
  private readonly yMaxField: VscodeTextfield;
  private readonly yFixedGroup: HTMLElement;
  private readonly followBox: VscodeCheckbox;
  private readonly csvButton: VscodeButton;
  private readonly pngButton: VscodeButton;
  private readonly chartHost: HTMLElement;
  private readonly placeholder: HTMLElement;
  private readonly legendHost: HTMLElement;
  private readonly stateEl: HTMLElement;
  private readonly statsEl: HTMLElement;
  private readonly gate: StartGate;

  constructor(
    private readonly root: HTMLElement,
    private readonly post: (msg: ViewToHostMessage) => void,
    opts: PlotViewOptions,
  ) {
    this.viewId = opts.viewId;
    this.createChart = opts.createChart ?? defaultChartFactory;
    this.doc = root.ownerDocument;
    this.win = (this.doc.defaultView ?? window) as Window & typeof globalThis;
    const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, parent?: Element) => {
      const e = this.doc.createElement(tag);
      if (cls) {
        e.className = cls;
      }
      parent?.appendChild(e);
      return e;
    };
    const uid = `lp-${this.viewId.replace(/[^\w-]/g, '')}`;

    root.classList.add('lp-root', opts.layout === 'fill' ? 'lp-fill' : 'lp-fixed');
    root.replaceChildren();

    const toolbar = el('div', 'lp-toolbar', root);
    const heading = el('div', 'lp-heading', toolbar);
    this.titleEl = el('span', 'lp-title', heading);
    this.titleEl.textContent = opts.title ?? 'Live plot';
    this.sourceEl = el('span', 'lp-source', heading);

    const controls = el('div', 'lp-controls', toolbar);
    controls.setAttribute('role', 'group');
    controls.setAttribute('aria-label', 'Plot controls');

    const periodGroup = el('div', 'lp-field', controls);
    const periodLabel = el('vscode-label', undefined, periodGroup);
    el('span', 'normal', periodLabel).textContent = 'Period';
    periodLabel.setAttribute('for', `${uid}-period`);
    this.periodSelect = el('vscode-single-select', 'lp-period', periodGroup);
    this.periodSelect.id = `${uid}-period`;
    this.periodSelect.setAttribute('aria-label', 'Refresh period');
    this.periodSelect.label = 'Refresh period';

    const pointsGroup = el('div', 'lp-field', controls);
    const pointsLabel = el('vscode-label', undefined, pointsGroup);
    el('span', 'normal', pointsLabel).textContent = 'Points';
    pointsLabel.setAttribute('for', `${uid}-points`);
    this.pointsField = el('vscode-textfield', 'lp-points', pointsGroup);
    this.pointsField.id = `${uid}-points`;
    this.pointsField.setAttribute('type', 'number');
    this.pointsField.setAttribute('min', '1');
    this.pointsField.setAttribute('aria-label', 'Number of points');

    // Y axis: auto, or fixed with min and max fields.
    const yGroup = el('div', 'lp-field lp-y', controls);
    const yLabel = el('vscode-label', undefined, yGroup);
    el('span', 'normal', yLabel).textContent = 'Y axis';
    yLabel.setAttribute('for', `${uid}-ymode`);
    this.yModeSelect = el('vscode-single-select', 'lp-ymode', yGroup);
    this.yModeSelect.id = `${uid}-ymode`;
    this.yModeSelect.setAttribute('aria-label', 'Y axis range');
    this.yModeSelect.label = 'Y axis range';
    for (const [value, text] of [['auto', 'Auto'], ['fixed', 'Fixed']] as const) {
      const o = el('vscode-option', undefined, this.yModeSelect);
      o.setAttribute('value', value);
      o.textContent = text;
    }
    this.yModeSelect.value = 'auto';
    this.yFixedGroup = el('span', 'lp-yfixed', yGroup);
    this.yFixedGroup.hidden = true;
    this.yMinField = el('vscode-textfield', 'lp-ymin', this.yFixedGroup);
    this.yMaxField = el('vscode-textfield', 'lp-ymax', this.yFixedGroup);
    for (const [f, name] of [[this.yMinField, 'minimum'], [this.yMaxField, 'maximum']] as const) {
      f.setAttribute('type', 'number');
      f.setAttribute('aria-label', `Y axis ${name}`);
      f.setAttribute('placeholder', name === 'minimum' ? 'min' : 'max');
    }

    const follow = el('div', 'lp-field lp-follow-field', controls);
    this.followBox = el('vscode-checkbox', 'lp-follow', follow);
    this.followBox.setAttribute('label', 'Follow');
    this.followBox.textContent = 'Follow';
    this.followBox.checked = true;
    this.followBox.setAttribute('checked', '');
    this.followBox.setAttribute('aria-label', 'Follow live data (off while zoomed or panned)');
    this.followBox.title = 'Follow live data; zooming or panning turns it off';

    // The buttons wrap as one group in narrow views.
    const buttons = el('div', 'lp-buttons', controls);
    this.csvButton = el('vscode-button', 'lp-export-csv', buttons);
    this.csvButton.setAttribute('secondary', '');
    this.csvButton.textContent = 'CSV';
    this.csvButton.setAttribute('aria-label', 'Export the data in the window as CSV');
    this.csvButton.title = 'Export the data in the window as CSV…';
    this.pngButton = el('vscode-button', 'lp-export-png', buttons);
    this.pngButton.setAttribute('secondary', '');
    this.pngButton.textContent = 'PNG';
    this.pngButton.setAttribute('aria-label', 'Save the chart as a PNG image');
    this.pngButton.title = 'Save the chart as a PNG image…';

    this.pauseButton = el('vscode-button', 'lp-pause', buttons);
    this.pauseButton.setAttribute('secondary', '');
    this.pauseButton.textContent = 'Pause';
    this.pauseButton.setAttribute('aria-label', 'Pause updates');
    this.pauseButton.setAttribute('aria-pressed', 'false');

    this.closeButton = el('vscode-button', 'lp-close', buttons);
    this.closeButton.setAttribute('secondary', '');
    this.closeButton.textContent = opts.closeLabel;
    this.closeButton.setAttribute(
      'aria-label',
      opts.closeLabel === 'Stop' ? 'Stop the live plot session' : 'Close the live plot session',
    );

    const output = opts.output;
    this.gate = new StartGate(this.doc, () => {
      if (output) this.send({ type: 'start', viewId: this.viewId, output });
    });
    root.appendChild(this.gate.element);
    this.store.add(this.gate);

    this.chartHost = el('div', 'lp-chart', root);
    // Focusable for keyboard zoom and pan; the help is its description.
    this.chartHost.tabIndex = 0;
    this.chartHost.setAttribute('role', 'group');
    this.chartHost.setAttribute('aria-roledescription', 'chart');
    this.chartHost.setAttribute('aria-label', `${opts.title ?? 'Live plot'} chart`);
    const help = el('span', 'lp-sr-only', root);
    help.id = `${uid}-help`;
    help.textContent = CHART_HELP;
    this.chartHost.setAttribute('aria-describedby', help.id);
    this.placeholder = el('div', 'lp-placeholder', this.chartHost);
    this.placeholder.textContent = 'Waiting for data…';
    this.legendHost = el('div', 'lp-legend', root);

    const status = el('div', 'lp-status', root);
    this.stateEl = el('span', 'lp-state', status);
    // Only the state is announced: the statistics change every period.
    this.stateEl.setAttribute('aria-live', 'polite');
    this.statsEl = el('span', 'lp-stats', status);

    this.theme = readTheme(root);
    this.wireControls();
    this.observe();
    this.store.add(
      toDisposable(() => {
        if (this.frame) {
          this.win.cancelAnimationFrame(this.frame);
          this.frame = 0;
        }
        this.chart?.destroy();
        this.chart = undefined;
      }),
    );
    this.render();
  }

  /** Applies one message from the host; messages for other views are ignored. */
  handle(msg: HostToViewMessage): void {
    if (this.disposed || !msg || typeof msg !== 'object' || msg.viewId !== this.viewId) {
      return;
    }
    try {
      switch (msg.type) {
        case 'snapshot':
          this.onSnapshot(msg);
          break;
        case 'delta':
          this.onDelta(msg);
          break;
        case 'info':
          if (this.state === 'ended' || !isInfo(msg.info)) {
            this.ignored++;
            break;
          }
          this.setInfo(msg.info);
          break;
        case 'ended':
          if (isInfo(msg.info)) {
            this.info = msg.info;
          }
          this.state = 'ended';
          this.statusOverride = `ended — ${typeof msg.reason === 'string' && msg.reason ? msg.reason : 'session closed'}`;
          break;
        case 'renderPng': {
          const dataUrl = typeof msg.requestId === 'string' ? this.toPng() : undefined;
          if (dataUrl) {
            this.send({ type: 'exportPng', viewId: this.viewId, dataUrl, requestId: msg.requestId });
          }
          break;
        }
        case 'not-started':
          // A session that just ended here keeps its last frame and "ended"; the gate adds Start.
          if (!(msg.state === 'stopped' && this.state === 'ended')) {
            this.state = 'not-started';
            this.statusOverride = typeof msg.message === 'string' && msg.message ? msg.message.slice(0, 2000) : 'not started';
          }
          this.gate.show(msg);
          break;
        case 'unknown-session':
          this.state = 'unknown-session';
          this.statusOverride =
            typeof msg.message === 'string' && msg.message ? msg.message : 'This live plot session no longer exists.';
          break;
        default: {
          const unexpected: never = msg;
          void unexpected;
          this.ignored++;
          break;
        }
      }
    } catch (e) {
      // A bad message must not take the view down; the host is told nothing (it sent it).
      this.ignored++;
      console.error('[live-plot] failed to apply a message', e);
    }
    this.render();
  }

  /** Destroys the chart, observers and listeners. Safe to call twice. */
  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.store.dispose();
  }

  // ------------------------------------------------------------------ messages

  private onSnapshot(msg: SnapshotMessage): void {
    if (!isInfo(msg.info) || !this.data.replace(msg, msg.info.points)) {
      this.ignored++;
      return;
    }
    this.statusOverride = undefined;
    this.gate.hide();
    this.setInfo(msg.info);
    this.updates++;
    this.received += msg.x.length;
    this.noteUpdate();
    this.scheduleDraw();
  }

  private onDelta(msg: DeltaMessage): void {
    if (this.state === 'ended' || this.state === 'unknown-session' || this.state === 'not-started') {
      this.ignored++;
      return;
    }
    const points = typeof msg.points === 'number' ? msg.points : this.data.capacity;
    const ok = msg.replace ? this.data.replace(msg, points) : this.data.append(msg, points);
    if (!ok) {
      this.ignored++;
      return;
    }
    this.updates++;
    this.received += msg.x.length;
    this.noteUpdate();
    this.scheduleDraw();
  }

  /** Times of the data messages of the last few seconds (ms), for the update rate this view sees. */
  private readonly updateTimes: number[] = [];

  private noteUpdate(): void {
    const now = this.win.performance?.now?.() ?? Date.now();
    this.updateTimes.push(now);
    while (this.updateTimes.length > 0 && this.updateTimes[0]! < now - RATE_WINDOW_MS) {
      this.updateTimes.shift();
    }
  }

  /** Data messages per second over the last few seconds; undefined until there are two. */
  private localRate(): number | undefined {
    const t = this.updateTimes;
    const now = this.win.performance?.now?.() ?? Date.now();
    if (t.length < 2 || now - t[t.length - 1]! > RATE_WINDOW_MS) {
      return t.length && now - t[t.length - 1]! > RATE_WINDOW_MS ? 0 : undefined;
    }
    return ((t.length - 1) * 1000) / Math.max(1, t[t.length - 1]! - t[0]!);
  }

  private setInfo(info: ViewSessionInfo): void {
    // The host is the truth: a request it clamped or refused shows as what it reports.
    const before = this.yRange();
    const window = this.info?.windowSeconds;
    this.requestedPeriod = undefined;
    this.requestedPoints = undefined;
    this.requestedYRange = undefined;
    this.info = info;
    this.state = info.state;
    if (!sameYRange(before, this.yRange()) || window !== info.windowSeconds) {
      this.rescale();
    }
  }

  /** The y range in force: what was asked for until the host answers, else the host's. */
  private yRange(): YRange {
    return this.requestedYRange ?? saneYRange(this.info?.yRange);
  }

  // ------------------------------------------------------------------ controls

  private wireControls(): void {
    this.store.add(listen(this.periodSelect, 'change', () => this.applyPeriod()));
    this.store.add(listen(this.pointsField, 'change', () => this.applyPoints()));
    this.store.add(
      listen<'keydown'>(this.pointsField, 'keydown', (e) => {
        if (e.key === 'Enter') {
          this.applyPoints();
        }
      }),
    );
    this.store.add(
      listen(this.pauseButton, 'click', () => {
        if (this.controlsEnabled() && this.info) {
          this.send({ type: this.info.paused ? 'resume' : 'pause', viewId: this.viewId });
        }
      }),
    );
    this.store.add(
      listen(this.closeButton, 'click', () => {
        if (this.closeEnabled()) {
          this.send({ type: 'close', viewId: this.viewId });
        }
      }),
    );
    this.store.add(listen(this.yModeSelect, 'change', () => this.applyYMode()));
    for (const f of [this.yMinField, this.yMaxField]) {
      this.store.add(listen(f, 'change', () => this.applyYFixed()));
      this.store.add(
        listen<'keydown'>(f, 'keydown', (e) => {
          if (e.key === 'Enter') {
            this.applyYFixed();
          }
        }),
      );
    }
    this.store.add(listen(this.followBox, 'change', () => this.setFollowing(!!this.followBox.checked)));
    this.store.add(
      listen(this.csvButton, 'click', () => {
        if (this.exportEnabled()) {
          this.send({ type: 'exportCsv', viewId: this.viewId });
        }
      }),
    );
    this.store.add(
      listen(this.pngButton, 'click', () => {
        if (!this.exportEnabled()) {
          return;
        }
        const dataUrl = this.toPng();
        if (dataUrl) {
          this.send({ type: 'exportPng', viewId: this.viewId, dataUrl });
        } else {
          this.notice = 'cannot render a PNG here';
          this.render();
        }
      }),
    );
    this.store.add(listen<'keydown'>(this.chartHost, 'keydown', (e) => this.onChartKey(e)));
    this.wirePointer();
  }

  // ------------------------------------------------------------------ y axis

  private applyYMode(): void {
    if (!this.controlsEnabled()) {
      return;
    }
    if (this.yModeSelect.value === 'auto') {
      this.requestYRange('auto');
      return;
    }
    // Fixed: start from what the chart shows now, so nothing jumps.
    const current = this.yRange();
    const y = this.chart?.scales?.y;
    const range: [number, number] =
      current !== 'auto'
        ? [current[0], current[1]]
        : y && typeof y.min === 'number' && typeof y.max === 'number' && y.min < y.max
          ? [roundBound(y.min), roundBound(y.max)]
          : [0, 1];
    this.yMinField.value = String(range[0]);
    this.yMaxField.value = String(range[1]);
    this.requestYRange(range[0] < range[1] ? range : [0, 1]);
  }

  private applyYFixed(): void {
    if (!this.controlsEnabled()) {
      return;
    }
    const min = parseNumber(this.yMinField.value);
    const max = parseNumber(this.yMaxField.value);
    const ok = min !== undefined && max !== undefined && min < max;
    this.yMinField.toggleAttribute('invalid', !ok);
    this.yMaxField.toggleAttribute('invalid', !ok);
    if (!ok) {
      this.notice = 'Y axis: min must be a number below max';
      this.render();
      return;
    }
    this.requestYRange([min, max]);
  }

  private requestYRange(range: YRange): void {
    if (sameYRange(range, this.yRange())) {
      return;
    }
    this.requestedYRange = range;
    this.notice = undefined;
    this.send({ type: 'setYRange', viewId: this.viewId, yRange: range });
    this.rescale();
    this.render();
  }

  // ------------------------------------------------------------------ zoom, pan, follow

  /** Follow the data (true: back to live) or hold the x range shown now. */
  private setFollowing(follow: boolean): void {
    if (this.following === follow) {
      return;
    }
    this.following = follow;
    if (follow) {
      this.heldX = undefined;
      this.rescale();
    } else {
      this.heldX = this.currentX();
    }
    this.render();
  }

  /** Shows x in [min, max] and stops following. */
  private zoomTo(min: number, max: number): void {
    const chart = this.chart;
    if (!chart?.setScale || !Number.isFinite(min) || !Number.isFinite(max) || !(max > min)) {
      return;
    }
    this.following = false;
    this.heldX = { min, max };
    chart.setScale('x', { min, max });
    this.render();
  }

  private currentX(): { min: number; max: number } | undefined {
    const x = this.chart?.scales?.x;
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

  /** Re-applies the scales after the y range, the time window or following changed. */
  private rescale(): void {
    const chart = this.chart;
    if (!chart) {
      return;
    }
    if (this.following) {
      chart.setData(this.data.view(), true);
    } else {
      const x = this.currentX();
      // Setting x again makes uPlot re-range y (auto or fixed).
      if (x && chart.setScale) {
        chart.setScale('x', x);
      }
    }
  }

  private onChartKey(e: KeyboardEvent): void {
    if (!this.chart || e.altKey || e.ctrlKey || e.metaKey) {
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

  /** Shift+drag pans, Ctrl+wheel zooms, double-click follows; plain drag (uPlot's selection) zooms. */
  private wirePointer(): void {
    let pan: { x0: number; min: number; max: number; width: number } | undefined;
    const plotWidth = (): number => {
      const w = this.chart?.bbox?.width;
      const dpr = this.win.devicePixelRatio || 1;
      return w && w > 0 ? w / dpr : this.chartSize.width;
    };
    // Capture phase on the host: runs before uPlot's own listeners on the plot area.
    this.store.add(
      listenWith<'mousedown'>(
        this.chartHost,
        'mousedown',
        (e) => {
          if (!e.shiftKey || e.button !== 0 || !this.chart) {
            return;
          }
          const x = this.currentX();
          if (!x) {
            return;
          }
          pan = { x0: e.clientX, ...x, width: plotWidth() };
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
      listenWith<'dblclick'>(
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
      listenWith<'wheel'>(
        this.chartHost,
        'wheel',
        (e) => {
          // Plain wheel scrolls the page (a notebook); Ctrl/Cmd+wheel zooms.
          if (!(e.ctrlKey || e.metaKey) || !this.chart || e.deltaY === 0) {
            return;
          }
          e.preventDefault();
          const x = this.currentX();
          const left = this.chartHost.getBoundingClientRect().left + (this.chart.bbox?.left ?? 0) / (this.win.devicePixelRatio || 1);
          const at = x ? x.min + ((e.clientX - left) / Math.max(1, plotWidth())) * (x.max - x.min) : undefined;
          this.zoomBy(e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, at);
        },
        { passive: false },
      ),
    );
  }

  /** uPlot's drag selection ended: zoom to it. */
  private onSelect(u: uPlot): void {
    const sel = u.select;
    if (!sel || sel.width < 3) {
      return;
    }
    const min = u.posToVal(sel.left, 'x');
    const max = u.posToVal(sel.left + sel.width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.zoomTo(min, max);
  }

  /** Exports are written by the host from the live session: not once it has ended. */
  private exportEnabled(): boolean {
    return this.closeEnabled();
  }

  private applyPeriod(): void {
    const info = this.info;
    if (!info || !this.controlsEnabled()) {
      return;
    }
    const v = Number(this.periodSelect.value);
    if (!Number.isFinite(v) || v <= 0) {
      return;
    }
    const { min, max } = saneRange(info);
    const periodMs = Math.min(max, Math.max(min, Math.round(v)));
    if (periodMs === (this.requestedPeriod ?? info.periodMs)) {
      return;
    }
    this.requestedPeriod = periodMs;
    this.send({ type: 'setPeriod', viewId: this.viewId, periodMs });
  }

  private applyPoints(): void {
    const info = this.info;
    if (!info || !this.controlsEnabled()) {
      return;
    }
    const raw = Number(String(this.pointsField.value ?? '').trim());
    if (!Number.isFinite(raw) || String(this.pointsField.value ?? '').trim() === '') {
      this.pointsField.value = String(this.requestedPoints ?? info.points);
      return;
    }
    const points = Math.min(Math.max(1, info.maxPoints), Math.max(1, Math.round(raw)));
    if (String(points) !== this.pointsField.value) {
      this.pointsField.value = String(points);
    }
    if (points === (this.requestedPoints ?? info.points)) {
      return;
    }
    this.requestedPoints = points;
    this.send({ type: 'setPoints', viewId: this.viewId, points });
  }

  private controlsEnabled(): boolean {
    return !this.disposed && !!this.info && (this.state === 'running' || this.state === 'paused');
  }

  private closeEnabled(): boolean {
    return !this.disposed && !!this.info && this.state !== 'ended' && this.state !== 'unknown-session' && this.state !== 'not-started';
  }

  private send(msg: ViewToHostMessage): void {
    if (!this.disposed) {
      this.post(msg);
    }
  }

  // ------------------------------------------------------------------ rendering

  /** Updates controls, status line and data attributes (cheap; per message). */
  private render(): void {
    const info = this.info;
    const enabled = this.controlsEnabled();
    if (info) {
      this.titleEl.textContent = info.title || 'Live plot';
      this.sourceEl.textContent = info.sourceKind;
      this.renderPeriodOptions(info);
      const focused = this.doc.activeElement;
      if (focused !== this.periodSelect) {
        const value = String(this.requestedPeriod ?? info.periodMs);
        if (this.periodSelect.value !== value) {
          this.periodSelect.value = value;
        }
      }
      const max = String(Math.max(1, info.maxPoints));
      if (this.pointsField.getAttribute('max') !== max) {
        this.pointsField.setAttribute('max', max);
      }
      if (focused !== this.pointsField) {
        const value = String(this.requestedPoints ?? info.points);
        if (this.pointsField.value !== value) {
          this.pointsField.value = value;
        }
      }
      const paused = info.paused || info.state === 'paused';
      setText(this.pauseButton, paused ? 'Resume' : 'Pause');
      this.pauseButton.setAttribute('aria-label', paused ? 'Resume updates' : 'Pause updates');
      this.pauseButton.setAttribute('aria-pressed', String(paused));
      this.chartHost.setAttribute('aria-label', `${info.title || 'Live plot'} chart`);
    }
    const y = this.yRange();
    const yMode = y === 'auto' ? 'auto' : 'fixed';
    const focused = this.doc.activeElement;
    if (focused !== this.yModeSelect && this.yModeSelect.value !== yMode) {
      this.yModeSelect.value = yMode;
    }
    this.yFixedGroup.hidden = y === 'auto';
    if (y !== 'auto') {
      if (focused !== this.yMinField && parseNumber(this.yMinField.value) !== y[0]) {
        this.yMinField.value = String(y[0]);
      }
      if (focused !== this.yMaxField && parseNumber(this.yMaxField.value) !== y[1]) {
        this.yMaxField.value = String(y[1]);
      }
    }
    if (this.followBox.checked !== this.following) {
      this.followBox.checked = this.following;
    }
    this.followBox.toggleAttribute('checked', this.following);
    setDisabled(this.periodSelect, !enabled);
    setDisabled(this.pointsField, !enabled);
    setDisabled(this.pauseButton, !enabled);
    setDisabled(this.closeButton, !this.closeEnabled());
    setDisabled(this.yModeSelect, !enabled);
    setDisabled(this.yMinField, !enabled);
    setDisabled(this.yMaxField, !enabled);
    setDisabled(this.followBox, !this.chart);
    setDisabled(this.csvButton, !this.exportEnabled());
    setDisabled(this.pngButton, !this.exportEnabled() || !this.chart);

    if (!this.chart) {
      setText(
        this.placeholder,
        this.state === 'unknown-session' || this.state === 'ended' || this.state === 'not-started' ? this.stateText() : 'Waiting for data…',
      );
    }
    setText(this.stateEl, this.stateText());
    setText(this.statsEl, this.statsText());
    this.root.classList.toggle('lp-ended', this.state === 'ended' || this.state === 'unknown-session' || this.state === 'not-started');
    this.root.classList.toggle('lp-error', this.state === 'error');

    const a = this.root.dataset;
    setData(a, 'viewId', this.viewId);
    setData(a, 'session', info?.id ?? '');
    setData(a, 'state', this.state);
    setData(a, 'updates', String(this.updates));
    setData(a, 'points', String(this.data.length));
    setData(a, 'received', String(this.received));
    setData(a, 'series', String(this.data.series.length));
    const last = this.data.last(0);
    setData(a, 'last', last === undefined ? '' : String(last));
    setData(a, 'ignored', String(this.ignored));
    setData(a, 'following', String(this.following));
    setData(a, 'yRange', y === 'auto' ? 'auto' : `${y[0]},${y[1]}`);
    setData(a, 'visibleSeries', this.visibleSeries().join(','));
  }

  /** Names of the series shown (not toggled off in the legend). */
  private visibleSeries(): string[] {
    const shown = (this.chart as { series?: { show?: boolean }[] } | undefined)?.series;
    return this.data.series.filter((_, i) => shown?.[i + 1]?.show !== false);
  }

  private stateText(): string {
    if (this.statusOverride) {
      return this.statusOverride;
    }
    if (!this.info) {
      return 'connecting…';
    }
    if (this.state === 'error') {
      return `error${this.info.status ? ` — ${this.info.status}` : ''}`;
    }
    return this.info.paused && this.state === 'running' ? 'paused' : this.state;
  }

  private statsText(): string {
    const info = this.info;
    if (!info || this.state === 'unknown-session' || this.state === 'not-started') {
      return '';
    }
    const parts = [
      `every ${formatSeconds(info.periodMs)}`,
      `${info.points} points`,
    ];
    if (this.state === 'running') {
      parts.push(`${formatRate(this.localRate() ?? info.rate)} updates/s`);
    }
    if (info.malformed > 0) {
      parts.push(`${info.malformed} malformed`);
    }
    if (this.timeWindowMs() !== undefined) {
      parts.push(`last ${formatSeconds(this.timeWindowMs()!)}`);
    }
    const y = this.yRange();
    if (y !== 'auto') {
      parts.push(`y ${formatNumber(y[0])} to ${formatNumber(y[1])}`);
    }
    if (!this.following && this.chart) {
      parts.push('zoomed (double-click or F: follow)');
    }
    if (info.status && this.state !== 'error' && !this.statusOverride) {
      parts.push(info.status);
    }
    if (this.notice) {
      parts.push(this.notice);
    }
    return parts.join(' · ');
  }

  private renderPeriodOptions(info: ViewSessionInfo): void {
    const values = periodChoices(info);
    const key = values.join(',');
    if (key === this.periodOptionsKey) {
      return;
    }
    this.periodOptionsKey = key;
    const options = values.map((ms) => {
      const o = this.doc.createElement('vscode-option');
      o.setAttribute('value', String(ms));
      o.textContent = formatSeconds(ms);
      return o;
    });
    this.periodSelect.replaceChildren(...options);
  }

  // ------------------------------------------------------------------ chart

  private scheduleDraw(): void {
    if (!this.frame && !this.disposed) {
      this.frame = this.win.requestAnimationFrame(this.onFrame);
    }
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
    if (this.chart && key === this.chartKey) {
      // While zoomed or panned, new data must not move the x range.
      this.chart.setData(view, this.following);
      this.render();
      return;
    }
    const held = this.following ? undefined : (this.currentX() ?? this.heldX);
    this.chart?.destroy();
    this.chart = undefined;
    this.chartKey = key;
    this.placeholder.hidden = true;
    const size = this.measure();
    this.chartSize = size;
    this.chart = this.createChart(this.chartOptions(size, timeX), view, this.chartHost);
    this.enhanceLegend();
    if (held && this.chart.setScale) {
      this.chart.setScale('x', held);
    }
    this.render();
  };

  /** The time window in ms, if the session has one and this chart has a time axis. */
  private timeWindowMs(): number | undefined {
    const w = this.info?.windowSeconds;
    return typeof w === 'number' && Number.isFinite(w) && w > 0 && this.isTimeAxis() ? w * 1000 : undefined;
  }

  /** x range: the data's, or its last `windowSeconds` while following; what was asked for otherwise. */
  private xRangeFor(min: number | null, max: number | null): uPlot.Range.MinMax {
    if (min == null || max == null) {
      return [min, max];
    }
    const w = this.timeWindowMs();
    if (this.following && w !== undefined) {
      return [max - w, max];
    }
    if (min === max) {
      return this.isTimeAxis() ? [min - 500, max + 500] : [min - 1, max + 1];
    }
    return [min, max];
  }

  /** y range: fixed, or fitted to the data shown with some headroom. */
  private yRangeFor(min: number | null, max: number | null): uPlot.Range.MinMax {
    const r = this.yRange();
    if (r !== 'auto') {
      return [r[0], r[1]];
    }
    if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) {
      return [0, 1];
    }
    return uPlot.rangeNum(min, max, 0.1, true);
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

  /** Legend entries as keyboard-reachable toggles (uPlot toggles a series on click). */
  private enhanceLegend(): void {
    const rows = this.legendHost.querySelectorAll<HTMLElement>('.u-series');
    rows.forEach((row, i) => {
      if (i === 0) {
        return; // the x entry
      }
      const th = row.querySelector('th');
      if (!th || th.hasAttribute('role')) {
        return;
      }
      th.tabIndex = 0;
      th.setAttribute('role', 'checkbox');
      th.setAttribute('aria-label', `Show ${this.data.series[i - 1] ?? `series ${i}`}`);
      th.title = 'Show or hide this series (Ctrl+click: only this one)';
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          th.click();
        }
      });
    });
    this.syncLegend();
  }

  /** aria-checked of each legend toggle from the chart's series. */
  private syncLegend(): void {
    const shown = (this.chart as { series?: { show?: boolean }[] } | undefined)?.series;
    this.legendHost.querySelectorAll<HTMLElement>('.u-series').forEach((row, i) => {
      const th = row.querySelector('th');
      if (i > 0 && th) {
        th.setAttribute('aria-checked', String(shown?.[i]?.show !== false));
      }
    });
  }

  // ------------------------------------------------------------------ PNG

  /**
   * The chart as a PNG data URL: title, the chart canvas (axes and lines) and a
   * legend of the series shown, on the theme's background. Undefined if this
   * browser cannot draw (no canvas).
   */
  toPng(): string | undefined {
    const src = this.chartHost.querySelector('canvas');
    const dpr = this.win.devicePixelRatio || 1;
    const canvas = this.doc.createElement('canvas');
    const ctx = canvas.getContext?.('2d');
    if (!ctx) {
      return undefined;
    }
    const t = this.theme;
    const width = src ? src.width : Math.round(this.measure().width * dpr);
    const chartHeight = src ? src.height : Math.round(120 * dpr);
    const pad = Math.round(12 * dpr);
    const fontPx = (parseFloat(t.font) || 11) * dpr;
    const family = t.font.replace(/^[\d.]+px\s*/, '') || 'sans-serif';
    const titleHeight = Math.round(fontPx * 2.4);
    const names = this.data.series;
    const shown = (this.chart as { series?: { show?: boolean }[] } | undefined)?.series;
    // Legend items laid out in rows.
    ctx.font = `${fontPx}px ${family}`;
    const swatch = Math.round(fontPx * 0.9);
    const items = names.map((name, i) => ({ name, i, w: swatch + 6 * dpr + ctx.measureText(name).width + 18 * dpr }));
    const lines: (typeof items)[] = [[]];
    let lineWidth = 0;
    for (const it of items) {
      if (lineWidth + it.w > width - 2 * pad && lines[lines.length - 1]!.length) {
        lines.push([]);
        lineWidth = 0;
      }
      lines[lines.length - 1]!.push(it);
      lineWidth += it.w;
    }
    const lineHeight = Math.round(fontPx * 1.8);
    const legendHeight = names.length ? lines.length * lineHeight + pad : 0;
    canvas.width = Math.max(1, width + 2 * pad);
    canvas.height = Math.max(1, titleHeight + chartHeight + legendHeight + pad);

    ctx.fillStyle = t.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.textBaseline = 'middle';
    ctx.fillStyle = t.foreground;
    ctx.font = `600 ${Math.round(fontPx * 1.15)}px ${family}`;
    const title = this.info?.title || this.titleEl.textContent || 'Live plot';
    ctx.fillText(title, pad, titleHeight / 2);
    if (src) {
      ctx.drawImage(src, pad, titleHeight);
    } else {
      ctx.font = `${fontPx}px ${family}`;
      ctx.fillStyle = t.axis;
      ctx.fillText(this.placeholder.textContent ?? '', pad, titleHeight + chartHeight / 2);
    }
    ctx.font = `${fontPx}px ${family}`;
    lines.forEach((line, row) => {
      const total = line.reduce((a, it) => a + it.w, 0);
      let x = Math.max(pad, (canvas.width - total) / 2);
      const y = titleHeight + chartHeight + pad / 2 + row * lineHeight + lineHeight / 2;
      for (const it of line) {
        const on = shown?.[it.i + 1]?.show !== false;
        ctx.globalAlpha = on ? 1 : 0.4;
        ctx.fillStyle = t.series[it.i % t.series.length]!;
        ctx.fillRect(x, y - swatch / 2, swatch, swatch);
        ctx.fillStyle = t.foreground;
        ctx.fillText(it.name, x + swatch + 6 * dpr, y);
        x += it.w;
      }
    });
    ctx.globalAlpha = 1;
    try {
      return canvas.toDataURL('image/png');
    } catch {
      return undefined;
    }
  }

  private isTimeAxis(): boolean {
    if (this.info?.mode !== 'append') {
      return false;
    }
    const x0 = this.data.firstX();
    return x0 === undefined || x0 > EPOCH_MS_THRESHOLD;
  }

  private measure(): { width: number; height: number } {
    const w = Math.floor(this.chartHost.clientWidth);
    const h = Math.floor(this.chartHost.clientHeight);
    return {
      width: w > 0 ? w : FALLBACK_SIZE.width,
      height: h > 0 ? h : FALLBACK_SIZE.height,
    };
  }

  private resize(): void {
    if (!this.chart) {
      return;
    }
    const size = this.measure();
    if (size.width !== this.chartSize.width || size.height !== this.chartSize.height) {
      this.chartSize = size;
      this.chart.setSize(size);
    }
  }

  private chartOptions(size: { width: number; height: number }, timeX: boolean): uPlot.Options {
    const t = this.theme;
    const axis: uPlot.Axis = {
      stroke: t.axis,
      font: t.font,
      labelFont: t.font,
      grid: { stroke: t.grid, width: 1 },
      ticks: { stroke: t.grid, width: 1, size: 4 },
    };
    // Values under the cursor; the newest values while the cursor is elsewhere.
    const at = (v: number | null, s: number, idx: number | null | undefined): number | undefined =>
      idx == null ? this.latest(s) : v == null || Number.isNaN(v) ? undefined : v;
    const series: uPlot.Series[] = [
      timeX
        ? { label: 'time', value: (_u, v, s, idx) => fmtOrDash(at(v, s, idx), (n) => fmtMs(new Date(n))) }
        : { label: 'x', value: (_u, v, s, idx) => fmtOrDash(at(v, s, idx), formatNumber) },
    ];
    this.data.series.forEach((name, i) => {
      const cycle = Math.floor(i / t.series.length);
      series.push({
        label: name,
        stroke: t.series[i % t.series.length],
        width: t.lineWidth,
        dash: cycle === 0 ? undefined : cycle === 1 ? [6, 3] : [2, 3],
        value: (_u, v, s, idx) => fmtOrDash(at(v, s, idx), formatNumber),
      });
    });
    return {
      width: size.width,
      height: size.height,
      ms: 1,
      scales: {
        x: { time: timeX, range: (_u, min, max) => this.xRangeFor(min, max) },
        y: { range: (_u, min, max) => this.yRangeFor(min, max) },
      },
      series,
      axes: [
        { ...axis, size: xAxisSize(t), space: timeX ? 70 : 50, ...(timeX ? { values: timeTickLabels } : {}) },
        { ...axis, size: axisSize, space: 30 },
      ],
      // Drag selects an x range; onSelect zooms to it (so that every zoom goes through zoomTo).
      cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 7 } },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      hooks: {
        setSelect: [(u) => this.onSelect(u)],
        setSeries: [() => {
          this.syncLegend();
          this.render();
        }],
      },
      legend: {
        show: true,
        live: true,
        mount: (_u, el) => this.legendHost.replaceChildren(el),
      },
    };
  }

  // ------------------------------------------------------------------ observers

  private observe(): void {
    const RO = this.win.ResizeObserver;
    if (RO) {
      const ro = new RO(() => this.resize());
      ro.observe(this.chartHost);
      this.store.add(toDisposable(() => ro.disconnect()));
    }
    const MO = this.win.MutationObserver;
    if (MO && this.doc.body) {
      // VS Code switches themes by changing body classes and the variables on <html>.
      const mo = new MO(() => {
        const next = readTheme(this.root);
        if (themeKey(next) !== themeKey(this.theme)) {
          this.theme = next;
          this.scheduleDraw();
        }
      });
      mo.observe(this.doc.body, { attributes: true, attributeFilter: ['class'] });
      mo.observe(this.doc.documentElement, { attributes: true, attributeFilter: ['style'] });
      this.store.add(toDisposable(() => mo.disconnect()));
    }
  }
}

// ------------------------------------------------------------------ helpers

function isInfo(v: unknown): v is ViewSessionInfo {
  if (!v || typeof v !== 'object') {
    return false;
  }
  const i = v as Partial<ViewSessionInfo>;
  return (
    typeof i.id === 'string' &&
    typeof i.state === 'string' &&
    typeof i.periodMs === 'number' &&
    typeof i.points === 'number'
  );
}

/** A y range from the host, or 'auto' if it is missing or not sane. */
export function saneYRange(r: unknown): YRange {
  if (Array.isArray(r) && r.length === 2) {
    const [a, b] = r as unknown[];
    if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b) && a < b) {
      return [a, b];
    }
  }
  return 'auto';
}

export function sameYRange(a: YRange, b: YRange): boolean {
  return a === b || (a !== 'auto' && b !== 'auto' && a[0] === b[0] && a[1] === b[1]);
}

/** A number typed into a field, or undefined. */
function parseNumber(v: unknown): number | undefined {
  const t = String(v ?? '').trim();
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : undefined;
}

/** A scale bound rounded to 3 significant digits, for the fixed-range fields. */
function roundBound(v: number): number {
  return Number(v.toPrecision(3));
}

function fmtOrDash(v: number | undefined, fmt: (n: number) => string): string {
  return v === undefined ? '—' : fmt(v);
}

function saneRange(info: ViewSessionInfo): { min: number; max: number; step: number } {
  const r = info.periodRange;
  const min = r && Number.isFinite(r.min) && r.min > 0 ? r.min : 250;
  const max = r && Number.isFinite(r.max) && r.max >= min ? r.max : Math.max(min, 2000);
  const step = r && Number.isFinite(r.step) && r.step > 0 ? r.step : 250;
  return { min, max, step };
}

/** The values offered by the period select: every step, or round values if too many. */
export function periodChoices(info: ViewSessionInfo): number[] {
  const { min, max, step } = saneRange(info);
  const values = new Set<number>();
  if ((max - min) / step + 1 <= MAX_PERIOD_OPTIONS) {
    for (let v = min; v <= max + 1e-9; v += step) {
      values.add(Math.round(v));
    }
  } else {
    values.add(min);
    values.add(max);
    for (const v of NICE_PERIODS) {
      if (v > min && v < max && Math.abs(((v - min) / step) % 1) < 1e-9) {
        values.add(v);
      }
    }
  }
  if (Number.isFinite(info.periodMs) && info.periodMs > 0) {
    values.add(info.periodMs);
  }
  return [...values].sort((a, b) => a - b);
}

/** 250 → "0.25 s", 1000 → "1 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function formatRate(rate: number): string {
  return Number.isFinite(rate) ? rate.toFixed(rate >= 10 ? 0 : 1) : '0';
}

function formatNumber(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e9 || a < 1e-4)) {
    return v.toExponential(3);
  }
  return Number(v.toPrecision(6)).toString();
}

const fmtMs = uPlot.fmtDate('{HH}:{mm}:{ss}.{fff}');
const fmtSec = uPlot.fmtDate('{HH}:{mm}:{ss}');
const fmtMin = uPlot.fmtDate('{HH}:{mm}');
const fmtDay = uPlot.fmtDate('{M}/{D} {HH}:{mm}');

/** Time ticks as wall-clock times, as precise as the tick spacing needs (x in ms). */
function timeTickLabels(_u: uPlot, splits: number[], _axisIdx: number, _space: number, incr: number): string[] {
  const fmt = incr < 1000 ? fmtMs : incr < 60_000 ? fmtSec : incr < 86_400_000 ? fmtMin : fmtDay;
  return splits.map((v) => (v == null ? '' : fmt(new Date(v))));
}

/** x axis height: one line of labels below the ticks (uPlot's default leaves room for two). */
function xAxisSize(t: ChartTheme): number {
  const px = parseFloat(t.font) || 11;
  return Math.ceil(px * 1.4 + 4 + 5 + 4);
}

/** y axis width from its widest tick label, so large numbers are not clipped. */
function axisSize(self: uPlot, values: string[], axisIdx: number, cycleNum: number): number {
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

/** `listen` with listener options (capture, passive). */
function listenWith<K extends keyof HTMLElementEventMap>(
  target: EventTarget,
  type: K,
  listener: (ev: HTMLElementEventMap[K]) => void,
  options: boolean | AddEventListenerOptions,
): IDisposable {
  const fn = listener as EventListener;
  target.addEventListener(type, fn, options);
  return toDisposable(() => target.removeEventListener(type, fn, options));
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) {
    el.textContent = text;
  }
}

function setDisabled(el: HTMLElement & { disabled: boolean }, disabled: boolean): void {
  if (el.disabled !== disabled) {
    el.disabled = disabled;
  }
  el.toggleAttribute('disabled', disabled);
}

function setData(d: DOMStringMap, key: string, value: string): void {
  if (d[key] !== value) {
    d[key] = value;
  }
}
