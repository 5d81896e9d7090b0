/**
 * The view's local window (webview/plot/dataWindow.ts): a randomized comparison with
 * a plain-array model, the view() identity contract, and appends into a full
 * window that neither reallocate nor shift the whole window every time.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DataWindow,
  MAX_CAPACITY,
  MAX_SLACK,
  MIN_SLACK,
  normaliseCapacity,
  slackFor,
  type IncomingColumns,
} from '../../webview/plot/dataWindow';
import { prng as rng } from '../helpers/random';

/** Columns x = from, from+1, …; series `name` holds x * 10 + its index. */
function cols(from: number, n: number, series = ['a']): IncomingColumns {
  const x = Float64Array.from({ length: n }, (_, i) => from + i);
  return { series, x, y: series.map((_, s) => x.map((v) => v * 10 + s)) };
}

function sameNumber(a: number | undefined, b: number | undefined): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

/** The obvious implementation: plain arrays, trimmed with splice. */
class Model {
  series: string[] = [];
  capacity = 0;
  x: number[] = [];
  y: number[][] = [];

  get length(): number {
    return this.x.length;
  }

  replace(c: IncomingColumns, capacity: number): boolean {
    const n = validLength(c);
    if (n < 0) return false;
    this.capacity = normaliseCapacity(capacity, Math.max(n, 1));
    this.series = [...c.series];
    const from = n - Math.min(n, this.capacity);
    this.x = Array.from(c.x).slice(from);
    this.y = c.y.map((col) => Array.from(col).slice(from));
    return true;
  }

  append(c: IncomingColumns, capacity: number): boolean {
    const n = validLength(c);
    if (n < 0) return false;
    this.capacity = normaliseCapacity(capacity, this.capacity || Math.max(n, 1));
    this.trim();
    for (const name of c.series) {
      if (!this.series.includes(name)) {
        this.series.push(name);
        this.y.push(new Array<number>(this.length).fill(NaN));
      }
    }
    const map = this.series.map((name) => c.series.indexOf(name));
    for (let i = 0; i < n; i++) {
      this.x.push(c.x[i]);
      map.forEach((src, s) => this.y[s].push(src >= 0 ? c.y[src][i] : NaN));
    }
    this.trim();
    return true;
  }

  last(s: number): number | undefined {
    return this.length > 0 && s < this.y.length ? this.y[s][this.length - 1] : undefined;
  }

  firstX(): number | undefined {
    return this.length > 0 ? this.x[0] : undefined;
  }

  private trim(): void {
    const drop = Math.max(0, this.length - this.capacity);
    this.x.splice(0, drop);
    for (const col of this.y) col.splice(0, drop);
  }
}

/** Independent of columnLength(): x and every y the same length, names strings. */
function validLength(c: IncomingColumns): number {
  const ok =
    Array.isArray(c.series) &&
    Array.isArray(c.y) &&
    c.series.length === c.y.length &&
    c.series.every((s) => typeof s === 'string') &&
    c.y.every((col) => col.length === c.x.length);
  return ok ? c.x.length : -1;
}

function compare(w: DataWindow, m: Model, what: string): void {
  assert.equal(w.length, m.length, `${what}: length`);
  assert.equal(w.capacity, m.capacity, `${what}: capacity`);
  assert.deepEqual([...w.series], m.series, `${what}: series`);
  const view = w.view();
  assert.strictEqual(w.view(), view, `${what}: view() twice is the same array`);
  assert.equal(view.length, m.series.length + 1, `${what}: view columns`);
  const expected = [m.x, ...m.y];
  view.forEach((col, c) => {
    assert.ok(col instanceof Float64Array, `${what}: column ${c} is a Float64Array`);
    assert.strictEqual(w.view()[c], col, `${what}: column ${c} is the same object`);
    assert.equal(col.length, m.length, `${what}: column ${c} length`);
    for (let i = 0; i < col.length; i++) {
      if (!sameNumber(col[i], expected[c][i])) {
        assert.fail(`${what}: column ${c} row ${i}: got ${col[i]}, expected ${expected[c][i]}`);
      }
    }
  });
  for (let s = 0; s <= m.series.length + 1; s++) {
    assert.ok(sameNumber(w.last(s), m.last(s)), `${what}: last(${s}) = ${w.last(s)}, expected ${m.last(s)}`);
  }
  assert.equal(w.firstX(), m.firstX(), `${what}: firstX`);
}

/** The offset of the oldest row, read from outside only to check that the test covers wrap-around. */
function startOf(w: DataWindow): number {
  return (w as unknown as { start: number }).start;
}

const NAMES = ['a', 'b', 'c', 'd', 'e'];

function runModel(seed: number, ops: number): { compactions: number; fullAppends: number } {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  let nextX = 0;
  let capacity = int(1, 40);
  const w = new DataWindow();
  const m = new Model();
  let compactions = 0;
  let fullAppends = 0;

  /** A random subset of the names in random order, sometimes with a name never seen. */
  const someSeries = (): string[] => {
    const out = NAMES.filter(() => r() < 0.6);
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  const delta = (n: number, series: string[]): IncomingColumns => {
    const typed = r() < 0.7;
    const xs = Array.from({ length: n }, () => nextX++);
    const ys = series.map(() => Array.from({ length: n }, () => (r() < 0.05 ? NaN : Math.round(r() * 1e6) / 100)));
    return typed
      ? { series, x: Float64Array.from(xs), y: ys.map((c) => Float64Array.from(c)) }
      : { series, x: xs, y: ys };
  };
  const malformed = (): IncomingColumns => {
    const n = int(1, 5);
    const kind = int(0, 3);
    if (kind === 0) return { series: ['a'], x: [1, 2, 3].slice(0, n), y: [[1, 2, 3, 4, 5, 6].slice(0, n + 1)] };
    if (kind === 1) return { series: ['a', 'b'], x: new Float64Array(n), y: [new Float64Array(n)] };
    if (kind === 2) return { series: [7 as unknown as string], x: [1], y: [[1]] };
    return { series: ['a'], x: 'nope' as unknown as number[], y: [[1]] };
  };

  for (let op = 0; op < ops; op++) {
    const roll = r();
    // Capacity: mostly unchanged, sometimes a small or a larger window, rarely odd values.
    if (roll < 0.04) capacity = int(1, 40);
    else if (roll < 0.06) capacity = int(MIN_SLACK - 50, 3 * MIN_SLACK);
    else if (roll < 0.065) capacity = pick([0, -3, 2.7, NaN]);
    const cap = w.capacity || 1;
    const kind = r();
    let what: string;
    let gotW: boolean;
    let gotM: boolean;
    const before = startOf(w);
    const wasFull = w.length > 0 && w.length === w.capacity;
    if (kind < 0.05) {
      const c = delta(int(0, Math.max(1, cap) * 2), someSeries());
      what = `op ${op}: replace ${c.x.length} rows [${c.series}] cap ${capacity}`;
      gotW = w.replace(c, capacity);
      gotM = m.replace(c, capacity);
    } else if (kind < 0.08) {
      const c = malformed();
      what = `op ${op}: malformed ${r() < 0.5 ? 'append' : 'replace'}`;
      gotW = what.endsWith('append') ? w.append(c, capacity) : w.replace(c, capacity);
      gotM = false;
    } else {
      // Mostly the series held (in order), sometimes missing or new ones.
      const series = r() < 0.8 && w.series.length > 0 ? [...w.series] : someSeries();
      const n = r() < 0.05 ? int(cap, cap * 3 + 2) : int(0, Math.max(1, Math.ceil(cap / 3)));
      const c = delta(n, series);
      what = `op ${op}: append ${n} rows [${series}] cap ${capacity}`;
      gotW = w.append(c, capacity);
      gotM = m.append(c, capacity);
      if (wasFull && n > 0 && n < w.capacity && w.capacity === cap) {
        fullAppends++;
        if (startOf(w) === 0 && before > 0) compactions++;
      }
    }
    assert.equal(gotW, gotM, `${what}: result`);
    compare(w, m, what);
  }
  return { compactions, fullAppends };
}

describe('DataWindow against a plain-array model', () => {
  it('matches the model over thousands of random operations', () => {
    const seeds = process.env.DATAWINDOW_SEED
      ? [Number(process.env.DATAWINDOW_SEED)]
      : [1, 2, 0xdecafbad, Date.now() % 1e9];
    let compactions = 0;
    let fullAppends = 0;
    for (const seed of seeds) {
      try {
        const stats = runModel(seed, 4000);
        compactions += stats.compactions;
        fullAppends += stats.fullAppends;
      } catch (e) {
        console.error(`DataWindow model test failed with seed ${seed} (rerun with DATAWINDOW_SEED=${seed})`);
        throw e;
      }
    }
    // The runs must have gone through the interesting paths, or they prove little.
    assert.ok(fullAppends > 1000, `appends into a full window: ${fullAppends}`);
    assert.ok(compactions > 20, `compactions: ${compactions}`);
  });
});

describe('DataWindow', () => {
  it('view() returns the same objects until start, length or shape change', () => {
    const w = new DataWindow();
    w.replace(cols(1, 3, ['a', 'b']), 10);
    const v = w.view();
    const [x, a, b] = v;
    assert.strictEqual(w.view(), v);
    w.last(0);
    w.firstX();
    assert.strictEqual(w.view(), v, 'reading does not change the view');
    assert.ok(w.append(cols(4, 0, ['a', 'b']), 10));
    assert.strictEqual(w.view(), v, 'an empty delta changes nothing');
    assert.ok(w.replace(cols(7, 3, ['a', 'b']), 10));
    assert.strictEqual(w.view(), v, 'same rows, same place: the same views, with the new numbers');
    assert.deepEqual([...x], [7, 8, 9]);
    assert.deepEqual([...a], [70, 80, 90]);
    assert.deepEqual([...b], [71, 81, 91]);
    assert.equal(w.append({ series: ['a'], x: [1, 2], y: [[1]] }, 10), false);
    assert.strictEqual(w.view(), v, 'a malformed delta changes nothing');

    w.append(cols(10, 1, ['a', 'b']), 10);
    const v2 = w.view();
    assert.notStrictEqual(v2, v, 'a new length gives new views');
    assert.deepEqual([...v2[0]], [7, 8, 9, 10]);
    w.append(cols(11, 1, ['a', 'b', 'c']), 10);
    const v3 = w.view();
    assert.notStrictEqual(v3, v2, 'a new series gives new views');
    assert.equal(v3.length, 4);
    assert.ok(v3.every((c) => c.length === 5));
  });

  it('view() moves with the window once full, and every column has the same length', () => {
    const w = new DataWindow();
    w.replace(cols(1, 4, ['a', 'b']), 4);
    w.append(cols(5, 2, ['a', 'b']), 4);
    const v2 = w.view();
    assert.strictEqual(w.view(), v2);
    assert.deepEqual(v2.map((c) => [...c]), [
      [3, 4, 5, 6],
      [30, 40, 50, 60],
      [31, 41, 51, 61],
    ]);
    assert.equal(w.firstX(), 3);
    assert.equal(w.last(1), 61);
  });

  it('appends into a full window without reallocating, over 10,000 appends', () => {
    const cap = 1000;
    const w = new DataWindow();
    w.replace(cols(0, cap, ['a', 'b']), cap);
    const buffers = w.view().map((c) => c.buffer);
    let next = cap;
    for (let i = 0; i < 10_000; i++) {
      const n = 1 + (i % 7);
      assert.ok(w.append(cols(next, n, ['a', 'b']), cap));
      next += n;
      const v = w.view();
      v.forEach((c, k) => assert.strictEqual(c.buffer, buffers[k], `append ${i}: column ${k} reallocated`));
      assert.equal(w.length, cap);
      assert.equal(w.firstX(), next - cap, `append ${i}: firstX`);
      assert.equal(w.last(1), (next - 1) * 10 + 1, `append ${i}: last`);
    }
    const [x, a, b] = w.view();
    for (let i = 0; i < cap; i++) {
      const v = next - cap + i;
      assert.ok(x[i] === v && a[i] === v * 10 && b[i] === v * 10 + 1, `row ${i}`);
    }
  });

  it('moves O(rows appended) data, not the whole window on every append', () => {
    const cap = 50_000;
    const w = new DataWindow();
    w.replace(cols(0, cap), cap);
    const proto = Float64Array.prototype;
    const original = proto.copyWithin;
    let moved = 0;
    proto.copyWithin = function (this: Float64Array, target: number, start: number, end?: number) {
      moved += (end ?? this.length) - start;
      return original.call(this, target, start, end);
    };
    let appended = 0;
    try {
      for (let i = 0; i < 2000; i++) {
        const n = 1 + (i % 100);
        w.append(cols(cap + appended, n), cap);
        appended += n;
      }
    } finally {
      proto.copyWithin = original;
    }
    assert.equal(w.firstX(), appended);
    // Each compaction moves at most `cap` rows of 2 columns and buys `slack` rows of appends.
    const slack = cap; // what slackFor() gives up to MAX_SLACK rows (checked below)
    const bound = 2 * cap * Math.ceil(appended / slack);
    assert.ok(moved <= bound, `moved ${moved} values for ${appended} rows appended (bound ${bound})`);
  });

  it('keeps the newest rows when the capacity changes mid-stream, with the window wrapped', () => {
    const w = new DataWindow();
    w.replace(cols(0, 10), 10);
    for (let i = 0; i < 300; i++) w.append(cols(10 + i * 5, 5), 10);
    // x now ends at 1509.
    w.append(cols(1510, 2), 4);
    assert.deepEqual([...w.view()[0]], [1508, 1509, 1510, 1511]);
    w.append(cols(1512, 1), 2000);
    assert.deepEqual([...w.view()[0]], [1508, 1509, 1510, 1511, 1512]);
    assert.equal(w.capacity, 2000);
    assert.equal(w.firstX(), 1508);
    assert.equal(w.last(0), 15120);
  });

  it('adds a series into a wrapped window, NaN before it appeared', () => {
    const w = new DataWindow();
    w.replace(cols(0, 3), 3);
    for (let i = 0; i < 2000; i++) w.append(cols(3 + i, 1), 3);
    w.append({ series: ['b'], x: [2003], y: [[7]] }, 3);
    const [x, a, b] = w.view();
    assert.deepEqual([...x], [2001, 2002, 2003]);
    assert.deepEqual([...a], [20010, 20020, NaN]);
    assert.deepEqual([...b], [NaN, NaN, 7]);
  });

  it('sizes the slack: at least MIN_SLACK, at most the capacity or MAX_SLACK', () => {
    assert.equal(slackFor(1), MIN_SLACK);
    assert.equal(slackFor(5000), 5000);
    assert.equal(slackFor(200_000), 200_000);
    assert.equal(slackFor(1_000_000), MAX_SLACK);
    assert.ok(slackFor(1_000_000) <= 0.3 * 1_000_000, 'at most ~25% more memory for a 1M-row window');
    assert.equal(slackFor(MAX_CAPACITY), MAX_SLACK);
    assert.ok(slackFor(MAX_CAPACITY) <= 0.03 * MAX_CAPACITY, 'at most ~3% more memory at the limit');
  });
});
