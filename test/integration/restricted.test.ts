// Runs only in the window that scripts/run-integration.mjs --restricted opens:
// workspace trust on, the folder NOT trusted. Opening hostile notebooks starts
// nothing; Start runs only what restricted mode allows (no programs, files or
// URLs; UDP on loopback only); workspace settings cannot loosen the limits.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LivePlotApi } from '../../src/vscode/api';
import { Bait, makeBait, openInEditor, udpPortFree, workspaceFolder, writeHostileIpynb, writeHostileLiveplot } from './hostile';
import { closeEverything, expectDiagnostics, getApi, sleep, waitFor } from './util';

describe('restricted mode: an untrusted workspace', function () {
  this.timeout(90_000);
  let api: LivePlotApi;
  let bait: Bait;
  before(async () => {
    api = await getApi();
  });
  beforeEach(async () => {
    // The UDP output asks for every interface; restricted mode must keep it on loopback.
    bait = await makeBait('0.0.0.0');
  });
  afterEach(async () => {
    await closeEverything(api);
    await bait.close();
  });

  it('is really untrusted (else every other test here proves nothing)', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('hostile .liveplot and .ipynb outputs start nothing when opened', async () => {
    const specs = Object.values(bait.specs);
    await openInEditor(await writeHostileLiveplot(workspaceFolder(), specs));
    await openInEditor(await writeHostileIpynb(workspaceFolder(), specs));
    await sleep(1500);
    assert.equal(fs.existsSync(bait.marker), false);
    assert.equal(bait.hits(), 0);
    assert.equal(await udpPortFree(bait.udpPort, '127.0.0.1'), true);
    await expectDiagnostics(api, { sessions: 0, timers: 0, sockets: 0, processes: 0, watchers: 0 });
  });

  it('Start runs no program, reads no file, polls no URL; UDP listens on loopback only', async () => {
    const editor = await openInEditor(await writeHostileLiveplot(workspaceFolder(), Object.values(bait.specs)));
    const started = await vscode.commands.executeCommand<number>('livePlot.startNotebookSessions', editor.notebook.uri);
    assert.equal(started, 1, 'only the udp output starts');
    await expectDiagnostics(api, { sessions: 1, timers: 1, processes: 0, watchers: 0, sockets: 1 });
    await sleep(1000);
    assert.equal(fs.existsSync(bait.marker), false, 'the program did not run');
    assert.equal(bait.hits(), 0, 'the URL was not polled');
    const udp = api.sessions[0]!;
    assert.equal(udp.sourceKind, 'udp');
    assert.equal(await udpPortFree(bait.udpPort, '127.0.0.1'), false, 'bound on 127.0.0.1');
    assert.equal(await udpPortFree(bait.udpPort, '127.0.0.2'), true, 'not on every interface (0.0.0.0 would hold 127.0.0.2 too)');
  });

  it('workspace settings cannot lower livePlot.minPeriodMs or raise the limits', async () => {
    const folder = workspaceFolder();
    const settings = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
    await vscode.workspace.fs.writeFile(settings, new TextEncoder().encode(JSON.stringify({ 'livePlot.minPeriodMs': 1, 'livePlot.maxSessions': 10000, 'livePlot.udp.address': '0.0.0.0' })));
    try {
      await waitFor('the workspace setting to be read', () => vscode.workspace.getConfiguration('livePlot').inspect('minPeriodMs')?.workspaceValue === 1, 15_000).catch(() => undefined);
      const handle = await api.openSession({ title: 'fast', source: { kind: 'random' }, periodMs: 5 }, { show: false } as never);
      try {
        assert.equal(api.sessions.find((s) => s.id === handle.id)!.periodMs, 250, 'the period is clamped to the user-level minimum');
      } finally {
        handle.dispose();
      }
      assert.equal(vscode.workspace.getConfiguration('livePlot').get('udp.address'), '127.0.0.1');
    } finally {
      await vscode.workspace.fs.delete(settings);
    }
  });

  it("another extension's source kind that does not declare needsTrust: false is refused", async () => {
    const reg = api.registerSource('test.untrustedkind', () => ({ mode: 'append', endpoint: 'test', start() {}, dispose() {} }) as never);
    try {
      await assert.rejects(
        Promise.resolve().then(() => api.openSession({ source: { kind: 'test.untrustedkind' } }, { show: false } as never)),
        /trust/i,
      );
      await expectDiagnostics(api, { sessions: 0 });
    } finally {
      reg.dispose();
    }
  });
});
