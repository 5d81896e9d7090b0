import * as vscode from 'vscode';
import { Disposable, DisposableMap, DisposableStore, IDisposable } from '../shared/lifecycle';
import type { DisposeReason, Owner, Session } from '../core/session';
import type { ResolvedSpec } from '../core/spec';
import type { SessionManager } from '../core/sessionManager';
import { ViewChannel } from '../core/viewChannel';
import type { InvalidMessageLog } from '../core/viewMessages';
import type { HostToViewMessage } from '../shared/protocol';
import { PANEL_VIEW_TYPE } from './ids';
import { localRoots, panelHtml } from './webviewHtml';
import type { PanelSpecStore } from './panelStore';

/** Shown when a restored panel's key is unknown to the host; nothing starts. */
export const NOT_RESTORED_MESSAGE =
  "Live Plot: this panel's session could not be restored (this window has no record of it). Open a new session with \"Live Plot: New Session…\".";

/** Opens live plot panels, one per session, and ties each session's life to its panel. */
export class PanelController extends Disposable {
  private readonly bindings = new DisposableMap<string, PanelBinding>();
  /** Panel key of each bound session. */
  private readonly keys = new Map<string, string>();
  /** Every panel page's messages take this one path (see ViewChannel). */
  private readonly channel: ViewChannel<PanelBinding>;

  constructor(
    private readonly manager: SessionManager,
    private readonly extensionUri: vscode.Uri,
    invalid: InvalidMessageLog,
    /** Tells the user something that happened outside any view (a panel that could not be restored). */
    private readonly notify: (message: string) => void,
    private readonly specs: PanelSpecStore,
  ) {
    super();
    this.channel = new ViewChannel<PanelBinding>(
      {
        name: 'a panel',
        unknownViews: 'report',
        attach: (binding, msg) => binding.attach(msg.viewId),
        sessionOf: (binding, viewId) => binding.sessionOf(viewId),
        post: (binding, _viewId, msg) => binding.post(msg),
      },
      invalid,
    );
    this._register(this.bindings);
    this._register(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
      }),
    );
    // On activation nothing is bound yet: with no live plot tab, no record can ever be claimed.
    this.pruneUnclaimed();
    this._register(vscode.window.tabGroups.onDidChangeTabs(() => this.pruneUnclaimed()));
  }

  /**
   * Starts a session for `spec` and shows it in a new panel. Throws (SpecError,
   * LimitError) before anything opens if the spec is refused.
   */
  open(spec: unknown, owner: { kind: 'panel' | 'api'; group: string; groupKey: string; alive?: () => boolean } = { kind: 'panel', group: 'Panels', groupKey: 'panels' }, column = vscode.ViewColumn.Active): Session {
    let binding: PanelBinding | undefined;
    const sessionOwner: Owner = {
      kind: owner.kind,
      group: owner.group,
      groupKey: owner.groupKey,
      isAlive: () => (binding ? !binding.isDisposed : true) && (owner.alive?.() ?? true),
    };
    const session = this.manager.create(spec, sessionOwner);
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, session.title, { viewColumn: column, preserveFocus: false }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: localRoots(this.extensionUri),
    });
    binding = this.bind(panel, session, this.specs.add(session.currentSpec()));
    return session;
  }

  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const found = this.specs.forRestore(state, new Set(this.keys.values()));
    if (!found) {
      // Unknown key, no key, or state in an older or foreign shape: start nothing.
      panel.dispose();
      this.notify(NOT_RESTORED_MESSAGE);
      this.pruneUnclaimed();
      return;
    }
    let binding: PanelBinding | undefined;
    try {
      const session = this.manager.create(found.spec, {
        kind: 'panel',
        group: 'Panels',
        groupKey: 'panels',
        isAlive: () => (binding ? !binding.isDisposed : true),
      });
      panel.title = session.title;
      binding = this.bind(panel, session, found.key);
    } catch (e) {
      this.specs.delete(found.key);
      panel.dispose();
      this.notify(`Live Plot: could not restore a panel: ${(e as Error).message}`);
    }
    this.pruneUnclaimed();
  }

  private bind(panel: vscode.WebviewPanel, session: Session, key: string): PanelBinding {
    panel.webview.options = { enableScripts: true, localResourceRoots: localRoots(this.extensionUri) };
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activity.svg');
    const binding = new PanelBinding(panel, session, (b, raw) => this.channel.receive(b, raw), (reason) => {
      this.bindings.deleteAndLeak(session.id);
      this.keys.delete(session.id);
      // A panel the user (or its session's end) closed is forgotten; one closed by
      // deactivation (a reload) or by this controller's end is kept for its restore.
      if (reason !== undefined && reason !== 'extension-deactivated' && !this.isDisposed) this.specs.delete(key);
    });
    this.bindings.set(session.id, binding);
    this.keys.set(session.id, key);
    this.specs.update(key, session.currentSpec());
    // Period, points and y range chosen since come back after a reload too.
    let saved = specKey(session.currentSpec());
    binding.add(session.onDidChangeInfo(() => {
      const now = specKey(session.currentSpec());
      if (now === saved) return;
      saved = now;
      this.specs.update(key, session.currentSpec());
    }));
    panel.webview.html = panelHtml(panel.webview, this.extensionUri, session.title, key);
    return binding;
  }

  /**
   * Forgets the records of panels that no tab can claim any more: once every
   * live plot tab is bound to a session (restored or new), the unbound keys
   * are of panels closed while the extension host was not running.
   */
  private pruneUnclaimed(): void {
    if (this.isDisposed || panelTabCount() > this.bindings.size) return;
    const bound = new Set(this.keys.values());
    this.specs.prune((key) => bound.has(key));
  }

  /** Brings the panel of session `id` to the front; false if it has none. */
  reveal(id: string): boolean {
    const b = this.bindings.get(id);
    if (!b) return false;
    b.panel.reveal(undefined, false);
    return true;
  }

  get count(): number {
    return this.bindings.size;
  }
}

/** One panel showing one session: each one's end is the other's. */
class PanelBinding implements IDisposable {
  private readonly store = new DisposableStore();
  private viewId: string | undefined;
  private _disposed = false;
  /** Taken while the panel is alive: a disposed panel's `webview` getter throws. */
  private readonly webview: vscode.Webview;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly session: Session,
    receive: (binding: PanelBinding, raw: unknown) => void,
    private readonly onGone: (reason: DisposeReason | undefined) => void,
  ) {
    this.webview = panel.webview;
    this.store.add(panel.onDidDispose(() => {
      this._disposed = true;
      this.session.dispose('panel-closed');
      this.dispose('panel-closed');
    }));
    this.store.add(session.onDidDispose((reason) => this.dispose(reason)));
    this.store.add(panel.webview.onDidReceiveMessage((raw) => receive(this, raw)));
    this.store.add(panel.onDidChangeViewState(() => {
      if (this.viewId) this.session.setViewVisible(this.viewId, panel.visible);
    }));
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** The page attaches (again): a reloaded page comes back with a new view id, and the old view is gone. */
  attach(viewId: string): void {
    if (this.viewId && this.viewId !== viewId) this.session.detachView(this.viewId);
    this.viewId = viewId;
    this.session.attachView({ id: viewId, post: (m) => this.post(m) }, this.panel.visible);
  }

  /** The session of view `viewId` if it is this panel's attached page; undefined for any other (stale) view. */
  sessionOf(viewId: string): Session | undefined {
    return viewId === this.viewId ? this.session : undefined;
  }

  /** Sends `m` to the page, unless the panel is gone. */
  post(m: HostToViewMessage): void {
    if (!this._disposed) this.webview.postMessage(m).then(undefined, () => undefined);
  }

  /** Ties `d` to this binding's life. */
  add<T extends IDisposable>(d: T): T {
    return this.store.add(d);
  }

  /** `reason`: why the session ended, if it did; undefined when the controller ends. */
  dispose(reason?: DisposeReason): void {
    if (this.store.isDisposed) return;
    this.store.dispose();
    this.onGone(reason);
    if (!this._disposed) {
      this._disposed = true;
      this.panel.dispose();
    }
  }
}

/** The parts of a spec a user can change at run time, as one comparable string. */
function specKey(spec: ResolvedSpec): string {
  return JSON.stringify([spec.periodMs, spec.points, spec.yRange]);
}

/** Live plot panel tabs in every tab group, restored or not. */
function panelTabCount(): number {
  let n = 0;
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      // VS Code names a panel's tab input `mainThreadWebview-<viewType>`.
      if (tab.input instanceof vscode.TabInputWebview && (tab.input.viewType === PANEL_VIEW_TYPE || tab.input.viewType.endsWith(`-${PANEL_VIEW_TYPE}`))) n++;
    }
  }
  return n;
}
