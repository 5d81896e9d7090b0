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
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type {
  DeltaMessage,
  HostToViewMessage,
  SnapshotMessage,
  ViewSessionInfo,
  ViewToHostMessage,
} from '../src/shared/protocol';
import { DataWindow } from './dataWindow';
import { DisposableStore, listen, toDisposable, type IDisposable } from './lifecycle';
import { readTheme, themeKey, type ChartTheme } from './theme';

/** The part of uPlot that PlotView uses; tests inject a fake. */
export interface PlotChart {
  setData(data: uPlot.AlignedData, resetScales?: boolean): void;
  setSize(size: { width: number; height: number }): void;
  destroy(): void;
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
}

/** `data-state` values besides the session states. */
export type ViewState = ViewSessionInfo['state'] | 'connecting' | 'unknown-session';

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

const defaultChartFactory: ChartFactory = (opts, data, target) => new uPlot(opts, data, target);

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
  private ignored = 0;
  private requestedPeriod: number | undefined;
  private requestedPoints: number | undefined;
  private periodOptionsKey = '';

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
  private readonly chartHost: HTMLElement;
  private readonly placeholder: HTMLElement;
  private readonly legendHost: HTMLElement;
  private readonly stateEl: HTMLElement;
  private readonly statsEl: HTMLElement;

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

    // The buttons wrap as one group in narrow views.
    const buttons = el('div', 'lp-buttons', controls);
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

    this.chartHost = el('div', 'lp-chart', root);
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
    this.setInfo(msg.info);
    this.updates++;
    this.scheduleDraw();
  }

  private onDelta(msg: DeltaMessage): void {
    if (this.state === 'ended' || this.state === 'unknown-session') {
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
    this.scheduleDraw();
  }

  private setInfo(info: ViewSessionInfo): void {
    // The host is the truth: a request it clamped or refused shows as what it reports.
    this.requestedPeriod = undefined;
    this.requestedPoints = undefined;
    this.info = info;
    this.state = info.state;
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
    return !this.disposed && !!this.info && this.state !== 'ended' && this.state !== 'unknown-session';
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
    }
    setDisabled(this.periodSelect, !enabled);
    setDisabled(this.pointsField, !enabled);
    setDisabled(this.pauseButton, !enabled);
    setDisabled(this.closeButton, !this.closeEnabled());

    if (!this.chart) {
      setText(
        this.placeholder,
        this.state === 'unknown-session' || this.state === 'ended' ? this.stateText() : 'Waiting for data…',
      );
    }
    setText(this.stateEl, this.stateText());
    setText(this.statsEl, this.statsText());
    this.root.classList.toggle('lp-ended', this.state === 'ended' || this.state === 'unknown-session');
    this.root.classList.toggle('lp-error', this.state === 'error');

    const a = this.root.dataset;
    setData(a, 'viewId', this.viewId);
    setData(a, 'session', info?.id ?? '');
    setData(a, 'state', this.state);
    setData(a, 'updates', String(this.updates));
    setData(a, 'points', String(this.data.length));
    setData(a, 'series', String(this.data.series.length));
    const last = this.data.last(0);
    setData(a, 'last', last === undefined ? '' : String(last));
    setData(a, 'ignored', String(this.ignored));
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
    if (!info || this.state === 'unknown-session') {
      return '';
    }
    const parts = [
      `every ${formatSeconds(info.periodMs)}`,
      `${info.points} points`,
    ];
    if (this.state === 'running') {
      parts.push(`${formatRate(info.rate)} updates/s`);
    }
    if (info.malformed > 0) {
      parts.push(`${info.malformed} malformed`);
    }
    if (info.status && this.state !== 'error' && !this.statusOverride) {
      parts.push(info.status);
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
      this.chart.setData(view);
      return;
    }
    this.chart?.destroy();
    this.chart = undefined;
    this.chartKey = key;
    this.placeholder.hidden = true;
    const size = this.measure();
    this.chartSize = size;
    this.chart = this.createChart(this.chartOptions(size, timeX), view, this.chartHost);
  };

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
    const series: uPlot.Series[] = [
      timeX
        ? { label: 'time', value: (_u, v) => (v == null ? '—' : fmtMs(new Date(v))) }
        : { label: 'x', value: (_u, v) => (v == null ? '—' : formatNumber(v)) },
    ];
    this.data.series.forEach((name, i) => {
      const cycle = Math.floor(i / t.series.length);
      series.push({
        label: name,
        stroke: t.series[i % t.series.length],
        width: t.lineWidth,
        dash: cycle === 0 ? undefined : cycle === 1 ? [6, 3] : [2, 3],
        value: (_u, v) => (v == null || Number.isNaN(v) ? '—' : formatNumber(v)),
      });
    });
    return {
      width: size.width,
      height: size.height,
      ms: 1,
      scales: { x: { time: timeX } },
      series,
      axes: [
        { ...axis, size: xAxisSize(t), space: timeX ? 70 : 50, ...(timeX ? { values: timeTickLabels } : {}) },
        { ...axis, size: axisSize, space: 30 },
      ],
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 7 } },
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
