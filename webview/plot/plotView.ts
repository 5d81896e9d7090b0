/**
 * PlotView: one live plot (toolbar, uPlot chart, legend, status line) bound to
 * one view id. Shared by the panel page and the notebook renderer; it knows
 * nothing about how messages travel, only the protocol.
 *
 * This file is the coordinator: it applies the host's messages to the view's
 * state and data, draws at most once per animation frame, and renders the
 * status line and the root's data attributes. The parts live beside it:
 * toolbar.ts (controls), navigation.ts (zoom, pan, follow), chartOptions.ts
 * (uPlot options), legend.ts, png.ts, status.ts, startGate.ts, dataWindow.ts.
 *
 * The vscode-elements components are registered by the entry points (see
 * elements.ts), not here, so that this module loads in a fake DOM for tests.
 */
import type {
  DeltaMessage,
  HostToViewMessage,
  SnapshotMessage,
  ViewSessionInfo,
  ViewToHostMessage,
  YRange,
} from '../../src/shared/protocol';
import { isEpochMs } from '../../src/shared/timeAxis';
import { sameYRange } from '../../src/shared/yRange';
import { DisposableStore, toDisposable, type IDisposable } from '../lifecycle';
import { defaultChartFactory, isSeriesShown, type ChartFactory, type PlotChart } from './chart';
import { chartOptions, fitX, fitY } from './chartOptions';
import { DataWindow } from './dataWindow';
import { elementMaker, setData, setText } from './dom';
import { enhanceLegend, syncLegend } from './legend';
import { CHART_HELP, Navigation } from './navigation';
import { drawPng } from './png';
import { StartGate } from './startGate';
import { RateMeter, stateText, statsText, type ViewState } from './status';
import { readTheme, themeKey, type ChartTheme } from './theme';
import { Toolbar } from './toolbar';

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

/** Chart size used until the container has been laid out. */
const FALLBACK_SIZE = { width: 600, height: 300 };

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
  /** Replaces the state text (ended, not started, unknown session). */
  private statusOverride: string | undefined;
  private updates = 0;
  /** Rows received in data messages since the view started (monotonic; `data-received`). */
  private received = 0;
  private ignored = 0;
  private readonly rate = new RateMeter();
  /** A short message for the status line (e.g. an invalid y range), cleared by the next valid action. */
  private notice: string | undefined;

  private chart: PlotChart | undefined;
  private chartKey = '';
  private chartSize = { width: 0, height: 0 };
  private frame = 0;
  private theme: ChartTheme;

  private readonly toolbar: Toolbar;
  private readonly nav: Navigation;
  private readonly gate: StartGate;
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
    const el = elementMaker(this.doc);
    const uid = `lp-${this.viewId.replace(/[^\w-]/g, '')}`;

    root.classList.add('lp-root', opts.layout === 'fill' ? 'lp-fill' : 'lp-fixed');
    root.replaceChildren();

    this.toolbar = new Toolbar(
      root,
      {
        info: () => this.info,
        controlsEnabled: () => this.controlsEnabled(),
        closeEnabled: () => this.closeEnabled(),
        shownY: () => this.chart?.scales?.y,
        send: (msg) => this.send(msg),
        follow: (on) => this.nav.setFollowing(on),
        exportPng: () => this.exportPng(),
        setNotice: (text) => {
          this.notice = text;
        },
        rescale: () => this.nav.rescale(),
        render: () => this.render(),
      },
      { title: opts.title ?? 'Live plot', closeLabel: opts.closeLabel, uid, viewId: this.viewId },
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
    this.store.add(this.toolbar);
    this.nav = this.store.add(
      new Navigation(
        {
          chart: () => this.chart,
          data: () => this.data.view(),
          chartWidth: () => this.chartSize.width,
          changed: () => this.render(),
        },
        this.chartHost,
        this.win,
      ),
    );
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

  /**
   * The chart as a PNG data URL: title, the chart canvas (axes and lines) and a
   * legend of the series shown, on the theme's background. Undefined if this
   * browser cannot draw (no canvas).
   */
  toPng(): string | undefined {
    const canvas = this.chartHost.querySelector('canvas');
    return drawPng({
      doc: this.doc,
      devicePixelRatio: this.win.devicePixelRatio || 1,
      canvas,
      cssWidth: canvas ? 0 : this.measure().width,
      placeholder: this.placeholder.textContent ?? '',
      theme: this.theme,
      title: this.info?.title || this.toolbar.title || 'Live plot',
      series: this.data.series,
      isShown: (i) => isSeriesShown(this.chart, i + 1),
    });
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
    this.noteData(msg.x.length);
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
    this.noteData(msg.x.length);
  }

  /** Counts a data message of `rows` rows and asks for a frame. */
  private noteData(rows: number): void {
    this.updates++;
    this.received += rows;
    this.rate.note(this.now());
    this.scheduleDraw();
  }

  private now(): number {
    return this.win.performance?.now?.() ?? Date.now();
  }

  private setInfo(info: ViewSessionInfo): void {
    // The host is the truth: a request it clamped or refused shows as what it reports.
    const before = this.yRange();
    const window = this.info?.windowSeconds;
    this.toolbar.clearRequests();
    this.info = info;
    this.state = info.state;
    if (!sameYRange(before, this.yRange()) || window !== info.windowSeconds) {
      this.nav.rescale();
    }
  }

  /** The y range in force: what was asked for until the host answers, else the host's. */
  private yRange(): YRange {
    return this.toolbar.yRange();
  }

  private controlsEnabled(): boolean {
    return !this.disposed && !!this.info && (this.state === 'running' || this.state === 'paused');
  }

  /** Close and the exports (written by the host from the live session): not once it has ended. */
  private closeEnabled(): boolean {
    return !this.disposed && !!this.info && this.state !== 'ended' && this.state !== 'unknown-session' && this.state !== 'not-started';
  }

  private send(msg: ViewToHostMessage): void {
    if (!this.disposed) {
      this.post(msg);
    }
  }

  private exportPng(): void {
    const dataUrl = this.toPng();
    if (dataUrl) {
      this.send({ type: 'exportPng', viewId: this.viewId, dataUrl });
    } else {
      this.notice = 'cannot render a PNG here';
      this.render();
    }
  }

  // ------------------------------------------------------------------ rendering

  /** Updates controls, status line and data attributes (cheap; per message). */
  private render(): void {
    const info = this.info;
    const following = this.nav.following;
    this.toolbar.update({
      info,
      controlsEnabled: this.controlsEnabled(),
      closeEnabled: this.closeEnabled(),
      hasChart: !!this.chart,
      following,
    });
    if (info) {
      this.chartHost.setAttribute('aria-label', `${info.title || 'Live plot'} chart`);
    }
    const ended = this.state === 'ended' || this.state === 'unknown-session' || this.state === 'not-started';
    const facts = {
      info,
      state: this.state,
      override: this.statusOverride,
      localRate: this.rate.rate(this.now()),
      windowMs: this.timeWindowMs(),
      yRange: this.yRange(),
      zoomed: !following && !!this.chart,
      notice: this.notice,
    };
    if (!this.chart) {
      setText(this.placeholder, ended ? stateText(facts) : 'Waiting for data…');
    }
    setText(this.stateEl, stateText(facts));
    setText(this.statsEl, statsText(facts));
    this.root.classList.toggle('lp-ended', ended);
    this.root.classList.toggle('lp-error', this.state === 'error');

    const y = facts.yRange;
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
    setData(a, 'following', String(following));
    setData(a, 'yRange', y === 'auto' ? 'auto' : `${y[0]},${y[1]}`);
    setData(a, 'visibleSeries', this.data.series.filter((_, i) => isSeriesShown(this.chart, i + 1)).join(','));
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
      this.chart.setData(view, this.nav.following);
      this.render();
      return;
    }
    // New series, axis kind or theme: a new chart, keeping a held x range.
    const held = this.nav.heldRange();
    this.chart?.destroy();
    this.chart = undefined;
    this.chartKey = key;
    this.placeholder.hidden = true;
    const size = this.measure();
    this.chartSize = size;
    const isShown = (i: number): boolean => isSeriesShown(this.chart, i);
    const opts = chartOptions({
      size,
      timeX,
      theme: this.theme,
      series: this.data.series,
      legendHost: this.legendHost,
      latest: (s) => this.latest(s),
      xRange: (min, max) =>
        fitX(min, max, { following: this.nav.following, windowMs: this.timeWindowMs(), timeAxis: this.isTimeAxis() }),
      yRange: (min, max) => fitY(min, max, this.yRange()),
      onSelect: (u) => this.nav.onSelect(u),
      onSeriesToggled: () => {
        syncLegend(this.legendHost, isShown);
        this.render();
      },
    });
    this.chart = this.createChart(opts, view, this.chartHost);
    enhanceLegend(this.legendHost, this.data.series, isShown);
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

  /** Append mode with epoch-millisecond x (or no data yet) shows wall-clock time. */
  private isTimeAxis(): boolean {
    if (this.info?.mode !== 'append') {
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

  /** Resizes with the container; rebuilds the chart when VS Code's theme changes. */
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

/** The fields the view relies on, checked before an info is applied. */
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
