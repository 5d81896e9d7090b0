import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { LimitError } from '../../src/core/sessionManager';
import { SpecError, validateSpec, DEFAULT_LIMITS } from '../../src/core/spec';
import type { Source, SourceSink } from '../../src/core/source';
import { MAX_HEADROOM_BYTES } from '../../src/core/session';
import { ApiSource } from '../../src/core/sources/api';
import { FakeClock } from './helpers/fakeClock';
import { makeManager, RecordingView, TestOwner } from './helpers/fixtures';

describe('Session timer', () => {
  it('has exactly one timer while alive and none after dispose (synchronously)', () => {
    const { manager, clock } = makeManager();
    const s = manager.create({ source: { kind: 'random' } }, new TestOwner());
    assert.equal(clock.activeTimers, 1);
    clock.advance(5000);
    assert.equal(clock.activeTimers, 1, 'still one timer after several ticks');
    s.dispose('user-closed');
    assert.equal(clock.activeTimers, 0);
    assert.equal(s.hasTimer, false);
    assert.equal(manager.diagnostics().sessions, 0);
  });

  it('ticks once a period, and a period change takes effect at the next tick', () => {
    const { manager, clock } = makeManager();
    const view = new RecordingView('v1');
    const s = manager.create({ source: { kind: 'random' }, periodMs: 1000, points: 10 }, new TestOwner());
    clock.advance(0); // first tick at creation
    s.attachView(view);
    const before = view.of('delta').length;
    clock.advance(1000);
    assert.equal(view.of('delta').length, before + 1);
    const t0 = clock.now();
    s.setPeriod(250);
    // The next tick is due one new period after the last tick, not one old period.
    assert.deepEqual(clock.dueTimes(), [t0 + 250 - 0]);
    clock.advance(250);
    assert.equal(view.of('delta').length, before + 2);
    clock.advance(1000);
    assert.equal(view.of('delta').length, before + 6, 'four ticks in a second at 250 ms');
    assert.equal(clock.activeTimers, 1);
  });

  it('keeps its ticks on a grid when timers fire late, and never bursts to catch up', () => {
    /** A clock whose timers fire `late` ms after they are due (a busy event loop). */
    class LateClock extends FakeClock {
      late = 100;
      override setTimeout(fn: () => void, ms: number) {
        return super.setTimeout(fn, ms + this.late);
      }
    }
    const clock = new LateClock();
    const { manager } = makeManager({ clock });
    const view = new RecordingView('v1');
    const s = manager.create({ source: { kind: 'random' }, periodMs: 1000, points: 10 }, new TestOwner());
    s.attachView(view);
    const ticks: number[] = [];
    s.onDidUpdate(() => ticks.push(clock.now()));
    clock.advance(60_000);
    // Each timer fires 100 ms late; a schedule of "one period after the tick" would
    // drift to 55 ticks a minute, the grid keeps 60.
    assert.equal(ticks.length, 60, `ticks at ${ticks.slice(0, 4).join(', ')}…`);
    // More than a period late: one tick, then a full period, never a burst.
    clock.late = 2500;
    ticks.length = 0;
    clock.advance(30_000);
    assert.ok(ticks.length >= 5, `${ticks.length} ticks`);
    for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i]! - ticks[i - 1]! >= 1000, `ticks ${ticks[i - 1]} and ${ticks[i]} closer than a period`);
    s.dispose('user-closed');
    assert.equal(clock.activeTimers, 0);
  });

  it('sends every row of a period that brought more rows than the window (a late tick), and snapshots the window', () => {
    const { manager, clock } = makeManager();
    const view = new RecordingView('v1');
    const s = manager.create({ source: { kind: 'api' }, periodMs: 1000, points: 10 }, new TestOwner());
    clock.advance(0);
    s.attachView(view);
    const src = s.source as ApiSource;
    let i = 0;
    const rows = (n: number) => Array.from({ length: n }, () => ({ name: 'a', x: ++i, y: i * 10 }));
    src.push(rows(15)); // 15 rows of a new series for a 10-point window before the tick
    clock.advance(1000);
    const d0 = view.of('delta').at(-1)!;
    assert.equal(d0.replace, true, 'a new series: a replace…');
    assert.deepEqual([...d0.x], Array.from({ length: 15 }, (_, k) => k + 1), '…with all 15 rows, none lost');
    src.push(rows(15));
    clock.advance(1000);
    const d1 = view.of('delta').at(-1)!;
    assert.equal(d1.replace, false);
    assert.deepEqual([...d1.x], Array.from({ length: 15 }, (_, k) => k + 16), 'all 15 rows, none lost');
    assert.equal(d1.points, 10, 'the view keeps the newest 10');
    assert.deepEqual([...s.snapshot().x], [21, 22, 23, 24, 25, 26, 27, 28, 29, 30], 'the window is the newest 10');
    // Beyond the headroom (10 + 10 rows), the view gets the window instead.
    src.push(rows(25));
    clock.advance(1000);
    const d2 = view.of('delta').at(-1)!;
    assert.equal(d2.replace, true);
    assert.deepEqual([...d2.x], [46, 47, 48, 49, 50, 51, 52, 53, 54, 55], 'the window only');
    // A view attaching now gets the window, not the headroom.
    const late = new RecordingView('v2');
    s.attachView(late);
    assert.equal(late.of('snapshot')[0]!.x.length, 10);
    s.dispose('user-closed');
  });

  it('grows its headroom with the rate, so a stall of the host loses no row either', () => {
    const { manager, clock } = makeManager({ limits: { minPeriodMs: 16 } });
    const view = new RecordingView('v1');
    const s = manager.create({ source: { kind: 'api' }, periodMs: 16, points: 10_000 }, new TestOwner());
    clock.advance(0);
    s.attachView(view);
    const src = s.source as ApiSource;
    let next = 0;
    const rows = (n: number) => {
      const x = Float64Array.from({ length: n }, () => ++next);
      return { x, y: { a: x } };
    };
    // 500,000 rows a second: 8,000 each 16 ms period.
    for (let k = 0; k < 10; k++) {
      src.push(rows(8000));
      clock.advance(16);
    }
    const before = view.messages.length;
    // The host stops for 80 ms: 40,000 rows arrive before the next tick (4× the window).
    src.push(rows(40_000));
    clock.advance(16);
    const sent = view.messages.slice(before).filter((m) => m.type === 'delta');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.replace, false, 'a plain delta: the growth kept what the view has');
    assert.equal(sent[0]!.x.length, 40_000, 'every row sent');
    // Every row ever pushed reached the view exactly once, in order.
    const got = view.messages.flatMap((m) => (m.type === 'delta' || m.type === 'snapshot' ? [...m.x] : []));
    assert.equal(got.length, next);
    assert.ok(got.every((x, i) => x === i + 1));
    assert.equal(s.snapshot().x.length, 10_000);
    assert.ok(s.bufferBytes <= 10_000 * 16 + MAX_HEADROOM_BYTES, `${s.bufferBytes} bytes`);
    s.dispose('user-closed');
  });

  it('clamps the period to the minimum and 60 s', () => {
    const { manager } = makeManager({ limits: { minPeriodMs: 100 } });
    const s = manager.create({ source: { kind: 'random' }, periodMs: 10 }, new TestOwner());
    assert.equal(s.periodMs, 100);
    s.setPeriod(10 * 60_000);
    assert.equal(s.periodMs, 60_000);
  });

  it('changes points at the next tick, not before', () => {
    const { manager, clock } = makeManager();
    const s = manager.create({ source: { kind: 'random' }, points: 10 }, new TestOwner());
    clock.advance(0);
    assert.equal(s.snapshot().x.length, 10);
    s.setPoints(25);
    assert.equal(s.snapshot().x.length, 10, 'unchanged until the next tick');
    assert.equal(s.info().points, 25, 'info already shows the pending value');
    clock.advance(s.periodMs);
    assert.equal(s.snapshot().x.length, 25);
    assert.throws(() => s.setPoints(0), SpecError);
  });

  it('random: a frame of `points` values over x = 1..points, within [0, 1)', () => {
    const { manager, clock } = makeManager();
    const s = manager.create({ source: { kind: 'random' }, points: 100 }, new TestOwner());
    clock.advance(0);
    const snap = s.snapshot();
    assert.equal(snap.x.length, 100);
    assert.equal(snap.x[0], 1);
    assert.equal(snap.x[99], 100);
    assert.ok(snap.y[0]!.every((v) => v >= 0 && v < 1));
    const first = Array.from(snap.y[0]!);
    clock.advance(1000);
    assert.notDeepEqual(Array.from(s.snapshot().y[0]!), first, 'a fresh frame each period');
  });

  it('defaults: period 1000 ms and 100 points', () => {
    const spec = validateSpec({ source: { kind: 'random' } });
    assert.equal(spec.periodMs, 1000);
    assert.equal(spec.points, 100);
    assert.equal(spec.title, 'Random');
  });

  it('sine streams appended samples with time stamps, trimmed to the window', () => {
    const { manager, clock } = makeManager();
    const s = manager.create({ source: { kind: 'sine', waves: 2, sampleRateHz: 10 }, points: 50, periodMs: 1000 }, new TestOwner());
    const view = new RecordingView('v');
    s.attachView(view);
    clock.advance(2000);
    const snap = s.snapshot();
    assert.deepEqual(snap.series, ['sine1', 'sine2']);
    assert.ok(snap.x.length >= 20 && snap.x.length <= 22, `~10 samples/s for 2 s, got ${snap.x.length}`);
    for (let i = 1; i < snap.x.length; i++) assert.ok(snap.x[i]! > snap.x[i - 1]!, 'x increases');
    const appends = view.of('delta').filter((d) => !d.replace);
    assert.ok(appends.length >= 1, 'deltas are appends, not full frames');
    assert.ok(appends.every((d) => d.x.length <= 11), 'a delta carries only new samples');
    clock.advance(10_000);
    assert.equal(s.snapshot().x.length, 50, 'window bounded by points');
  });
});

describe('Session views', () => {
  it('pause freezes what views show while data keeps being recorded; resume sends the window', () => {
    const { manager, clock } = makeManager();
    const s = manager.create({ source: { kind: 'sine', sampleRateHz: 10 }, points: 1000 }, new TestOwner());
    const view = new RecordingView('v');
    s.attachView(view);
    clock.advance(1000);
    s.pause();
    assert.equal(s.state, 'paused');
    const sent = view.of('delta').length;
    const recorded = s.snapshot().x.length;
    clock.advance(3000);
    assert.equal(view.of('delta').length, sent, 'nothing sent while paused');
    assert.ok(s.snapshot().x.length > recorded + 20, 'still recording');
    s.resume();
    const snaps = view.of('snapshot');
    assert.equal(snaps.at(-1)!.x.length, s.snapshot().x.length, 'resume shows everything in the window');
  });

  it('hidden views get nothing; becoming visible brings one snapshot', () => {
    const { manager, clock } = makeManager();
    const s = manager.create({ source: { kind: 'random' }, points: 5 }, new TestOwner());
    const view = new RecordingView('v');
    s.attachView(view, false);
    clock.advance(5000);
    assert.equal(view.messages.length, 0);
    s.setViewVisible('v', true);
    assert.equal(view.of('snapshot').length, 1);
    clock.advance(1000);
    assert.equal(view.of('delta').length, 1);
  });

  it('detaching views never ends the session; dispose tells views it ended', () => {
    const { manager, clock } = makeManager();
    const s = manager.create({ source: { kind: 'random' } }, new TestOwner());
    const a = new RecordingView('a');
    s.attachView(a);
    assert.equal(manager.diagnostics().views, 1);
    s.detachView('a');
    assert.equal(manager.diagnostics().views, 0);
    clock.advance(3000);
    assert.equal(s.disposed, false);
    const b = new RecordingView('b');
    s.attachView(b);
    s.dispose('user-closed');
    assert.equal(b.of('ended').length, 1);
    assert.equal(b.of('ended')[0]!.reason, 'user-closed');
    assert.equal(manager.diagnostics().views, 0);
  });

  it('a view that throws does not stop the session or other views', () => {
    const { manager, clock } = makeManager();
    const s = manager.create({ source: { kind: 'random' } }, new TestOwner());
    s.attachView({ id: 'bad', post: () => { throw new Error('boom'); } });
    const good = new RecordingView('good');
    s.attachView(good);
    clock.advance(3000);
    assert.ok(good.of('delta').length >= 3);
    assert.equal(s.disposed, false);
  });

  it('every public method is a no-op after dispose', () => {
    const { manager, clock } = makeManager();
    const s = manager.create({ source: { kind: 'random' } }, new TestOwner());
    s.dispose('user-closed');
    s.setPeriod(500);
    s.setPoints(10);
    s.pause();
    s.resume();
    s.attachView(new RecordingView('x'));
    s.start();
    s.dispose('reaped');
    assert.equal(clock.activeTimers, 0);
    assert.equal(s.viewCount, 0);
  });
});

describe('SessionManager', () => {
  it('fires create and dispose events with the reason', () => {
    const { manager } = makeManager();
    const created: string[] = [];
    const disposed: string[] = [];
    manager.onDidCreateSession((i) => created.push(i.id));
    manager.onDidDisposeSession((e) => disposed.push(`${e.session.id}:${e.reason}`));
    const s = manager.create({ source: { kind: 'random' } }, new TestOwner());
    assert.deepEqual(created, [s.id]);
    manager.disposeSession(s.id, 'panel-closed');
    assert.deepEqual(disposed, [`${s.id}:panel-closed`]);
    assert.equal(manager.get(s.id), undefined);
  });

  it('1,000 create/dispose cycles leave 0 timers and 0 sessions', () => {
    const { manager, clock } = makeManager();
    for (let i = 0; i < 1000; i++) {
      const s = manager.create({ source: { kind: i % 2 ? 'random' : 'sine' } }, new TestOwner());
      if (i % 3 === 0) clock.advance(1000);
      s.attachView(new RecordingView(`v${i}`));
      s.dispose('user-closed');
    }
    assert.deepEqual(manager.diagnostics(), { sessions: 0, timers: 0, views: 0, sockets: 0, processes: 0, watchers: 0, reaped: 0, invalidMessages: 0 });
  });

  it('refuses bad specs with a message naming the field, and starts nothing', () => {
    const { manager, clock } = makeManager();
    const cases: [unknown, string][] = [
      [{ source: { kind: 'nope' } }, 'source.kind'],
      [{ source: 'random' }, 'source'],
      [{}, 'source'],
      [{ source: { kind: 'random' }, periodMs: 'fast' }, 'periodMs'],
      [{ source: { kind: 'random' }, periodMs: -5 }, 'periodMs'],
      [{ source: { kind: 'random' }, points: 0 }, 'points'],
      [{ source: { kind: 'random' }, points: 2.5 }, 'points'],
      [{ source: { kind: 'random' }, points: 5e9 }, 'points'],
      [{ source: { kind: 'random' }, title: 42 }, 'title'],
      [{ source: { kind: 'random' }, colour: 'red' }, 'colour'],
      [{ source: { kind: 'random', min: 5, max: 1 } }, 'source'],
      [{ source: { kind: 'sine', waves: 100 } }, 'source'],
      ['{"source": ', '(json)'],
      [[1, 2], '(spec)'],
      [null, '(spec)'],
    ];
    for (const [input, field] of cases) {
      assert.throws(
        () => manager.create(input, new TestOwner()),
        (e: unknown) => e instanceof SpecError && e.field === field && e.message.includes(`"${field}"`),
        `expected an error naming ${field} for ${JSON.stringify(input)}`,
      );
    }
    assert.equal(manager.size, 0);
    assert.equal(clock.activeTimers, 0);
  });

  it('the error for an unknown kind lists the known kinds', () => {
    assert.throws(() => validateSpec({ source: { kind: 'udpx' } }, DEFAULT_LIMITS), /known: random, sine/);
  });

  it('enforces maxSessions with a clear message and opens nothing', () => {
    const { manager, clock } = makeManager({ limits: { maxSessions: 2 } });
    manager.create({ source: { kind: 'random' } }, new TestOwner());
    manager.create({ source: { kind: 'random' } }, new TestOwner());
    assert.throws(() => manager.create({ source: { kind: 'random' } }, new TestOwner()), (e: unknown) => e instanceof LimitError && /livePlot\.maxSessions/.test(e.message));
    assert.equal(manager.size, 2);
    assert.equal(clock.activeTimers, 2);
  });

  it('reconcile reaps sessions whose owner is gone, and logs them', () => {
    const { manager, log } = makeManager();
    const o1 = new TestOwner();
    const o2 = new TestOwner();
    const a = manager.create({ source: { kind: 'random' } }, o1);
    const b = manager.create({ source: { kind: 'random' } }, o2);
    o1.alive = false;
    assert.deepEqual(manager.reconcile(), [a.id]);
    assert.equal(manager.get(b.id), b);
    assert.equal(manager.diagnostics().reaped, 1);
    assert.ok(log.some((l) => l.includes('Reconciliation') && l.includes(a.id)));
  });

  it('dispose ends every session with extension-deactivated', () => {
    const { manager, clock } = makeManager();
    const reasons: string[] = [];
    manager.onDidDisposeSession((e) => reasons.push(e.reason));
    for (let i = 0; i < 5; i++) manager.create({ source: { kind: 'sine' } }, new TestOwner());
    manager.dispose();
    assert.deepEqual(reasons, Array(5).fill('extension-deactivated'));
    assert.equal(clock.activeTimers, 0);
  });

  it('a source that throws puts its session in the error state; others keep running', () => {
    const { manager, clock, registry } = makeManager();
    registry.register('flaky', () => {
      const src: Source = {
        mode: 'append',
        endpoint: 'flaky',
        start(_sink: SourceSink) {},
        tick() { throw new Error('sensor unplugged'); },
        dispose() {},
      };
      return src;
    });
    const bad = manager.create({ source: { kind: 'flaky' } }, new TestOwner());
    const good = manager.create({ source: { kind: 'random' } }, new TestOwner());
    clock.advance(2000);
    assert.equal(bad.state, 'error');
    assert.match(bad.info().status ?? '', /sensor unplugged/);
    assert.equal(good.state, 'running');
    assert.equal(clock.activeTimers, 2);
  });

  it('throttles the statistics event to once a second', () => {
    const { manager, clock } = makeManager({ limits: { minPeriodMs: 10 } });
    let n = 0;
    manager.onDidChangeStats(() => n++);
    manager.create({ source: { kind: 'random' }, periodMs: 10 }, new TestOwner());
    clock.advance(5000);
    assert.ok(n >= 4 && n <= 6, `expected about 5 events in 5 s, got ${n}`);
  });
});
