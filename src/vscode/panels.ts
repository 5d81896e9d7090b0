import * as vscode from 'vscode';
import { Disposable, DisposableMap, DisposableStore, IDisposable } from '../core/lifecycle';
import type { Owner, Session } from '../core/session';
import type { SessionManager } from '../core/sessionManager';
import { InvalidMessageLog, parseViewMessage } from '../core/viewMessages';
import type { HostToViewMessage } from '../shared/protocol';
import { PANEL_VIEW_TYPE } from './ids';
import { applyControl } from '../core/viewControl';
import { localRoots, panelHtml } from './webviewHtml';

/** What a panel page persists so that the panel comes back after a reload. */
export interface PanelState {
  readonly spec: unknown;
}

/** Opens live plot panels, one per session, and ties each session's life to its panel. */
export class PanelController extends Disposable {
  private readonly bindings = new DisposableMap<string, PanelBinding>();

  constructor(
    private readonly manager: SessionManager,
    private readonly extensionUri: vscode.Uri,
    private readonly invalid: InvalidMessageLog,
    private readonly notify: (message: string) => void,
  ) {
    super();
    this._register(this.bindings);
    this._register(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
      }),
    );
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
    binding = this.bind(panel, session);
    return session;
  }

  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const spec = (state as PanelState | undefined)?.spec;
    let binding: PanelBinding | undefined;
    try {
      if (spec === undefined) throw new Error('the panel had no saved session spec');
      const session = this.manager.create(spec, {
        kind: 'panel',
        group: 'Panels',
        groupKey: 'panels',
        isAlive: () => (binding ? !binding.isDisposed : true),
      });
      panel.title = session.title;
      binding = this.bind(panel, session);
    } catch (e) {
      panel.dispose();
      this.notify(`Live Plot: could not restore a panel: ${(e as Error).message}`);
    }
  }

  private bind(panel: vscode.WebviewPanel, session: Session): PanelBinding {
    panel.webview.options = { enableScripts: true, localResourceRoots: localRoots(this.extensionUri) };
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activity.svg');
    const binding = new PanelBinding(panel, session, this.invalid, this.notify, () => this.bindings.deleteAndLeak(session.id));
    this.bindings.set(session.id, binding);
    panel.webview.html = panelHtml(panel.webview, this.extensionUri, session.title, session.currentSpec());
    return binding;
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

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly session: Session,
    private readonly invalid: InvalidMessageLog,
    private readonly notify: (message: string) => void,
    private readonly onGone: () => void,
  ) {
    this.store.add(panel.onDidDispose(() => {
      this._disposed = true;
      this.session.dispose('panel-closed');
      this.dispose();
    }));
    this.store.add(session.onDidDispose(() => this.dispose()));
    this.store.add(panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw)));
    this.store.add(panel.onDidChangeViewState(() => {
      if (this.viewId) this.session.setViewVisible(this.viewId, panel.visible);
    }));
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  private onMessage(raw: unknown): void {
    const parsed = parseViewMessage(raw);
    if (!parsed.ok) {
      this.invalid.report('a panel', parsed);
      return;
    }
    const msg = parsed.message;
    if (msg.type === 'attach') {
      // A reloaded page comes back with a new view id: the old view is gone.
      if (this.viewId && this.viewId !== msg.viewId) this.session.detachView(this.viewId);
      this.viewId = msg.viewId;
      const webview = this.panel.webview;
      this.session.attachView(
        {
          id: msg.viewId,
          post: (m: HostToViewMessage) => {
            if (!this._disposed) webview.postMessage(m).then(undefined, () => undefined);
          },
        },
        this.panel.visible,
      );
      return;
    }
    if (msg.viewId !== this.viewId) {
      this.invalid.report('a panel', { kind: `${msg.type}:stale-view`, error: 'message from a view that is not attached' });
      return;
    }
    const error = applyControl(this.session, msg);
    if (error) this.notify(`Live Plot: ${error}`);
  }

  dispose(): void {
    if (this.store.isDisposed) return;
    this.store.dispose();
    this.onGone();
    if (!this._disposed) {
      this._disposed = true;
      this.panel.dispose();
    }
  }
}
