import type * as vscode from 'vscode';
import type { DisposeReason, SessionInfo } from '../core/session';
import type { Diagnostics } from '../core/sessionManager';
import type { SourceFactory } from '../core/source';
import type { SourceKindOptions } from '../core/sources/registry';
import type { SessionSpec } from '../core/spec';

export type { DisposeReason, SessionInfo, Diagnostics, SessionSpec, SourceFactory, SourceKindOptions };

/** Options of {@link LivePlotApi.openSession}. */
export interface OpenSessionOptions {
  /** Show the session in a panel (default true). Without a panel the handle is the only owner. */
  readonly show?: boolean;
}

/** A session opened through the API; disposing it ends the session. */
export interface SessionHandle extends vscode.Disposable {
  readonly id: string;
  /** Fires once when the session ends, whatever ended it. */
  readonly onDidDispose: vscode.Event<DisposeReason>;
  /**
   * Pushes samples into an `api`-kind session: `{ name: value }`, `[{ name, x?, y }]`,
   * or columns `{ x: Float64Array | number[], y: { name: Float64Array | number[] } }`
   * (the cheap way for many samples at once). Returns how many samples were recorded.
   */
  push?(samples: unknown): number | void;
}

/** What `activate()` returns: the contract other extensions and tests rely on. */
export interface LivePlotApi {
  openSession(spec: SessionSpec, options?: OpenSessionOptions): Promise<SessionHandle>;
  readonly sessions: readonly SessionInfo[];
  readonly onDidCreateSession: vscode.Event<SessionInfo>;
  readonly onDidDisposeSession: vscode.Event<{ session: SessionInfo; reason: DisposeReason }>;
  /**
   * Adds a source kind. In an untrusted workspace a kind runs only if registered
   * with `{ needsTrust: false }` (it neither runs programs, reads files nor reaches
   * the network); without the option it is refused there.
   */
  registerSource(kind: string, factory: SourceFactory, options?: SourceKindOptions): vscode.Disposable;
  diagnostics(): Diagnostics;
  /** Runs the owner reconciliation now; returns the ids it had to end (should be none). */
  reconcile(): string[];
}
