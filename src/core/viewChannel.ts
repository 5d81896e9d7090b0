import type { AttachMessage, HostToViewMessage, StartMessage } from '../shared/protocol';
import type { Session } from './session';
import { applyControl } from './viewControl';
import { InvalidMessageLog, parseViewMessage } from './viewMessages';

/**
 * What a transport (a panel's webview, the notebook renderer messaging) does for
 * its views. `From` is where a message came from on that transport (nothing for a
 * panel, the notebook editor for an output); the channel hands it back unchanged.
 */
export interface ViewEndpoint<From> {
  /** Names the transport in the log: "a panel", "a notebook output". */
  readonly name: string;
  /**
   * What a control from a view the transport does not know is: `'report'` counts
   * and logs it as invalid (a panel has one page, so any other view id is stale or
   * forged); `'ignore'` drops it quietly (an output whose session ended keeps its
   * renderer, which may still speak).
   */
  readonly unknownViews: 'report' | 'ignore';
  /** A view attaches: binding it is owner-specific (the panel's session, an output by its uuid). */
  attach(from: From, msg: AttachMessage): void;
  /** A Start button in a view; without it, `start` goes through like any control. */
  start?(from: From, msg: StartMessage): void;
  /** The session that view `viewId` is attached to, if any. */
  sessionOf(from: From, viewId: string): Session | undefined;
  /** A view says it goes away, before its session is told: forget it. */
  detached?(from: From, viewId: string): void;
  /** Sends `msg` to view `viewId`. */
  post(from: From, viewId: string, msg: HostToViewMessage): void;
}

/**
 * The one path of every message from a view, whatever the transport:
 * validate → attach (or start) → stale check → apply the control → reply.
 * Views are untrusted: what does not fit is counted and dropped, never thrown.
 * An error is reported to the view that caused it, on its status line.
 */
export class ViewChannel<From> {
  constructor(private readonly endpoint: ViewEndpoint<From>, private readonly invalid: InvalidMessageLog) {}

  /** Handles one raw message from a view on this transport. */
  receive(from: From, raw: unknown): void {
    const parsed = parseViewMessage(raw);
    if (!parsed.ok) {
      this.invalid.report(this.endpoint.name, parsed);
      return;
    }
    const msg = parsed.message;
    if (msg.type === 'attach') {
      this.endpoint.attach(from, msg);
      return;
    }
    if (msg.type === 'start' && this.endpoint.start) {
      this.endpoint.start(from, msg);
      return;
    }
    const session = this.endpoint.sessionOf(from, msg.viewId);
    if (msg.type === 'detach') this.endpoint.detached?.(from, msg.viewId);
    if (!session) {
      if (this.endpoint.unknownViews === 'report') this.reject(`${msg.type}:stale-view`, 'message from a view that is not attached');
      return;
    }
    const error = applyControl(session, msg);
    if (error) this.replyError(from, msg.viewId, session, error);
  }

  /** Counts and logs (once per kind) a message the transport refused after validation. */
  reject(kind: string, error: string): void {
    this.invalid.report(this.endpoint.name, { kind, error });
  }

  /** Shows `error` on the status line of view `viewId` of `session`: the one way errors reach a view. */
  replyError(from: From, viewId: string, session: Session, error: string): void {
    this.endpoint.post(from, viewId, { type: 'info', viewId, info: { ...session.viewInfo(), status: error } });
  }
}
