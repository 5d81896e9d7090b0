import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import { closeEverything, expectDiagnostics, getApi, waitFor } from './util';

describe('sources in the real extension host', () => {
  afterEach(async () => closeEverything(await getApi()));

  it('udp: Teleplot lines sent on loopback are recorded; the socket closes with the session', async () => {
    const api = await getApi();
    const port = 47000 + Math.floor(Math.random() * 900);
    const handle = await api.openSession({ title: 'UDP', source: { kind: 'udp', port, match: 'pump*' }, periodMs: 250, points: 100 }, { show: false });
    await expectDiagnostics(api, { sessions: 1, sockets: 1 });
    const sender = dgram.createSocket('udp4');
    try {
      for (let i = 0; i < 20; i++) {
        await new Promise<void>((r, j) => sender.send(`pump1:${i}\nother:1\nbad line\n`, port, '127.0.0.1', (e) => (e ? j(e) : r())));
      }
      const info = await waitFor('samples and malformed counts', () => {
        const s = api.sessions.find((x) => x.id === handle.id);
        return s && s.malformed >= 20 && s.samplesPerSecond > 0 ? s : undefined;
      });
      assert.equal(info.sourceKind, 'udp');
    } finally {
      sender.close();
    }
    handle.dispose();
    await expectDiagnostics(api, { sessions: 0, timers: 0, sockets: 0 });
  });

  it('api: push() records samples; the handle of another kind refuses push', async () => {
    const api = await getApi();
    const h = await api.openSession({ source: { kind: 'api' }, periodMs: 250 }, { show: false });
    assert.equal(h.push!({ temp: 21.5, rpm: 1200 }), 2);
    assert.equal(h.push!([{ name: 'temp', y: 'x' }]), 0, 'an invalid sample is counted, not thrown');
    await waitFor('malformed count', () => api.sessions.find((s) => s.id === h.id)?.malformed === 1);
    const r = await api.openSession({ source: { kind: 'random' } }, { show: false });
    assert.throws(() => r.push!({ a: 1 }), /kind is "api"/);
    h.dispose();
    r.dispose();
  });

  it('registerSource adds a kind; unknown kinds are refused listing the known ones', async () => {
    const api = await getApi();
    await assert.rejects(api.openSession({ source: { kind: 'mine' } }, { show: false }), /known: .*udp/);
    const reg = api.registerSource('mine', () => ({ mode: 'replace', endpoint: 'mine', start: (sink) => sink.frame([1, 2], [{ name: 'm', values: [3, 4] }]), dispose: () => undefined }));
    const h = await api.openSession({ source: { kind: 'mine' } }, { show: false });
    assert.equal(api.sessions.find((s) => s.id === h.id)?.endpoint, 'mine');
    h.dispose();
    reg.dispose();
    await assert.rejects(api.openSession({ source: { kind: 'mine' } }, { show: false }), /not a known source kind/);
  });
});
