import { strict as assert } from 'node:assert';
import * as dgram from 'node:dgram';
import { describe, it } from 'node:test';
import { createBuiltinRegistry } from '../../src/core/sources/registry';
import { UDP_RETRY_MS, UdpHub, udpSourceFactory } from '../../src/core/sources/udp';
import { makeManager, TestOwner } from './helpers/fixtures';
import { freeUdpPort, realContext, RecordingSink, udpSender, waitFor } from '../helpers-sources/util';

async function setup() {
  const port = await freeUdpPort();
  const logs: string[] = [];
  const registry = createBuiltinRegistry({ udp: () => ({ address: '127.0.0.1', port }), log: (l) => logs.push(l) });
  const m = makeManager({ registry });
  const sender = await udpSender();
  return { port, ...m, sender, hubLog: logs };
}

/** Sends a probe until the session sees it: the socket binds asynchronously. */
async function untilListening(send: () => Promise<void>, seen: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!seen()) {
    if (Date.now() > deadline) throw new Error('the UDP socket never received the probe');
    await send();
    await new Promise((r) => setTimeout(r, 10));
  }
}

function seriesValues(snap: { series: readonly string[]; y: readonly Float64Array[] }, name: string): number[] {
  const i = snap.series.indexOf(name);
  return i < 0 ? [] : Array.from(snap.y[i]!).filter((v) => !Number.isNaN(v));
}

describe('udp source (real sockets on 127.0.0.1)', () => {
  it('plots Teleplot lines from a real sender; one socket while live, none after dispose', async () => {
    const { port, manager, sender, clock } = await setup();
    try {
      const s = manager.create({ source: { kind: 'udp' }, points: 1000 }, new TestOwner());
      assert.equal(manager.diagnostics().sockets, 1);
      await untilListening(() => sender.send(port, 'probe:0'), () => s.snapshot().series.includes('probe'));
      await sender.send(port, 'temp:21.5\nrpm:1627551892437:900;1627551892438:901|g\r\n>volt§V:3.3\nbad line\nx:NaN\nmsg:hello|t');
      await waitFor(() => s.snapshot().series.includes('volt') && s.info().malformed === 2, 'the packet');
      const snap = s.snapshot();
      assert.deepEqual(seriesValues(snap, 'temp'), [21.5]);
      assert.deepEqual(seriesValues(snap, 'rpm'), [900, 901]);
      assert.deepEqual(seriesValues(snap, 'volt'), [3.3]);
      assert.ok(snap.x.includes(1627551892437), 'timestamps are x');
      assert.ok(snap.x.includes(clock.now()), 'arrival time (session clock) is x otherwise');
      assert.equal(s.info().malformed, 2, 'bad line and NaN counted; text telemetry skipped, not malformed');
      assert.match(s.info().endpoint, /UDP 127\.0\.0\.1:\d+/);
      s.dispose('user-closed');
      assert.equal(manager.diagnostics().sockets, 0);
    } finally {
      manager.dispose();
      await sender.close();
    }
    assert.equal(manager.diagnostics().sockets, 0);
  });

  it('two sessions share one socket and pick series by match glob', async () => {
    const { port, manager, sender } = await setup();
    try {
      const pumps = manager.create({ source: { kind: 'udp', match: 'pump*' }, points: 1000 }, new TestOwner());
      const temps = manager.create({ source: { kind: 'udp', match: ['temp?', 'probe'] }, points: 1000 }, new TestOwner());
      assert.equal(manager.diagnostics().sockets, 1, 'one shared socket');
      await untilListening(() => sender.send(port, 'probe:0'), () => temps.snapshot().series.includes('probe'));
      await sender.send(port, 'pump1:1\npump2:2\ntemp1:10\ntemp12:11\nother:5');
      await waitFor(() => pumps.snapshot().series.length === 2 && temps.snapshot().series.includes('temp1'), 'routing');
      assert.deepEqual([...pumps.snapshot().series].sort(), ['pump1', 'pump2']);
      assert.deepEqual([...temps.snapshot().series].sort(), ['probe', 'temp1']);

      pumps.dispose('user-closed');
      assert.equal(manager.diagnostics().sockets, 1, 'still open for the other session');
      await sender.send(port, 'temp2:7');
      await waitFor(() => temps.snapshot().series.includes('temp2'), 'the remaining session still receives');
      temps.dispose('user-closed');
      assert.equal(manager.diagnostics().sockets, 0, 'closed with the last session');
    } finally {
      manager.dispose();
      await sender.close();
    }
  });

  it('sessions on different ports get different sockets; spec address/port override the settings', async () => {
    const { port, manager, sender } = await setup();
    const other = await freeUdpPort();
    try {
      const a = manager.create({ source: { kind: 'udp' } }, new TestOwner());
      const b = manager.create({ source: { kind: 'udp', address: '127.0.0.1', port: other } }, new TestOwner());
      assert.equal(manager.diagnostics().sockets, 2);
      await untilListening(() => sender.send(other, 'onb:1'), () => b.snapshot().series.includes('onb'));
      await untilListening(() => sender.send(port, 'ona:1'), () => a.snapshot().series.includes('ona'));
      assert.deepEqual(a.snapshot().series, ['ona']);
      assert.deepEqual(b.snapshot().series, ['onb']);
    } finally {
      manager.dispose();
      await sender.close();
    }
    assert.equal(manager.diagnostics().sockets, 0);
  });

  it('a busy port is an error on the session (no crash, no socket counted); it recovers when the port is free', async () => {
    const { port, manager, sender, clock } = await setup();
    const squatter = dgram.createSocket('udp4');
    await new Promise<void>((r) => squatter.bind(port, '127.0.0.1', () => r()));
    let squatterOpen = true;
    try {
      const s = manager.create({ source: { kind: 'udp' } }, new TestOwner());
      await waitFor(() => s.state === 'error', 'the bind error');
      assert.match(s.info().status ?? '', new RegExp(`^UDP port ${port} on 127\\.0\\.0\\.1 is busy: `));
      assert.equal(manager.diagnostics().sockets, 0, 'the failed socket is closed and not counted');

      // A second session on the same port sees the same error at once.
      const s2 = manager.create({ source: { kind: 'udp', match: 'x*' } }, new TestOwner());
      await waitFor(() => s2.state === 'error', 'the error on the second session');

      await new Promise<void>((r) => squatter.close(() => r()));
      squatterOpen = false;
      clock.advance(UDP_RETRY_MS); // the ticks retry the bind
      await waitFor(() => s.state === 'running' && s2.state === 'running', 'recovery after the port was freed');
      assert.equal(manager.diagnostics().sockets, 1);
      await untilListening(() => sender.send(port, 'x1:1'), () => s2.snapshot().series.includes('x1'));
      s.dispose('user-closed');
      s2.dispose('user-closed');
      assert.equal(manager.diagnostics().sockets, 0);
    } finally {
      if (squatterOpen) squatter.close();
      manager.dispose();
      await sender.close();
    }
  });

  it('an address that is not this machine is a clear error', async () => {
    const ctx = realContext();
    const hub = new UdpHub();
    const src = udpSourceFactory(hub)({ kind: 'udp', address: '192.0.2.1', port: 47269 }, ctx);
    const sink = new RecordingSink();
    src.start(sink);
    await waitFor(() => sink.lastError !== undefined, 'the bind error');
    assert.match(sink.lastError!, /UDP address 192\.0\.2\.1 is not an address of this machine/);
    assert.equal(ctx.resources.sockets, 0);
    src.dispose();
    assert.equal(ctx.resources.sockets, 0);
  });

  it('every line sent at a sustainable rate is received and plotted (20,000 lines, 200 packets)', async () => {
    const port = await freeUdpPort();
    const ctx = realContext();
    const hub = new UdpHub();
    const src = udpSourceFactory(hub, () => ({ address: '127.0.0.1', port }))({ kind: 'udp' }, ctx);
    const sink = new RecordingSink();
    src.start(sink);
    const sender = await udpSender();
    try {
      await untilListening(() => sender.send(port, 'probe:0'), () => sink.samples.length > 0);
      sink.samples.length = 0;
      const packets = 200;
      const perPacket = 100;
      for (let p = 0; p < packets; p++) {
        const lines: string[] = [];
        for (let i = 0; i < perPacket; i++) lines.push(`s${i % 4}:${p * perPacket + i}`);
        await sender.send(port, lines.join('\n'));
        if (p % 20 === 19) await new Promise((r) => setImmediate(r));
      }
      await waitFor(() => sink.samples.filter((s) => s.name !== 'probe').length >= packets * perPacket, 'all lines');
      const got = sink.samples.filter((s) => s.name !== 'probe').map((s) => s.y).sort((a, b) => a - b);
      assert.equal(got.length, packets * perPacket);
      assert.ok(got.every((v, i) => v === i), 'each line exactly once');
      assert.equal(sink.malformedCount, 0);
    } finally {
      src.dispose();
      await sender.close();
    }
    assert.equal(ctx.resources.sockets, 0);
  });

  it('validates options: port range, unknown options, match type', () => {
    const f = udpSourceFactory(new UdpHub());
    const ctx = realContext();
    assert.throws(() => f({ kind: 'udp', port: 0 }, ctx), /source\.port must be a whole number from 1 to 65535/);
    assert.throws(() => f({ kind: 'udp', port: 70000 }, ctx), /source\.port/);
    assert.throws(() => f({ kind: 'udp', prot: 1 }, ctx), /source\.prot is not an option of the udp source/);
    assert.throws(() => f({ kind: 'udp', match: 5 }, ctx), /source\.match/);
    // Creating (and disposing) a source opens nothing.
    f({ kind: 'udp' }, ctx).dispose();
    assert.equal(ctx.resources.sockets, 0);
  });
});

describe('udp source in an untrusted workspace (issue 12)', () => {
  /** Binds a probe socket; resolves with the error code, or undefined if it bound (then closed). */
  async function tryBind(address: string, port: number): Promise<string | undefined> {
    const s = dgram.createSocket('udp4');
    const code = await new Promise<string | undefined>((resolve) => {
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      s.bind(port, address, () => resolve(undefined));
    });
    await new Promise<void>((r) => s.close(() => r()));
    return code;
  }

  it('binds 127.0.0.1 whatever address the spec asks for, and says so in the status and the log', async () => {
    const port = await freeUdpPort();
    const hub = new UdpHub();
    const ctx = realContext({ workspaceTrusted: false });
    const src = udpSourceFactory(hub)({ kind: 'udp', address: '0.0.0.0', port }, ctx);
    const sink = new RecordingSink();
    const sender = await udpSender();
    try {
      src.start(sink);
      const msg = 'restricted mode: listening on 127.0.0.1 only, not on 0.0.0.0 as the spec asks (trust this workspace to listen on other addresses)';
      assert.equal(sink.lastStatus, msg);
      assert.ok(sink.logs.includes(msg));
      assert.match(src.endpoint, new RegExp(`^UDP 127\\.0\\.0\\.1:${port}$`));
      await untilListening(() => sender.send(port, 'probe:1'), () => sink.samples.length > 0);
      if (process.platform === 'linux') {
        // 127.0.0.2 is loopback too on Linux: free unless the source took the wildcard address.
        assert.equal(await tryBind('127.0.0.2', port), undefined, 'the source did not bind 0.0.0.0');
        assert.equal(await tryBind('0.0.0.0', port), 'EADDRINUSE', 'the probe itself can see a conflicting bind');
      }
    } finally {
      src.dispose();
      await sender.close();
    }
    assert.equal(ctx.resources.sockets, 0);
  });

  it('a loopback address in the spec is kept; trusted workspaces keep any address', () => {
    const hub = new UdpHub();
    const untrusted = realContext({ workspaceTrusted: false });
    assert.match(udpSourceFactory(hub)({ kind: 'udp', address: '127.0.0.5', port: 47001 }, untrusted).endpoint, /^UDP 127\.0\.0\.5:47001$/);
    assert.match(udpSourceFactory(hub)({ kind: 'udp', address: '::1', port: 47001 }, untrusted).endpoint, /^UDP ::1:47001$/);
    assert.match(udpSourceFactory(hub)({ kind: 'udp', address: '192.168.1.7', port: 47001 }, untrusted).endpoint, /^UDP 127\.0\.0\.1:47001$/);
    assert.match(udpSourceFactory(hub)({ kind: 'udp', address: '0.0.0.0', port: 47001 }, realContext()).endpoint, /^UDP 0\.0\.0\.0:47001$/);
    // The settings' address (the user's own) is kept: VS Code already ignores it from an untrusted workspace.
    assert.match(udpSourceFactory(hub, () => ({ address: '0.0.0.0', port: 47002 }))({ kind: 'udp' }, untrusted).endpoint, /^UDP 0\.0\.0\.0:47002$/);
  });
});
