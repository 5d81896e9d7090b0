import * as vscode from 'vscode';
import type { SessionManager } from '../core/sessionManager';
import { Disposable } from '../shared/lifecycle';
import { Commands, CONTEXT_HAS_SESSIONS } from './ids';

/** The status bar count of live sessions (a click shows the info), and the `livePlot.hasSessions` context key. */
export class SessionStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly manager: SessionManager) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('livePlot.sessions', vscode.StatusBarAlignment.Left, 50));
    this.item.name = 'Live Plot Sessions';
    this.item.command = Commands.showInfo;
    this.update();
    this.item.show();
    this._register(manager.onDidCreateSession(() => this.update()));
    this._register(manager.onDidDisposeSession(() => this.update()));
  }

  private update(): void {
    const n = this.manager.size;
    this.item.text = `$(graph-line) ${n}`;
    this.item.tooltip = `Live Plot: ${n} live session${n === 1 ? '' : 's'} — click for info`;
    this.item.accessibilityInformation = { label: `Live Plot: ${n} live sessions` };
    void vscode.commands.executeCommand('setContext', CONTEXT_HAS_SESSIONS, n > 0);
  }
}
