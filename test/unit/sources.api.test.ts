import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { SourceFactory } from '../../src/core/source';
import { ApiSource, createApiSource } from '../../src/core/sources/api';
import { createBuiltinRegistry, SourceRegistry } from '../../src/core/sources/registry';
import { FakeClock } from './helpers/fakeClock';
import { makeManager, TestOwner } from './helpers/fixtures';
import { realContext, RecordingSink } from '../helpers-sources/util';

function apiSource() {
  const clock = new FakeClock(5000);
  const src = createApiSource({ kind: 'api' }, { ...realContext(), clock }) as ApiSource;
  const sink = new RecordingSink();
  src.start(sink);
  return { src, sink, clock };
}

describe('api source', () => {
  it('push({ name: value }) records each at now', () => {
    const { src, sink } = apiSource();
    assert.equal(src.push({ temp: 21.5, rpm: 900 }), 2);
    assert.deepEqual(sink.samples, [
      { name: 'temp', x: 5000, y: 21.5 },
      { name: 'rpm', x: 5000, y: 900 },
    ]);
  });

  it('push([{ name, x?, y }]) and a single { name, x?, y }', () => {
    const { src, sink } = apiSource();
    assert.equal(src.push([{ name: 'a', y: 1 }, { name: 'b', x: 42, y: 2 }]), 2);
    assert.equal(src.push({ name: 'c', y: 3 }), 1);
    assert.deepEqual(sink.samples, [
      { name: 'a', x: 5000, y: 1 },
      { name: 'b', x: 42, y: 2 },
      { name: 'c', x: 5000, y: 3 },
    ]);
  });

  it('push({ x, y: { name: column } }): columns, row i at x[i], typed or plain arrays', () => {
    const { src, sink } = apiSource();
    assert.equal(src.push({ x: new Float64Array([1, 2, 3]), y: { a: new Float64Array([10, 20, 30]), b: [-1, -2, -3] } }), 6);
    assert.deepEqual(sink.samples, [
      { name: 'a', x: 1, y: 10 },
      { name: 'b', x: 1, y: -1 },
      { name: 'a', x: 2, y: 20 },
      { name: 'b', x: 2, y: -2 },
      { name: 'a', x: 3, y: 30 },
      { name: 'b', x: 3, y: -3 },
    ]);
    assert.equal(sink.malformedCount, 0);
    // Bad cells, a column of the wrong length, a bad name: counted, the rest recorded.
    sink.samples.length = 0;
    assert.equal(src.push({ x: [4, NaN, 6], y: { a: [40, 50, Infinity], short: [1, 2], '': [1, 2, 3] } }), 1);
    assert.deepEqual(sink.samples, [{ name: 'a', x: 4, y: 40 }]);
    assert.equal(sink.malformedCount, 2 + 2 + 3, 'two bad cells, a 2-row column, a 3-row column with no name');
    // A getter that throws part-way: never thrown, what came before is kept.
    const y = { a: [1, 2, 3] };
    Object.defineProperty(y.a, 2, { get: () => { throw new Error('boom'); } });
    assert.doesNotThrow(() => src.push({ x: [7, 8, 9], y }));
    assert.deepEqual(sink.samples.slice(1).map((s) => s.x), [7, 8]);
    // `{ x: 5, y: 3 }` is still the record form (two series named x and y).
    sink.samples.length = 0;
    assert.equal(src.push({ x: 5, y: 3 }), 2);
    assert.deepEqual(sink.samples.map((s) => s.name), ['x', 'y']);
  });

  it('invalid samples are counted malformed, never thrown', () => {
    const { src, sink } = apiSource();
    const bad: unknown[] = [null, undefined, 5, 'a:1', true, { a: NaN }, { a: Infinity }, { a: '1' }, { '': 1 }, { ['x'.repeat(300)]: 1 }];
    for (const b of bad) assert.equal(src.push(b), 0, String(b));
    assert.equal(sink.malformedCount, bad.length);
    assert.equal(src.push([{ name: 'a', y: NaN }, { name: '', y: 1 }, { name: 'a', x: 'now', y: 1 }, null, 7, { name: 'ok', y: 1 }]), 1);
    assert.equal(sink.malformedCount, bad.length + 5);
    assert.equal(src.push({ good: 1, bad: null }), 1, 'good keys of a record still count');
    assert.deepEqual(sink.samples.map((s) => s.name), ['ok', 'good']);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.doesNotThrow(() => src.push(cyclic));
  });

  it('after dispose, push is a no-op', () => {
    const { src, sink } = apiSource();
    src.dispose();
    assert.equal(src.push({ a: 1 }), 0);
    assert.equal(sink.samples.length + sink.malformedCount, 0);
  });

  it('end to end: pushed samples land in the session, malformed are shown; the class is exported for instanceof', () => {
    let created: ApiSource | undefined;
    const registry = new SourceRegistry();
    const capture: SourceFactory = (spec, ctx) => (created = createApiSource(spec, ctx) as ApiSource);
    registry.register('api', capture);
    const { manager, clock } = makeManager({ registry });
    const s = manager.create({ source: { kind: 'api' }, points: 10 }, new TestOwner());
    assert.ok(created instanceof ApiSource);
    created!.push({ a: 1, b: 2 });
    created!.push([{ name: 'a', y: 'x' }]);
    clock.advance(0);
    assert.deepEqual(s.snapshot().series, ['a', 'b']);
    assert.equal(s.info().malformed, 1);
    s.dispose('api-disposed');
    assert.equal(created!.push({ a: 1 }), 0);
    manager.dispose();
  });

  it('rejects options (it has none); the built-in registry knows every kind', () => {
    assert.throws(() => createApiSource({ kind: 'api', x: 1 }, realContext()), /source\.x is not an option of the api source \(it has no options\)/);
    assert.deepEqual(createBuiltinRegistry().kinds, ['random', 'sine', 'udp', 'command', 'file', 'http', 'api']);
    const { manager } = makeManager();
    assert.throws(() => manager.create({ source: { kind: 'nope' } }, new TestOwner()), /known: random, sine, udp, command, file, http, api/);
    manager.dispose();
  });
});
