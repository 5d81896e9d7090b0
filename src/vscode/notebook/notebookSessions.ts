import * as vscode from 'vscode';
import { Disposable } from '../../shared/lifecycle';
import { NotebookRef, OutputRef, OutputSessionBinder, RanHere, StartAllResult } from '../../core/outputBinder';
import { errorMessage } from '../../core/session';
import { PreviewContext, startPreview } from '../../core/startPreview';
import type { SessionManager } from '../../core/sessionManager';
import { ViewChannel } from '../../core/viewChannel';
import type { InvalidMessageLog } from '../../core/viewMessages';
import { encodeMessage } from '../../shared/codec';
import { HostToViewMessage, LIVE_PLOT_MIME, RENDERER_ID } from '../../shared/protocol';
import { NOTEBOOK_TYPE } from '../ids';
import type { IssuedOutputs } from './issuedOutputs';

const decoder = new TextDecoder();

/** Reads the uuid and payload of a live-plot output item; Jupyter may store the JSON as a string. */
export function readPayload(data: Uint8Array): { uuid: string; payload: unknown } | undefined {
  try {
    let payload: unknown = JSON.parse(decoder.decode(data));
    if (typeof payload === 'string') payload = JSON.parse(payload);
    const uuid = (payload as { session?: unknown } | null)?.session;
    if (typeof uuid !== 'string' || uuid.length === 0 || uuid.length > 128) return undefined;
    return { uuid, payload };
  } catch {
    return undefined;
  }
}

/** Every live-plot output in `nb`, in document order. */
export function liveOutputs(nb: vscode.NotebookDocument): OutputRef[] {
  const refs: OutputRef[] = [];
  for (const cell of nb.getCells()) {
    for (const output of cell.outputs) {
      for (const item of output.items) {
        if (item.mime !== LIVE_PLOT_MIME) continue;
        const p = readPayload(item.data);
        if (p) refs.push({ uuid: p.uuid, cell, payload: p.payload });
      }
    }
  }
  return refs;
}

function notebookRef(nb: vscode.NotebookDocument): NotebookRef {
  const path = nb.uri.path;
  const name = path.slice(path.lastIndexOf('/') + 1) || nb.uri.toString();
  return { key: nb.uri.toString(), label: name };
}

interface OutputView {
  readonly sessionId: string;
  readonly editor: vscode.NotebookEditor;
}

/** A rendered live-plot output, with or without a session. */
interface RenderedOutput {
  readonly editor: vscode.NotebookEditor;
  readonly uuid: string;
  /** The state last told to it while it has no session (so that a change is sent once). */
  told: string | undefined;
}

/**
 * How long after its execution ended a cell's new outputs still count as produced
 * by it: none (kernels write their outputs before they end the execution), so
 * that a revert right after a run cannot pass for it.
 */
const EXECUTION_GRACE_MS = 0;
/** How long a kernel output waits for its notebook to turn dirty (as an execution's edits make it). */
const DIRTY_WAIT_MS = 10_000;

/**
 * Which cells a kernel is running in this window, as far as the stable API tells:
 * an execution starts with a change of the cell's execution summary that has no
 * end time, and ends with one that has. A cell is "running" from an EARLIER
 * event than the one bringing its output, so that one reload from disk (a
 * single event carrying a summary and outputs) cannot pass for an execution.
 */
class KernelExecutions {
  private readonly running = new WeakMap<object, { endedAt: number | undefined }>();

  /** Whether `cell` was seen starting an execution (still running, or ended a moment ago). */
  isRunning(cell: unknown, now = Date.now()): boolean {
    const r = this.running.get(cell as object);
    return !!r && (r.endedAt === undefined || now - r.endedAt <= EXECUTION_GRACE_MS);
  }

  /** Takes in the execution summaries of change `e` (after its outputs were judged). */
  note(e: vscode.NotebookDocumentChangeEvent, now = Date.now()): void {
    for (const c of e.cellChanges) {
      const summary = c.executionSummary;
      if (!summary) continue;
      if (summary.timing?.endTime !== undefined) {
        const r = this.running.get(c.cell);
        if (r && r.endedAt === undefined) r.endedAt = now;
      } else {
        this.running.set(c.cell, { endedAt: undefined });
      }
    }
  }
}
/**
 * Ties sessions to notebook outputs (any notebook type with the MIME type,
 * Jupyter included) and connects rendered outputs to their sessions through
 * renderer messaging. The document is the authority; renderers only attach
 * and detach views.
 */
export class NotebookSessions extends Disposable {
  readonly binder: OutputSessionBinder;
  private readonly messaging: vscode.NotebookRendererMessaging;
  /** Every rendered output's messages take this one path (see ViewChannel). */
  private readonly channel: ViewChannel<vscode.NotebookEditor>;
  private readonly views = new Map<string, OutputView>();
  /** Every rendered output that attached (view id → where), with or without a session. */
  private readonly rendered = new Map<string, RenderedOutput>();
  private readonly executions = new KernelExecutions();
  /** Kernel outputs that arrived on a running cell before the notebook turned dirty: uuid → where and until when. */
  private readonly awaitingDirty = new Map<string, { nbKey: string; until: number }>();
  /** Notebooks (URI strings) shown in an editor tab now. */
  private readonly tabbed = new Set<string>();
  /**
   * Notebooks whose last editor tab closed while VS Code keeps their document
   * open (it can, indefinitely): closed as far as sessions go, until shown again.
   */
  private readonly closedByTabs = new Set<string>();

  constructor(
    private readonly manager: SessionManager,
    invalid: InvalidMessageLog,
    private readonly log: (line: string) => void,
    /** Uuids of the outputs the Live Plot controller produced in this window. */
    private readonly issued: IssuedOutputs,
    /** What the host knows for "what would starting it do" (settings, trust, kinds). */
    private readonly previewContext: () => PreviewContext,
  ) {
    super();
    this.binder = this._register(new OutputSessionBinder(manager, (nb, uuid) => this.isPresent(nb, uuid), log));
    this._register(this.binder.onDidChange((nbKey) => this.refreshRendered(nbKey)));
    this.channel = new ViewChannel<vscode.NotebookEditor>(
      {
        name: 'a notebook output',
        // An output's session can end (cleared, stopped) while its renderer still speaks.
        unknownViews: 'ignore',
        attach: (editor, msg) => this.attach(editor, msg.viewId, msg.output),
        start: (editor, msg) => this.onStart(editor, msg.viewId, msg.output),
        sessionOf: (_editor, viewId) => {
          const view = this.views.get(viewId);
          return view && this.manager.get(view.sessionId);
        },
        detached: (_editor, viewId) => {
          this.rendered.delete(viewId);
          this.views.delete(viewId);
        },
        post: (editor, _viewId, msg) => this.post(editor, msg),
      },
      invalid,
    );
    this.messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
    this._register(this.messaging.onDidReceiveMessage((e) => this.channel.receive(e.editor, e.message)));

    this._register(vscode.workspace.onDidOpenNotebookDocument((nb) => {
      this.closedByTabs.delete(nb.uri.toString());
      this.sync(nb);
    }));
    this._register(vscode.workspace.onDidCloseNotebookDocument((nb) => {
      this.closedByTabs.delete(nb.uri.toString());
      this.forgetRendered(nb.uri.toString());
      this.binder.close(nb.uri.toString());
    }));
    this._register(vscode.window.tabGroups.onDidChangeTabs(() => this.onTabs()));
    this.onTabs();
    this._register(vscode.workspace.onDidChangeNotebookDocument((e) => this.onChange(e)));
    this._register(vscode.window.onDidChangeVisibleNotebookEditors((editors) => this.onVisibleEditors(editors)));
    this._register(manager.onDidDisposeSession(({ session }) => {
      for (const [viewId, v] of this.views) if (v.sessionId === session.id) this.views.delete(viewId);
    }));
    // Trust granted later: blocked Start buttons become usable.
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => {
      for (const r of this.rendered.values()) r.told = undefined;
      for (const key of this.binder.notebookKeys) this.refreshRendered(key);
    }));
    for (const nb of vscode.workspace.notebookDocuments) this.sync(nb);
  }

  /**
   * A notebook whose last editor tab closes is closed for its sessions, even if
   * VS Code keeps its document open (seen in 1.139 after a notebook was opened
   * again while open); shown again, its outputs come alive as on a reopen.
   * Notebooks never shown in a tab (opened by an extension) are not affected.
   */
  private onTabs(): void {
    const now = new Set<string>();
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
      const input = tab.input;
      if (input instanceof vscode.TabInputNotebook) now.add(input.uri.toString());
      else if (input instanceof vscode.TabInputNotebookDiff) now.add(input.modified.toString()).add(input.original.toString());
    }
    for (const key of this.tabbed) {
      if (now.has(key)) continue;
      this.tabbed.delete(key);
      const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === key);
      if (nb && !nb.isClosed) this.closedByTabs.add(key);
      this.forgetRendered(key);
      this.binder.close(key);
    }
    for (const key of now) {
      this.tabbed.add(key);
      if (!this.closedByTabs.delete(key)) continue;
      const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === key);
      if (nb) this.sync(nb);
    }
  }

  /**
   * Brings the binder in line with the document. `ranHere` tells which new
   * outputs the user produced in this window; by default none (opened, shown,
   * reverted: nothing starts).
   */
  private sync(nb: vscode.NotebookDocument, deletedCells?: ReadonlySet<unknown>, ranHere?: RanHere): void {
    if (nb.isClosed || this.closedByTabs.has(nb.uri.toString())) return;
    this.binder.sync(notebookRef(nb), liveOutputs(nb), deletedCells, ranHere);
  }

  private onChange(e: vscode.NotebookDocumentChangeEvent): void {
    // Typing in a cell changes its document only; outputs and cells are what matter here.
    const structural = e.contentChanges.length > 0 || e.cellChanges.some((c) => c.outputs !== undefined);
    if (!structural && !e.cellChanges.some((c) => c.executionSummary !== undefined) && !this.awaitingDirty.size) return;
    const deleted = new Set<unknown>();
    for (const c of e.contentChanges) for (const cell of c.removedCells) deleted.add(cell);
    // Our own controller's outputs are known exactly (a uuid it made in this window).
    // Another kernel's output counts as run here when it arrives on a cell that is
    // running (see KernelExecutions) and its notebook turns dirty, as an execution's
    // edits make it (a reload or revert from disk leaves it clean).
    const ours = e.notebook.notebookType === NOTEBOOK_TYPE;
    const nbKey = e.notebook.uri.toString();
    const now = Date.now();
    const ranHere: RanHere = (ref) => {
      if (this.issued.has(ref.uuid)) return true;
      if (ours || !this.executions.isRunning(ref.cell, now)) return false;
      if (e.notebook.isDirty) return true;
      this.awaitingDirty.set(ref.uuid, { nbKey, until: now + DIRTY_WAIT_MS });
      return false;
    };
    if (structural) this.sync(e.notebook, deleted, ranHere);
    this.executions.note(e, now);
    if (e.notebook.isDirty) this.startAwaiting(nbKey, now);
  }

  /** Starts the kernel outputs of `nbKey` that were waiting for their notebook to turn dirty. */
  private startAwaiting(nbKey: string, now: number): void {
    for (const [uuid, w] of this.awaitingDirty) {
      if (w.until < now) this.awaitingDirty.delete(uuid);
      else if (w.nbKey === nbKey) {
        this.awaitingDirty.delete(uuid);
        if (this.binder.stateOf(nbKey, uuid) !== 'pending') continue;
        try {
          this.binder.start(nbKey, uuid);
        } catch {
          // The binder logged why; the output shows it.
        }
      }
    }
  }

  /**
   * The user starts every output of `nb` that has no session (Start All, the
   * notebook toolbar, the tree). Returns what started and what could not.
   */
  startAll(nb: vscode.NotebookDocument): StartAllResult {
    this.closedByTabs.delete(nb.uri.toString());
    this.sync(nb);
    const result = this.binder.startAll(nb.uri.toString());
    this.log(`Start All in ${notebookRef(nb).label}: ${result.started} started${result.failed.length ? `, ${result.failed.length} could not start` : ''}.`);
    for (const f of result.failed) this.log(`  output ${f.uuid}: ${f.error}`);
    return result;
  }

  /** The user starts one output (its Start button or the tree). */
  startOne(nbKey: string, uuid: string): void {
    const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === nbKey);
    if (!nb) throw new Error('This notebook is not open.');
    this.sync(nb);
    this.binder.start(nbKey, uuid);
  }

  /** The notebook's editors are gone: so are its rendered outputs (their webview went with them). */
  private forgetRendered(nbKey: string): void {
    for (const [viewId, r] of this.rendered) if (r.editor.notebook.uri.toString() === nbKey) this.rendered.delete(viewId);
  }

  /** Tells every rendered output of notebook `nbKey` where it stands: attaches started ones, describes the others. */
  private refreshRendered(nbKey: string): void {
    for (const [viewId, r] of this.rendered) {
      if (r.editor.notebook.uri.toString() !== nbKey) continue;
      const session = this.binder.find(nbKey, r.uuid);
      if (session) {
        r.told = undefined;
        if (this.views.get(viewId)?.sessionId !== session.id) this.attach(r.editor, viewId, r.uuid);
      } else {
        this.tellNoSession(r.editor, viewId, r);
      }
    }
  }

  /** Sends a view without a session the "not started" state (once per change of state). */
  private tellNoSession(editor: vscode.NotebookEditor, viewId: string, r?: RenderedOutput): void {
    const nbKey = editor.notebook.uri.toString();
    const uuid = r?.uuid ?? this.rendered.get(viewId)?.uuid;
    if (uuid === undefined) return;
    const state = this.binder.stateOf(nbKey, uuid);
    if (state === undefined || state === 'live') {
      if (r?.told === 'unknown') return;
      if (r) r.told = 'unknown';
      this.post(editor, { type: 'unknown-session', viewId, message: this.binder.whyNoSession(nbKey, uuid) });
      return;
    }
    const message = this.binder.whyNoSession(nbKey, uuid);
    const key = `${state}|${message}`;
    if (r && r.told === key) return;
    if (r) r.told = key;
    const payload = this.binder.idleOutputs(nbKey).find((o) => o.uuid === uuid)?.payload;
    let preview;
    try {
      preview = startPreview(payload, this.previewContext());
    } catch (e) {
      preview = { title: 'live plot', sourceKind: '?', actions: [], blocked: errorMessage(e) };
    }
    this.post(editor, {
      type: 'not-started',
      viewId,
      state,
      message,
      title: preview.title,
      sourceKind: preview.sourceKind,
      actions: preview.actions,
      ...(preview.blocked ? { blocked: preview.blocked } : {}),
    });
  }

  /** The real document check used by reconciliation. */
  private isPresent(nbKey: string, uuid: string): boolean {
    const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === nbKey);
    if (!nb || nb.isClosed) return false;
    return liveOutputs(nb).some((o) => o.uuid === uuid);
  }

  private onVisibleEditors(editors: readonly vscode.NotebookEditor[]): void {
    // A view in an editor that is no longer visible is hidden (it gets nothing);
    // it comes back with a snapshot if the same editor is shown again.
    const visible = new Set(editors);
    for (const [viewId, v] of this.views) {
      this.manager.get(v.sessionId)?.setViewVisible(viewId, visible.has(v.editor));
    }
  }

  private post(editor: vscode.NotebookEditor, msg: HostToViewMessage): void {
    const [encoded] = encodeMessage(msg);
    this.messaging.postMessage(encoded, editor).then(undefined, () => undefined);
  }

  /** The Start button of a rendered output (a user action, like running its cell). */
  private onStart(editor: vscode.NotebookEditor, viewId: string, uuid: string): void {
    const nbKey = editor.notebook.uri.toString();
    try {
      this.startOne(nbKey, uuid);
    } catch (e) {
      this.log(`Start in ${notebookRef(editor.notebook).label} failed: ${errorMessage(e)}`);
    }
    // Started: refreshRendered attached every view of it. Not started: say why.
    if (!this.binder.find(nbKey, uuid)) {
      const r = this.rendered.get(viewId) ?? { editor, uuid, told: undefined };
      r.told = undefined;
      this.tellNoSession(editor, viewId, r);
    }
  }

  private attach(editor: vscode.NotebookEditor, viewId: string, uuid: string | undefined): void {
    if (uuid === undefined) {
      this.channel.reject('attach:no-output', 'attach without an output id');
      return;
    }
    const nb = editor.notebook;
    const nbKey = nb.uri.toString();
    const rendered = this.rendered.get(viewId);
    if (!rendered || rendered.uuid !== uuid || rendered.editor !== editor) {
      // One rendered view per output and editor: a renderer that attaches again (webview
      // reloaded, output re-rendered) replaces its earlier view.
      for (const [otherId, r] of this.rendered) if (otherId !== viewId && r.editor === editor && r.uuid === uuid) this.rendered.delete(otherId);
      this.rendered.set(viewId, { editor, uuid, told: undefined });
    }
    let session = this.binder.find(nbKey, uuid);
    if (!session && this.binder.stateOf(nbKey, uuid) === undefined) {
      // The renderer can be faster than the change event: look at the document now.
      // An output seen first here starts only if our controller made it in this window.
      this.sync(nb, undefined, (ref) => this.issued.has(ref.uuid));
      session = this.binder.find(nbKey, uuid);
    }
    if (!session) {
      this.tellNoSession(editor, viewId, this.rendered.get(viewId));
      return;
    }
    const old = this.views.get(viewId);
    if (old) this.manager.get(old.sessionId)?.detachView(viewId);
    // One view per session and editor: a renderer that attaches again for the same
    // output in the same editor replaces its earlier view (the webview reloaded, or
    // the output was re-rendered without a dispose in between).
    for (const [otherId, v] of this.views) {
      if (otherId !== viewId && v.sessionId === session.id && v.editor === editor) {
        this.views.delete(otherId);
        session.detachView(otherId);
      }
    }
    this.views.set(viewId, { sessionId: session.id, editor });
    const visible = vscode.window.visibleNotebookEditors.includes(editor);
    session.attachView({ id: viewId, post: (m) => this.post(editor, m) }, visible);
  }

  /** Number of rendered outputs attached to session `sessionId`. */
  viewsOf(sessionId: string): number {
    let n = 0;
    for (const v of this.views.values()) if (v.sessionId === sessionId) n++;
    return n;
  }

  /** Reveals the cell holding session `id`'s output; false if none. */
  async reveal(sessionId: string): Promise<boolean> {
    const session = this.manager.get(sessionId);
    if (!session || session.owner.kind !== 'output') return false;
    const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === session.owner.groupKey);
    if (!nb) return false;
    for (const cell of nb.getCells()) {
      const found = cell.outputs.some((o) => o.items.some((i) => i.mime === LIVE_PLOT_MIME && this.binder.find(nb.uri.toString(), readPayload(i.data)?.uuid ?? '') === session));
      if (found) {
        const editor = await vscode.window.showNotebookDocument(nb, { preserveFocus: false });
        const range = new vscode.NotebookRange(cell.index, cell.index + 1);
        editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
        editor.selection = range;
        return true;
      }
    }
    return false;
  }
}
