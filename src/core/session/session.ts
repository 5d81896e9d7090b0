import type { FrameMode, HostToViewMessage, SessionState, ViewSessionInfo, YRange } from '../shared/protocol';
import type { Clock, TimerHandle } from './clock';
import { Emitter } from '../shared/event';
import { Disposable, toDisposable } from '../shared/lifecycle';
import { ColumnRing, MAX_SERIES } from './ringBuffer';
import { publicSourceSpec, redactText } from './redact';
import type { Source, SourceSink } from './source';
import { checkPoints, checkYRange, clampPeriod, ResolvedSpec, SourceSpec } from './spec';

/** Who a session belongs to; the session lives exactly as long as its owner. */
export type OwnerKind = 'panel' | 'output' | 'api';

/** Why a session ended. */
export type DisposeReason =
  | 'panel-closed'
  | 'output-removed'
  | 'cell-deleted'
  | 'notebook-closed'
  | 'user-closed'
  | 'source-ended'
  | 'api-disposed'
  | 'extension-deactivated'
  | 'reaped';

/** The thing a session belongs to. */
export interface Owner {
  readonly kind: OwnerKind;
  /** Tree group label: "Panels", a notebook's file name, … */
  readonly group: string;
  /** Stable key of the group (e.g. the notebook URI). */
  readonly groupKey: string;
  /** Whether the owner still exists; used by the periodic reconciliation. */
  isAlive(): boolean;
}

/** Something that displays a session: a panel page or a rendered notebook output. */
export interface ViewSink {
  readonly id: string;
  post(msg: HostToViewMessage): void;
}

/** A snapshot of a session for lists, the tree and the API. */
export interface SessionInfo {
  readonly id: string;
  readonly title: string;
  readonly ownerKind: OwnerKind;
  readonly group: string;
  readonly groupKey: string;
  readonly state: SessionState;
  readonly status: string | undefined;
  readonly sourceKind: string;
  /** The source spec without secrets (see `publicSourceSpec`): env and header values, URL credentials. */
  readonly source: SourceSpec;
  readonly endpoint: string;
  readonly periodMs: number;
  readonly points: number;
  /** Data updates delivered per second (recent). */
  readonly rate: number;
  /** Samples recorded per second (recent). */
  readonly samplesPerSecond: number;
  readonly views: number;
  readonly visibleViews: number;
  readonly malformed: number;
  readonly createdAt: number;
  /** The y axis: `'auto'` or a fixed `[min, max]`. */
  readonly yRange: YRange;
  /** Time window in seconds (append mode), if the spec set one. */
  readonly windowSeconds?: number;
}

/** A view asked the host to export: the window's data as CSV, or a PNG it rendered. */
export type ExportRequest =
  | { readonly kind: 'csv'; readonly viewId: string }
  | { readonly kind: 'png'; readonly viewId: string; readonly dataUrl: string };

/** No view can render the chart (none attached, or none visible). */
export class NoVisibleViewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoVisibleViewError';
  }
}

/** Limits a session needs at run time (from settings). */
export interface SessionLimits {
  readonly minPeriodMs: number;
  readonly maxPeriodMs: number;
  readonly maxPoints: number;
  /** Range and step of the period control in views. */
  readonly periodControl: { readonly min: number; readonly max: number; readonly step: number };
}

interface ViewState {
  readonly sink: ViewSink;
  visible: boolean;
  generation: number;
  total: number;
}

const RATE_WINDOW_MS = 2000;

/**
 * Rows the ring keeps for a window of `points`: the window plus headroom, so that
 * rows not yet sent survive when a period brings more rows than the window (a tick
 * late under load at a high rate): views still get every row, and the newest
 * `points` of them are the window. Up to 64 k rows of headroom to start with
 * (twice the columns of a window of up to 64 k points; +6.5 % for a 1 M-point
 * window); a session whose rate needs more grows it (see `HEADROOM_SECONDS`).
 */
export function ringCapacity(points: number, headroom = defaultHeadroom(points)): number {
  return points + headroom;
}

function defaultHeadroom(points: number): number {
  return Math.min(points, 65_536);
}

/**
 * Headroom grows to hold this long of data at the rate seen in a period: the
 * extension host stops for tens of milliseconds now and then (garbage
 * collection, VS Code's own work), and a source pushing 500,000 samples a second
 * brings 40,000 rows in 80 ms.
 */
export const HEADROOM_SECONDS = 0.25;
/** Headroom never takes more than this (bytes, all columns). */
export const MAX_HEADROOM_BYTES = 32 * 2 ** 20;

/**
 * One live plot: a spec, a source, a ring buffer, exactly one timer, one owner
 * and any number of views. Every public method is a no-op after dispose.
 */
export class Session extends Disposable {
  private readonly _onDidDispose = new Emitter<DisposeReason>();
  /** Fires once, with the reason, when the session ends. */
  readonly onDidDispose = this._onDidDispose.event;
  private readonly _onDidChangeInfo = new Emitter<void>();
  /** State, period, points, views or status changed. */
  readonly onDidChangeInfo = this._onDidChangeInfo.event;
  private readonly _onDidUpdate = new Emitter<void>();
  /** New data was recorded at a tick. */
  readonly onDidUpdate = this._onDidUpdate.event;
  private readonly _onDidRequestExport = new Emitter<ExportRequest>();
  /** A view asked to export (the host asks where to save). */
  readonly onDidRequestExport = this._onDidRequestExport.event;

  readonly title: string;
  readonly createdAt: number;
  /** The source spec as shown outside the host: without secrets. */
  private readonly publicSource: SourceSpec;
  private readonly ring: ColumnRing;
  private readonly views = new Map<string, ViewState>();
  private timer: TimerHandle | undefined;
  private lastTickAt: number;
  /** When the pending tick is due (clock time). */
  private dueAt = 0;
  /** Rows the ring keeps beyond the window (see `ringCapacity`). */
  private headroom: number;
  /** When the last tick ran (clock time). */
  private lastTickTime: number;
  private _periodMs: number;
  private _points: number;
  private pendingPoints: number | undefined;
  private _paused = false;
  private ended: string | undefined;
  private errorText: string | undefined;
  private statusText: string | undefined;
  /** Set once a limit dropped input (e.g. too many series); shown with the status. */
  private limitText: string | undefined;
  private malformedCount = 0;
  private totalAtLastTick = 0;
  private generationAtLastTick = 0;
  private readonly updateTimes: number[] = [];
  private readonly sampleCounts: { t: number; n: number }[] = [];
  private disposeReason: DisposeReason | undefined;
  private _yRange: YRange;
  private readonly pngRequests = new Map<string, { resolve(dataUrl: string): void; reject(e: Error): void }>();
  private pngRequestCount = 0;

  constructor(
    readonly id: string,
    private readonly spec: ResolvedSpec,
    /** Where the data comes from (one per session). */
    readonly source: Source,
    readonly owner: Owner,
    private readonly clock: Clock,
    private readonly limits: SessionLimits,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    super();
    this.title = spec.title;
    this.publicSource = publicSourceSpec(spec.source);
    this._periodMs = clampPeriod(spec.periodMs, limits);
    this._points = spec.points;
    this._yRange = spec.yRange ?? 'auto';
    this.headroom = defaultHeadroom(spec.points);
    this.ring = new ColumnRing(ringCapacity(spec.points, this.headroom));
    this.createdAt = clock.now();
    this.lastTickAt = this.createdAt;
    this.lastTickTime = this.createdAt;
    this._register(this._onDidChangeInfo);
    this._register(this._onDidUpdate);
    this._register(this._onDidRequestExport);
    this._register(toDisposable(() => this.clearTimer()));
  }

  get periodMs(): number {
    return this._periodMs;
  }
  get points(): number {
    return this._points;
  }
  get paused(): boolean {
    return this._paused;
  }
  get yRange(): YRange {
    return this._yRange;
  }
  get mode(): FrameMode {
    return this.source.mode;
  }
  get disposed(): boolean {
    return this.isDisposed;
  }
  /** Whether the session's single timer is pending. */
  get hasTimer(): boolean {
    return this.timer !== undefined;
  }
  get viewCount(): number {
    return this.views.size;
  }

  get state(): SessionState {
    if (this.ended !== undefined) return 'ended';
    if (this.errorText !== undefined) return 'error';
    return this._paused ? 'paused' : 'running';
  }

  /** Starts the source and the timer. A source that throws leaves the session in the error state. */
  start(): void {
    if (this.isDisposed || this.timer !== undefined) return;
    try {
      this.source.start(this.sink);
    } catch (e) {
      this.setError(errorMessage(e));
    }
    this.schedule(0);
  }

  private readonly sink: SourceSink = {
    frame: (x, series) => {
      if (this.isDisposed) return;
      const dropped = this.ring.replace(x, series);
      if (dropped.length > 0) this.seriesLimitReached(dropped[0]!);
    },
    sample: (name, x, y) => {
      if (this.isDisposed) return;
      if (!this.ring.push(name, x, y)) {
        this.sink.malformed(1);
        this.seriesLimitReached(name);
      }
    },
    malformed: (count) => {
      if (this.isDisposed || !(count > 0)) return;
      this.malformedCount += count;
    },
    error: (message) => {
      if (this.isDisposed) return;
      this.setError(message);
    },
    status: (message) => {
      if (this.isDisposed || this.statusText === message) return;
      this.statusText = message;
      this.infoChanged();
    },
    ended: (message) => {
      if (this.isDisposed || this.ended !== undefined) return;
      this.ended = message;
      this.log(`Session "${this.title}" (${this.id}): source ended: ${message}`);
      this.infoChanged();
    },
    log: (message) => {
      if (!this.isDisposed) this.log(`[${this.title}] ${message}`);
    },
  };

  /** Says once (status and log) that new series are dropped; the series already recorded keep recording. */
  private seriesLimitReached(name: string): void {
    if (this.limitText !== undefined) return;
    this.limitText = `series limit reached: at most ${MAX_SERIES} series per session; "${name.slice(0, 40)}" and further new series are not recorded (the first ${MAX_SERIES} are kept)`;
    this.log(`Session "${this.title}" (${this.id}): ${this.limitText}`);
    this.infoChanged();
  }

  private setError(message: string | undefined): void {
    if (this.errorText === message) return;
    this.errorText = message;
    if (message) this.log(`Session "${this.title}" (${this.id}): error: ${message}`);
    this.infoChanged();
  }

  // ------------------------------------------------------------------ timer

  private schedule(delay: number): void {
    this.clearTimer();
    if (this.isDisposed) return;
    this.dueAt = this.clock.now() + Math.max(0, delay);
    this.timer = this.clock.setTimeout(this.tick, Math.max(0, delay));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.isDisposed) return;
    const now = this.clock.now();
    // Ticks keep to a grid (due, due + period, …) so that timer lateness does not add
    // up: the average period is the period asked for. More than a period late, the
    // grid starts again from now (no burst of catch-up ticks).
    const due = Math.min(this.dueAt, now);
    this.lastTickAt = due;
    const previousTick = this.lastTickTime;
    this.lastTickTime = now;
    if (this.pendingPoints !== undefined) {
      this._points = this.pendingPoints;
      this.pendingPoints = undefined;
      this.headroom = defaultHeadroom(this._points);
      this.ring.resize(ringCapacity(this._points, this.headroom));
    }
    if (this.ended === undefined && this.source.tick) {
      try {
        this.source.tick(now, this._points);
      } catch (e) {
        this.setError(errorMessage(e));
      }
    }
    const changed = this.ring.total !== this.totalAtLastTick || this.ring.generation !== this.generationAtLastTick;
    if (changed) {
      this.growHeadroom(this.ring.total - this.totalAtLastTick, now - previousTick);
      this.recordRate(now, this.ring.total - this.totalAtLastTick);
      this.totalAtLastTick = this.ring.total;
      this.generationAtLastTick = this.ring.generation;
      if (!this._paused) {
        for (const v of this.views.values()) if (v.visible) this.sendData(v);
      }
      this._onDidUpdate.fire();
    }
    // The tick may have disposed us (a listener closing the session).
    if (!this.isDisposed) {
      const t = this.clock.now();
      const next = due + this._periodMs;
      this.schedule(next >= t ? next - t : this._periodMs);
    }
  };

  /**
   * Grows the ring's headroom to hold `HEADROOM_SECONDS` of rows at the rate of the
   * last period (`arrived` rows in `elapsedMs`), at least doubling, within
   * `MAX_HEADROOM_BYTES`. Kept until the window changes.
   */
  private growHeadroom(arrived: number, elapsedMs: number): void {
    if (arrived <= 0 || this.source.mode !== 'append') return;
    const perSecond = (arrived * 1000) / Math.max(this._periodMs, elapsedMs);
    const want = Math.ceil(perSecond * HEADROOM_SECONDS);
    if (want <= this.headroom) return;
    const max = Math.floor(MAX_HEADROOM_BYTES / (8 * (1 + Math.max(1, this.ring.seriesNames.length))));
    const next = Math.min(max, Math.max(want, this.headroom * 2));
    if (next <= this.headroom) return;
    this.headroom = next;
    this.ring.grow(this._points + next);
  }

  private recordRate(now: number, samples: number): void {
    this.updateTimes.push(now);
    this.sampleCounts.push({ t: now, n: samples });
    while (this.updateTimes.length && this.updateTimes[0]! < now - RATE_WINDOW_MS) this.updateTimes.shift();
    while (this.sampleCounts.length && this.sampleCounts[0]!.t < now - RATE_WINDOW_MS) this.sampleCounts.shift();
  }

  private get rate(): number {
    const now = this.clock.now();
    const n = this.updateTimes.filter((t) => t >= now - RATE_WINDOW_MS).length;
    return Math.round((n / (RATE_WINDOW_MS / 1000)) * 100) / 100;
  }

  private get samplesPerSecond(): number {
    const now = this.clock.now();
    let n = 0;
    for (const s of this.sampleCounts) if (s.t >= now - RATE_WINDOW_MS) n += s.n;
    return Math.round(n / (RATE_WINDOW_MS / 1000));
  }

  // ------------------------------------------------------------------ controls

  /** Changes the refresh period (clamped); the next tick is due one new period after the last one. */
  setPeriod(periodMs: number): void {
    if (this.isDisposed || typeof periodMs !== 'number' || !Number.isFinite(periodMs) || periodMs <= 0) return;
    const p = clampPeriod(periodMs, this.limits);
    if (p === this._periodMs) return;
    this._periodMs = p;
    if (this.timer !== undefined) this.schedule(this.lastTickAt + p - this.clock.now());
    this.infoChanged();
  }

  /** Changes the window; takes effect at the next tick. Throws SpecError for an invalid value. */
  setPoints(points: number): void {
    if (this.isDisposed) return;
    const p = checkPoints(points, this.limits);
    if (p === (this.pendingPoints ?? this._points)) return;
    this.pendingPoints = p;
    this.infoChanged();
  }

  /** Fixes the y axis to `[min, max]` or returns it to `'auto'`. Throws SpecError for an invalid range. */
  setYRange(range: YRange): void {
    if (this.isDisposed) return;
    const r = checkYRange(range);
    if (sameRange(r, this._yRange)) return;
    this._yRange = r;
    this.infoChanged();
  }

  // ------------------------------------------------------------------ export

  /** A view asked to export; the host decides where to save. */
  requestExport(request: ExportRequest): void {
    if (this.isDisposed || !this.views.has(request.viewId)) return;
    this._onDidRequestExport.fire(request);
  }

  /**
   * Asks a visible view for a PNG of its chart. Rejects with NoVisibleViewError
   * if no view is visible, and with an Error when the session ends or `cancel` runs.
   */
  requestPng(): { readonly result: Promise<string>; cancel(): void } {
    const view = [...this.views.values()].find((v) => v.visible);
    if (this.isDisposed || !view) {
      const why = this.isDisposed ? 'the session has ended' : this.views.size ? 'its views are hidden' : 'it has no view';
      return { result: Promise.reject(new NoVisibleViewError(`"${this.title}" cannot render a PNG: ${why}. Show its panel or output first.`)), cancel: () => undefined };
    }
    const requestId = `png-${++this.pngRequestCount}`;
    const result = new Promise<string>((resolve, reject) => this.pngRequests.set(requestId, { resolve, reject }));
    this.post(view, { type: 'renderPng', viewId: view.sink.id, requestId });
    const cancel = () => {
      const r = this.pngRequests.get(requestId);
      this.pngRequests.delete(requestId);
      r?.reject(new Error(`"${this.title}" did not render its chart in time`));
    };
    return { result, cancel };
  }

  /** A view answered a PNG request; false if nobody waits for `requestId`. */
  resolvePng(requestId: string, dataUrl: string): boolean {
    const r = this.pngRequests.get(requestId);
    if (!r) return false;
    this.pngRequests.delete(requestId);
    r.resolve(dataUrl);
    return true;
  }

  /** Freezes what views show; data keeps being recorded. */
  pause(): void {
    if (this.isDisposed || this._paused) return;
    this._paused = true;
    this.infoChanged();
  }

  /** Shows everything inside the window again. */
  resume(): void {
    if (this.isDisposed || !this._paused) return;
    this._paused = false;
    for (const v of this.views.values()) if (v.visible) this.sendSnapshot(v);
    this.infoChanged();
  }

  // ------------------------------------------------------------------ views

  /** Attaches a view (it gets a snapshot if visible); detaching never ends the session. */
  attachView(sink: ViewSink, visible = true): void {
    if (this.isDisposed) return;
    const v: ViewState = { sink, visible, generation: -1, total: 0 };
    this.views.set(sink.id, v);
    if (visible) this.sendSnapshot(v);
    this.infoChanged();
  }

  detachView(viewId: string): boolean {
    if (this.isDisposed) return false;
    const had = this.views.delete(viewId);
    if (had) this.infoChanged();
    return had;
  }

  hasView(viewId: string): boolean {
    return this.views.has(viewId);
  }

  viewIds(): string[] {
    return [...this.views.keys()];
  }

  /** A view that becomes visible gets one snapshot; hidden views get nothing. */
  setViewVisible(viewId: string, visible: boolean): void {
    const v = this.views.get(viewId);
    if (!v || this.isDisposed || v.visible === visible) return;
    v.visible = visible;
    if (visible) this.sendSnapshot(v);
    this.infoChanged();
  }

  private sendSnapshot(v: ViewState): void {
    const cols = this.ring.snapshot(this._points);
    v.generation = this.ring.generation;
    v.total = this.ring.total;
    this.post(v, { type: 'snapshot', viewId: v.sink.id, info: this.viewInfo(), ...cols });
  }

  private sendData(v: ViewState): void {
    if (v.generation === this.ring.generation) {
      if (v.total === this.ring.total) return;
      const cols = this.ring.since(v.total);
      if (cols) {
        v.total = this.ring.total;
        this.post(v, { type: 'delta', viewId: v.sink.id, replace: false, points: this._points, ...cols });
        return;
      }
    }
    // A replace carries the window, or every row the view has not seen when those are
    // more (a new series changed the shape in a busy period) and all still held.
    const unseen = this.ring.total - v.total;
    const cols = this.ring.snapshot(unseen <= this.ring.length ? Math.max(this._points, unseen) : this._points);
    v.generation = this.ring.generation;
    v.total = this.ring.total;
    this.post(v, { type: 'delta', viewId: v.sink.id, replace: true, points: this._points, ...cols });
  }

  private post(v: ViewState, msg: HostToViewMessage): void {
    try {
      v.sink.post(msg);
    } catch (e) {
      this.log(`Session "${this.title}": a view failed to take a message: ${errorMessage(e)}`);
    }
  }

  private infoChanged(): void {
    if (this.isDisposed) return;
    const info = this.viewInfo();
    for (const v of this.views.values()) {
      if (v.visible) this.post(v, { type: 'info', viewId: v.sink.id, info });
    }
    this._onDidChangeInfo.fire();
  }

  /** What views show in their controls and status line. */
  viewInfo(): ViewSessionInfo {
    return {
      id: this.id,
      title: this.title,
      sourceKind: this.spec.source.kind,
      state: this.disposeReason ? 'ended' : this.state,
      status: this.statusLine(),
      periodMs: this._periodMs,
      points: this.pendingPoints ?? this._points,
      paused: this._paused,
      mode: this.source.mode,
      periodRange: this.limits.periodControl,
      maxPoints: this.limits.maxPoints,
      rate: this.rate,
      malformed: this.malformedCount,
      yRange: this._yRange,
      ...(this.spec.windowSeconds === undefined ? {} : { windowSeconds: this.spec.windowSeconds }),
    };
  }

  private statusLine(): string | undefined {
    if (this.disposeReason) return `ended (${this.disposeReason})`;
    if (this.ended !== undefined) return `ended (${this.ended})`;
    if (this.errorText !== undefined) return this.errorText;
    if (this.limitText !== undefined) return this.statusText ? `${this.statusText}; ${this.limitText}` : this.limitText;
    return this.statusText;
  }

  /** A snapshot for lists and the API. */
  info(): SessionInfo {
    let visible = 0;
    for (const v of this.views.values()) if (v.visible) visible++;
    return {
      id: this.id,
      title: this.title,
      ownerKind: this.owner.kind,
      group: this.owner.group,
      groupKey: this.owner.groupKey,
      state: this.disposeReason ? 'ended' : this.state,
      status: this.statusLine(),
      sourceKind: this.spec.source.kind,
      source: this.publicSource,
      // Built-in sources redact their endpoints; this also covers registered kinds.
      endpoint: redactText(this.source.endpoint),
      periodMs: this._periodMs,
      points: this.pendingPoints ?? this._points,
      rate: this.rate,
      samplesPerSecond: this.samplesPerSecond,
      views: this.views.size,
      visibleViews: visible,
      malformed: this.malformedCount,
      createdAt: this.createdAt,
      yRange: this._yRange,
      ...(this.spec.windowSeconds === undefined ? {} : { windowSeconds: this.spec.windowSeconds }),
    };
  }

  /** The spec as it is now (period and points included), e.g. for panel state. */
  currentSpec(): ResolvedSpec {
    return { ...this.spec, periodMs: this._periodMs, points: this.pendingPoints ?? this._points, yRange: this._yRange };
  }

  /** The data in the window, oldest first. */
  snapshot() {
    return this.ring.snapshot(this._points);
  }

  /** Bytes held by the session's buffers. */
  get bufferBytes(): number {
    return this.ring.byteLength;
  }

  /** Ends the session: clears the timer synchronously, stops the source, tells the views. */
  override dispose(reason: DisposeReason = 'user-closed'): void {
    if (this.isDisposed) return;
    this.disposeReason = reason;
    this.clearTimer();
    try {
      this.source.dispose();
    } catch (e) {
      this.log(`Session "${this.title}": source failed to stop cleanly: ${errorMessage(e)}`);
    }
    const info = this.viewInfo();
    for (const v of this.views.values()) this.post(v, { type: 'ended', viewId: v.sink.id, reason, info });
    this.views.clear();
    for (const r of this.pngRequests.values()) r.reject(new Error(`"${this.title}" ended (${reason}) before it rendered its chart`));
    this.pngRequests.clear();
    super.dispose();
    this._onDidDispose.fire(reason);
    this._onDidDispose.dispose();
  }
}

function sameRange(a: YRange, b: YRange): boolean {
  return a === b || (a !== 'auto' && b !== 'auto' && a[0] === b[0] && a[1] === b[1]);
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
