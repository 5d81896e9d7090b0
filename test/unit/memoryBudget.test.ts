// The global memory budget and the generated sources' caps (issue 12): a spec
// beyond them gets a clear error naming the limit and the setting; sessions
// already running keep running with their data.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { estimateRingBytes } from '../../src/core/memoryBudget';
import { sineSourceKind } from '../../src/core/sources/sine';
import { LimitError } from '../../src/core/sessionManager';
import { SpecError, validateSpec } from '../../src/core/spec';
import { makeManager, TestOwner, LIMITS } from './helpers/fixtures';

const BUDGET = /of the (\d+) MB memory budget for all sessions is left \(setting livePlot\.memoryBudgetMB\)\. Close a session, use fewer points, or raise the setting\.$/;

describe('memory budget', () => {
  it('the estimate is what a full ring really holds (window + headroom, x + one column per series)', () => {
    const { manager, clock } = makeManager();
    const s = manager.create({ source: { kind: 'sine', waves: 4, sampleRateHz: 50 }, points: 1000, periodMs: 1000 }, new TestOwner());
    clock.advance(0);
    clock.advance(1000);
    // 1000 points + 1000 rows of headroom, 5 columns (x + 4 waves), 8 bytes each.
    assert.equal(s.bufferBytes, 2000 * 5 * 8);
    assert.equal(estimateRingBytes(validateSpec({ source: { kind: 'sine', waves: 4 }, points: 1000 }, { ...LIMITS, knownKinds: ['sine'] }), sineSourceKind), 80_000);
    // Push sources are counted at the session's series limit (64 + x).
    assert.equal(estimateRingBytes(validateSpec({ source: { kind: 'udp' }, points: 100 }, { ...LIMITS, knownKinds: ['udp'] })), 200 * 65 * 8);
    manager.dispose();
  });

  it('the hostile notebook of the issue: 16-wave sines with a million points stop at the 512 MB default; the first ones keep running', () => {
    const { manager, clock } = makeManager();
    const spec = { source: { kind: 'sine', waves: 16, sampleRateHz: 12_500 }, points: 1_000_000 };
    const made = [];
    let refusal: unknown;
    for (let i = 0; i < 50 && refusal === undefined; i++) {
      try {
        made.push(manager.create(spec, new TestOwner()));
      } catch (e) {
        refusal = e;
      }
    }
    // (1,000,000 + 65,536) rows × 17 columns × 8 bytes ≈ 138 MiB each: three fit in 512 MiB.
    assert.equal(made.length, 3);
    assert.ok(refusal instanceof LimitError, String(refusal));
    assert.match(refusal.message, /^Live Plot: this session needs up to 138 MB for its window \(1000000 points × 17 columns with headroom\), but only 97 MB of the 512 MB memory budget/);
    assert.match(refusal.message, BUDGET);
    assert.equal(manager.size, 3);
    assert.ok(made.every((s) => s.state === 'running'));
    clock.advance(0);
    assert.ok(made.every((s) => s.snapshot().x.length > 0), 'they record');
    // check() refuses the same way, and freeing a session makes room again.
    assert.throws(() => manager.check(spec), LimitError);
    made[0]!.dispose();
    manager.create(spec, new TestOwner());
    manager.dispose();
  });

  it('follows the setting: a spec beyond what is left is refused, a smaller one fits', () => {
    const { manager } = makeManager({ limits: { memoryBudgetMB: 1 } });
    try {
      // 1000 points, a push source: 2000 rows × 65 columns × 8 = 1,040,000 bytes ≤ 1 MiB (1,048,576).
      const a = manager.create({ source: { kind: 'api' }, points: 1000 }, new TestOwner());
      // 2000 rows × 2 columns × 8 = 32,000 bytes: more than the 8,576 left.
      assert.throws(
        () => manager.create({ source: { kind: 'random' }, points: 1000 }, new TestOwner()),
        (e: unknown) => e instanceof LimitError && /needs up to 32 KB for its window \(1000 points × 2 columns with headroom\), but only 9 KB of the 1 MB memory budget/.test(e.message) && BUDGET.test(e.message),
      );
      // 100 points: 200 × 2 × 8 = 3,200 bytes fit.
      manager.create({ source: { kind: 'random' }, points: 100 }, new TestOwner());
      assert.equal(a.state, 'running');
      assert.equal(manager.size, 2);
    } finally {
      manager.dispose();
    }
  });

  it('random: at most 100,000 points; sine: at most 200,000 samples a second (sampleRateHz × waves)', () => {
    const { manager } = makeManager();
    assert.throws(
      () => manager.create({ source: { kind: 'random' }, points: 1_000_000 }, new TestOwner()),
      (e: unknown) => e instanceof LimitError && e.message === 'Live Plot: a random source generates every point of its window each period; at most 100000 points (got 1000000).',
    );
    manager.create({ source: { kind: 'random' }, points: 100_000 }, new TestOwner());
    assert.throws(
      () => manager.create({ source: { kind: 'sine', waves: 16, sampleRateHz: 100_000 } }, new TestOwner()),
      (e: unknown) =>
        e instanceof SpecError &&
        e.message === 'Invalid session spec: "source" was refused: source.sampleRateHz × source.waves must be at most 200000 samples a second (got 100000 × 16 = 1600000)',
    );
    manager.create({ source: { kind: 'sine', waves: 2, sampleRateHz: 100_000 } }, new TestOwner());
    assert.equal(manager.size, 2);
    manager.dispose();
  });
});
