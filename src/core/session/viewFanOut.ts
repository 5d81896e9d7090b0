import type { DisposeReason, ViewSink } from './types';
import type { ColumnRing } from '../ringBuffer';
import type { HostToViewMessage, ViewSessionInfo } from '../../shared/protocol';

/** One attached view and how much of the ring it has been sent. */
interface ViewState {
  readonly sink: ViewSink;
  visible: boolean;
  /** The ring's generation at the last message (-1: nothing sent yet). */
  generation: number;
  /** The ring's total row count at the last message. */
  total: number;
}

/**
 * A session's views: a snapshot when one attaches or becomes visible, then the
 * rows it has not seen (a delta, or a replace when the shape changed). Hidden
 * views get nothing. A view that throws on `post` is logged, never fatal.
 */
export class ViewFanOut {
  private readonly views = new Map<string, ViewState>();

  constructor(
    private readonly ring: ColumnRing,
    /** The window (points) now. */
    private readonly window: () => number,
    /** What views show in their controls, built when a message needs it. */
    private readonly info: () => ViewSessionInfo,
    /** A view failed to take a message. */
    private readonly onPostError: (e: unknown) => void,
  ) {}

  get size(): number {
    return this.views.size;
  }

  get visibleCount(): number {
    let n = 0;
    for (const v of this.views.values()) if (v.visible) n++;
    return n;
  }

  has(viewId: string): boolean {
    return this.views.has(viewId);
  }

  ids(): string[] {
    return [...this.views.keys()];
  }

  /** The first visible view, if any (it renders PNGs). */
  firstVisible(): ViewSink | undefined {
    for (const v of this.views.values()) if (v.visible) return v.sink;
    return undefined;
  }

  /** Adds (or replaces) a view; a visible one gets a snapshot. */
  attach(sink: ViewSink, visible: boolean): void {
    const v: ViewState = { sink, visible, generation: -1, total: 0 };
    this.views.set(sink.id, v);
    if (visible) this.sendSnapshot(v);
  }

  detach(viewId: string): boolean {
    return this.views.delete(viewId);
  }

  /** Shows or hides a view (a view shown gets a snapshot); false if unknown or unchanged. */
  setVisible(viewId: string, visible: boolean): boolean {
    const v = this.views.get(viewId);
    if (!v || v.visible === visible) return false;
    v.visible = visible;
    if (visible) this.sendSnapshot(v);
    return true;
  }

  /** Sends each visible view what it has not seen. */
  sendData(): void {
    for (const v of this.views.values()) if (v.visible) this.sendDataTo(v);
  }

  /** Sends each visible view the whole window. */
  sendSnapshots(): void {
    for (const v of this.views.values()) if (v.visible) this.sendSnapshot(v);
  }

  /** Tells the visible views the session's info changed. */
  sendInfo(info: ViewSessionInfo): void {
    for (const v of this.views.values()) if (v.visible) this.post(v.sink, { type: 'info', viewId: v.sink.id, info });
  }

  /** Tells every view, hidden ones too, that the session ended, and forgets them all. */
  end(reason: DisposeReason, info: ViewSessionInfo): void {
    for (const v of this.views.values()) this.post(v.sink, { type: 'ended', viewId: v.sink.id, reason, info });
    this.views.clear();
  }

  /** Posts to one view; a view that throws is reported, not fatal. */
  post(sink: ViewSink, msg: HostToViewMessage): void {
    try {
      sink.post(msg);
    } catch (e) {
      this.onPostError(e);
    }
  }

  private sendSnapshot(v: ViewState): void {
    const cols = this.ring.snapshot(this.window());
    v.generation = this.ring.generation;
    v.total = this.ring.total;
    this.post(v.sink, { type: 'snapshot', viewId: v.sink.id, info: this.info(), ...cols });
  }

  private sendDataTo(v: ViewState): void {
    const points = this.window();
    if (v.generation === this.ring.generation) {
      if (v.total === this.ring.total) return;
      const cols = this.ring.since(v.total);
      if (cols) {
        v.total = this.ring.total;
        this.post(v.sink, { type: 'delta', viewId: v.sink.id, replace: false, points, ...cols });
        return;
      }
    }
    // A replace carries the window, or every row the view has not seen when those are
    // more (a new series changed the shape in a busy period) and all still held.
    const unseen = this.ring.total - v.total;
    const cols = this.ring.snapshot(unseen <= this.ring.length ? Math.max(points, unseen) : points);
    v.generation = this.ring.generation;
    v.total = this.ring.total;
    this.post(v.sink, { type: 'delta', viewId: v.sink.id, replace: true, points, ...cols });
  }
}
