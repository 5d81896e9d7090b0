import type * as vscode from 'vscode';
import type { LivePlotApi } from './vscode/api';
import { LivePlotApp } from './vscode/app';

export type { LivePlotApi } from './vscode/api';

/** Builds the one root of the extension's state and returns the API. */
export function activate(context: vscode.ExtensionContext): LivePlotApi {
  const app = new LivePlotApp(context);
  // Disposed by VS Code on deactivation: every session ends with `extension-deactivated`.
  context.subscriptions.push(app);
  return app.api;
}

export function deactivate(): void {
  // Nothing beyond context.subscriptions.
}
