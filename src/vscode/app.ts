import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { SystemClock } from '../core/clock';
import { Emitter } from '../shared/event';
import { Disposable, toDisposable } from '../shared/lifecycle';
import { demoNotebook } from '../core/liveplotFile';
import { errorMessage, Session } from '../core/session';
import { SessionManager } from '../core/sessionManager';
import { createBuiltinRegistry } from '../core/sources/registry';
import { checkYRange, type YRange } from '../core/spec';
import type { DisposeReason, LivePlotApi, OpenSessionOptions, SessionHandle } from './api';
import { readLimits, readUdp } from './config';
import { ApiSource } from '../core/sources/api';
import { CommandId, Commands, CONTEXT_HAS_IDLE_OUTPUTS, CONTEXT_HAS_SESSIONS, NOTEBOOK_TYPE, OUTPUT_CHANNEL_NAME } from './ids';
import { LivePlotController } from './notebook/controller';
import { NotebookSessions } from './notebook/notebookSessions';
import { LivePlotSerializer } from './notebook/serializer';
import { Exporter, toExportTarget } from './export';
import { PanelController } from './panels';
import { PanelSpecStore } from './panelStore';
import { formatPeriod, GroupNode, IdleNode, SessionNode, SessionTree, TreeNode } from './tree';
import { IssuedOutputs } from './notebook/issuedOutputs';

const RECONCILE_INTERVAL_MS = 5000;

/** Everything the extension builds on activation; disposing it ends every session. */
export class LivePlotApp extends Disposable {
  readonly api: LivePlotApi;
  private readonly output: vscode.LogOutputChannel;
  private readonly clock = new SystemClock();
  private readonly manager: SessionManager;
  private readonly panels: PanelController;
  private readonly notebooks: NotebookSessions;
  private readonly tree: SessionTree;
  private readonly status: vscode.StatusBarItem;
  private readonly exporter: Exporter;

  constructor(context: vscode.ExtensionContext) {
    super();
    this.output = this._register(vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true }));
    const log = (line: string) => this.output.info(line);
    const registry = createBuiltinRegistry({
      udp: readUdp,
      cwd: () => {
        const f = vscode.workspace.workspaceFolders?.[0];
        return f?.uri.scheme === 'file' ? f.uri.fsPath : undefined;
      },
      log,
    });
    this.manager = new SessionManager({
      clock: this.clock,
      registry,
      limits: readLimits,
      workspaceTrusted: () => vscode.workspace.isTrusted,
      newId: randomUUID,
      log,
      warn: (l) => this.output.warn(l),
    });
    const invalid = this.manager.invalidMessages;
    const notify = (m: string) => void vscode.window.showErrorMessage(m);

    this.panels = this._register(new PanelController(this.manager, context.extensionUri, invalid, notify, new PanelSpecStore(context.workspaceState)));
    const issued = new IssuedOutputs();
    const workspaceFolder = () => {
      const f = vscode.workspace.workspaceFolders?.[0];
      return f?.uri.scheme === 'file' ? f.uri.fsPath : undefined;
    };
    this.notebooks = this._register(
      new NotebookSessions(this.manager, invalid, log, issued, () => ({
        cwd: workspaceFolder(),
        udp: readUdp(),
        trusted: vscode.workspace.isTrusted,
        needsTrust: (kind) => registry.needsTrust(kind),
        knownKinds: registry.kinds,
      })),
    );
    this._register(vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new LivePlotSerializer(), { transientOutputs: false }));
    this._register(new LivePlotController(this.manager, issued));
    const binder = this.notebooks.binder;
    this.tree = this._register(new SessionTree(this.manager, { list: () => binder.idleOutputs(), onDidChange: (l) => binder.onDidChange(l) }));
    const updateIdleContext = () => void vscode.commands.executeCommand('setContext', CONTEXT_HAS_IDLE_OUTPUTS, binder.idleOutputs().length > 0);
    this._register(binder.onDidChange(updateIdleContext));
    updateIdleContext();
    this.exporter = new Exporter(log);
    // Export buttons in a view: the host asks where to save.
    this._register(
      this.manager.onDidCreateSession((info) => {
        const session = this.manager.get(info.id);
        session?.onDidRequestExport((request) => {
          const done = request.kind === 'csv' ? this.exporter.exportCsv(session) : this.exporter.exportPng(session, undefined, request.dataUrl);
          done.catch((e) => this.fail(`Export of "${session.title}" failed: ${errorMessage(e)}`));
        });
      }),
    );

    this.status = this._register(vscode.window.createStatusBarItem('livePlot.sessions', vscode.StatusBarAlignment.Left, 50));
    this.status.name = 'Live Plot Sessions';
    this.status.command = Commands.showInfo;
    this.updateStatus();
    this.status.show();
    this._register(this.manager.onDidCreateSession(() => this.updateStatus()));
    this._register(this.manager.onDidDisposeSession(() => {
      this.updateStatus();
      this.tree.prune();
    }));

    const timer = setInterval(() => this.manager.reconcile(), RECONCILE_INTERVAL_MS);
    this._register(toDisposable(() => clearInterval(timer)));
    this.registerCommands();
    this.registerDiagnosticsFile();
    this.api = this.createApi(registry);
    log(`Live Plot Sessions activated (VS Code ${vscode.version}).`);
  }

  private fail(message: string): void {
    this.output.error(message);
    void vscode.window.showErrorMessage(`Live Plot: ${message}`);
  }

  private updateStatus(): void {
    const n = this.manager.size;
    this.status.text = `$(graph-line) ${n}`;
    this.status.tooltip = `Live Plot: ${n} live session${n === 1 ? '' : 's'} — click for info`;
    this.status.accessibilityInformation = { label: `Live Plot: ${n} live sessions` };
    void vscode.commands.executeCommand('setContext', CONTEXT_HAS_SESSIONS, n > 0);
  }

  // ------------------------------------------------------------------ commands

  private registerCommands(): void {
    const reg = (id: CommandId, fn: (...args: any[]) => unknown) =>
      this._register(
        vscode.commands.registerCommand(id, async (...args: unknown[]) => {
          try {
            return await fn(...args);
          } catch (e) {
            this.output.error(`Command ${id} failed: ${errorMessage(e)}`);
            void vscode.window.showErrorMessage(`Live Plot: ${errorMessage(e)}`);
            return undefined;
          }
        }),
      );
    reg(Commands.newSession, (kind?: unknown, title?: unknown) =>
      this.newSession(typeof kind === 'string' ? kind : undefined, typeof title === 'string' ? title : undefined),
    );
    reg(Commands.closeAll, () => {
      const n = this.manager.disposeAll('user-closed');
      this.output.info(`Close All: ended ${n} session(s).`);
      return n;
    });
    reg(Commands.showInfo, () => this.showInfo());
    reg(Commands.startNotebookSessions, (target?: unknown) => this.startNotebookSessions(target));
    reg(Commands.startOutput, (node?: unknown) => {
      const n = node as IdleNode | undefined;
      if (!n || n.kind !== 'idle' || typeof n.notebookKey !== 'string' || typeof n.uuid !== 'string') {
        return this.startNotebookSessions(undefined);
      }
      this.notebooks.startOne(n.notebookKey, n.uuid);
      return 1;
    });
    reg(Commands.openDemoNotebook, () => this.openDemoNotebook());
    reg(Commands.showLog, () => this.output.show(true));
    reg(Commands.reveal, async (node?: TreeNode) => {
      const s = await this.pickSession(node, 'Reveal which session?');
      if (s && !this.panels.reveal(s.id) && !(await this.notebooks.reveal(s.id))) {
        void vscode.window.showInformationMessage(`Live Plot: "${s.title}" has no view to reveal.`);
      }
    });
    reg(Commands.pause, async (node?: TreeNode) => (await this.pickSession(node, 'Pause which session?'))?.pause());
    reg(Commands.resume, async (node?: TreeNode) => (await this.pickSession(node, 'Resume which session?'))?.resume());
    reg(Commands.close, async (node?: TreeNode) => (await this.pickSession(node, 'Close which session?'))?.dispose('user-closed'));
    reg(Commands.setPeriod, async (node?: TreeNode, value?: number) => {
      const s = await this.pickSession(node, 'Set the period of which session?');
      if (!s) return;
      const limits = readLimits();
      const v =
        value ??
        (await askNumber(`Refresh period of "${s.title}" in ms (${limits.minPeriodMs}–${limits.maxPeriodMs})`, s.periodMs, (n) =>
          n > 0 ? undefined : 'Enter a positive number of milliseconds',
        ));
      if (v !== undefined) s.setPeriod(v);
    });
    reg(Commands.setPoints, async (node?: TreeNode, value?: number) => {
      const s = await this.pickSession(node, 'Set the window of which session?');
      if (!s) return;
      const max = readLimits().maxPoints;
      const v =
        value ??
        (await askNumber(`Number of points of "${s.title}" (1–${max})`, s.points, (n) =>
          Number.isInteger(n) && n >= 1 && n <= max ? undefined : `Enter a whole number from 1 to ${max}`,
        ));
      if (v !== undefined) s.setPoints(v);
    });
    // Exports take an optional target (a path or Uri). Scripts, other extensions and a
    // notebook's `command:` links can pass one, so it is used without a dialog only inside
    // a trusted workspace's folders; any other target gets the save dialog (see Exporter).
    reg(Commands.exportCsv, async (node?: TreeNode | string, target?: unknown) => {
      const s = await this.pickSession(node, 'Export the data of which session?');
      return s ? (await this.exporter.exportCsv(s, toExportTarget(target)))?.toString() : undefined;
    });
    reg(Commands.exportPng, async (node?: TreeNode | string, target?: unknown) => {
      const s = await this.pickSession(node, 'Save the chart of which session?');
      return s ? (await this.exporter.exportPng(s, toExportTarget(target)))?.toString() : undefined;
    });
    reg(Commands.setYRange, async (node?: TreeNode | string, value?: unknown) => {
      const s = await this.pickSession(node, 'Set the y axis of which session?');
      if (!s) return undefined;
      const range = value !== undefined ? checkYRange(value) : await askYRange(s.title, s.yRange);
      if (range !== undefined) s.setYRange(range);
      return s.yRange;
    });
  }

  /**
   * Starts every live-plot output of a notebook that has no session: the given
   * one (a URI, its string, or a tree group), else the active notebook. Returns
   * how many started. A user action: opening a notebook never does this.
   */
  private startNotebookSessions(target: unknown): number {
    let key: string | undefined;
    if (target instanceof vscode.Uri) key = target.toString();
    else if (typeof target === 'string') key = target;
    else if (target && typeof target === 'object' && (target as GroupNode).kind === 'group') key = (target as GroupNode).key;
    else if (target && typeof target === 'object' && target instanceof Object && 'uri' in target && (target as { uri: unknown }).uri instanceof vscode.Uri) {
      key = ((target as { uri: vscode.Uri }).uri).toString(); // the notebook toolbar passes { uri, notebookEditor }
    }
    const nb = key
      ? vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === key || d.uri.toString() === vscode.Uri.parse(key!).toString())
      : vscode.window.activeNotebookEditor?.notebook;
    if (!nb) {
      void vscode.window.showInformationMessage('Live Plot: open a notebook first (Start Notebook Sessions starts its live plots).');
      return 0;
    }
    const r = this.notebooks.startAll(nb);
    if (r.failed.length) {
      void vscode.window.showWarningMessage(
        `Live Plot: ${r.started} session(s) started; ${r.failed.length} could not start: ${r.failed[0]!.error}`,
        'Show Log',
      ).then((a) => a && this.output.show(true));
    }
    return r.started;
  }

  private async pickSession(node: TreeNode | string | undefined, placeHolder: string): Promise<Session | undefined> {
    if (typeof node === 'string') return this.manager.get(node);
    if (node && (node as SessionNode).kind === 'session') return this.manager.get((node as SessionNode).sessionId);
    const sessions = this.manager.list();
    if (sessions.length === 0) {
      void vscode.window.showInformationMessage('Live Plot: there is no live session.');
      return undefined;
    }
    if (sessions.length === 1) return sessions[0];
    const pick = await vscode.window.showQuickPick(
      sessions.map((s) => ({ label: s.title, description: `${s.owner.group} · ${s.state}`, detail: s.id, session: s })),
      { placeHolder },
    );
    return pick?.session;
  }

  private async newSession(kind?: string, title?: string): Promise<string | undefined> {
    const kinds = [
      { label: 'random', description: "the seed's demo: a fresh frame of random values every period" },
      { label: 'sine', description: 'a few sine waves, streaming' },
      { label: 'udp', description: `telemetry lines (Teleplot format) on UDP ${readUdp().address}:${readUdp().port}` },
    ];
    const picked = kind ?? (await vscode.window.showQuickPick(kinds, { placeHolder: 'Source of the new live plot', title: 'Live Plot: New Session' }))?.label;
    if (!picked) return undefined;
    const name =
      title ??
      (await vscode.window.showInputBox({
        title: 'Live Plot: New Session',
        prompt: 'Title of the plot (optional)',
        placeHolder: picked.charAt(0).toUpperCase() + picked.slice(1),
      }));
    if (name === undefined) return undefined;
    const session = this.panels.open({ source: { kind: picked }, ...(name.trim() ? { title: name.trim() } : {}) });
    return session.id;
  }

  private showInfo(): string {
    const sessions = this.manager.list().map((s) => s.info());
    const lines = [`Live Plot Sessions: ${sessions.length} live session${sessions.length === 1 ? '' : 's'}`];
    for (const s of sessions) {
      lines.push(
        `  • "${s.title}" [${s.ownerKind}: ${s.group}] source ${s.sourceKind} — ${s.endpoint}; ${s.state}${s.status ? ` (${s.status})` : ''}; every ${formatPeriod(s.periodMs)}; ${s.points} points; ${s.rate.toFixed(1)} updates/s; id ${s.id}`,
      );
    }
    const d = this.manager.diagnostics();
    lines.push(`  timers ${d.timers}, views ${d.views}, sockets ${d.sockets}, processes ${d.processes}, watchers ${d.watchers}`);
    for (const l of lines) this.output.info(l);
    this.output.show(true);
    void vscode.window.showInformationMessage(`Live Plot: ${sessions.length} live session${sessions.length === 1 ? '' : 's'} (details in the "Live Plot" output).`);
    return lines.join('\n');
  }

  private async openDemoNotebook(): Promise<void> {
    const demo = demoNotebook();
    const data = new vscode.NotebookData(
      demo.cells.map(
        (c) =>
          new vscode.NotebookCellData(
            c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
            c.value,
            c.language ?? (c.kind === 'markdown' ? 'markdown' : 'json'),
          ),
      ),
    );
    const nb = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
    await vscode.window.showNotebookDocument(nb);
  }

  // ------------------------------------------------------------------ API

  private createApi(registry: ReturnType<typeof createBuiltinRegistry>): LivePlotApi {
    const manager = this.manager;
    const onCreate = this._register(new Emitter<import('./api').SessionInfo>());
    const onDispose = this._register(new Emitter<{ session: import('./api').SessionInfo; reason: DisposeReason }>());
    this._register(manager.onDidCreateSession((s) => onCreate.fire(s)));
    this._register(manager.onDidDisposeSession((e) => onDispose.fire(e)));
    return {
      openSession: async (spec, options?: OpenSessionOptions): Promise<SessionHandle> => {
        let handleDisposed = false;
        const ownerInfo = { kind: 'api' as const, group: 'API', groupKey: 'api', alive: () => !handleDisposed };
        let session: Session;
        if (options?.show === false) {
          session = manager.create(spec, { kind: 'api', group: 'API', groupKey: 'api', isAlive: () => !handleDisposed });
        } else {
          session = this.panels.open(spec, ownerInfo);
        }
        const ended = new Emitter<DisposeReason>();
        let endReason: DisposeReason | undefined;
        session.onDidDispose((reason) => {
          endReason = reason;
          ended.fire(reason);
          ended.dispose();
        });
        return {
          id: session.id,
          push: (samples: unknown) => {
            if (session.source instanceof ApiSource) return session.source.push(samples);
            throw new Error('push() needs a session whose source kind is "api"');
          },
          onDidDispose: (listener, thisArgs, disposables) => {
            if (endReason !== undefined) {
              // Already ended: tell the late subscriber at once.
              queueMicrotask(() => listener.call(thisArgs, endReason!));
              return toDisposable(() => undefined);
            }
            return ended.event(listener, thisArgs, disposables as any);
          },
          dispose: () => {
            if (handleDisposed) return;
            handleDisposed = true;
            session.dispose('api-disposed');
          },
        };
      },
      get sessions() {
        return manager.list().map((s) => s.info());
      },
      onDidCreateSession: onCreate.event,
      onDidDisposeSession: onDispose.event,
      registerSource: (kind, factory, options) => {
        const d = registry.register(kind, factory, options);
        return { dispose: () => d.dispose() };
      },
      diagnostics: () => manager.diagnostics(),
      reconcile: () => manager.reconcile(),
    };
  }

  /** For tests in a real VS Code: keeps live diagnostics in the file named by LIVEPLOT_DIAGNOSTICS_FILE. */
  private registerDiagnosticsFile(): void {
    const file = process.env.LIVEPLOT_DIAGNOSTICS_FILE;
    if (!file) return;
    // Several windows (extension hosts) may share one server: the newest one owns the file.
    const token = `${process.pid}-${randomUUID()}`;
    const ownerFile = `${file}.owner`;
    writeFileSync(ownerFile, token);
    const owns = () => {
      try {
        return readFileSync(ownerFile, 'utf8') === token;
      } catch {
        return false;
      }
    };
    let pending = false;
    const write = () => {
      if (pending) return;
      pending = true;
      setTimeout(() => {
        pending = false;
        if (this.isDisposed || !owns()) return;
        const body = { at: Date.now(), ...this.manager.diagnostics(), sessions: this.manager.diagnostics().sessions, list: this.manager.list().map((s) => s.info()) };
        writeFile(file, JSON.stringify(body)).catch(() => undefined);
      }, 50);
    };
    this._register(this.manager.onDidCreateSession(write));
    this._register(this.manager.onDidDisposeSession(write));
    this._register(this.manager.onDidChangeSession(write));
    this._register(this.manager.onDidChangeStats(write));
    const t = setInterval(write, 1000);
    this._register(toDisposable(() => clearInterval(t)));
    // Runs after the manager ended every session (see dispose): the last word of this host.
    this._register(
      toDisposable(() => {
        if (owns()) writeFileSync(file, JSON.stringify({ at: Date.now(), deactivated: true, ...this.manager.diagnostics(), list: [] }));
      }),
    );
    write();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    // Sessions first, so that their ends are logged and every owner sees them go.
    this.manager.dispose();
    super.dispose();
  }
}

/** Asks for "auto" or a fixed [min, max]; undefined if cancelled. */
async function askYRange(title: string, current: YRange): Promise<YRange | undefined> {
  const auto = { label: 'Auto', description: 'fit the data shown', value: 'auto' as const };
  const fixed = { label: 'Fixed…', description: current === 'auto' ? 'enter min and max' : `now ${current[0]} to ${current[1]}`, value: 'fixed' as const };
  const pick = await vscode.window.showQuickPick([auto, fixed], { title: `Y axis of "${title}"`, placeHolder: `Now: ${current === 'auto' ? 'auto' : `${current[0]} to ${current[1]}`}` });
  if (!pick) return undefined;
  if (pick.value === 'auto') return 'auto';
  const parse = (t: string): [number, number] | string => {
    const parts = t.split(/[\s,;]+/).filter(Boolean).map(Number);
    if (parts.length !== 2 || !parts.every(Number.isFinite)) return 'Enter two numbers: min, max (e.g. 0, 100)';
    return parts[0]! < parts[1]! ? [parts[0]!, parts[1]!] : 'min must be less than max';
  };
  const text = await vscode.window.showInputBox({
    title: `Y axis of "${title}"`,
    prompt: 'Fixed y range: min, max',
    value: current === 'auto' ? '0, 1' : `${current[0]}, ${current[1]}`,
    validateInput: (t) => {
      const r = parse(t);
      return typeof r === 'string' ? r : undefined;
    },
  });
  if (text === undefined) return undefined;
  const r = parse(text);
  return typeof r === 'string' ? undefined : r;
}

async function askNumber(prompt: string, value: number, validate: (n: number) => string | undefined): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    prompt,
    value: String(value),
    validateInput: (t) => {
      const n = Number(t);
      return t.trim() === '' || !Number.isFinite(n) ? 'Enter a number' : validate(n);
    },
  });
  return text === undefined ? undefined : Number(text);
}
