/**
 * The vocabulary other layers use to talk about sessions: owners, dispose
 * reasons, views, the info snapshot, export requests and the run-time limits.
 */
import type { HostToViewMessage, SessionState, YRange } from '../../shared/protocol';
import type { SourceSpec } from '../spec';

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
