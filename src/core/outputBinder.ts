import { errorMessage, Owner, Session } from './session';
import type { SessionManager } from './sessionManager';
import { Emitter } from '../shared/event';
import { Disposable } from '../shared/lifecycle';

/** A live-plot output as found in a notebook document. */
export interface OutputRef {
  /** The uuid carried in the output payload (`session`). */
  readonly uuid: string;
  /** The cell holding it (identity only; used to tell "cell deleted" from "output removed"). */
  readonly cell: unknown;
  /** The payload: a session spec plus `version` and `session`. */
  readonly payload: unknown;
}

/** A notebook, as far as the binder needs to know it. */
export interface NotebookRef {
  /** Stable key, e.g. the document URI. */
  readonly key: string;
  /** Label for the tree group, e.g. the file name. */
  readonly label: string;
}

/**
 * Where an output stands:
 * - `pending`: it came from disk (opened, reverted, reloaded, shown in a diff):
 *   nothing started; the user may start it;
 * - `live`: it has a session;
 * - `stopped`: the user (or Close All, or its source) ended its session; it shows
 *   its last frame until its cell runs again or the user starts it;
 * - `error`: starting it failed (invalid spec, limits, trust): the message is kept.
 */
export type OutputState = 'pending' | 'live' | 'stopped' | 'error';

interface OutputEntry {
  cell: unknown;
  payload: unknown;
  state: OutputState;
  sessionId: string | undefined;
  /** Why no session could start (invalid spec, limits, trust), shown by the renderer. */
  error: string | undefined;
}

interface NotebookState {
  readonly ref: NotebookRef;
  readonly outputs: Map<string, OutputEntry>;
}

/** An output without a session, as the tree and the renderer show it. */
export interface IdleOutput {
  readonly notebook: NotebookRef;
  readonly uuid: string;
  readonly state: Exclude<OutputState, 'live'>;
  readonly payload: unknown;
  readonly error?: string;
}

/** What `startAll` did. */
export interface StartAllResult {
  readonly started: number;
  readonly failed: readonly { readonly uuid: string; readonly error: string }[];
}

/** Tells, for a new output, whether the user produced it in this window (ran its cell). */
export type RanHere = (ref: OutputRef) => boolean;

/**
 * Binds sessions to notebook outputs, with the notebook document as the
 * authority: `sync` is called with every live-plot output present in a
 * document after each change; whatever is gone ends.
 *
 * The rule: only what the user does in this window starts a session. A new
 * output starts at once only if `ranHere` says the user produced it here (ran
 * its cell); any other output (opened from disk, reverted, shown in a diff) is
 * `pending` until the user starts it (`start`, `startAll`).
 */
export class OutputSessionBinder extends Disposable {
  private readonly notebooks = new Map<string, NotebookState>();
  /** sessionId → where it lives, for sessions this binder started. */
  private readonly bySession = new Map<string, { nb: string; uuid: string }>();
  private readonly _onDidChange = this._register(new Emitter<string>());
  /** The set or state of a notebook's outputs changed (argument: the notebook key). */
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly manager: SessionManager,
    /** Checks the real document: does notebook `nb` still hold an output with `uuid`? */
    private readonly isPresent: (nb: string, uuid: string) => boolean,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    super();
    this._register(
      manager.onDidDisposeSession(({ session }) => {
        const where = this.bySession.get(session.id);
        if (!where) return;
        this.bySession.delete(session.id);
        const entry = this.notebooks.get(where.nb)?.outputs.get(where.uuid);
        // Ended by someone else (stop button, Close All, tree, reaped): the output stays "ended".
        if (entry && entry.sessionId === session.id) {
          entry.sessionId = undefined;
          entry.state = 'stopped';
          this._onDidChange.fire(where.nb);
        }
      }),
    );
  }

  /**
   * Brings the sessions of notebook `nb` in line with `outputs` (all live-plot
   * outputs now in it). `deletedCells` holds cells removed by this change, so
   * that their sessions end with reason `cell-deleted`. New outputs start only
   * if `ranHere` says the user produced them in this window.
   */
  sync(nb: NotebookRef, outputs: readonly OutputRef[], deletedCells: ReadonlySet<unknown> = new Set(), ranHere: RanHere = () => false): void {
    if (this.isDisposed) return;
    let state = this.notebooks.get(nb.key);
    let changed = false;
    if (!state) {
      state = { ref: nb, outputs: new Map() };
      this.notebooks.set(nb.key, state);
      changed = true;
    }
    const present = new Map<string, OutputRef>();
    for (const o of outputs) if (!present.has(o.uuid)) present.set(o.uuid, o);

    for (const [uuid, entry] of [...state.outputs]) {
      if (present.has(uuid)) continue;
      state.outputs.delete(uuid);
      changed = true;
      if (entry.sessionId) this.end(entry.sessionId, deletedCells.has(entry.cell) ? 'cell-deleted' : 'output-removed');
    }

    for (const [uuid, ref] of present) {
      const entry = state.outputs.get(uuid);
      if (entry) {
        entry.cell = ref.cell;
        continue;
      }
      const fresh: OutputEntry = { cell: ref.cell, payload: ref.payload, state: 'pending', sessionId: undefined, error: undefined };
      state.outputs.set(uuid, fresh);
      changed = true;
      let userRan = false;
      try {
        userRan = ranHere(ref) === true;
      } catch {
        userRan = false;
      }
      if (userRan) this.startEntry(state, uuid, fresh);
    }
    if (changed) this._onDidChange.fire(nb.key);
  }

  /**
   * The user starts output `uuid` of notebook `nbKey` (its Start button, or
   * Start All). Returns its session; throws an Error saying why it cannot start.
   */
  start(nbKey: string, uuid: string): Session {
    const state = this.notebooks.get(nbKey);
    const entry = state?.outputs.get(uuid);
    if (!state || !entry) throw new Error('This output is no longer in an open notebook.');
    const live = entry.sessionId ? this.manager.get(entry.sessionId) : undefined;
    if (live) return live;
    const session = this.startEntry(state, uuid, entry);
    this._onDidChange.fire(nbKey);
    if (!session) throw new Error(entry.error ?? 'The session could not start.');
    return session;
  }

  /** The user starts every output of notebook `nbKey` that has no session. */
  startAll(nbKey: string): StartAllResult {
    const state = this.notebooks.get(nbKey);
    if (!state) return { started: 0, failed: [] };
    let started = 0;
    const failed: { uuid: string; error: string }[] = [];
    for (const [uuid, entry] of state.outputs) {
      if (entry.sessionId) continue;
      if (this.startEntry(state, uuid, entry)) started++;
      else failed.push({ uuid, error: entry.error ?? 'The session could not start.' });
    }
    this._onDidChange.fire(nbKey);
    return { started, failed };
  }

  private startEntry(state: NotebookState, uuid: string, entry: OutputEntry): Session | undefined {
    const nb = state.ref;
    const owner: Owner = {
      kind: 'output',
      group: nb.label,
      groupKey: nb.key,
      isAlive: () => this.notebooks.has(nb.key) && this.isPresent(nb.key, uuid),
    };
    try {
      const session = this.manager.create(entry.payload, owner);
      entry.sessionId = session.id;
      entry.state = 'live';
      entry.error = undefined;
      this.bySession.set(session.id, { nb: nb.key, uuid });
      return session;
    } catch (e) {
      entry.state = 'error';
      entry.error = errorMessage(e);
      this.log(`Notebook ${nb.label}: output ${uuid} has no session: ${entry.error}`);
      return undefined;
    }
  }

  private end(sessionId: string, reason: 'output-removed' | 'cell-deleted' | 'notebook-closed' | 'extension-deactivated'): void {
    this.bySession.delete(sessionId);
    this.manager.disposeSession(sessionId, reason);
  }

  /** The notebook was closed: every session in it ends, and its stopped outputs are forgotten. */
  close(nbKey: string): void {
    const state = this.notebooks.get(nbKey);
    if (!state) return;
    this.notebooks.delete(nbKey);
    for (const entry of state.outputs.values()) if (entry.sessionId) this.end(entry.sessionId, 'notebook-closed');
    this._onDidChange.fire(nbKey);
  }

  /** The session shown by output `uuid` of notebook `nbKey`, if it is live. */
  find(nbKey: string, uuid: string): Session | undefined {
    const id = this.notebooks.get(nbKey)?.outputs.get(uuid)?.sessionId;
    return id ? this.manager.get(id) : undefined;
  }

  /** The state of output `uuid` of notebook `nbKey`; `undefined` if not tracked. */
  stateOf(nbKey: string, uuid: string): OutputState | undefined {
    return this.notebooks.get(nbKey)?.outputs.get(uuid)?.state;
  }

  /** Why output `uuid` has no session: not started, stopped, an error, or unknown. */
  whyNoSession(nbKey: string, uuid: string): string {
    const state = this.notebooks.get(nbKey);
    const entry = state?.outputs.get(uuid);
    if (!state) return 'This notebook is not tracked by Live Plot Sessions (is it open?).';
    if (!entry) return 'This output is no longer in the notebook.';
    switch (entry.state) {
      case 'error':
        return entry.error ?? 'The session could not start.';
      case 'stopped':
        return 'stopped — start it again, or run its cell';
      case 'pending':
        return 'not started — opened from a file: nothing runs until you start it';
      case 'live':
        return 'no session';
    }
  }

  /** Outputs without a session (pending, stopped, error), of one notebook or all, in document order. */
  idleOutputs(nbKey?: string): IdleOutput[] {
    const list: IdleOutput[] = [];
    for (const [key, state] of this.notebooks) {
      if (nbKey !== undefined && key !== nbKey) continue;
      for (const [uuid, e] of state.outputs) {
        if (e.state === 'live') continue;
        list.push({ notebook: state.ref, uuid, state: e.state, payload: e.payload, ...(e.error ? { error: e.error } : {}) });
      }
    }
    return list;
  }

  /** Keys of notebooks being tracked. */
  get notebookKeys(): string[] {
    return [...this.notebooks.keys()];
  }

  /** Number of outputs that should have a live session now (present and not stopped). */
  expectedSessions(nbKey?: string): number {
    let n = 0;
    for (const [key, state] of this.notebooks) {
      if (nbKey !== undefined && key !== nbKey) continue;
      for (const e of state.outputs.values()) if (e.sessionId) n++;
    }
    return n;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    for (const state of this.notebooks.values()) {
      for (const entry of state.outputs.values()) if (entry.sessionId) this.end(entry.sessionId, 'extension-deactivated');
    }
    this.notebooks.clear();
    super.dispose();
  }
}
