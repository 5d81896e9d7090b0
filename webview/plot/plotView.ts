/**
 * PlotView: one live plot (toolbar, uPlot chart, legend, status line) bound to
 * one view id. Shared by the panel page and the notebook renderer; it knows
 * nothing about how messages travel, only the protocol.
 *
 * This file is the coordinator: it applies the host's messages to the view's
 * state and data, and renders the status line and the root's data attributes
 * (what tests read). The parts live beside it: toolbar.ts (controls),
 * chartPane.ts (the chart, drawn once per frame), navigation.ts (zoom, pan,
 * follow), chartOptions.ts (uPlot options), legend.ts, png.ts, status.ts,
 * startGate.ts (Start for notebook outputs) and dataWindow.ts (the data).
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
import { sameYRange } from '../../src/shared/yRange';
import { DisposableStore, type IDisposable } from '../lifecycle';
import { defaultChartFactory, type ChartFactory } from './chart';
import { ChartPane } from './chartPane';
import { DataWindow } from './dataWindow';
import { elementMaker, setData, setText } from './dom';
import { Navigation } from './navigation';
import { StartGate } from './startGate';
import { RateMeter, stateText, statsText, type ViewState } from './status';
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

/** A live plot bound to one view id. */
export class PlotView implements IDisposable {
  private readonly store = new DisposableStore();
  private readonly viewId: string;
  private readonly data = new DataWindow();

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

  private readonly win: Window & typeof globalThis;
  private readonly toolbar: Toolbar;
  private readonly gate: StartGate;
  private readonly pane: ChartPane;
  private readonly nav: Navigation;
  private readonly stateEl: HTMLElement;
  private readonly statsEl: HTMLElement;

  /** Builds the view into `root` (toolbar, start gate, chart, legend, status line). */
  constructor(
    private readonly root: HTMLElement,
    private readonly post: (msg: ViewToHostMessage) => void,
    opts: PlotViewOptions,
  ) {
    this.viewId = opts.viewId;
    const doc = root.ownerDocument;
    this.win = (doc.defaultView ?? window) as Window & typeof globalThis;
    const el = elementMaker(doc);
    const uid = `lp-${this.viewId.replace(/[^\w-]/g, '')}`;
    const title = opts.title ?? 'Live plot';

    root.classList.add('lp-root', opts.layout === 'fill' ? 'lp-fill' : 'lp-fixed');
    root.replaceChildren();

    this.toolbar = new Toolbar(
      root,
      {
        info: () => this.info,
        controlsEnabled: () => this.controlsEnabled(),
        closeEnabled: () => this.closeEnabled(),
        shownY: () => this.pane.chart?.scales?.y,
        send: (msg) => this.send(msg),
        follow: (on) => this.nav.setFollowing(on),
        exportPng: () => this.exportPng(),
        setNotice: (text) => {
          this.notice = text;
        },
        rescale: () => this.nav.rescale(),
        render: () => this.render(),
      },
      { title, closeLabel: opts.closeLabel, uid, viewId: this.viewId },
    );

    const output = opts.output;
    this.gate = new StartGate(doc, () => {
      if (output) this.send({ type: 'start', viewId: this.viewId, output });
    });
    root.appendChild(this.gate.element);
    this.store.add(this.gate);

    this.pane = new ChartPane(
      root,
      this.data,
      opts.createChart ?? defaultChartFactory,
      {
        info: () => this.info,
        yRange: () => this.yRange(),
        following: () => this.nav.following,
        heldRange: () => this.nav.heldRange(),
        onSelect: (u) => this.nav.onSelect(u),
        changed: () => this.render(),
      },
      { title, uid },
    );

    const status = el('div', 'lp-status', root);
    this.stateEl = el('span', 'lp-state', status);
    // Only the state is announced: the statistics change every period.
    this.stateEl.setAttribute('aria-live', 'polite');
    this.statsEl = el('span', 'lp-stats', status);

    this.store.add(this.toolbar);
    this.nav = this.store.add(
      new Navigation(
        {
          chart: () => this.pane.chart,
          data: () => this.data.view(),
          chartWidth: () => this.pane.width,
          changed: () => this.render(),
        },
        this.pane.element,
        this.win,
      ),
    );
    this.store.add(this.pane);
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
            // The gate above the chart says why and what Start would do; the status line stays short.
            this.statusOverride = msg.state === 'stopped' ? 'stopped' : msg.state === 'error' ? 'could not start' : 'not started';
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
    return this.pane.toPng(this.info?.title || this.toolbar.title || 'Live plot');
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
    this.pane.scheduleDraw();
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
    const chart = this.pane.chart;
    this.toolbar.update({
      info,
      controlsEnabled: this.controlsEnabled(),
      closeEnabled: this.closeEnabled(),
      hasChart: !!chart,
      following,
    });
    if (info) {
      this.pane.setTitle(info.title || 'Live plot');
    }
    const ended = this.state === 'ended' || this.state === 'unknown-session' || this.state === 'not-started';
    const facts = {
      info,
      state: this.state,
      override: this.statusOverride,
      localRate: this.rate.rate(this.now()),
      windowMs: this.pane.timeWindowMs(),
      yRange: this.yRange(),
      zoomed: !following && !!chart,
      notice: this.notice,
    };
    if (!chart) {
      this.pane.setPlaceholder(ended ? stateText(facts) : 'Waiting for data…');
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
    setData(a, 'visibleSeries', this.data.series.filter((_, i) => this.pane.isShown(i)).join(','));
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
