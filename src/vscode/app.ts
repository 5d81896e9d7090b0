import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { SystemClock } from '../core/clock';
import { SessionManager } from '../core/sessionManager';
import { createBuiltinRegistry } from '../core/sources/registry';
import { Disposable, toDisposable } from '../shared/lifecycle';
import type { LivePlotApi } from './api';
import { ApiHost } from './apiHost';
import { registerCommands } from './commands';
import { readLimits, readUdp } from './config';
import { Exporter } from './export';
import { CONTEXT_HAS_IDLE_OUTPUTS, NOTEBOOK_TYPE, OUTPUT_CHANNEL_NAME } from './ids';
import { LivePlotController } from './notebook/controller';
import { IssuedOutputs } from './notebook/issuedOutputs';
import { NotebookSessions } from './notebook/notebookSessions';
import { LivePlotSerializer } from './notebook/serializer';
import { PanelController } from './panels';
import { PanelSpecStore } from './panelStore';
import { SessionStatusBar } from './statusBar';
import { TestDiagnosticsFile } from './testDiagnostics';
import { SessionTree } from './tree';

const RECONCILE_INTERVAL_MS = 5000;

/**
 * Everything the extension builds on activation, wired together; disposing it
 * ends every session. Commands live in `commands/`, the API in `apiHost.ts`.
 */
export class LivePlotApp extends Disposable {
  readonly api: LivePlotApi;
  private readonly manager: SessionManager;

  constructor(context: vscode.ExtensionContext) {
    super();
    const output = this._register(vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true }));
    const log = (line: string) => output.info(line);
    const workspaceFolder = () => {
      const f = vscode.workspace.workspaceFolders?.[0];
      return f?.uri.scheme === 'file' ? f.uri.fsPath : undefined;
    };
    const registry = createBuiltinRegistry({ udp: readUdp, cwd: workspaceFolder, log });
    this.manager = new SessionManager({
      clock: new SystemClock(),
      registry,
      limits: readLimits,
      workspaceTrusted: () => vscode.workspace.isTrusted,
      newId: randomUUID,
      log,
      warn: (l) => output.warn(l),
    });
    const manager = this.manager;

    // Owners and views: panels, notebook outputs.
    const notify = (m: string) => void vscode.window.showErrorMessage(m);
    const panels = this._register(new PanelController(manager, context.extensionUri, manager.invalidMessages, notify, new PanelSpecStore(context.workspaceState)));
    const issued = new IssuedOutputs();
    const notebooks = this._register(
      new NotebookSessions(manager, manager.invalidMessages, log, issued, () => ({
        cwd: workspaceFolder(),
        udp: readUdp(),
        trusted: vscode.workspace.isTrusted,
        needsTrust: (kind) => registry.needsTrust(kind),
        previewOf: (kind) => registry.descriptor(kind)?.preview,
        knownKinds: registry.kinds,
      })),
    );
    this._register(vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new LivePlotSerializer(), { transientOutputs: false }));
    this._register(new LivePlotController(manager, issued));

    // What the user sees of them: the tree, the status bar, the idle-outputs context key.
    const binder = notebooks.binder;
    const tree = this._register(new SessionTree(manager, { list: () => binder.idleOutputs(), onDidChange: (l) => binder.onDidChange(l) }));
    const updateIdleContext = () => void vscode.commands.executeCommand('setContext', CONTEXT_HAS_IDLE_OUTPUTS, binder.idleOutputs().length > 0);
    this._register(binder.onDidChange(updateIdleContext));
    updateIdleContext();
    this._register(new SessionStatusBar(manager));
    this._register(manager.onDidDisposeSession(() => tree.prune()));

    const timer = setInterval(() => manager.reconcile(), RECONCILE_INTERVAL_MS);
    this._register(toDisposable(() => clearInterval(timer)));
    this._register(registerCommands({ manager, output, panels, notebooks, exporter: new Exporter(log) }));
    const diagnostics = TestDiagnosticsFile.fromEnvironment(manager);
    if (diagnostics) this._register(diagnostics);
    this.api = this._register(new ApiHost(manager, panels, registry)).api;
    log(`Live Plot Sessions activated (VS Code ${vscode.version}).`);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    // Sessions first, so that their ends are logged and every owner sees them go.
    this.manager.dispose();
    super.dispose();
  }
}
