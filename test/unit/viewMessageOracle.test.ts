// The validator of view → host messages against the test oracle (a table of the
// valid shapes written from the protocol, test/fuzz/viewMessageOracle.ts): the same
// verdict on every fuzzed message, and on a hand-written table of edge cases. The
// real-UI fuzz (test/e2e/security.e2e.ts) takes its expectations from the oracle.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { VIEW_TO_HOST_TYPES } from '../../src/shared/protocol';
import { parseViewMessage } from '../../src/core/viewMessages';
import { delivered, viewMessageCorpus } from '../fuzz/viewMessages';
import { expectedVerdict, ORACLE_TYPES } from '../fuzz/viewMessageOracle';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

/** [message, valid?] — edges of each rule, as the JSON transports deliver them. */
const TABLE: [unknown, boolean][] = [
  [null, false],
  [[], false],
  ['attach', false],
  [{}, false],
  [{ type: 'attach' }, false],
  [{ type: 'attach', viewId: 'v1' }, true],
  [{ type: 'attach', viewId: 'v1', output: 'o-1' }, true],
  [{ type: 'attach', viewId: 'v1', output: null }, false],
  [{ type: 'attach', viewId: 'v1', output: '' }, false],
  [{ type: 'attach', viewId: 'a b' }, false],
  [{ type: 'attach', viewId: 'x'.repeat(128) }, true],
  [{ type: 'attach', viewId: 'x'.repeat(129) }, false],
  [{ type: 'attach', viewId: 'é' }, false],
  [{ type: 'ATTACH', viewId: 'v1' }, false],
  [{ type: 'toString', viewId: 'v1' }, false],
  [{ type: '__proto__', viewId: 'v1' }, false],
  [{ type: 'start', viewId: 'v1' }, false],
  [{ type: 'start', viewId: 'v1', output: 'o1' }, true],
  [{ type: 'detach', viewId: 'v1', extra: { any: 1 } }, true],
  [{ type: 'visibility', viewId: 'v1', visible: false }, true],
  [{ type: 'visibility', viewId: 'v1', visible: 'false' }, false],
  [{ type: 'visibility', viewId: 'v1' }, false],
  [{ type: 'setPeriod', viewId: 'v1', periodMs: 0.5 }, true],
  [{ type: 'setPeriod', viewId: 'v1', periodMs: 3_600_000 }, true],
  [{ type: 'setPeriod', viewId: 'v1', periodMs: 1e300 }, true],
  [{ type: 'setPeriod', viewId: 'v1', periodMs: Infinity }, false],
  [{ type: 'setPeriod', viewId: 'v1', periodMs: 0 }, false],
  [{ type: 'setPeriod', viewId: 'v1', periodMs: -1 }, false],
  [{ type: 'setPeriod', viewId: 'v1', periodMs: '500' }, false],
  [{ type: 'setPoints', viewId: 'v1', points: 1 }, true],
  [{ type: 'setPoints', viewId: 'v1', points: 100_000_000 }, true],
  [{ type: 'setPoints', viewId: 'v1', points: 100_000_001 }, false],
  [{ type: 'setPoints', viewId: 'v1', points: 0 }, false],
  [{ type: 'setPoints', viewId: 'v1', points: 2.5 }, false],
  [{ type: 'pause', viewId: 'v1' }, true],
  [{ type: 'resume', viewId: 'v1' }, true],
  [{ type: 'close', viewId: 'v1' }, true],
  [{ type: 'setYRange', viewId: 'v1', yRange: 'auto' }, true],
  [{ type: 'setYRange', viewId: 'v1', yRange: [-1, 1] }, true],
  [{ type: 'setYRange', viewId: 'v1', yRange: [1, 1] }, false],
  [{ type: 'setYRange', viewId: 'v1', yRange: [2, 1] }, false],
  [{ type: 'setYRange', viewId: 'v1', yRange: [-1e300, 1e300] }, true],
  [{ type: 'setYRange', viewId: 'v1', yRange: [-1e301, 0] }, false],
  [{ type: 'setYRange', viewId: 'v1', yRange: [0, 1, 2] }, false],
  [{ type: 'setYRange', viewId: 'v1', yRange: null }, false],
  [{ type: 'exportCsv', viewId: 'v1' }, true],
  [{ type: 'exportPng', viewId: 'v1', dataUrl: PNG }, true],
  [{ type: 'exportPng', viewId: 'v1', dataUrl: PNG, requestId: 'r1' }, true],
  [{ type: 'exportPng', viewId: 'v1', dataUrl: PNG, requestId: 'r 1' }, false],
  [{ type: 'exportPng', viewId: 'v1', dataUrl: 'data:image/png;base64,AAAAAAAAAAA=' }, false],
  [{ type: 'exportPng', viewId: 'v1', dataUrl: 'data:image/png;base64,iVBORw0KGgo' }, false],
  [{ type: 'exportPng', viewId: 'v1', dataUrl: 'data:image/png;base64,iVBORw0KGgo=AAA' }, false],
  [{ type: 'exportPng', viewId: 'v1', dataUrl: 'data:image/jpeg;base64,iVBORw0KGgo=' }, false],
  [{ type: 'exportPng', viewId: 'v1' }, false],
];

describe('view message oracle', () => {
  it('knows exactly the protocol\'s message types', () => {
    assert.deepEqual([...ORACLE_TYPES].sort(), [...VIEW_TO_HOST_TYPES].sort());
  });

  it('hand-written edge cases: the oracle says what the table says, and the validator agrees', () => {
    for (const [m, valid] of TABLE) {
      assert.equal(expectedVerdict(m).valid, valid, `oracle on ${JSON.stringify(m)}`);
      assert.equal(parseViewMessage(m).ok, valid, `validator on ${JSON.stringify(m)}`);
    }
  });

  it('60,000 fuzzed messages as delivered: the validator and the oracle agree on validity, type and logged kind', () => {
    let valid = 0;
    for (const seed of [1, 2, 3]) {
      for (const raw of viewMessageCorpus(20_000, seed, (i) => `f${i}`)) {
        const m = delivered(raw);
        const want = expectedVerdict(m);
        const got = parseViewMessage(m);
        const shown = JSON.stringify(m).slice(0, 300);
        assert.equal(got.ok, want.valid, `verdict on ${shown}`);
        if (got.ok && want.valid) {
          valid++;
          assert.equal(got.message.type, want.type, `type of ${shown}`);
        } else if (!got.ok && !want.valid) {
          assert.equal(got.kind, want.kind, `kind of ${shown}`);
        }
      }
    }
    assert.ok(valid > 1000, `enough valid messages in the corpus (${valid})`);
  });
});
