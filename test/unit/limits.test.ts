// Limits (issue 6): each one, when exceeded, gives a clear message and loses
// nothing already recorded; memory stays bounded by the window.
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ColumnRing, MAX_SERIES } from '../../src/core/ringBuffer';
import { HEADROOM_SECONDS, MAX_HEADROOM_BYTES } from '../../src/core/session';
import { LimitError } from '../../src/core/sessionManager';
import type { Source, SourceSink } from '../../src/core/source';
import { ApiSource } from '../../src/core/sources/api';
import { FileSource, fileSourceFactory } from '../../src/core/sources/file';
import { HTTP_MAX_BODY_BYTES } from '../../src/core/sources/http';
import { MAX_LINE_LENGTH, TeleplotParser } from '../../src/core/parsers/teleplot';
import { makeManager, TestOwner } from './helpers/fixtures';
import { realContext, RecordingSink, waitFor } from '../helpers-sources/util';
import { prng as rng } from '../helpers/random';

describe('limit: window points (memory stays bounded)', () => {
  it('a ring buffer never grows past its window, whatever is pushed, and keeps exactly the newest rows', () => {
    const rand = rng(6);
    for (const capacity of [1, 2, 7, 100, 1000]) {
      const ring = new ColumnRing(capacity);
      const names = ['a', 'b', 'c'];
      for (const n of names) ring.series(n);
      const bytes = ring.byteLength;
      assert.equal(bytes, capacity * 8 * 4);
      const pushed: number[] = [];
      for (let i = 0; i < capacity * 10 + 3; i++) {
        // Distinct x per row so that every push appends (the worst case for growth).
        ring.push(names[Math.floor(rand() * 3)]!, i, i);
        pushed.push(i);
        assert.ok(ring.length <= capacity, `length ${ring.length} > window ${capacity}`);
        assert.equal(ring.byteLength, bytes, 'no allocation past the window');
      }
      const snap = ring.snapshot();
      assert.equal(snap.x.length, capacity);
      assert.deepEqual([...snap.x], pushed.slice(-capacity), 'the newest rows, in order');
      // A frame bigger than the window is cut to its newest part.
      const big = Float64Array.from({ length: capacity * 5 }, (_, i) => i);
      ring.replace(big, [{ name: 'a', values: big }]);
      assert.equal(ring.length, capacity);
      assert.equal(ring.snapshot().x[capacity - 1], capacity * 5 - 1);
      assert.equal(ring.byteLength, bytes);
    }
  });

  it('a session pushed 100,000 samples keeps its window, and its buffer stops growing at headroom for the rate', () => {
    const { manager, clock } = makeManager();
    const s = manager.create({ source: { kind: 'api' }, points: 200, periodMs: 250 }, new TestOwner('api'));
    const src = s.source as ApiSource;
    src.push({ temp: 0, rpm: 0 });
    clock.advance(250);
    const start = s.bufferBytes;
    assert.equal(start, (200 + 200) * 8 * 3, 'window + headroom of one window, x + 2 series');
    let bytes = 0;
    for (let i = 1; i <= 100_000; i++) {
      src.push([{ name: 'temp', x: i, y: i }, { name: 'rpm', x: i, y: -i }]);
      if (i % 5000 === 0) {
        clock.advance(250);
        if (i === 5000) {
          bytes = s.bufferBytes;
          // 5,000 rows a period of 250 ms: headroom for HEADROOM_SECONDS at that rate.
          assert.equal(bytes, (200 + Math.ceil(20_000 * HEADROOM_SECONDS)) * 8 * 3);
        }
        assert.equal(s.bufferBytes, bytes, 'a steady rate: the buffer does not grow again');
      }
    }
    // A burst far beyond: growth stops at MAX_HEADROOM_BYTES.
    for (let k = 0; k < 5; k++) {
      src.push({ x: Float64Array.from({ length: 2_000_000 }, (_, j) => 200_000 + k * 2_000_000 + j), y: { temp: new Float64Array(2_000_000), rpm: new Float64Array(2_000_000) } });
      clock.advance(250);
    }
    assert.ok(s.bufferBytes <= 200 * 8 * 3 + MAX_HEADROOM_BYTES, `${s.bufferBytes} bytes`);
    assert.equal(s.snapshot().x.length, 200);
    s.dispose();
  });

  it('the window stays exact after the headroom grew', () => {
    const { manager, clock } = makeManager();
    const s = manager.create({ source: { kind: 'api' }, points: 200, periodMs: 250 }, new TestOwner('api'));
    const src = s.source as ApiSource;
    for (let i = 1; i <= 100_000; i++) {
      src.push([{ name: 'temp', x: i, y: i }, { name: 'rpm', x: i, y: -i }]);
      if (i % 5000 === 0) clock.advance(250);
    }
    const snap = s.snapshot();
    assert.equal(snap.x.length, 200);
    assert.equal(snap.x[199], 100_000);
    assert.equal(snap.y[snap.series.indexOf('temp')]![199], 100_000);
    assert.equal(snap.y[snap.series.indexOf('rpm')]![0], -(100_000 - 199));
    s.dispose();
  });

  it('a window above livePlot.maxPoints is refused with a message naming the setting; the data stays', () => {
    const { manager, clock } = makeManager({ limits: { maxPoints: 500 } });
    assert.throws(() => manager.create({ source: { kind: 'random' }, points: 501 }, new TestOwner()), /"points" must be between 1 and 500 \(livePlot\.maxPoints\), got 501/);
    const s = manager.create({ source: { kind: 'random' }, points: 300 }, new TestOwner());
    clock.advance(1000);
    const before = s.snapshot();
    assert.throws(() => s.setPoints(10_000), /livePlot\.maxPoints/);
    clock.advance(1000);
    assert.equal(s.points, 300);
    assert.equal(s.snapshot().x.length, before.x.length, 'the window is unchanged');
    assert.equal(s.state, 'running');
  });
});

describe('limit: sessions', () => {
  it('past livePlot.maxSessions: a clear message, nothing opened, the others keep running', () => {
    const { manager, clock } = makeManager({ limits: { maxSessions: 3 } });
    const live = [0, 1, 2].map(() => manager.create({ source: { kind: 'sine' }, periodMs: 250 }, new TestOwner()));
    clock.advance(1000);
    const recorded = live.map((s) => s.snapshot().x.length);
    assert.throws(
      () => manager.create({ source: { kind: 'random' } }, new TestOwner()),
      (e: unknown) => e instanceof LimitError && /maximum of 3 sessions is reached \(setting livePlot\.maxSessions\)/.test(e.message),
    );
    assert.equal(manager.diagnostics().sessions, 3);
    assert.equal(clock.activeTimers, 3);
    clock.advance(1000);
    live.forEach((s, i) => {
      assert.equal(s.state, 'running');
      assert.ok(s.snapshot().x.length > recorded[i]!, 'still recording');
    });
  });
});

describe('limit: series per session', () => {
  it(`samples of a ${MAX_SERIES + 1}th series are dropped with a status naming the limit; the first ${MAX_SERIES} keep recording`, () => {
    const { manager, clock, log } = makeManager();
    const s = manager.create({ source: { kind: 'api' }, points: 100, periodMs: 250 }, new TestOwner('api'));
    const src = s.source as ApiSource;
    const first: Record<string, number> = {};
    for (let i = 0; i < MAX_SERIES; i++) first[`s${i}`] = i;
    assert.equal(src.push(first), MAX_SERIES);
    clock.advance(250);
    assert.equal(s.info().status, undefined);
    // Six more series: each sample is counted, none recorded.
    for (let i = 0; i < 6; i++) src.push({ [`extra${i}`]: 1 });
    clock.advance(250);
    const info = s.info();
    assert.match(info.status ?? '', new RegExp(`series limit reached: at most ${MAX_SERIES} series per session; "extra0"`));
    assert.equal(info.state, 'running', 'a limit is not an error');
    assert.equal(info.malformed, 6);
    assert.equal(log.filter((l) => l.includes('series limit reached')).length, 1, 'said once');
    // What was recorded is still there, and known series keep recording.
    src.push({ s0: 42, s63: 43 });
    clock.advance(250);
    const snap = s.snapshot();
    assert.equal(snap.series.length, MAX_SERIES);
    assert.ok(!snap.series.includes('extra0'));
    const last = snap.x.length - 1;
    assert.equal(snap.y[snap.series.indexOf('s0')]![last], 42);
    assert.equal(snap.y[snap.series.indexOf('s63')]![last], 43);
    assert.equal(snap.y[snap.series.indexOf('s5')]![0], 5, 'the first samples are kept');
  });

  it('a frame with too many series keeps the first ones and says so', () => {
    const { manager, clock, registry } = makeManager();
    const names = Array.from({ length: MAX_SERIES + 10 }, (_, i) => `f${i}`);
    registry.register('wide', () => {
      const src: Source = {
        mode: 'replace',
        endpoint: 'wide',
        start(sink: SourceSink) {
          sink.frame([1, 2, 3], names.map((name, i) => ({ name, values: [i, i, i] })));
        },
        dispose() {},
      };
      return src;
    });
    const s = manager.create({ source: { kind: 'wide' } }, new TestOwner());
    clock.advance(0);
    const snap = s.snapshot();
    assert.equal(snap.series.length, MAX_SERIES);
    assert.deepEqual([...snap.y[MAX_SERIES - 1]!], [MAX_SERIES - 1, MAX_SERIES - 1, MAX_SERIES - 1]);
    assert.match(s.info().status ?? '', /series limit reached: at most 64 series per session; "f64"/);
  });
});

describe('limit: line length and packet size', () => {
  it(`a 45 KB UDP packet with a line over ${MAX_LINE_LENGTH} characters: every good line is parsed, the long one is counted with a clear reason`, () => {
    const got: string[] = [];
    const p = new TeleplotParser((name, _x, y) => got.push(`${name}=${y}`));
    const good = Array.from({ length: 5000 }, (_, i) => `v${i % 7}:${i}`);
    const long = `long:${'9'.repeat(MAX_LINE_LENGTH + 10)}`;
    const packet = [...good.slice(0, 2500), long, ...good.slice(2500)].join('\n');
    assert.ok(packet.length > 40_000 && packet.length < 65_507, 'fits one UDP datagram');
    p.parse(packet, 1);
    assert.equal(got.length, 5000);
    assert.equal(p.malformed, 1);
    assert.match(p.lastMalformed ?? '', new RegExp(`^long:9+… \\(line over the ${MAX_LINE_LENGTH}-character limit\\)$`));
  });

  describe('file and command output: long lines are skipped, never buffered, and logged with the reason', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'liveplot-limits-'));
    after(() => rmSync(root, { recursive: true, force: true }));

    it('a file with a 1 MB line between good lines', async () => {
      const file = path.join(root, 'long.log');
      writeFileSync(file, '');
      const ctx = realContext();
      const src = fileSourceFactory(() => root)({ kind: 'file', path: file }, ctx) as FileSource;
      const sink = new RecordingSink();
      src.start(sink);
      const poll = async () => {
        src.tick(Date.now());
        await waitFor(() => !src.polling, 'the poll');
      };
      await poll();
      appendFileSync(file, `a:1\n${'x'.repeat(1024 * 1024)}\na:2\n`);
      await poll();
      assert.deepEqual(sink.values('a'), [1, 2]);
      assert.equal(sink.malformedCount, 1);
      assert.ok(sink.logs.some((l) => /malformed input ignored: ".*line over the 4096-character limit/.test(l)), sink.logs.join('\n'));
      src.dispose();
      assert.equal(ctx.resources.watchers, 0);
    });
  });

  describe('http: a body over the size limit', () => {
    let server: http.Server;
    let big = false;
    let base = '';
    before(async () => {
      server = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (!big) return void res.end(JSON.stringify({ t: 1 }));
        // A valid JSON array just over the limit.
        res.end(`[${'1,'.repeat(HTTP_MAX_BODY_BYTES / 2 + 10)}1]`);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it('sets an error naming the limit, keeps the recorded data, and clears with the next good poll', async () => {
      const { manager, clock } = makeManager();
      const s = manager.create({ source: { kind: 'http', url: `${base}/`, paths: ['t'] }, periodMs: 1000, points: 10 }, new TestOwner());
      const recorded = () => s.snapshot().x.length;
      clock.advance(0);
      await waitFor(() => recorded() === 1, 'the first sample');
      big = true;
      clock.advance(1000);
      await waitFor(() => s.state === 'error', 'the error');
      assert.match(s.info().status ?? '', /larger than 1 MB/);
      assert.equal(recorded(), 1, 'nothing recorded is lost');
      big = false;
      clock.advance(1000);
      await waitFor(() => s.state === 'running' && recorded() === 2, 'recovery');
      s.dispose();
      assert.equal(manager.resources.sockets, 0);
    });
  });
});
