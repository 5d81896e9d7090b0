import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { NotebookRef, OutputRef, OutputSessionBinder } from '../../core/outputBinder';
import type { SessionManager } from '../../core/sessionManager';
import { InvalidMessageLog, parseViewMessage } from '../../core/viewMessages';
import { encodeMessage } from '../../shared/codec';
import { HostToViewMessage, LIVE_PLOT_MIME, RENDERER_ID } from '../../shared/protocol';
import { applyControl } from '../../core/viewControl';

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

/**
 * Ties sessions to notebook outputs (any notebook type with the MIME type,
 * Jupyter included) and connects rendered outputs to their sessions through
 * renderer messaging. The document is the authority; renderers only attach
 * and detach views.
 */
export class NotebookSessions extends Disposable {
  readonly binder: OutputSessionBinder;
  private readonly messaging: vscode.NotebookRendererMessaging;
  private readonly views = new Map<string, OutputView>();
  /** Notebooks (URI strings) shown in an editor tab now. */
  private readonly tabbed = new Set<string>();
  /**
   * Notebooks whose last editor tab closed while VS Code keeps their document
   * open (it can, indefinitely): closed as far as sessions go, until shown again.
   */
  private readonly closedByTabs = new Set<string>();

  constructor(
    private readonly manager: SessionManager,
    private readonly invalid: InvalidMessageLog,
    log: (line: string) => void,
  ) {
    super();
    this.binder = this._register(new OutputSessionBinder(manager, (nb, uuid) => this.isPresent(nb, uuid), log));
    this.messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
    this._register(this.messaging.onDidReceiveMessage((e) => this.onMessage(e.editor, e.message)));

    this._register(vscode.workspace.onDidOpenNotebookDocument((nb) => {
      this.closedByTabs.delete(nb.uri.toString());
      this.sync(nb);
    }));
    this._register(vscode.workspace.onDidCloseNotebookDocument((nb) => {
      this.closedByTabs.delete(nb.uri.toString());
      this.binder.close(nb.uri.toString());
    }));
    this._register(vscode.window.tabGroups.onDidChangeTabs(() => this.onTabs()));
    this.onTabs();
    this._register(vscode.workspace.onDidChangeNotebookDocument((e) => this.onChange(e)));
    this._register(vscode.window.onDidChangeVisibleNotebookEditors((editors) => this.onVisibleEditors(editors)));
    this._register(manager.onDidDisposeSession(({ session }) => {
      for (const [viewId, v] of this.views) if (v.sessionId === session.id) this.views.delete(viewId);
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
      this.binder.close(key);
    }
    for (const key of now) {
      this.tabbed.add(key);
      if (!this.closedByTabs.delete(key)) continue;
      const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === key);
      if (nb) this.sync(nb);
    }
  }

  private sync(nb: vscode.NotebookDocument, deletedCells?: ReadonlySet<unknown>): void {
    if (nb.isClosed || this.closedByTabs.has(nb.uri.toString())) return;
    this.binder.sync(notebookRef(nb), liveOutputs(nb), deletedCells);
  }

  private onChange(e: vscode.NotebookDocumentChangeEvent): void {
    // Typing in a cell changes its document only; outputs and cells are what matter here.
    const structural = e.contentChanges.length > 0 || e.cellChanges.some((c) => c.outputs !== undefined);
    if (!structural) return;
    const deleted = new Set<unknown>();
    for (const c of e.contentChanges) for (const cell of c.removedCells) deleted.add(cell);
    this.sync(e.notebook, deleted);
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

  private onMessage(editor: vscode.NotebookEditor, raw: unknown): void {
    const parsed = parseViewMessage(raw);
    if (!parsed.ok) {
      this.invalid.report('a notebook output', parsed);
      return;
    }
    const msg = parsed.message;
    if (msg.type === 'attach') {
      this.attach(editor, msg.viewId, msg.output);
      return;
    }
    const view = this.views.get(msg.viewId);
    const session = view && this.manager.get(view.sessionId);
    if (!view || !session) return; // a view of a session that already ended: nothing to do
    if (msg.type === 'detach') this.views.delete(msg.viewId);
    const error = applyControl(session, msg);
    if (error) this.post(editor, { type: 'info', viewId: msg.viewId, info: { ...session.viewInfo(), status: error } });
  }

  private attach(editor: vscode.NotebookEditor, viewId: string, uuid: string | undefined): void {
    if (uuid === undefined) {
      this.invalid.report('a notebook output', { kind: 'attach:no-output', error: 'attach without an output id' });
      return;
    }
    const nb = editor.notebook;
    const nbKey = nb.uri.toString();
    let session = this.binder.find(nbKey, uuid);
    if (!session) {
      // The renderer can be faster than the change event: look at the document now.
      this.sync(nb);
      session = this.binder.find(nbKey, uuid);
    }
    if (!session) {
      this.post(editor, { type: 'unknown-session', viewId, message: this.binder.whyNoSession(nbKey, uuid) });
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
