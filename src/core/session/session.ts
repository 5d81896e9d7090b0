import type { FrameMode, SessionState, ViewSessionInfo, YRange } from '../../shared/protocol';
import type { Clock, TimerHandle } from '../clock';
import { Emitter } from '../../shared/event';
import { Disposable, toDisposable } from '../../shared/lifecycle';
import { isPeriodRequest } from '../../shared/limits';
import { errorMessage } from '../errors';
import { ColumnRing, MAX_SERIES } from '../ringBuffer';
import { publicSourceSpec, redactText } from '../redact';
import type { Source, SourceSink } from '../source';
import { checkPoints, checkYRange, clampPeriod, ResolvedSpec, SourceSpec } from '../spec';
import { defaultHeadroom, grownHeadroom, ringCapacity } from './headroom';
import { PngRequests } from './pngRequests';
import { RateMeter } from './rateMeter';
import { NoVisibleViewError, type DisposeReason, type ExportRequest, type Owner, type SessionInfo, type SessionLimits, type ViewSink } from './types';
import { ViewFanOut } from './viewFanOut';

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
  private readonly views: ViewFanOut;
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
  private readonly rates = new RateMeter();
  private disposeReason: DisposeReason | undefined;
  private _yRange: YRange;
  private readonly pngRequests = new PngRequests();

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
    this.views = new ViewFanOut(
      this.ring,
      () => this._points,
      () => this.viewInfo(),
      (e) => this.log(`Session "${this.title}": a view failed to take a message: ${errorMessage(e)}`),
    );
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
      this.rates.record(now, this.ring.total - this.totalAtLastTick);
      this.totalAtLastTick = this.ring.total;
      this.generationAtLastTick = this.ring.generation;
      if (!this._paused) this.views.sendData();
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
   * Grows the ring's headroom to hold the rate of the last period (`arrived` rows
   * in `elapsedMs`; see `grownHeadroom`). Kept until the window changes.
   */
  private growHeadroom(arrived: number, elapsedMs: number): void {
    if (this.source.mode !== 'append') return;
    const next = grownHeadroom(this.headroom, arrived, elapsedMs, this._periodMs, this.ring.seriesNames.length);
    if (next <= this.headroom) return;
    this.headroom = next;
    this.ring.grow(this._points + next);
  }

  // ------------------------------------------------------------------ controls

  /** Changes the refresh period (clamped); the next tick is due one new period after the last one. */
  setPeriod(periodMs: number): void {
    if (this.isDisposed || !isPeriodRequest(periodMs)) return;
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
    const view = this.views.firstVisible();
    if (this.isDisposed || !view) {
      const why = this.isDisposed ? 'the session has ended' : this.views.size ? 'its views are hidden' : 'it has no view';
      return { result: Promise.reject(new NoVisibleViewError(`"${this.title}" cannot render a PNG: ${why}. Show its panel or output first.`)), cancel: () => undefined };
    }
    const { requestId, result, cancel } = this.pngRequests.open(() => new Error(`"${this.title}" did not render its chart in time`));
    this.views.post(view, { type: 'renderPng', viewId: view.id, requestId });
    return { result, cancel };
  }

  /** A view answered a PNG request; false if nobody waits for `requestId`. */
  resolvePng(requestId: string, dataUrl: string): boolean {
    return this.pngRequests.resolve(requestId, dataUrl);
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
    this.views.sendSnapshots();
    this.infoChanged();
  }

  // ------------------------------------------------------------------ views

  /** Attaches a view (it gets a snapshot if visible); detaching never ends the session. */
  attachView(sink: ViewSink, visible = true): void {
    if (this.isDisposed) return;
    this.views.attach(sink, visible);
    this.infoChanged();
  }

  detachView(viewId: string): boolean {
    if (this.isDisposed) return false;
    const had = this.views.detach(viewId);
    if (had) this.infoChanged();
    return had;
  }

  hasView(viewId: string): boolean {
    return this.views.has(viewId);
  }

  viewIds(): string[] {
    return this.views.ids();
  }

  /** A view that becomes visible gets one snapshot; hidden views get nothing. */
  setViewVisible(viewId: string, visible: boolean): void {
    if (this.isDisposed) return;
    if (this.views.setVisible(viewId, visible)) this.infoChanged();
  }

  private infoChanged(): void {
    if (this.isDisposed) return;
    this.views.sendInfo(this.viewInfo());
    this._onDidChangeInfo.fire();
  }

  /** What views show in their controls and status line. */
  viewInfo(): ViewSessionInfo {
    return {
      ...this.summary(),
      paused: this._paused,
      mode: this.source.mode,
      periodRange: this.limits.periodControl,
      maxPoints: this.limits.maxPoints,
    };
  }

  private statusLine(): string | undefined {
    if (this.disposeReason) return `ended (${this.disposeReason})`;
    if (this.ended !== undefined) return `ended (${this.ended})`;
    if (this.errorText !== undefined) return this.errorText;
    if (this.limitText !== undefined) return this.statusText ? `${this.statusText}; ${this.limitText}` : this.limitText;
    return this.statusText;
  }

  /** A snapshot for lists and the API: the views' summary plus owner, source and statistics. */
  info(): SessionInfo {
    return {
      ...this.summary(),
      ownerKind: this.owner.kind,
      group: this.owner.group,
      groupKey: this.owner.groupKey,
      source: this.publicSource,
      // Built-in sources redact their endpoints; this also covers registered kinds.
      endpoint: redactText(this.source.endpoint),
      samplesPerSecond: this.rates.samplesPerSecond(this.clock.now()),
      views: this.views.size,
      visibleViews: this.views.visibleCount,
      createdAt: this.createdAt,
    };
  }

  /** What both the views' info and the lists' info show. */
  private summary() {
    return {
      id: this.id,
      title: this.title,
      sourceKind: this.spec.source.kind,
      state: (this.disposeReason ? 'ended' : this.state) as SessionState,
      status: this.statusLine(),
      periodMs: this._periodMs,
      points: this.pendingPoints ?? this._points,
      rate: this.rates.updatesPerSecond(this.clock.now()),
      malformed: this.malformedCount,
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
    this.views.end(reason, this.viewInfo());
    this.pngRequests.rejectAll(() => new Error(`"${this.title}" ended (${reason}) before it rendered its chart`));
    super.dispose();
    this._onDidDispose.fire(reason);
    this._onDidDispose.dispose();
  }
}

function sameRange(a: YRange, b: YRange): boolean {
  return a === b || (a !== 'auto' && b !== 'auto' && a[0] === b[0] && a[1] === b[1]);
}
