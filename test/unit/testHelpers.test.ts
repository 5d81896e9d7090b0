// The shared test helpers (test/helpers/): the seeded PRNG, the statistics of the
// benchmarks, the free-port finder.
import { strict as assert } from 'node:assert';
import * as dgram from 'node:dgram';
import { describe, it } from 'node:test';
import { freeUdpPort } from '../helpers/ports';
import { prng } from '../helpers/random';
import { median, percentile } from '../helpers/stats.mjs';

describe('test helpers', () => {
  it('prng is mulberry32: known values for seed 1, the same sequence for the same seed, [0, 1)', () => {
    const r = prng(1);
    // mulberry32(1)'s first outputs (the first is the reference implementation's well-known 0.6270739405881613).
    assert.deepEqual([r(), r(), r()], [0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    const a = prng(42);
    const b = prng(42);
    for (let i = 0; i < 10_000; i++) {
      const v = a();
      assert.equal(v, b());
      assert.ok(v >= 0 && v < 1);
    }
    assert.notEqual(prng(1)(), prng(2)());
  });

  it('median: odd and even counts, unsorted input left unchanged; non-finite values are left out; NaN for none', () => {
    const input = [5, 1, 3];
    assert.equal(median(input), 3);
    assert.deepEqual(input, [5, 1, 3]);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.ok(Number.isNaN(median([])));
    // A NaN used to go into the sort (an arbitrary order, so an arbitrary median).
    assert.equal(median([NaN, 1, 2, 3]), 2);
    assert.equal(median([3, NaN, 1, NaN, 2]), 2);
    assert.equal(median([Infinity, 1, -Infinity, 2]), 1.5);
    assert.ok(Number.isNaN(median([NaN, NaN])));
  });

  it('percentile: nearest rank over the finite values; NaN for none', () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1
    assert.equal(percentile(v, 50), 50);
    assert.equal(percentile(v, 95), 95);
    assert.equal(percentile(v, 99), 99);
    assert.equal(percentile(v, 100), 100);
    assert.equal(percentile(v, 0), 1);
    assert.equal(percentile([NaN, 10, 20], 100), 20);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('freeUdpPort: a loopback port that can be bound', async () => {
    const port = await freeUdpPort();
    assert.ok(port > 0 && port < 65536);
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((r) => s.close(() => r()));
  });
});
