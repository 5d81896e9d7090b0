import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ColumnRing } from '../../src/core/ringBuffer';

describe('ColumnRing', () => {
  it('keeps the newest `capacity` rows in order', () => {
    const r = new ColumnRing(3);
    for (let i = 1; i <= 5; i++) r.push('a', i, i * 10);
    const s = r.snapshot();
    assert.deepEqual(Array.from(s.x), [3, 4, 5]);
    assert.deepEqual(Array.from(s.y[0]!), [30, 40, 50]);
    assert.equal(r.total, 5);
  });

  it('since() returns only new rows, or undefined when they were overwritten', () => {
    const r = new ColumnRing(4);
    r.push('a', 1, 1);
    r.push('a', 2, 2);
    const t = r.total;
    r.push('a', 3, 3);
    assert.deepEqual(Array.from(r.since(t)!.x), [3]);
    for (let i = 4; i < 10; i++) r.push('a', i, i);
    assert.equal(r.since(t), undefined);
  });

  it('samples of different series at the same x share a row', () => {
    const r = new ColumnRing(10);
    r.push('a', 1, 1);
    r.push('b', 1, 2);
    r.push('a', 2, 3);
    const s = r.snapshot();
    assert.deepEqual(Array.from(s.x), [1, 2]);
    assert.deepEqual(Array.from(s.y[1]!).map((v) => (Number.isNaN(v) ? null : v)), [2, null]);
  });

  it('resize keeps the newest rows and never exceeds the window', () => {
    const r = new ColumnRing(5);
    for (let i = 0; i < 7; i++) r.push('a', i, i);
    r.resize(3);
    assert.deepEqual(Array.from(r.snapshot().x), [4, 5, 6]);
    r.resize(6);
    r.push('a', 7, 7);
    assert.deepEqual(Array.from(r.snapshot().x), [4, 5, 6, 7]);
    assert.equal(r.capacity, 6);
    assert.equal(r.byteLength, 6 * 8 * 2);
  });

  it('replace truncates a frame to the window, keeping its end', () => {
    const r = new ColumnRing(3);
    const g = r.generation;
    r.replace([1, 2, 3, 4], [{ name: 'y', values: [10, 20, 30, 40] }]);
    assert.deepEqual(Array.from(r.snapshot().x), [2, 3, 4]);
    assert.deepEqual(Array.from(r.snapshot().y[0]!), [20, 30, 40]);
    assert.notEqual(r.generation, g);
  });

  it('stops adding series past its limit', () => {
    const r = new ColumnRing(4, 2);
    assert.equal(r.push('a', 1, 1), true);
    assert.equal(r.push('b', 1, 1), true);
    assert.equal(r.push('c', 1, 1), false);
    assert.deepEqual(r.seriesNames, ['a', 'b']);
  });

  it('grow() raises the capacity keeping rows, total and generation (a wrapped ring included)', () => {
    const ring = new ColumnRing(5);
    for (let i = 1; i <= 8; i++) ring.push('a', i, i * 10); // wrapped: rows 4..8
    const total = ring.total;
    const gen = ring.generation;
    ring.grow(3);
    assert.equal(ring.capacity, 5, 'never shrinks');
    ring.grow(12);
    assert.equal(ring.capacity, 12);
    assert.equal(ring.total, total);
    assert.equal(ring.generation, gen);
    assert.deepEqual([...ring.snapshot().x], [4, 5, 6, 7, 8]);
    for (let i = 9; i <= 15; i++) ring.push('a', i, i * 10);
    assert.deepEqual([...ring.since(total)!.x], [9, 10, 11, 12, 13, 14, 15], 'a view that had row 8 gets exactly the new rows');
    assert.deepEqual([...ring.snapshot().y[0]!], [40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150]);
    assert.deepEqual([...ring.snapshot(3).x], [13, 14, 15], 'snapshot(n): the newest n');
  });
});

