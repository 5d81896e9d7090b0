// Export, y range and spec help, through the commands and the JSON language
// features of a real VS Code (code-server).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeEverything, expectDiagnostics, getApi, panelTabs, sleep, waitFor } from './util';

// Inside the workspace folder: a path given to the export commands is used
// without a dialog only there (issue 12).
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.tmpdir(), '.liveplot-export-')));

function labels(list: vscode.CompletionList | undefined): string[] {
  return (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

/** Completions at `offset` in a cell, once the JSON language server answers. */
async function completionsAt(doc: vscode.TextDocument, offset: number, expect: string): Promise<string[]> {
  let got: string[] = [];
  await waitFor(`completion "${expect}" (got ${JSON.stringify(got)})`, async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(offset));
    got = labels(list);
    return got.some((l) => l.replace(/"/g, '') === expect);
  }, 30_000);
  return got.map((l) => l.replace(/"/g, ''));
}

describe('export, y range and spec help', () => {
  afterEach(async () => closeEverything(await getApi()));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('exportCsv with a target path writes the window: header row, x then each series', async () => {
    const api = await getApi();
    const h = await api.openSession({ title: 'CSV me', source: { kind: 'sine', waves: 2, sampleRateHz: 20 }, periodMs: 250, points: 40 }, { show: false });
    await waitFor('a full window', () => (api.sessions[0]?.points ?? 0) > 0 && (api.diagnostics().sessions === 1));
    await sleep(2500);
    const file = path.join(tmp, 'sine.csv');
    const written = await vscode.commands.executeCommand<string>('livePlot.exportCsv', h.id, file);
    assert.equal(vscode.Uri.parse(written).fsPath, file);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'time_ms,time,sine1,sine2');
    assert.equal(lines.length, 41, 'a header and the 40 points of the window');
    for (const l of lines.slice(1)) {
      const [t, iso, a, b] = l.split(',');
      assert.ok(Number(t) > 1e12, l);
      assert.equal(new Date(Number(t)).toISOString(), iso);
      assert.ok(Math.abs(Number(a)) <= 1 && Math.abs(Number(b)) <= 1, l);
    }
    h.dispose();
  });

  it('exportCsv of a time window keeps only its last N seconds', async () => {
    const api = await getApi();
    const h = await api.openSession({ source: { kind: 'sine', waves: 1, sampleRateHz: 20 }, periodMs: 250, points: 1000, windowSeconds: 1 }, { show: false });
    assert.equal(api.sessions[0]!.windowSeconds, 1);
    await sleep(3000);
    const file = path.join(tmp, 'window.csv');
    await vscode.commands.executeCommand('livePlot.exportCsv', h.id, file);
    const rows = fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
    assert.ok(rows.length >= 15 && rows.length <= 25, `about 1 s at 20 samples/s, got ${rows.length}`);
    assert.ok(rows[rows.length - 1]! - rows[0]! <= 1000);
    h.dispose();
  });

  it('exportPng asks the visible view to render; the file is a PNG', async () => {
    const api = await getApi();
    const h = await api.openSession({ title: 'PNG me', source: { kind: 'random' }, periodMs: 250 });
    await waitFor('a panel tab', () => panelTabs().length === 1);
    await expectDiagnostics(api, { sessions: 1, views: 1 });
    await sleep(1000); // a first frame drawn
    const file = path.join(tmp, 'chart.png');
    const written = await vscode.commands.executeCommand<string>('livePlot.exportPng', h.id, file);
    assert.equal(vscode.Uri.parse(written).fsPath, file);
    const bytes = fs.readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(bytes.length > 2000, `a real picture (${bytes.length} bytes)`);
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    assert.ok(width >= 200 && height >= 150, `${width}×${height}`);
    h.dispose();
  });

  it('exportPng of a session with no visible view writes nothing (and says so)', async () => {
    const api = await getApi();
    const h = await api.openSession({ source: { kind: 'random' } }, { show: false });
    const file = path.join(tmp, 'none.png');
    const written = await vscode.commands.executeCommand<string | undefined>('livePlot.exportPng', h.id, file);
    assert.equal(written, undefined);
    assert.equal(fs.existsSync(file), false);
    h.dispose();
  });

  it('setYRange sets a fixed range and back to auto; an invalid one changes nothing', async () => {
    const api = await getApi();
    const h = await api.openSession({ source: { kind: 'random' }, yRange: [-1, 2] }, { show: false });
    assert.deepEqual(api.sessions[0]!.yRange, [-1, 2]);
    assert.deepEqual(await vscode.commands.executeCommand('livePlot.setYRange', h.id, [0, 10]), [0, 10]);
    assert.deepEqual(api.sessions[0]!.yRange, [0, 10]);
    await vscode.commands.executeCommand('livePlot.setYRange', h.id, [5, 1]); // refused with a message
    assert.deepEqual(api.sessions[0]!.yRange, [0, 10]);
    await vscode.commands.executeCommand('livePlot.setYRange', h.id, 'auto');
    assert.equal(api.sessions[0]!.yRange, 'auto');
    await assert.rejects(api.openSession({ source: { kind: 'random' }, yRange: [3, 3] }, { show: false }), /"yRange"/);
    await assert.rejects(api.openSession({ source: { kind: 'random' }, windowSeconds: -1 }, { show: false }), /"windowSeconds"/);
    h.dispose();
  });

  it('the JSON schema validates and completes specs in .liveplot cells', async function () {
    this.timeout(60_000);
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const uri = vscode.Uri.joinPath(folder, `schema-${Date.now()}.liveplot`);
    const bad = '{ "source": { "kind": "sine", "wavs": 3 }, "points": "many", "yRange": [1] }';
    const kinds = '{ "source": { "kind": "" } }';
    const udp = '{ "source": { "kind": "udp",  } }';
    const cells = [bad, kinds, udp].map((value) => ({ kind: 'code', language: 'json', value }));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({ cells })));
    await vscode.commands.executeCommand('vscode.open', uri);
    const editor = await waitFor('the notebook editor', () => vscode.window.visibleNotebookEditors.find((e) => e.notebook.uri.toString() === uri.toString()));
    const [badDoc, kindsDoc, udpDoc] = editor.notebook.getCells().map((c) => c.document);

    const messages = await waitFor('schema diagnostics', () => {
      const d = vscode.languages.getDiagnostics(badDoc!.uri).map((x) => x.message);
      return d.length >= 3 ? d : undefined;
    }, 30_000);
    assert.ok(messages.some((m) => /wavs/.test(m)), JSON.stringify(messages));
    assert.ok(messages.some((m) => /integer/i.test(m)), JSON.stringify(messages));

    const top = await completionsAt(badDoc!, 1, 'periodMs');
    for (const f of ['title', 'periodMs', 'windowSeconds']) assert.ok(top.includes(f), `${f} in ${JSON.stringify(top)}`);
    assert.ok(!top.includes('session'), 'payload-only fields are not suggested');

    const k = await completionsAt(kindsDoc!, kinds.indexOf('""') + 1, 'udp');
    for (const kind of ['random', 'sine', 'udp', 'command', 'file', 'http', 'api']) assert.ok(k.includes(kind), `${kind} in ${JSON.stringify(k)}`);

    const opts = await completionsAt(udpDoc!, udp.indexOf(',  ') + 2, 'port');
    for (const o of ['address', 'port', 'match']) assert.ok(opts.includes(o), `${o} in ${JSON.stringify(opts)}`);
    await vscode.workspace.fs.delete(uri);
  });
});
