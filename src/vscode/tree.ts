import * as vscode from 'vscode';
import { Disposable } from '../shared/lifecycle';
import { formatPeriod } from '../shared/format';
import type { SessionInfo } from '../core/session';
import type { SessionManager } from '../core/sessionManager';
import type { IdleOutput } from '../core/outputBinder';
import { TREE_VIEW_ID } from './ids';

/** A group of sessions with one owner: "Panels", a notebook, "API". */
export interface GroupNode {
  readonly kind: 'group';
  readonly key: string;
  readonly label: string;
}
/** A row for one session; commands receive it as their argument. */
export interface SessionNode {
  readonly kind: 'session';
  readonly sessionId: string;
}
/** A notebook output without a session (not started, stopped, or failed): Start is one click away. */
export interface IdleNode {
  readonly kind: 'idle';
  readonly notebookKey: string;
  readonly uuid: string;
}
export type TreeNode = GroupNode | SessionNode | IdleNode;

/** The notebook outputs without a session, for the tree. */
export interface IdleOutputs {
  list(): readonly IdleOutput[];
  readonly onDidChange: (listener: (nbKey: string) => void) => { dispose(): void };
}

const IDLE_LABELS: Record<IdleOutput['state'], string> = { pending: 'not started', stopped: 'stopped', error: 'could not start' };

const STATE_ICONS: Record<SessionInfo['state'], string> = {
  running: 'pulse',
  paused: 'debug-pause',
  ended: 'circle-slash',
  error: 'error',
};

/** Periods read the same here and in the chart: "250 ms", "1 s", "1.5 s" (src/shared/format.ts). */
export { formatPeriod };

/** The "Live Sessions" tree: sessions grouped by owner, with live statistics. */
export class SessionTree extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  readonly view: vscode.TreeView<TreeNode>;
  private readonly groups = new Map<string, GroupNode>();
  private readonly nodes = new Map<string, SessionNode>();

  constructor(
    private readonly manager: SessionManager,
    private readonly idle: IdleOutputs = { list: () => [], onDidChange: () => ({ dispose: () => undefined }) },
  ) {
    super();
    this.view = this._register(vscode.window.createTreeView(TREE_VIEW_ID, { treeDataProvider: this, showCollapseAll: false }));
    // Lifecycle changes refresh at once; statistics at most once a second and only while visible (#33371).
    this._register(manager.onDidCreateSession(() => this.refresh()));
    this._register(manager.onDidDisposeSession(() => this.refresh()));
    this._register(manager.onDidChangeSession(() => this.refreshIfVisible()));
    this._register(manager.onDidChangeStats(() => this.refreshIfVisible()));
    this._register(this.view.onDidChangeVisibility((e) => e.visible && this.refresh()));
    this._register(idle.onDidChange(() => this.refresh()));
    this.updateMessage();
  }

  private refreshIfVisible(): void {
    if (this.view.visible) this._onDidChangeTreeData.fire(undefined);
  }

  refresh(): void {
    this.updateMessage();
    this._onDidChangeTreeData.fire(undefined);
  }

  private updateMessage(): void {
    const n = this.manager.size;
    this.view.badge = n ? { value: n, tooltip: `${n} live plot session${n === 1 ? '' : 's'}` } : undefined;
  }

  getChildren(element?: TreeNode): TreeNode[] {
    const sessions = this.manager.list().map((s) => s.info());
    const idle = this.idle.list();
    if (!element) {
      const keys = new Map<string, GroupNode>();
      for (const s of sessions) {
        if (!keys.has(s.groupKey)) keys.set(s.groupKey, this.group(s.groupKey, s.group));
      }
      for (const o of idle) {
        if (!keys.has(o.notebook.key)) keys.set(o.notebook.key, this.group(o.notebook.key, o.notebook.label));
      }
      return [...keys.values()];
    }
    if (element.kind === 'group') {
      const rows: TreeNode[] = sessions.filter((s) => s.groupKey === element.key).map((s) => this.node(s.id));
      for (const o of idle) if (o.notebook.key === element.key) rows.push({ kind: 'idle', notebookKey: o.notebook.key, uuid: o.uuid });
      return rows;
    }
    return [];
  }

  private group(key: string, label: string): GroupNode {
    let g = this.groups.get(key);
    if (!g || g.label !== label) {
      g = { kind: 'group', key, label };
      this.groups.set(key, g);
    }
    return g;
  }

  private node(id: string): SessionNode {
    let n = this.nodes.get(id);
    if (!n) {
      n = { kind: 'session', sessionId: id };
      this.nodes.set(id, n);
    }
    return n;
  }

  getParent(element: TreeNode): TreeNode | undefined {
    if (element.kind === 'group') return undefined;
    if (element.kind === 'idle') return this.groups.get(element.notebookKey);
    const s = this.manager.get(element.sessionId);
    return s ? this.group(s.owner.groupKey, s.owner.group) : undefined;
  }

  getTreeItem(element: TreeNode): vscode.TreeItem {
    if (element.kind === 'idle') return this.idleItem(element);
    if (element.kind === 'group') {
      const count = this.manager.list().filter((s) => s.owner.groupKey === element.key).length;
      const idle = this.idle.list().filter((o) => o.notebook.key === element.key).length;
      const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${element.key}`;
      item.description = idle ? (count ? `${count} live · ${idle} not running` : `${idle} not running`) : `${count}`;
      item.contextValue = idle ? 'group.idle' : 'group';
      item.iconPath = new vscode.ThemeIcon(element.key === 'panels' ? 'window' : element.key === 'api' ? 'extensions' : 'notebook');
      return item;
    }
    const session = this.manager.get(element.sessionId);
    if (!session) {
      const gone = new vscode.TreeItem('(ended)');
      gone.id = `session:${element.sessionId}`;
      return gone;
    }
    const i = session.info();
    const item = new vscode.TreeItem(i.title, vscode.TreeItemCollapsibleState.None);
    item.id = `session:${i.id}`;
    item.description = `${i.state} · ${formatPeriod(i.periodMs)} · ${i.points} pts · ${i.rate.toFixed(1)}/s`;
    item.tooltip = tooltip(i);
    item.iconPath = new vscode.ThemeIcon(STATE_ICONS[i.state]);
    item.contextValue = `session.${i.state}`;
    item.command = { command: 'livePlot.reveal', title: 'Reveal Session', arguments: [element] };
    item.accessibilityInformation = { label: `${i.title}, ${i.state}, period ${formatPeriod(i.periodMs)}, ${i.points} points, ${i.rate.toFixed(1)} updates per second` };
    return item;
  }

  private idleItem(element: IdleNode): vscode.TreeItem {
    const o = this.idle.list().find((i) => i.notebook.key === element.notebookKey && i.uuid === element.uuid);
    const payload = (o?.payload ?? {}) as { title?: unknown; source?: { kind?: unknown } };
    const kind = typeof payload.source?.kind === 'string' ? payload.source.kind : '?';
    const title = typeof payload.title === 'string' && payload.title.trim() ? payload.title.slice(0, 200) : kind;
    const item = new vscode.TreeItem(title, vscode.TreeItemCollapsibleState.None);
    item.id = `idle:${element.notebookKey}#${element.uuid}`;
    const state = o ? IDLE_LABELS[o.state] : 'gone';
    item.description = `${state} · ${kind.slice(0, 64)}`;
    item.tooltip = o?.error ? `${title}: ${o.error}` : `${title}: ${state}. Start it from here or from its output.`;
    item.iconPath = new vscode.ThemeIcon(o?.state === 'error' ? 'warning' : 'debug-start');
    item.contextValue = 'output.idle';
    item.accessibilityInformation = { label: `${title}, ${kind} source, ${state}` };
    return item;
  }

  /** Forget nodes of sessions that ended. */
  prune(): void {
    for (const id of [...this.nodes.keys()]) if (!this.manager.get(id)) this.nodes.delete(id);
  }
}

function tooltip(i: SessionInfo): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMd(i.title)}** — ${i.state}\n\n`);
  md.appendMarkdown(`- Source: \`${i.sourceKind}\` — ${escapeMd(i.endpoint)}\n`);
  md.appendMarkdown(`- Owner: ${i.ownerKind} (${escapeMd(i.group)})\n`);
  md.appendMarkdown(`- Period: ${formatPeriod(i.periodMs)}, window: ${i.points} points${i.windowSeconds !== undefined ? ` (shows the last ${i.windowSeconds} s)` : ''}\n`);
  md.appendMarkdown(`- Y axis: ${i.yRange === 'auto' ? 'auto' : `${i.yRange[0]} to ${i.yRange[1]}`}\n`);
  md.appendMarkdown(`- Updates: ${i.rate.toFixed(1)}/s, samples: ${i.samplesPerSecond}/s\n`);
  md.appendMarkdown(`- Views: ${i.views} (${i.visibleViews} visible)\n`);
  if (i.malformed) md.appendMarkdown(`- Malformed inputs: ${i.malformed}\n`);
  if (i.status) md.appendMarkdown(`- Status: ${escapeMd(i.status)}\n`);
  md.appendMarkdown(`- Id: \`${i.id}\``);
  return md;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
