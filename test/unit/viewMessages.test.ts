import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { InvalidMessageLog, parseViewMessage } from '../../src/core/viewMessages';
import { makeManager, RecordingView, TestOwner } from './helpers/fixtures';
import { applyControl } from '../../src/core/viewControl';
import { prng } from '../helpers/random';

const VALID: unknown[] = [
  { type: 'attach', viewId: 'v1' },
  { type: 'attach', viewId: 'v1', output: '6f1c2a9e-7d5b-4c1e-9a51-3f2b8e0d4c11' },
  { type: 'detach', viewId: 'v1' },
  { type: 'visibility', viewId: 'v1', visible: false },
  { type: 'setPeriod', viewId: 'v1', periodMs: 500 },
  { type: 'setPoints', viewId: 'v1', points: 300 },
  { type: 'pause', viewId: 'v1' },
  { type: 'resume', viewId: 'v1' },
  { type: 'close', viewId: 'v1' },
  { type: 'setYRange', viewId: 'v1', yRange: 'auto' },
  { type: 'setYRange', viewId: 'v1', yRange: [-1, 1] },
  { type: 'exportCsv', viewId: 'v1' },
  { type: 'exportPng', viewId: 'v1', dataUrl: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' },
  { type: 'exportPng', viewId: 'v1', dataUrl: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', requestId: 'png-1' },
];

describe('view message validation', () => {
  it('accepts each valid message and copies only known fields', () => {
    for (const m of VALID) {
      const r = parseViewMessage({ ...(m as object), extra: 'x', __proto__: { evil: 1 } });
      assert.ok(r.ok, JSON.stringify(m));
      assert.deepEqual(r.message, m);
    }
  });

  it('rejects malformed messages with a kind and a reason', () => {
    const bad: unknown[] = [
      null, undefined, 42, 'attach', [], {},
      { type: 'attach' },
      { type: 'attach', viewId: '' },
      { type: 'attach', viewId: 'x'.repeat(500) },
      { type: 'attach', viewId: 'a b' },
      { type: 'attach', viewId: 'v', output: 7 },
      { type: 'setPeriod', viewId: 'v', periodMs: '500' },
      { type: 'setPeriod', viewId: 'v', periodMs: NaN },
      { type: 'setPeriod', viewId: 'v', periodMs: -1 },
      { type: 'setPoints', viewId: 'v', points: 1.5 },
      { type: 'setPoints', viewId: 'v', points: 0 },
      { type: 'visibility', viewId: 'v', visible: 'yes' },
      { type: 'eval', viewId: 'v' },
      { type: '__proto__', viewId: 'v' },
      { type: 'setYRange', viewId: 'v' },
      { type: 'setYRange', viewId: 'v', yRange: [2, 1] },
      { type: 'setYRange', viewId: 'v', yRange: ['0', 1] },
      { type: 'exportPng', viewId: 'v' },
      { type: 'exportPng', viewId: 'v', dataUrl: 'data:text/html;base64,PHNjcmlwdD4=' },
      { type: 'exportPng', viewId: 'v', dataUrl: 'javascript:alert(1)' },
    ];
    for (const m of bad) {
      const r = parseViewMessage(m);
      assert.equal(r.ok, false, JSON.stringify(m));
      if (!r.ok) assert.ok(r.kind.length > 0 && r.error.length > 0);
    }
  });

  it('a getter that throws is rejected, not thrown', () => {
    const evil = { get type(): string { throw new Error('gotcha'); } };
    assert.equal(parseViewMessage(evil).ok, false);
  });

  it('10,000+ random and mutated messages: no throw, and invalid ones change no session state', () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261126);
    console.log(`# view-message fuzz seed ${seed}`);
    const rnd = prng(seed);
    const { manager, clock } = makeManager();
    const session = manager.create({ source: { kind: 'random' }, points: 100, periodMs: 1000 }, new TestOwner());
    session.attachView(new RecordingView('v1'));
    const values = [0, -1, 1.5, 1e308, NaN, Infinity, '', 'v1', 'x'.repeat(200), null, undefined, true, {}, [], 500, 2000, 100, 'pause', 'auto', [0, 1], [1, 0], [0, NaN], 'data:image/png;base64,', 'data:image/png;base64,iVBORw0KGgo=', 'png-1'];
    const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)]!;
    let invalid = 0;
    const state = () => JSON.stringify({ p: session.periodMs, n: session.info().points, s: session.state, v: session.viewCount, y: session.yRange });
    for (let i = 0; i < 12_000; i++) {
      let m: Record<string, unknown>;
      if (rnd() < 0.5) {
        m = { ...(pick(VALID) as Record<string, unknown>) };
        const key = pick(['type', 'viewId', 'periodMs', 'points', 'visible', 'output', 'yRange', 'dataUrl', 'requestId', 'junk']);
        if (rnd() < 0.5) m[key] = pick(values);
        else delete m[key];
      } else {
        m = {};
        for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) m[pick(['type', 'viewId', 'periodMs', 'points', 'visible', 'yRange', 'dataUrl'])] = pick([...values, 'setPeriod', 'setPoints', 'close', 'attach', 'setYRange', 'exportCsv', 'exportPng']);
      }
      const before = state();
      const r = parseViewMessage(m);
      if (!r.ok) {
        invalid++;
        assert.equal(state(), before, 'an invalid message changed nothing');
        continue;
      }
      // Valid messages only ever touch the session through the control path; never close it here.
      if (r.message.type !== 'close' && r.message.type !== 'detach') applyControl(session, r.message);
    }
    clock.advance(1000);
    assert.ok(invalid > 5000, `most random messages are invalid (${invalid})`);
    assert.equal(session.disposed, false);
    assert.equal(clock.activeTimers, 1);
  });

  it('logs each kind of invalid message once', () => {
    const lines: string[] = [];
    const log = new InvalidMessageLog((l) => lines.push(l));
    for (let i = 0; i < 100; i++) log.report('a panel', { kind: 'unknown:eval', error: 'unknown message type' });
    log.report('a panel', { kind: 'setPoints', error: 'bad points' });
    assert.equal(lines.length, 2);
    assert.equal(log.count, 101);
  });
});
