// Lifecycle stress in the real VS Code (issue 6): a seeded random sequence of
// user and API operations on panels, notebook outputs and API handles. After
// every step, the extension's counts must match what exists in VS Code:
//
//   sessions = panel tabs + STARTED live-plot outputs in open notebooks + open API handles without a panel
//
// (an output from disk, i.e. of a notebook reopened here, is not started until
// the user starts it: "start notebook sessions" does, for one notebook)
//
// (a notebook is open while its document is open and it has an editor tab:
// VS Code 1.139 can keep a document open indefinitely after its last tab
// closed, and the extension then counts it closed; see notebookSessions.ts)
//   timers   = sessions,   and the reconciliation finds nothing to reap.
//
// At the end, with everything closed (never with "Close All"), every count is 0.
//
// LIVEPLOT_STRESS_SEED=<n> reproduces a run (the seed is printed);
// LIVEPLOT_STRESS_STEPS=<n> sets its length (default 300; `npm run stress` runs 2000).
// Outputs are never stopped by the user here (that would make them "ended"
// outputs without a session, which the rule allows but this count does not model).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LivePlotApi, SessionHandle } from '../../src/vscode/api';
import { EXTENSION_ID, expectDiagnostics, getApi, panelTabs, sleep, waitFor } from './util';
import { prng } from '../helpers/random';

const MIME = 'application/vnd.liveplot.session+json';
const STEPS = Math.max(1, Number(process.env.LIVEPLOT_STRESS_STEPS) || 300);
const SEED = process.env.LIVEPLOT_STRESS_SEED ? Number(process.env.LIVEPLOT_STRESS_SEED) >>> 0 : (Date.now() ^ Math.floor(Math.random() * 2 ** 31)) >>> 0;
/** Above this many sessions, only operations that close things are drawn. */
const SOFT_MAX_SESSIONS = 24;
const MAX_OPEN_NOTEBOOKS = 3;
const RELOAD_WEBVIEWS = 'workbench.action.webview.reloadWebviewAction';
const decoder = new TextDecoder();

interface Handle {
  readonly handle: SessionHandle;
  readonly panel: boolean;
  ended: boolean;
}

interface Op {
  readonly name: string;
  readonly weight: number;
  /** Whether the op can run now (and is worth drawing). */
  readonly when?: () => boolean;
  /** Runs the op; returns a short description for the log. */
  readonly run: () => Promise<string>;
}

describe('lifecycle stress (seeded)', function () {
  // Generous: the default run takes well under a minute.
  this.timeout(Math.max(120_000, STEPS * 1500));

  let api: LivePlotApi;
  const rand = prng(SEED);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const handles: Handle[] = [];
  /** Stress notebooks (saved files), open or not. */
  const notebookUris: vscode.Uri[] = [];
  const log: string[] = [];
  let reloadAvailable = false;
  let counter = 0;

  const spec = () => ({
    title: `S${++counter}`,
    source: { kind: pick(['random', 'sine', 'random']) },
    periodMs: pick([250, 500, 1000]),
    points: int(5, 200),
  });
  const cellText = () => JSON.stringify(spec());

  function isStress(uri: vscode.Uri): boolean {
    return notebookUris.some((u) => u.toString() === uri.toString());
  }
  function notebookTabs(): Set<string> {
    const uris = new Set<string>();
    for (const t of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) if (t.input instanceof vscode.TabInputNotebook) uris.add(t.input.uri.toString());
    return uris;
  }
  function openNotebooks(): vscode.NotebookDocument[] {
    const tabs = notebookTabs();
    return vscode.workspace.notebookDocuments.filter((d) => !d.isClosed && isStress(d.uri) && tabs.has(d.uri.toString()));
  }
  /** Stress notebooks whose editors are closed but whose documents VS Code keeps open. */
  function lingering(): vscode.NotebookDocument[] {
    const tabs = notebookTabs();
    return vscode.workspace.notebookDocuments.filter((d) => !d.isClosed && isStress(d.uri) && !tabs.has(d.uri.toString()));
  }
  function closedNotebooks(): vscode.Uri[] {
    const open = new Set(openNotebooks().map((d) => d.uri.toString()));
    return notebookUris.filter((u) => !open.has(u.toString()));
  }
  function uuidsOf(cell: vscode.NotebookCell): string[] {
    const out: string[] = [];
    for (const o of cell.outputs) {
      for (const i of o.items) {
        if (i.mime !== MIME) continue;
        let p = JSON.parse(decoder.decode(i.data));
        if (typeof p === 'string') p = JSON.parse(p);
        if (typeof p?.session === 'string') out.push(p.session);
      }
    }
    return out;
  }
  /** Outputs seen in a notebook as it was (re)opened from disk, not started since. */
  const notStarted = new Set<string>();
  /** Outputs produced by running a cell in this window (they start by themselves, also after an undo). */
  const ranHere = new Set<string>();
  const allUuids = () => new Set(vscode.workspace.notebookDocuments.flatMap((d) => d.getCells().flatMap((c) => uuidsOf(c))));
  function pendingIn(nb: vscode.NotebookDocument): string[] {
    return nb.getCells().flatMap((c) => uuidsOf(c)).filter((u) => notStarted.has(u));
  }
  /** What VS Code holds now that should own a session. */
  function owners() {
    const panels = panelTabs().length;
    let outputs = 0;
    for (const nb of openNotebooks()) {
      const uuids = new Set<string>();
      for (const c of nb.getCells()) for (const u of uuidsOf(c)) if (!notStarted.has(u)) uuids.add(u);
      outputs += uuids.size;
    }
    const headless = handles.filter((h) => !h.panel && !h.ended).length;
    return { panels, outputs, headless, total: panels + outputs + headless };
  }
  const liveHandles = () => handles.filter((h) => !h.ended);
  const sessionIds = () => api.sessions.map((s) => s.id);
  const codeCells = (nb: vscode.NotebookDocument) => nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);

  function fail(step: number, what: string): never {
    const tail = log.slice(-15).join('\n      ');
    throw new Error(`${what}\n    seed ${SEED} (LIVEPLOT_STRESS_SEED=${SEED} LIVEPLOT_STRESS_STEPS=${step} reproduces), step ${step}; last operations:\n      ${tail}`);
  }

  /** Waits until the counts match the owners that exist, then checks the reconciliation. */
  async function checkInvariants(step: number): Promise<void> {
    const deadline = Date.now() + 8000;
    for (;;) {
      const o = owners();
      const d = api.diagnostics();
      if (d.sessions === o.total && d.timers === o.total) break;
      if (Date.now() > deadline) {
        fail(step, `counts do not match the owners: sessions ${d.sessions}, timers ${d.timers}; panels ${o.panels} + outputs ${o.outputs} + API handles ${o.headless} = ${o.total}`);
      }
      await sleep(10);
    }
    const reaped = api.reconcile();
    if (reaped.length) fail(step, `the reconciliation had to reap ${reaped.length} session(s): an event was missed`);
  }

  /**
   * Brings an open notebook's editor to the front the way a click on its tab
   * does. Not `vscode.open` / `window.showNotebookDocument` on a notebook that is
   * already open: in VS Code 1.139, a notebook opened again while open, then
   * closed and reopened, is never closed again (its document stays open, with
   * its outputs' sessions, after its last editor is gone).
   */
  async function showNotebook(nb: vscode.NotebookDocument): Promise<vscode.NotebookEditor> {
    for (const group of vscode.window.tabGroups.all) {
      const index = group.tabs.findIndex((t) => t.input instanceof vscode.TabInputNotebook && t.input.uri.toString() === nb.uri.toString());
      if (index < 0) continue;
      if (!group.isActive) await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
      await vscode.commands.executeCommand('workbench.action.openEditorAtIndex', index);
      break;
    }
    return waitFor('the notebook editor in front', () => {
      const e = vscode.window.activeNotebookEditor;
      return e && e.notebook.uri.toString() === nb.uri.toString() ? e : undefined;
    });
  }

  async function openNotebookFile(uri: vscode.Uri, selectKernel: boolean): Promise<vscode.NotebookDocument> {
    await vscode.commands.executeCommand('vscode.open', uri);
    const editor = await waitFor('the notebook editor', () => vscode.window.visibleNotebookEditors.find((e) => e.notebook.uri.toString() === uri.toString()));
    if (selectKernel) await vscode.commands.executeCommand('notebook.selectKernel', { editor, id: 'live-plot-controller', extension: EXTENSION_ID });
    return editor.notebook;
  }

  async function closeNotebook(nb: vscode.NotebookDocument): Promise<void> {
    if (nb.isDirty) await nb.save();
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputNotebook && t.input.uri.toString() === nb.uri.toString());
    await vscode.window.tabGroups.close(tabs);
    // Usually the document closes at once; if VS Code keeps it, its tab is gone all the same.
    await waitFor('the notebook tab to close', () => !notebookTabs().has(nb.uri.toString()));
  }

  const ops: Op[] = [
    {
      name: 'open panel (API)',
      weight: 3,
      run: async () => {
        const before = panelTabs().length;
        const handle = await api.openSession(spec());
        const h: Handle = { handle, panel: true, ended: false };
        handle.onDidDispose(() => (h.ended = true));
        handles.push(h);
        await waitFor('the panel tab', () => panelTabs().length > before || h.ended);
        return handle.id;
      },
    },
    {
      name: 'open panel (New Session command)',
      weight: 2,
      run: async () => {
        const before = panelTabs().length;
        const id = await vscode.commands.executeCommand<string>('livePlot.newSession', pick(['random', 'sine']), `C${++counter}`);
        await waitFor('the panel tab', () => panelTabs().length > before);
        return String(id);
      },
    },
    {
      name: 'open API session without a panel',
      weight: 2,
      run: async () => {
        const handle = await api.openSession({ ...spec(), source: { kind: pick(['random', 'sine', 'api']) } }, { show: false });
        const h: Handle = { handle, panel: false, ended: false };
        handle.onDidDispose(() => (h.ended = true));
        handles.push(h);
        return handle.id;
      },
    },
    {
      name: 'close a panel tab',
      weight: 4,
      when: () => panelTabs().length > 0,
      run: async () => {
        const tab = pick(panelTabs());
        await vscode.window.tabGroups.close(tab);
        return tab.label;
      },
    },
    {
      name: 'dispose an API handle',
      weight: 3,
      when: () => liveHandles().length > 0,
      run: async () => {
        const h = pick(liveHandles());
        h.handle.dispose();
        return `${h.handle.id}${h.panel ? ' (with panel)' : ''}`;
      },
    },
    {
      name: 'new notebook',
      weight: 1,
      when: () => openNotebooks().length < MAX_OPEN_NOTEBOOKS,
      run: async () => {
        const folder = vscode.workspace.workspaceFolders![0]!.uri;
        const uri = vscode.Uri.joinPath(folder, `stress-${SEED}-${notebookUris.length + 1}.liveplot`);
        const cells = [
          { kind: 'markdown', value: '# Stress' },
          ...Array.from({ length: int(2, 4) }, () => ({ kind: 'code', language: 'json', value: cellText() })),
        ];
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({ cells })));
        notebookUris.push(uri);
        await openNotebookFile(uri, true);
        return uri.path.slice(uri.path.lastIndexOf('/') + 1);
      },
    },
    {
      name: 'run a cell',
      weight: 5,
      when: () => openNotebooks().some((nb) => codeCells(nb).length > 0),
      run: async () => {
        const nb = pick(openNotebooks().filter((n) => codeCells(n).length > 0));
        const cell = pick(codeCells(nb));
        const before = uuidsOf(cell).join();
        await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: nb.uri });
        await waitFor('the new output', () => cell.index < 0 || nb.isClosed || (uuidsOf(cell).length > 0 && uuidsOf(cell).join() !== before), 10_000);
        return `cell ${cell.index} of ${nb.uri.path.slice(nb.uri.path.lastIndexOf('/') + 1)}`;
      },
    },
    {
      name: 'run all cells',
      weight: 1,
      when: () => openNotebooks().some((nb) => codeCells(nb).length > 0),
      run: async () => {
        const nb = pick(openNotebooks().filter((n) => codeCells(n).length > 0));
        const cells = codeCells(nb);
        const before = cells.map((c) => uuidsOf(c).join());
        await vscode.commands.executeCommand('notebook.cell.execute', { ranges: cells.map((c) => ({ start: c.index, end: c.index + 1 })), document: nb.uri });
        await waitFor('the new outputs', () => nb.isClosed || cells.every((c, i) => c.index < 0 || (uuidsOf(c).length > 0 && uuidsOf(c).join() !== before[i])), 10_000);
        return `${cells.length} cells`;
      },
    },
    {
      name: 'clear one output',
      weight: 2,
      when: () => openNotebooks().some((nb) => codeCells(nb).some((c) => c.outputs.length > 0)),
      run: async () => {
        const nb = pick(openNotebooks().filter((n) => codeCells(n).some((c) => c.outputs.length > 0)));
        const cell = pick(codeCells(nb).filter((c) => c.outputs.length > 0));
        const editor = await showNotebook(nb);
        editor.selections = [new vscode.NotebookRange(cell.index, cell.index + 1)];
        await vscode.commands.executeCommand('notebook.cell.clearOutputs');
        await waitFor('the output to be cleared', () => cell.outputs.length === 0 || cell.index < 0, 5000);
        return `cell ${cell.index} of ${nb.uri.path.slice(nb.uri.path.lastIndexOf('/') + 1)}`;
      },
    },
    {
      name: 'clear all outputs',
      weight: 1,
      when: () => openNotebooks().length > 0,
      run: async () => {
        const nb = pick(openNotebooks());
        await showNotebook(nb);
        await vscode.commands.executeCommand('notebook.clearAllCellsOutputs');
        await waitFor('the outputs to be cleared', () => nb.getCells().every((c) => c.outputs.length === 0), 5000);
        return nb.uri.path.slice(nb.uri.path.lastIndexOf('/') + 1);
      },
    },
    {
      name: 'delete a cell',
      weight: 2,
      when: () => openNotebooks().some((nb) => nb.cellCount > 1),
      run: async () => {
        const nb = pick(openNotebooks().filter((n) => n.cellCount > 1));
        const i = int(0, nb.cellCount - 1);
        const edit = new vscode.WorkspaceEdit();
        edit.set(nb.uri, [vscode.NotebookEdit.deleteCells(new vscode.NotebookRange(i, i + 1))]);
        assert.equal(await vscode.workspace.applyEdit(edit), true);
        return `cell ${i}`;
      },
    },
    {
      name: 'insert a cell',
      weight: 2,
      when: () => openNotebooks().length > 0,
      run: async () => {
        const nb = pick(openNotebooks());
        const i = int(0, nb.cellCount);
        const edit = new vscode.WorkspaceEdit();
        edit.set(nb.uri, [vscode.NotebookEdit.insertCells(i, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, cellText(), 'json')])]);
        assert.equal(await vscode.workspace.applyEdit(edit), true);
        return `at ${i}`;
      },
    },
    {
      name: 'undo',
      weight: 1,
      when: () => openNotebooks().length > 0,
      run: async () => {
        const nb = pick(openNotebooks());
        await showNotebook(nb);
        const before = new Set(nb.getCells().flatMap((c) => uuidsOf(c)));
        await vscode.commands.executeCommand('undo');
        // An undo (VS Code keeps a document's undo stack across close and reopen)
        // may bring back an output: one this window produced by running its cell
        // starts again; any other (from disk) waits for Start.
        await sleep(200);
        for (const u of nb.getCells().flatMap((c) => uuidsOf(c))) {
          if (before.has(u)) continue;
          if (ranHere.has(u)) notStarted.delete(u);
          else notStarted.add(u);
        }
        return nb.uri.path.slice(nb.uri.path.lastIndexOf('/') + 1);
      },
    },
    {
      name: 'close a notebook',
      weight: 1,
      when: () => openNotebooks().length > 0,
      run: async () => {
        const nb = pick(openNotebooks());
        await closeNotebook(nb);
        return nb.uri.path.slice(nb.uri.path.lastIndexOf('/') + 1);
      },
    },
    {
      // What a click on an open notebook in the Explorer does. In VS Code 1.139 this
      // makes the document outlive its editor later on (see notebookSessions.ts).
      name: 'open an open notebook again',
      weight: 1,
      when: () => openNotebooks().length > 0,
      run: async () => {
        const nb = pick(openNotebooks());
        await vscode.commands.executeCommand('vscode.open', nb.uri);
        return nb.uri.path.slice(nb.uri.path.lastIndexOf('/') + 1);
      },
    },
    {
      name: 'reopen a notebook',
      weight: 1.5,
      when: () => closedNotebooks().length > 0 && openNotebooks().length < MAX_OPEN_NOTEBOOKS,
      run: async () => {
        const uri = pick(closedNotebooks());
        const nb = await openNotebookFile(uri, false);
        // Opened from disk: its outputs wait for the user's Start.
        for (const c of nb.getCells()) for (const u of uuidsOf(c)) notStarted.add(u);
        return uri.path.slice(uri.path.lastIndexOf('/') + 1);
      },
    },
    {
      name: 'start notebook sessions',
      weight: 1.5,
      when: () => openNotebooks().some((nb) => pendingIn(nb).length > 0),
      run: async () => {
        const nb = pick(openNotebooks().filter((n) => pendingIn(n).length > 0));
        const pending = pendingIn(nb);
        const started = await vscode.commands.executeCommand<number>('livePlot.startNotebookSessions', nb.uri);
        for (const u of pending) notStarted.delete(u);
        return `${nb.uri.path.slice(nb.uri.path.lastIndexOf('/') + 1)}: ${started} started`;
      },
    },
    {
      name: 'pause or resume',
      weight: 2,
      when: () => api.sessions.length > 0,
      run: async () => {
        const id = pick(sessionIds());
        const cmd = rand() < 0.5 ? 'livePlot.pause' : 'livePlot.resume';
        await vscode.commands.executeCommand(cmd, id);
        return `${cmd} ${id}`;
      },
    },
    {
      name: 'change the period',
      weight: 1,
      when: () => api.sessions.length > 0,
      run: async () => {
        const id = pick(sessionIds());
        const v = pick([100, 250, 300, 750, 1000, 2000]);
        await vscode.commands.executeCommand('livePlot.setPeriod', id, v);
        return `${id} → ${v} ms`;
      },
    },
    {
      name: 'change the points',
      weight: 1,
      when: () => api.sessions.length > 0,
      run: async () => {
        const id = pick(sessionIds());
        const v = int(1, 500);
        await vscode.commands.executeCommand('livePlot.setPoints', id, v);
        return `${id} → ${v}`;
      },
    },
    {
      name: 'reload the webviews',
      weight: 0.5,
      when: () => reloadAvailable,
      run: async () => {
        await vscode.commands.executeCommand(RELOAD_WEBVIEWS);
        return '';
      },
    },
  ];
  const CLOSING = new Set(['close a panel tab', 'dispose an API handle', 'close a notebook', 'clear all outputs', 'clear one output', 'delete a cell']);

  function draw(): Op {
    const crowded = api.diagnostics().sessions >= SOFT_MAX_SESSIONS;
    const able = ops.filter((o) => (!o.when || o.when()) && (!crowded || CLOSING.has(o.name)));
    const total = able.reduce((a, o) => a + o.weight, 0);
    let r = rand() * total;
    for (const o of able) {
      r -= o.weight;
      if (r < 0) return o;
    }
    return able[able.length - 1]!;
  }

  before(async () => {
    api = await getApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('livePlot.closeAll');
    await expectDiagnostics(api, { sessions: 0, timers: 0 });
    reloadAvailable = (await vscode.commands.getCommands(true)).includes(RELOAD_WEBVIEWS);
    console.log(`[stress] seed ${SEED}, ${STEPS} steps (LIVEPLOT_STRESS_SEED=${SEED} reproduces); reload webviews: ${reloadAvailable ? 'yes' : 'no such command, skipped'}`);
  });

  after(async () => {
    for (const uri of notebookUris) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  it(`${STEPS} random operations: after each, sessions = owners and timers = sessions; at the end every count is 0`, async () => {
    const t0 = Date.now();
    const counts = new Map<string, { n: number; ms: number }>();
    for (let step = 1; step <= STEPS; step++) {
      const op = draw();
      const c = counts.get(op.name) ?? { n: 0, ms: 0 };
      counts.set(op.name, c);
      const s0 = Date.now();
      const uuidsBefore = op.name.startsWith('run ') ? allUuids() : undefined;
      let detail: string;
      try {
        detail = await op.run();
        if (uuidsBefore) for (const u of allUuids()) if (!uuidsBefore.has(u)) ranHere.add(u);
      } catch (e) {
        log.push(`${step}: ${op.name} FAILED`);
        fail(step, `operation "${op.name}" failed: ${(e as Error).stack ?? e}`);
      }
      log.push(`${step}: ${op.name} ${detail}`.trim());
      await checkInvariants(step);
      c.n++;
      c.ms += Date.now() - s0;
    }

    // Close everything the way a user would (no "Close All"): every count falls to 0.
    for (const h of liveHandles()) h.handle.dispose();
    for (const nb of openNotebooks()) if (nb.isDirty) await nb.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the stress notebook tabs to close', () => openNotebooks().length === 0);
    await checkInvariants(STEPS + 1);
    const d = await expectDiagnostics(api, { sessions: 0, timers: 0, views: 0, sockets: 0, processes: 0, watchers: 0 });
    assert.equal(d.reaped, 0, 'nothing was ever reaped');
    const summary = [...counts].sort((a, b) => b[1].ms - a[1].ms).map(([n, c]) => `${n} ×${c.n} (${(c.ms / 1000).toFixed(1)} s)`).join(', ');
    const kept = lingering().length;
    console.log(`[stress] seed ${SEED}: ${STEPS} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s — ${summary}${kept ? `; ${kept} notebook document(s) kept open by VS Code after their editors closed` : ''}`);
  });
});
