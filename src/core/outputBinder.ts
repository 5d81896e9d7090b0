import { errorMessage, Owner, Session } from './session';
import type { SessionManager } from './sessionManager';
import { Disposable } from './lifecycle';

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

interface OutputEntry {
  cell: unknown;
  sessionId: string | undefined;
  /** Set when the user stopped it: no session until the output is replaced or the notebook reopened. */
  stopped: boolean;
  /** Why no session could start (invalid spec, limits), shown by the renderer. */
  error: string | undefined;
}

interface NotebookState {
  readonly label: string;
  readonly outputs: Map<string, OutputEntry>;
}

/**
 * Binds sessions to notebook outputs, with the notebook document as the
 * authority: `sync` is called with every live-plot output present in a
 * document after each change; whatever is gone ends, whatever is new starts.
 *
 * The rule: while a notebook is open, each live-plot output in it has one
 * session unless the user stopped it.
 */
export class OutputSessionBinder extends Disposable {
  private readonly notebooks = new Map<string, NotebookState>();
  /** sessionId → where it lives, for sessions this binder started. */
  private readonly bySession = new Map<string, { nb: string; uuid: string }>();

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
          entry.stopped = true;
        }
      }),
    );
  }

  /**
   * Brings the sessions of notebook `nb` in line with `outputs` (all live-plot
   * outputs now in it). `deletedCells` holds cells removed by this change, so
   * that their sessions end with reason `cell-deleted`.
   */
  sync(nb: NotebookRef, outputs: readonly OutputRef[], deletedCells: ReadonlySet<unknown> = new Set()): void {
    if (this.isDisposed) return;
    let state = this.notebooks.get(nb.key);
    if (!state) {
      state = { label: nb.label, outputs: new Map() };
      this.notebooks.set(nb.key, state);
    }
    const present = new Map<string, OutputRef>();
    for (const o of outputs) if (!present.has(o.uuid)) present.set(o.uuid, o);

    for (const [uuid, entry] of [...state.outputs]) {
      if (present.has(uuid)) continue;
      state.outputs.delete(uuid);
      if (entry.sessionId) this.end(entry.sessionId, deletedCells.has(entry.cell) ? 'cell-deleted' : 'output-removed');
    }

    for (const [uuid, ref] of present) {
      const entry = state.outputs.get(uuid);
      if (entry) {
        entry.cell = ref.cell;
        continue;
      }
      const fresh: OutputEntry = { cell: ref.cell, sessionId: undefined, stopped: false, error: undefined };
      state.outputs.set(uuid, fresh);
      this.start(nb, state, uuid, fresh, ref.payload);
    }
  }

  private start(nb: NotebookRef, state: NotebookState, uuid: string, entry: OutputEntry, payload: unknown): void {
    const owner: Owner = {
      kind: 'output',
      group: state.label,
      groupKey: nb.key,
      isAlive: () => this.notebooks.has(nb.key) && this.isPresent(nb.key, uuid),
    };
    try {
      const session = this.manager.create(payload, owner);
      entry.sessionId = session.id;
      this.bySession.set(session.id, { nb: nb.key, uuid });
    } catch (e) {
      entry.error = errorMessage(e);
      this.log(`Notebook ${state.label}: output ${uuid} has no session: ${entry.error}`);
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
  }

  /** The session shown by output `uuid` of notebook `nbKey`, if it is live. */
  find(nbKey: string, uuid: string): Session | undefined {
    const id = this.notebooks.get(nbKey)?.outputs.get(uuid)?.sessionId;
    return id ? this.manager.get(id) : undefined;
  }

  /** Why output `uuid` has no session: stopped, an error, or unknown. */
  whyNoSession(nbKey: string, uuid: string): string {
    const state = this.notebooks.get(nbKey);
    const entry = state?.outputs.get(uuid);
    if (!state) return 'This notebook is not tracked by Live Plot Sessions (is it open?).';
    if (!entry) return 'This output is no longer in the notebook.';
    if (entry.error) return entry.error;
    if (entry.stopped) return 'ended (stopped) — run the cell again to restart it';
    return 'no session';
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
