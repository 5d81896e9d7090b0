import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LivePlotApi } from '../../src/vscode/api';
import { closeEverything, EXTENSION_ID, expectDiagnostics, getApi, sleep, waitFor } from './util';

const MIME = 'application/vnd.liveplot.session+json';
const decoder = new TextDecoder();

function workspaceUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/**
 * Opens a notebook the way the user does (through the editor, not
 * openNotebookDocument, which keeps the document open for minutes after its
 * editor closes), and waits for its editor.
 */
async function openInEditor(uri: vscode.Uri): Promise<{ nb: vscode.NotebookDocument; editor: vscode.NotebookEditor }> {
  await vscode.commands.executeCommand('vscode.open', uri);
  const editor = await waitFor('the notebook editor', () => vscode.window.visibleNotebookEditors.find((e) => e.notebook.uri.toString() === uri.toString()));
  return { nb: editor.notebook, editor };
}

let counter = 0;
/** Writes a .liveplot notebook with one code cell per spec and opens it in an editor. */
async function openNotebook(specs: object[], extraMarkdown = 0): Promise<{ nb: vscode.NotebookDocument; editor: vscode.NotebookEditor }> {
  const cells = [
    ...Array.from({ length: extraMarkdown }, (_, i) => ({ kind: 'markdown', value: `## Filler ${i}\n\n${'Lorem ipsum dolor sit amet. '.repeat(20)}` })),
    ...specs.map((s) => ({ kind: 'code', language: 'json', value: JSON.stringify(s, null, 2) })),
  ];
  const uri = workspaceUri(`test-${Date.now()}-${++counter}.liveplot`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({ cells })));
  const { nb, editor } = await openInEditor(uri);
  await vscode.commands.executeCommand('notebook.selectKernel', { editor, id: 'live-plot-controller', extension: EXTENSION_ID });
  return { nb, editor };
}

function codeCells(nb: vscode.NotebookDocument): vscode.NotebookCell[] {
  return nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
}

/** The uuid in a cell's live-plot output, if any. */
function outputUuid(cell: vscode.NotebookCell): string | undefined {
  for (const o of cell.outputs) {
    for (const i of o.items) {
      if (i.mime === MIME) {
        let p = JSON.parse(decoder.decode(i.data));
        if (typeof p === 'string') p = JSON.parse(p);
        return p.session;
      }
    }
  }
  return undefined;
}

async function runCells(nb: vscode.NotebookDocument, cells: vscode.NotebookCell[]): Promise<void> {
  await vscode.commands.executeCommand('notebook.cell.execute', {
    ranges: cells.map((c) => ({ start: c.index, end: c.index + 1 })),
    document: nb.uri,
  });
}

function outputSessions(api: LivePlotApi, nb?: vscode.NotebookDocument) {
  return api.sessions.filter((s) => s.ownerKind === 'output' && (!nb || s.groupKey === nb.uri.toString()));
}

/** Focuses cell `index` in `editor` (what a click on it does). */
async function focusCell(editor: vscode.NotebookEditor, index: number): Promise<void> {
  await vscode.window.showNotebookDocument(editor.notebook, { viewColumn: editor.viewColumn });
  editor.selections = [new vscode.NotebookRange(index, index + 1)];
  await sleep(50);
}

/** Collects dispose reasons while `fn` runs. */
async function reasonsDuring(api: LivePlotApi, fn: () => Promise<void>): Promise<string[]> {
  const reasons: string[] = [];
  const sub = api.onDidDisposeSession((e) => reasons.push(e.reason));
  try {
    await fn();
  } finally {
    sub.dispose();
  }
  return reasons;
}

describe('notebook sessions', function () {
  this.timeout(60_000);
  let api: LivePlotApi;
  before(async () => {
    api = await getApi();
  });
  afterEach(async () => {
    await closeEverything(api);
  });

  it('running cells starts one session per output, with views in the rendered outputs', async () => {
    const { nb } = await openNotebook([{ source: { kind: 'random' }, title: 'A' }, { source: { kind: 'sine' }, title: 'B' }]);
    await runCells(nb, codeCells(nb));
    await waitFor('two outputs', () => codeCells(nb).every((c) => outputUuid(c)));
    await expectDiagnostics(api, { sessions: 2, timers: 2 });
    assert.deepEqual(outputSessions(api, nb).map((s) => s.title).sort(), ['A', 'B']);
    // The renderer draws both outputs and attaches a view to each.
    await expectDiagnostics(api, { sessions: 2, timers: 2, views: 2 }, 20_000);
    const cells = codeCells(nb);
    assert.equal(cells[0]!.executionSummary?.success, true);
    assert.ok(cells[0]!.executionSummary?.executionOrder! >= 1);
  });

  it('an invalid spec gives an error output naming the field and starts nothing', async () => {
    const { nb } = await openNotebook([{ source: { kind: 'random' }, points: 'many' }]);
    await runCells(nb, codeCells(nb));
    const cell = codeCells(nb)[0]!;
    await waitFor('an output', () => cell.outputs.length === 1);
    const item = cell.outputs[0]!.items[0]!;
    assert.equal(item.mime, 'application/vnd.code.notebook.error');
    assert.match(decoder.decode(item.data), /\\"points\\"|"points"/);
    assert.equal(cell.executionSummary?.success, false);
    await sleep(300);
    assert.equal(api.diagnostics().sessions, 0);
  });

  it('re-executing a cell ends its old session and starts a new one (output-removed)', async () => {
    const { nb } = await openNotebook([{ source: { kind: 'random' } }, { source: { kind: 'random' } }]);
    const [c0] = codeCells(nb);
    await runCells(nb, codeCells(nb));
    await expectDiagnostics(api, { sessions: 2, timers: 2 });
    const before = outputSessions(api, nb).map((s) => s.id);
    const firstUuid = outputUuid(c0!);
    const reasons = await reasonsDuring(api, async () => {
      await runCells(nb, [c0!]);
      await waitFor('a new output uuid', () => outputUuid(c0!) && outputUuid(c0!) !== firstUuid);
      await expectDiagnostics(api, { sessions: 2, timers: 2 });
    });
    assert.deepEqual(reasons, ['output-removed']);
    const after = outputSessions(api, nb).map((s) => s.id);
    assert.equal(after.filter((id) => before.includes(id)).length, 1, 'the other cell kept its session');
    assert.equal(after.filter((id) => !before.includes(id)).length, 1, 'one new session');
  });

  it('clearing one cell output ends its session (output-removed), the others keep theirs', async () => {
    const { nb, editor } = await openNotebook([{ source: { kind: 'random' } }, { source: { kind: 'sine' } }]);
    await runCells(nb, codeCells(nb));
    await expectDiagnostics(api, { sessions: 2, timers: 2 });
    const kept = outputSessions(api, nb).find((s) => s.sourceKind === 'sine')!.id;
    const reasons = await reasonsDuring(api, async () => {
      await focusCell(editor, codeCells(nb)[0]!.index);
      await vscode.commands.executeCommand('notebook.cell.clearOutputs');
      await waitFor('the output to be cleared', () => codeCells(nb)[0]!.outputs.length === 0);
      await expectDiagnostics(api, { sessions: 1, timers: 1 });
    });
    assert.deepEqual(reasons, ['output-removed']);
    assert.deepEqual(outputSessions(api, nb).map((s) => s.id), [kept]);
  });

  it('clearing all outputs ends every session of the notebook', async () => {
    const { nb } = await openNotebook([{ source: { kind: 'random' } }, { source: { kind: 'sine' } }, { source: { kind: 'random' } }]);
    await runCells(nb, codeCells(nb));
    await expectDiagnostics(api, { sessions: 3, timers: 3 });
    const reasons = await reasonsDuring(api, async () => {
      await vscode.commands.executeCommand('notebook.clearAllCellsOutputs');
      await expectDiagnostics(api, { sessions: 0, timers: 0, views: 0 });
    });
    assert.deepEqual(reasons, ['output-removed', 'output-removed', 'output-removed']);
  });

  it('deleting a cell ends its session (cell-deleted); undo brings the output back alive', async () => {
    const { nb } = await openNotebook([{ source: { kind: 'random' } }, { source: { kind: 'sine' } }]);
    await runCells(nb, codeCells(nb));
    await expectDiagnostics(api, { sessions: 2, timers: 2 });
    const reasons = await reasonsDuring(api, async () => {
      const edit = new vscode.WorkspaceEdit();
      edit.set(nb.uri, [vscode.NotebookEdit.deleteCells(new vscode.NotebookRange(codeCells(nb)[1]!.index, codeCells(nb)[1]!.index + 1))]);
      assert.equal(await vscode.workspace.applyEdit(edit), true);
      await expectDiagnostics(api, { sessions: 1, timers: 1 });
    });
    assert.deepEqual(reasons, ['cell-deleted']);
    await vscode.window.showNotebookDocument(nb);
    await vscode.commands.executeCommand('undo');
    await waitFor('the cell to come back', () => codeCells(nb).length === 2 && codeCells(nb).every((c) => outputUuid(c)));
    await expectDiagnostics(api, { sessions: 2, timers: 2 });
  });

  it('closing the notebook ends its sessions (notebook-closed)', async () => {
    const { nb } = await openNotebook([{ source: { kind: 'random' } }, { source: { kind: 'sine' } }]);
    await runCells(nb, codeCells(nb));
    await expectDiagnostics(api, { sessions: 2, timers: 2 });
    await nb.save();
    const reasons = await reasonsDuring(api, async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await waitFor('the notebook to close', () => nb.isClosed, 15_000);
      await expectDiagnostics(api, { sessions: 0, timers: 0, views: 0 });
    });
    assert.deepEqual(reasons, ['notebook-closed', 'notebook-closed']);
  });

  it('reopening a saved notebook starts nothing; Start Notebook Sessions brings its outputs alive as fresh sessions', async () => {
    const { nb } = await openNotebook([{ source: { kind: 'random' } }, { source: { kind: 'sine' } }]);
    await runCells(nb, codeCells(nb));
    await expectDiagnostics(api, { sessions: 2, timers: 2 });
    const firstIds = outputSessions(api, nb).map((s) => s.id);
    await nb.save();
    const uri = nb.uri;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the notebook to close', () => nb.isClosed, 15_000);
    await expectDiagnostics(api, { sessions: 0, timers: 0 });
    const { nb: again } = await openInEditor(uri);
    await sleep(1000);
    await expectDiagnostics(api, { sessions: 0, timers: 0, views: 0 });
    assert.equal(await vscode.commands.executeCommand('livePlot.startNotebookSessions'), 2, 'the active notebook by default');
    // The rendered outputs (showing "not started") attach to their new sessions.
    await expectDiagnostics(api, { sessions: 2, timers: 2, views: 2 }, 20_000);
    const ids = outputSessions(api, again).map((s) => s.id);
    assert.equal(ids.filter((id) => firstIds.includes(id)).length, 0, 'fresh session ids');
  });

  it('after a revert, sessions match the outputs left and the saved output keeps its session', async () => {
    const { nb } = await openNotebook([{ source: { kind: 'random' } }]);
    await runCells(nb, codeCells(nb));
    await expectDiagnostics(api, { sessions: 1, timers: 1 });
    await nb.save(); // saved with the first output
    const saved = outputSessions(api, nb)[0]!.id;
    const edit = new vscode.WorkspaceEdit();
    edit.set(nb.uri, [vscode.NotebookEdit.insertCells(nb.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, '{ "source": { "kind": "sine" } }', 'json')])]);
    await vscode.workspace.applyEdit(edit);
    await runCells(nb, [codeCells(nb)[1]!]);
    await expectDiagnostics(api, { sessions: 2, timers: 2 });
    assert.equal(nb.isDirty, true);
    const reasons = await reasonsDuring(api, async () => {
      await vscode.window.showNotebookDocument(nb);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitFor('the revert', () => !nb.isDirty);
      await sleep(300);
    });
    // What a revert leaves is VS Code's business (code-server 1.139 kept the cells
    // here); ours is that sessions match the outputs left, and that the saved
    // output keeps its session.
    const outputs = codeCells(nb).filter((c) => outputUuid(c)).length;
    await expectDiagnostics(api, { sessions: outputs, timers: outputs });
    assert.equal(reasons.length, 2 - outputs);
    assert.ok(outputSessions(api, nb).some((s) => s.id === saved), 'the saved output keeps its session');
  });

  it('the same notebook in two editors has one session and two views', async () => {
    const { nb } = await openNotebook([{ source: { kind: 'random' }, periodMs: 250 }]);
    await runCells(nb, codeCells(nb));
    await expectDiagnostics(api, { sessions: 1, timers: 1, views: 1 }, 20_000);
    await vscode.commands.executeCommand('workbench.action.splitEditor');
    await waitFor('two editors', () => vscode.window.visibleNotebookEditors.filter((e) => e.notebook === nb).length === 2);
    await expectDiagnostics(api, { sessions: 1, timers: 1, views: 2 }, 20_000);
  });

  it('the stop button state: a session closed by the user stays ended until the cell runs again', async () => {
    const { nb } = await openNotebook([{ source: { kind: 'random' } }]);
    await runCells(nb, codeCells(nb));
    await expectDiagnostics(api, { sessions: 1, timers: 1 });
    const id = outputSessions(api, nb)[0]!.id;
    await vscode.commands.executeCommand('livePlot.close', id);
    await expectDiagnostics(api, { sessions: 0, timers: 0 });
    // A document change elsewhere must not resurrect the stopped output.
    const edit = new vscode.WorkspaceEdit();
    edit.set(nb.uri, [vscode.NotebookEdit.insertCells(nb.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, 'x', 'markdown')])]);
    await vscode.workspace.applyEdit(edit);
    await sleep(300);
    assert.equal(api.diagnostics().sessions, 0);
    assert.deepEqual(api.reconcile(), []);
    await runCells(nb, codeCells(nb));
    await expectDiagnostics(api, { sessions: 1, timers: 1 });
  });

  it('a Jupyter .ipynb with saved live-plot outputs starts nothing until started; Clear All Outputs ends every session', async () => {
    const { nb } = await openInEditor(workspaceUri('kernel-outputs.ipynb'));
    assert.equal(nb.notebookType, 'jupyter-notebook');
    await sleep(1000);
    await expectDiagnostics(api, { sessions: 0, timers: 0 });
    assert.equal(await vscode.commands.executeCommand('livePlot.startNotebookSessions', nb.uri.toString()), 2);
    await expectDiagnostics(api, { sessions: 2, timers: 2 });
    assert.deepEqual(outputSessions(api, nb).map((s) => s.title).sort(), ['Kernel random', 'Kernel sine (string payload)']);
    assert.ok(outputSessions(api, nb).every((s) => s.group === 'kernel-outputs.ipynb'));
    await expectDiagnostics(api, { sessions: 2, timers: 2, views: 2 }, 20_000);
    const reasons = await reasonsDuring(api, async () => {
      await vscode.commands.executeCommand('notebook.clearAllCellsOutputs');
      await expectDiagnostics(api, { sessions: 0, timers: 0, views: 0 });
    });
    assert.deepEqual(reasons, ['output-removed', 'output-removed']);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('a stopped output starts again with its Start (livePlot.startOutput), without running the cell', async () => {
    const { nb } = await openNotebook([{ source: { kind: 'random' } }]);
    await runCells(nb, codeCells(nb));
    await expectDiagnostics(api, { sessions: 1, timers: 1, views: 1 }, 20_000);
    const uuid = outputUuid(codeCells(nb)[0]!)!;
    const order = codeCells(nb)[0]!.executionSummary?.executionOrder;
    await vscode.commands.executeCommand('livePlot.close', outputSessions(api, nb)[0]!.id);
    await expectDiagnostics(api, { sessions: 0, timers: 0 });
    await vscode.commands.executeCommand('livePlot.startOutput', { kind: 'idle', notebookKey: nb.uri.toString(), uuid });
    await expectDiagnostics(api, { sessions: 1, timers: 1, views: 1 }, 20_000);
    assert.equal(outputUuid(codeCells(nb)[0]!), uuid, 'the same output');
    assert.equal(codeCells(nb)[0]!.executionSummary?.executionOrder, order, 'the cell did not run again');
  });

  it('the demo notebook opens untitled with random, sine and a commented telemetry example', async () => {
    await vscode.commands.executeCommand('livePlot.openDemoNotebook');
    const editor = await waitFor('the demo notebook', () => vscode.window.activeNotebookEditor);
    const nb = editor!.notebook;
    assert.equal(nb.notebookType, 'live-plot-notebook');
    assert.equal(nb.isUntitled, true);
    const texts = codeCells(nb).map((c) => c.document.getText());
    assert.ok(texts.some((t) => t.includes('"random"')));
    assert.ok(texts.some((t) => t.includes('"sine"')));
    assert.ok(texts.some((t) => t.trim().startsWith('//') && t.includes('udp')));
    await vscode.commands.executeCommand('notebook.selectKernel', { editor: editor!, id: 'live-plot-controller', extension: EXTENSION_ID });
    await runCells(nb, codeCells(nb));
    await expectDiagnostics(api, { sessions: 2, timers: 2 });
    // Untitled and dirty: revert so that closing does not prompt.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await expectDiagnostics(api, { sessions: 0, timers: 0 });
  });
});

describe('notebook views', function () {
  this.timeout(60_000);
  afterEach(async () => closeEverything(await getApi()));

  it('reloading the notebook webview re-attaches views: same session, one view', async () => {
    const api = await getApi();
    const { nb } = await openNotebook([{ source: { kind: 'random' }, periodMs: 250 }]);
    await runCells(nb, codeCells(nb));
    await expectDiagnostics(api, { sessions: 1, timers: 1, views: 1 }, 20_000);
    const id = outputSessions(api, nb)[0]!.id;
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('workbench.action.webview.reloadWebviewAction'), 'VS Code has "Reload Webviews"');
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    await sleep(2000);
    await expectDiagnostics(api, { sessions: 1, timers: 1, views: 1 }, 20_000);
    assert.equal(outputSessions(api, nb)[0]!.id, id, 'the same session');
    assert.equal(outputSessions(api, nb)[0]!.visibleViews, 1);
  });
});
