// Limits in the real extension host (issue 6): a clear message, nothing lost.
// The limits themselves are unit-tested in test/unit/limits.test.ts.
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as vscode from 'vscode';
import type { LivePlotApi } from '../../src/vscode/api';
import { closeEverything, expectDiagnostics, getApi, waitFor } from './util';

describe('limits in the real extension host', () => {
  let api: LivePlotApi;
  before(async () => {
    api = await getApi();
  });
  afterEach(async () => closeEverything(api));

  it('livePlot.maxSessions: the next session is refused naming the setting; the others keep running', async () => {
    const config = vscode.workspace.getConfiguration('livePlot');
    await config.update('maxSessions', 2, vscode.ConfigurationTarget.Workspace);
    try {
      const a = await api.openSession({ source: { kind: 'sine' }, periodMs: 250 }, { show: false });
      await api.openSession({ source: { kind: 'random' }, periodMs: 250 }, { show: false });
      await assert.rejects(api.openSession({ source: { kind: 'random' } }, { show: false }), /maximum of 2 sessions is reached \(setting livePlot\.maxSessions\)/);
      // The command shows the error itself, and opens nothing.
      assert.equal(await vscode.commands.executeCommand('livePlot.newSession', 'random', 'Too many'), undefined);
      await expectDiagnostics(api, { sessions: 2, timers: 2 });
      await waitFor('the first session to keep running', () => api.sessions.find((s) => s.id === a.id && s.state === 'running' && s.rate > 0));
    } finally {
      await config.update('maxSessions', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('UDP: a packet with a line over 4096 characters keeps its good lines; the long one is counted', async () => {
    const port = 47000 + Math.floor(Math.random() * 900);
    const h = await api.openSession({ source: { kind: 'udp', port }, periodMs: 250 }, { show: false });
    await expectDiagnostics(api, { sockets: 1 });
    const sender = dgram.createSocket('udp4');
    try {
      const packet = ['a:1', `b:${'9'.repeat(5000)}`, 'a:2', 'c:3'].join('\n');
      await new Promise<void>((r, j) => sender.send(packet, port, '127.0.0.1', (e) => (e ? j(e) : r())));
      const s = await waitFor('the packet', () => api.sessions.find((x) => x.id === h.id && x.malformed === 1 && x.samplesPerSecond > 0));
      assert.equal(s.state, 'running');
    } finally {
      sender.close();
    }
  });
});
