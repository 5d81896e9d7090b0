// Untrusted messages from views (issue 6): hostile values never make the
// validator throw. The real-UI fuzz (test/e2e/security.e2e.ts) found the first
// case below: `{ "type": [{ "toString": 1 }] }` made parseViewMessage throw
// while it described the unknown type.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { InvalidMessageLog, parseViewMessage } from '../../src/core/viewMessages';
import { delivered, viewMessageCorpus } from '../fuzz/viewMessages';

const trap = () => {
  throw new Error('trap');
};
const proxy = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap });

describe('untrusted view messages: hostile values', () => {
  const hostile: [string, unknown][] = [
    ['a type whose element cannot become a string', JSON.parse('{ "type": [{ "toString": 1 }], "viewId": "v1" }')],
    ['a type object without toString/valueOf', JSON.parse('{ "type": { "toString": 1, "valueOf": 1 } }')],
    ['a null-prototype type', { type: Object.create(null) }],
    ['a symbol type', { type: Symbol('x') }],
    ['a bigint type', { type: 10n }],
    ['a proxy message', proxy],
    ['a proxy type', { type: proxy, viewId: 'v1' }],
    ['a proxy view id', { type: 'pause', viewId: proxy }],
    ['a throwing getter for a field', { type: 'setPeriod', viewId: 'v1', get periodMs() { return trap(); } }],
    ['a throwing getter for visible', { type: 'visibility', viewId: 'v1', get visible() { return trap(); } }],
    ['a throwing getter for output', { type: 'attach', viewId: 'v1', get output() { return trap(); } }],
    ['a proxy array', { type: 'setYRange', viewId: 'v1', yRange: new Proxy([1, 2], { get: trap }) }],
    ['a prototype-polluting key', JSON.parse('{ "type": "pause", "viewId": "v1", "__proto__": { "type": "close" } }')],
  ];
  for (const [what, message] of hostile) {
    it(`${what}: rejected (or read safely), never thrown`, () => {
      const r = parseViewMessage(message);
      if (r.ok) {
        // Only the polluting key case is valid: as a plain pause, with nothing else copied.
        assert.deepEqual(r.message, { type: 'pause', viewId: 'v1' });
      } else {
        assert.equal(typeof r.kind, 'string');
        assert.equal(typeof r.error, 'string');
      }
    });
  }
  assert.equal(({} as { type?: unknown }).type, undefined, 'no prototype was polluted');

  it('100,000 random and mutated messages (as sent, and as the JSON transports deliver them): never thrown; each kind logged once, at most 100 kinds', () => {
    const lines: string[] = [];
    const log = new InvalidMessageLog((l) => lines.push(l));
    let invalid = 0;
    for (const raw of viewMessageCorpus(50_000, 6, (i) => `f${i}`)) {
      for (const m of [raw, delivered(raw)]) {
        const r = parseViewMessage(m);
        if (!r.ok) {
          invalid++;
          log.report('a panel', r);
        }
      }
    }
    assert.ok(invalid > 50_000, `mostly invalid (${invalid})`);
    assert.equal(log.count, invalid);
    assert.ok(lines.length > 5 && lines.length <= 100, `${lines.length} lines`);
    assert.equal(new Set(lines.map((l) => /\((.*?)\): /.exec(l)?.[1])).size, lines.length, 'each kind once');
  });
});
