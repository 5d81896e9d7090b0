// "Opening never runs anything" in a trusted window: notebooks whose saved
// outputs would run a program, read a file, poll an HTTP server and listen on a
// UDP port start nothing when opened, reloaded from disk or shown in a diff;
// only the user's Start (or running a cell here) starts a session.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LivePlotApi } from '../../src/vscode/api';
import { Bait, makeBait, openInEditor, udpPortFree, workspaceFolder, writeHostileIpynb, writeHostileLiveplot } from './hostile';
import { closeEverything, expectDiagnostics, getApi, sleep, waitFor } from './util';

const MIME = 'application/vnd.liveplot.session+json';
/** Long enough for a wrongly started session to act: the command runs at once, http polls every 250 ms. */
const GRACE_MS = 1500;

async function expectNothingStarted(api: LivePlotApi, bait: Bait): Promise<void> {
  await sleep(GRACE_MS);
  assert.equal(fs.existsSync(bait.marker), false, 'the program did not run');
  assert.equal(bait.hits(), 0, 'no request reached the HTTP server');
  assert.equal(await udpPortFree(bait.udpPort), true, 'nobody listens on the UDP port');
  await expectDiagnostics(api, { sessions: 0, timers: 0, sockets: 0, processes: 0, watchers: 0 }, 1000);
}

function uuidOf(cell: vscode.NotebookCell): string | undefined {
  for (const o of cell.outputs) for (const i of o.items) if (i.mime === MIME) {
    let p = JSON.parse(new TextDecoder().decode(i.data));
    if (typeof p === 'string') p = JSON.parse(p);
    return p.session;
  }
  return undefined;
}

describe('opening never runs anything (trusted window)', function () {
  this.timeout(90_000);
  let api: LivePlotApi;
  let bait: Bait;
  before(async () => {
    api = await getApi();
    assert.equal(vscode.workspace.isTrusted, true);
  });
  beforeEach(async () => {
    bait = await makeBait();
  });
  afterEach(async () => {
    await closeEverything(api);
    await bait.close();
  });

  it('a .liveplot with hostile saved outputs starts nothing; Start Notebook Sessions starts them all', async () => {
    const specs = Object.values(bait.specs);
    const uri = await writeHostileLiveplot(workspaceFolder(), specs);
    const editor = await openInEditor(uri);
    await expectNothingStarted(api, bait);
    const started = await vscode.commands.executeCommand<number>('livePlot.startNotebookSessions', editor.notebook.uri);
    assert.equal(started, 4);
    await waitFor('the program to run', () => fs.existsSync(bait.marker));
    await waitFor('the HTTP server to be polled', () => bait.hits() > 0);
    await expectDiagnostics(api, { sessions: 4, timers: 4, processes: 1, watchers: 1 });
    assert.equal(await udpPortFree(bait.udpPort), false, 'the udp session listens');
  });

  it('a Jupyter .ipynb with hostile saved outputs starts nothing; Start on one output starts only that one', async () => {
    const uri = await writeHostileIpynb(workspaceFolder(), [bait.specs.command, bait.specs.http, bait.specs.file]);
    const editor = await openInEditor(uri);
    assert.equal(editor.notebook.notebookType, 'jupyter-notebook');
    await expectNothingStarted(api, bait);
    const httpCell = editor.notebook.getCells()[1]!;
    await vscode.commands.executeCommand('livePlot.startOutput', { kind: 'idle', notebookKey: editor.notebook.uri.toString(), uuid: uuidOf(httpCell) });
    await waitFor('the HTTP server to be polled', () => bait.hits() > 0);
    await expectDiagnostics(api, { sessions: 1, processes: 0, watchers: 0 });
    assert.equal(api.sessions[0]!.title, 'Bait http');
    await sleep(500);
    assert.equal(fs.existsSync(bait.marker), false, 'the other outputs stay not started');
  });

  it('a notebook reverted to a hostile version on disk starts nothing', async () => {
    const uri = await writeHostileLiveplot(workspaceFolder(), []);
    const editor = await openInEditor(uri);
    // The user edits it; meanwhile another program (a git pull, say) rewrites the file;
    // Revert File then reads the hostile version from disk.
    const edit = new vscode.WorkspaceEdit();
    edit.set(uri, [vscode.NotebookEdit.insertCells(0, [new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, 'draft', 'markdown')])]);
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    await waitFor('the edit', () => editor.notebook.isDirty);
    const again = await writeHostileLiveplot(workspaceFolder(), [bait.specs.command, bait.specs.http]);
    await vscode.workspace.fs.copy(again, uri, { overwrite: true });
    await vscode.window.showNotebookDocument(editor.notebook);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the notebook to reload from disk', () => editor.notebook.getCells().length === 2 && editor.notebook.getCells().every((c) => uuidOf(c)), 15_000);
    await expectNothingStarted(api, bait);
  });

  it('a notebook diff of hostile notebooks starts nothing on either side', async () => {
    const left = await writeHostileLiveplot(workspaceFolder(), [bait.specs.command]);
    const right = await writeHostileLiveplot(workspaceFolder(), [bait.specs.http, bait.specs.udp]);
    await vscode.commands.executeCommand('vscode.diff', left, right, 'hostile diff');
    await waitFor('both sides to open', () => [left, right].every((u) => vscode.workspace.notebookDocuments.some((d) => d.uri.toString() === u.toString())), 15_000);
    await expectNothingStarted(api, bait);
  });

  it("a kernel's output produced by running its cell here starts at once", async () => {
    // A stand-in kernel for Jupyter notebooks: runs a cell by displaying a live plot, as IPython's display() does.
    const kernel = vscode.notebooks.createNotebookController('liveplot-test-kernel', 'jupyter-notebook', 'Test kernel');
    kernel.supportedLanguages = ['python'];
    kernel.executeHandler = async (cells) => {
      for (const cell of cells) {
        const exec = kernel.createNotebookCellExecution(cell);
        exec.start(Date.now());
        const payload = { version: 1, session: `k-${Date.now()}-${cell.index}`, title: 'From the kernel', source: { kind: 'random' }, periodMs: 250 };
        await exec.replaceOutput([new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.json(payload, MIME)])]);
        exec.end(true, Date.now());
      }
    };
    try {
      const uri = await writeHostileIpynb(workspaceFolder(), [bait.specs.command]);
      const editor = await openInEditor(uri);
      await expectNothingStarted(api, bait);
      kernel.updateNotebookAffinity(editor.notebook, vscode.NotebookControllerAffinity.Preferred);
      await vscode.commands.executeCommand('notebook.selectKernel', { editor, id: 'liveplot-test-kernel', extension: 'liveplot.live-plot-sessions' });
      await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: editor.notebook.uri });
      await expectDiagnostics(api, { sessions: 1, timers: 1 });
      assert.equal(api.sessions[0]!.title, 'From the kernel');
      assert.equal(fs.existsSync(bait.marker), false, 'the saved hostile output it replaced never ran');
      // Revert: whatever VS Code brings back from disk (the saved hostile output, or the
      // cells as they are: code-server 1.139 may keep them), the hostile output never runs.
      await vscode.window.showNotebookDocument(editor.notebook);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitFor('the revert', () => !editor.notebook.isDirty);
      await sleep(GRACE_MS);
      assert.equal(fs.existsSync(bait.marker), false, 'the program did not run');
      const kernelOutputs = editor.notebook.getCells().filter((c) => uuidOf(c)?.startsWith('k-')).length;
      await expectDiagnostics(api, { sessions: kernelOutputs, processes: 0 });
    } finally {
      kernel.dispose();
    }
  });
});
