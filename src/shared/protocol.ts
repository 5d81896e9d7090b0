/**
 * The one protocol between the extension host and the views (panel page and
 * notebook renderer). Types and string constants only: no `vscode`, no DOM.
 * Both sides import it with `import type` (constants may be imported by value).
 *
 * Data travels as columns of Float64Array: a snapshot when a view attaches,
 * then one delta per session per period. Never JSON arrays of numbers.
 */

/** MIME type of a live-plot notebook output. */
export const LIVE_PLOT_MIME = 'application/vnd.liveplot.session+json';
/** Id of the notebook renderer (package.json `contributes.notebookRenderer`). */
export const RENDERER_ID = 'live-plot-renderer';
/** Version of the MIME payload. */
export const PAYLOAD_VERSION = 1;

export type SessionState = 'running' | 'paused' | 'ended' | 'error';
export type FrameMode = 'replace' | 'append';

/** What a view needs to show the controls and the status line. */
export interface ViewSessionInfo {
  readonly id: string;
  readonly title: string;
  readonly sourceKind: string;
  readonly state: SessionState;
  /** Human text for the state, e.g. "ended (exit code 1)" or an error message. */
  readonly status?: string;
  readonly periodMs: number;
  readonly points: number;
  readonly paused: boolean;
  readonly mode: FrameMode;
  /** Allowed range and step of the period control, in ms. */
  readonly periodRange: { readonly min: number; readonly max: number; readonly step: number };
  /** Upper bound for the points control. */
  readonly maxPoints: number;
  /** Updates per second actually delivered recently. */
  readonly rate: number;
  /** Malformed inputs counted by the source. */
  readonly malformed: number;
  /** The y axis: `'auto'` or a fixed `[min, max]` (absent: auto). */
  readonly yRange?: YRange;
  /** Append mode with a time axis: show only the last N seconds (absent: the whole window). */
  readonly windowSeconds?: number;
}

/** The y axis of a chart: fitted to the data, or a fixed `[min, max]` (min < max). */
export type YRange = 'auto' | readonly [number, number];

/** Largest PNG a view may send, as a data URL (characters). */
export const MAX_PNG_DATA_URL_LENGTH = 16 * 1024 * 1024;
/** Prefix of every PNG data URL a view sends. */
export const PNG_DATA_URL_PREFIX = 'data:image/png;base64,';

/** Columns: x plus one Float64Array per series (same length). */
export interface Columns {
  readonly series: readonly string[];
  readonly x: Float64Array;
  readonly y: readonly Float64Array[];
}

// ---------------------------------------------------------------- host → view

export interface SnapshotMessage extends Columns {
  readonly type: 'snapshot';
  readonly viewId: string;
  readonly info: ViewSessionInfo;
}
/** New data since the last message; `replace` means the columns are the whole window. */
export interface DeltaMessage extends Columns {
  readonly type: 'delta';
  readonly viewId: string;
  readonly replace: boolean;
  /** Window size the view must keep (points). */
  readonly points: number;
}
export interface InfoMessage {
  readonly type: 'info';
  readonly viewId: string;
  readonly info: ViewSessionInfo;
}
/** The session is over; the view keeps its last frame. */
export interface EndedMessage {
  readonly type: 'ended';
  readonly viewId: string;
  readonly reason: string;
  readonly info?: ViewSessionInfo;
}
/** The view asked for a session that does not exist (e.g. a stopped output). */
export interface UnknownSessionMessage {
  readonly type: 'unknown-session';
  readonly viewId: string;
  readonly message: string;
}

/**
 * A notebook output that has no session: it came from a file (`pending`: opening
 * never starts anything), the user stopped it (`stopped`), or starting it failed
 * (`error`). The view shows `actions` (what starting it would do) and a Start
 * button unless `blocked` says why it cannot start here.
 */
export interface NotStartedMessage {
  readonly type: 'not-started';
  readonly viewId: string;
  readonly state: 'pending' | 'stopped' | 'error';
  readonly message: string;
  readonly title: string;
  readonly sourceKind: string;
  readonly actions: readonly string[];
  readonly blocked?: string;
}

/** The host asks a visible view for a PNG of its chart; the view answers with `exportPng` and the same `requestId`. */
export interface RenderPngMessage {
  readonly type: 'renderPng';
  readonly viewId: string;
  readonly requestId: string;
}

export type HostToViewMessage =
  | SnapshotMessage
  | DeltaMessage
  | InfoMessage
  | EndedMessage
  | UnknownSessionMessage
  | NotStartedMessage
  | RenderPngMessage;

// ---------------------------------------------------------------- view → host
// Every one of these is untrusted on the host: see src/core/viewMessages.ts.

/** A view is ready to show a session. Panels omit `output`; renderers send the payload's uuid. */
export interface AttachMessage {
  readonly type: 'attach';
  readonly viewId: string;
  readonly output?: string;
}
export interface DetachMessage { readonly type: 'detach'; readonly viewId: string }
export interface VisibilityMessage { readonly type: 'visibility'; readonly viewId: string; readonly visible: boolean }
export interface SetPeriodMessage { readonly type: 'setPeriod'; readonly viewId: string; readonly periodMs: number }
export interface SetPointsMessage { readonly type: 'setPoints'; readonly viewId: string; readonly points: number }
export interface PauseMessage { readonly type: 'pause'; readonly viewId: string }
export interface ResumeMessage { readonly type: 'resume'; readonly viewId: string }
/** Close (panel) or stop (notebook output): ends the session. */
export interface CloseMessage { readonly type: 'close'; readonly viewId: string }
/**
 * The user pressed Start on a notebook output without a session (a trusted click:
 * the renderer ignores synthetic events). `output` is the payload's uuid.
 */
export interface StartMessage { readonly type: 'start'; readonly viewId: string; readonly output: string }
/** Fixes the y axis to `[min, max]` or returns it to `'auto'`. */
export interface SetYRangeMessage { readonly type: 'setYRange'; readonly viewId: string; readonly yRange: YRange }
/** The user asked to save the data in the window as CSV (the host asks where). */
export interface ExportCsvMessage { readonly type: 'exportCsv'; readonly viewId: string }
/**
 * A PNG of the chart (`data:image/png;base64,…`, at most {@link MAX_PNG_DATA_URL_LENGTH}).
 * With `requestId`: the answer to a `renderPng`; without: the user asked to save it.
 */
export interface ExportPngMessage {
  readonly type: 'exportPng';
  readonly viewId: string;
  readonly dataUrl: string;
  readonly requestId?: string;
}

export type ViewToHostMessage =
  | AttachMessage
  | DetachMessage
  | VisibilityMessage
  | SetPeriodMessage
  | SetPointsMessage
  | PauseMessage
  | ResumeMessage
  | CloseMessage
  | StartMessage
  | SetYRangeMessage
  | ExportCsvMessage
  | ExportPngMessage;

export type ViewToHostType = ViewToHostMessage['type'];
export const VIEW_TO_HOST_TYPES: readonly ViewToHostType[] = [
  'attach', 'detach', 'visibility', 'setPeriod', 'setPoints', 'pause', 'resume', 'close',
  'start', 'setYRange', 'exportCsv', 'exportPng',
];

/**
 * What a panel page keeps in its webview state (`setState`) so that the panel
 * comes back after a reload: only the opaque key of the extension host's own
 * record of the session spec. Untrusted when it comes back: an unknown key restores nothing.
 */
export interface PanelState {
  readonly panelKey: string;
}

/** Payload of a live-plot notebook output (MIME {@link LIVE_PLOT_MIME}). */
export interface OutputPayload {
  readonly version: 1;
  readonly session: string;
  readonly title?: string;
  readonly source: { readonly kind: string; readonly [key: string]: unknown };
  readonly periodMs?: number;
  readonly points?: number;
  readonly yRange?: YRange;
  readonly windowSeconds?: number;
}
