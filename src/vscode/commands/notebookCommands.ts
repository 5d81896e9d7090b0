import * as vscode from 'vscode';
import { demoNotebook } from '../../core/liveplotFile';
import type { IDisposable } from '../../shared/lifecycle';
import { Commands, NOTEBOOK_TYPE } from '../ids';
import type { GroupNode, IdleNode } from '../tree';
import { CommandContext, CommandGroup } from './command';

/** Notebook commands: start a notebook's live plots (all, or one output), open the demo notebook. */
export function registerNotebookCommands(c: CommandContext): IDisposable {
  const group = new CommandGroup(c);
  group.register(Commands.startNotebookSessions, (target?: unknown) => startNotebookSessions(c, target));
  group.register(Commands.startOutput, (node?: unknown) => {
    const n = node as IdleNode | undefined;
    if (!n || n.kind !== 'idle' || typeof n.notebookKey !== 'string' || typeof n.uuid !== 'string') {
      return startNotebookSessions(c, undefined);
    }
    c.notebooks.startOne(n.notebookKey, n.uuid);
    return 1;
  });
  group.register(Commands.openDemoNotebook, () => openDemoNotebook());
  return group;
}

/**
 * Starts every live-plot output of a notebook that has no session: the given
 * one (a URI, its string, or a tree group), else the active notebook. Returns
 * how many started. A user action: opening a notebook never does this.
 */
function startNotebookSessions(c: CommandContext, target: unknown): number {
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
  const r = c.notebooks.startAll(nb);
  if (r.failed.length) {
    void vscode.window.showWarningMessage(
      `Live Plot: ${r.started} session(s) started; ${r.failed.length} could not start: ${r.failed[0]!.error}`,
      'Show Log',
    ).then((a) => a && c.output.show(true));
  }
  return r.started;
}

/** Opens the demo notebook, untitled, in an editor. */
async function openDemoNotebook(): Promise<void> {
  const demo = demoNotebook();
  const data = new vscode.NotebookData(
    demo.cells.map(
      (cell) =>
        new vscode.NotebookCellData(
          cell.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
          cell.value,
          cell.language ?? (cell.kind === 'markdown' ? 'markdown' : 'json'),
        ),
    ),
  );
  const nb = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  await vscode.window.showNotebookDocument(nb);
}
