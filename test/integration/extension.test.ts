import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, SETTING_KEYS } from '../../src/vscode/ids';
import { closeEverything, EXTENSION_ID, expectDiagnostics, getApi, panelTabs, waitFor } from './util';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('extension', () => {
  afterEach(async () => closeEverything(await getApi()));

  it('activates and returns the API', async () => {
    const api = await getApi();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)!.isActive, true);
    for (const k of ['openSession', 'registerSource', 'diagnostics', 'onDidCreateSession', 'onDidDisposeSession'] as const) {
      assert.equal(typeof api[k], 'function', k);
    }
    assert.deepEqual(api.sessions, []);
  });

  it('registers every command in package.json, and every livePlot command is in package.json', async () => {
    await getApi();
    const declared = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));
    const registered = new Set((await vscode.commands.getCommands(true)).filter((c) => c.startsWith('livePlot.') && !c.startsWith('livePlot.sessions.')));
    // (livePlot.sessions.* are the commands VS Code generates for every contributed view.)
    assert.deepEqual([...registered].sort(), [...declared].sort());
    assert.deepEqual(Object.values(Commands).sort(), [...declared].sort(), 'typed ids match the manifest');
  });

  it('declares every typed setting in package.json', () => {
    const declared = Object.keys(manifest.contributes.configuration.properties).map((k) => k.replace(/^livePlot\./, ''));
    assert.deepEqual([...SETTING_KEYS].sort(), declared.sort());
  });

  it('opens a session through the API in a panel; closing the panel tab ends it', async () => {
    const api = await getApi();
    const created: string[] = [];
    const sub = api.onDidCreateSession((s) => created.push(s.id));
    const handle = await api.openSession({ title: 'API plot', source: { kind: 'random' }, periodMs: 250, points: 50 });
    sub.dispose();
    assert.deepEqual(created, [handle.id]);
    assert.equal(api.sessions[0]?.title, 'API plot');
    await waitFor('a panel tab', () => panelTabs().length === 1);
    // The page attaches a view and data flows to it.
    await expectDiagnostics(api, { sessions: 1, timers: 1, views: 1 });
    const reason = new Promise((r) => handle.onDidDispose(r));
    await vscode.window.tabGroups.close(panelTabs()[0]!);
    assert.equal(await reason, 'panel-closed');
    await expectDiagnostics(api, { sessions: 0, timers: 0, views: 0 });
  });

  it('disposing an API handle ends its session and closes its panel', async () => {
    const api = await getApi();
    const handle = await api.openSession({ source: { kind: 'sine' } });
    await waitFor('a panel tab', () => panelTabs().length === 1);
    const reasons: string[] = [];
    api.onDidDisposeSession((e) => reasons.push(e.reason));
    handle.dispose();
    assert.deepEqual(reasons, ['api-disposed']);
    assert.equal(api.diagnostics().timers, 0, 'timer cleared synchronously');
    await waitFor('the panel to close', () => panelTabs().length === 0);
  });

  it('opens a session by command; Close All ends it and closes the panel', async () => {
    const api = await getApi();
    const id = await vscode.commands.executeCommand<string>('livePlot.newSession', 'random', 'From command');
    assert.equal(typeof id, 'string');
    assert.equal(api.sessions.find((s) => s.id === id)?.title, 'From command');
    await expectDiagnostics(api, { sessions: 1, timers: 1, views: 1 });
    const n = await vscode.commands.executeCommand<number>('livePlot.closeAll');
    assert.equal(n, 1);
    await expectDiagnostics(api, { sessions: 0, timers: 0, views: 0 });
    await waitFor('the panel to close', () => panelTabs().length === 0);
  });

  it('refuses an invalid spec with a message naming the field, opening nothing', async () => {
    const api = await getApi();
    await assert.rejects(api.openSession({ source: { kind: 'random' }, points: -3 } as never), /"points"/);
    await assert.rejects(api.openSession({ source: { kind: 'bogus' } }), /"source\.kind".*known: .*random/);
    assert.equal(panelTabs().length, 0);
    assert.equal(api.diagnostics().sessions, 0);
  });

  it('pause, period and points commands act on a session', async () => {
    const api = await getApi();
    const handle = await api.openSession({ source: { kind: 'random' } }, { show: false });
    await vscode.commands.executeCommand('livePlot.pause', handle.id);
    assert.equal(api.sessions[0]!.state, 'paused');
    await vscode.commands.executeCommand('livePlot.resume', handle.id);
    assert.equal(api.sessions[0]!.state, 'running');
    await vscode.commands.executeCommand('livePlot.setPeriod', handle.id, 500);
    assert.equal(api.sessions[0]!.periodMs, 500);
    await vscode.commands.executeCommand('livePlot.setPeriod', handle.id, 1);
    assert.equal(api.sessions[0]!.periodMs, 250, 'clamped to livePlot.minPeriodMs');
    await vscode.commands.executeCommand('livePlot.setPoints', handle.id, 321);
    assert.equal(api.sessions[0]!.points, 321);
    const info = await vscode.commands.executeCommand<string>('livePlot.showInfo');
    assert.match(info, /1 live session/);
    assert.match(info, /source random/);
    handle.dispose();
    await expectDiagnostics(api, { sessions: 0, timers: 0 });
  });

  it('enforces livePlot.maxSessions with a clear message', async () => {
    const api = await getApi();
    const config = vscode.workspace.getConfiguration('livePlot');
    await config.update('maxSessions', 2, vscode.ConfigurationTarget.Global);
    try {
      const a = await api.openSession({ source: { kind: 'random' } }, { show: false });
      const b = await api.openSession({ source: { kind: 'random' } }, { show: false });
      await assert.rejects(api.openSession({ source: { kind: 'random' } }, { show: false }), /maximum of 2 sessions.*livePlot\.maxSessions/);
      assert.equal(api.diagnostics().sessions, 2);
      a.dispose();
      b.dispose();
    } finally {
      await config.update('maxSessions', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('the reconciliation finds nothing to reap when events did their job', async () => {
    const api = await getApi();
    const h = await api.openSession({ source: { kind: 'random' } });
    await waitFor('a panel tab', () => panelTabs().length === 1);
    assert.deepEqual(api.reconcile(), []);
    h.dispose();
    assert.equal(api.diagnostics().reaped, 0);
  });
});
