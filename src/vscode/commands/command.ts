import * as vscode from 'vscode';
import type { SessionManager } from '../../core/sessionManager';
import { errorMessage } from '../../core/session';
import { DisposableStore } from '../../shared/lifecycle';
import type { Exporter } from '../export';
import type { CommandId } from '../ids';
import type { NotebookSessions } from '../notebook/notebookSessions';
import type { PanelController } from '../panels';

/** What commands act on; built once by LivePlotApp. */
export interface CommandContext {
  readonly manager: SessionManager;
  readonly output: vscode.LogOutputChannel;
  readonly panels: PanelController;
  readonly notebooks: NotebookSessions;
  readonly exporter: Exporter;
}

/** A group of commands registered together; disposing it unregisters them. */
export class CommandGroup extends DisposableStore {
  constructor(private readonly c: CommandContext) {
    super();
  }

  /**
   * Registers command `id` (declared in `ids.ts` and package.json). A failure is
   * logged and shown to the user, and the command then returns undefined.
   */
  register(id: CommandId, fn: (...args: any[]) => unknown): void {
    this.add(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          this.c.output.error(`Command ${id} failed: ${errorMessage(e)}`);
          void vscode.window.showErrorMessage(`Live Plot: ${errorMessage(e)}`);
          return undefined;
        }
      }),
    );
  }
}
