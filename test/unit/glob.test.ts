// `match` globs run in linear-ish time (issue 12): no backtracking regex, so a
// hostile pattern (from a notebook) against a hostile series name (from a LAN
// packet) cannot freeze the extension host. Correctness is checked against an
// independent oracle written here (memoised recursion over the definition).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compileGlobs, globMatch } from '../../src/core/glob';
import { globOption } from '../../src/core/sources/common';
import { prng } from '../helpers-sources/util';

/** The definition, memoised: `*` any run (also none), `?` one code unit, else the same code unit. */
function oracle(pattern: string, name: string): boolean {
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (name.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === pattern.length) r = j === name.length;
    else if (pattern[i] === '*') r = go(i + 1, j) || (j < name.length && go(i, j + 1));
    else r = j < name.length && (pattern[i] === '?' || pattern[i] === name[j]) && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

describe('match globs', () => {
  it('agree with an independent oracle on hand-picked cases', () => {
    const cases: [string, string][] = [
      ['pump*', 'pump1'], ['pump*', 'pump'], ['pump*', 'pum'], ['pump*', 'xpump1'],
      ['*', ''], ['', ''], ['', 'a'], ['?', ''], ['?', 'a'], ['?', 'ab'], ['a?c', 'abc'], ['a?c', 'ac'],
      ['*a', 'ba'], ['*a', 'ab'], ['a*b*c', 'aXbYc'], ['a*b*c', 'acb'], ['**', 'x'], ['a**b', 'ab'],
      ['*.*', 'temp.1'], ['*.*', 'temp1'], ['[x]', '[x]'], ['[x]', 'x'], ['a+b', 'a+b'], ['a+b', 'aab'],
      ['(a|b)', '(a|b)'], ['(a|b)', 'a'], ['^a$', '^a$'], ['\\d', '\\d'], ['\\d', '1'], ['*x', 'line\nx'],
      ['?*?', 'ab'], ['?*?', 'a'], ['*?*?*', 'abc'], ['mot*r_?', 'motor_1'], ['mot*r_?', 'motor_12'],
    ];
    for (const [p, n] of cases) assert.equal(globMatch(p, n), oracle(p, n), `${JSON.stringify(p)} vs ${JSON.stringify(n)}`);
    // A few fixed expectations, so the oracle itself is held to the definition.
    assert.equal(oracle('pump*', 'pump1'), true);
    assert.equal(oracle('a?c', 'ac'), false);
    assert.equal(oracle('[x]', 'x'), false);
  });

  it('agree with the oracle on 20,000 random patterns and names', () => {
    const rnd = prng(12);
    const pick = (alphabet: string, max: number) => {
      let s = '';
      const len = Math.floor(rnd() * (max + 1));
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      return s;
    };
    let matched = 0;
    for (let k = 0; k < 20_000; k++) {
      const p = pick('ab*?.', 8);
      const n = pick('ab.', 10);
      const want = oracle(p, n);
      if (want) matched++;
      assert.equal(globMatch(p, n), want, `${JSON.stringify(p)} vs ${JSON.stringify(n)}`);
    }
    assert.ok(matched > 1000 && matched < 19_000, `both outcomes are exercised (${matched} matches)`);
  });

  it('several patterns (array or comma-separated), trimmed; none or "*" means everything', () => {
    const m = compileGlobs(globOption({ kind: 'udp', match: ' pump* , motor?' }, 'match'));
    assert.deepEqual(['pump1', 'motor2', 'motor', 'valve', ' pump1'].map(m), [true, true, false, false, false]);
    const a = compileGlobs(['temp', 'x*y']);
    assert.deepEqual(['temp', 'xzy', 'temp2'].map(a), [true, true, false]);
    assert.equal(compileGlobs([])('anything'), true);
    assert.equal(compileGlobs([' ', ''])('anything'), true);
    assert.equal(compileGlobs(['a', '*'])('zzz'), true);
    assert.equal(compileGlobs(globOption({ kind: 'udp' }, 'match'))('zzz'), true);
  });

  it('adversarial globs against 256-character names finish in bounded time (and right)', () => {
    const names = ['a'.repeat(256), 'a'.repeat(255) + 'c', 'ab'.repeat(128), '?*'.repeat(128), 'a'.repeat(128) + 'b'.repeat(128)];
    const patterns = [
      '*a*a*a*a*a*b',
      '*a'.repeat(40) + '*b',
      '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c?',
      '?*'.repeat(100) + 'b',
      'a*'.repeat(120) + 'z',
      '*' + 'a?'.repeat(60) + '*b*b*b*b*b*x',
      '*' + 'ab'.repeat(60) + 'x*',
    ];
    // Correctness of these cases against the oracle (not timed).
    for (const p of patterns) for (const n of names) assert.equal(globMatch(p, n), oracle(p, n), `${p.slice(0, 20)}… vs ${n.slice(0, 20)}…`);
    // A backtracking matcher takes seconds (the issue measured 11 s) for one of these;
    // 5,000 two-pointer matches take a few tens of milliseconds. The bound is generous.
    const t0 = performance.now();
    let hits = 0;
    for (let k = 0; k < 5_000; k++) {
      const p = patterns[k % patterns.length]!;
      const n = names[Math.floor(k / patterns.length) % names.length]!;
      if (globMatch(p, n)) hits++;
    }
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `5,000 adversarial matches took ${ms.toFixed(0)} ms`);
    assert.ok(hits > 0, 'some of them match');
    // Through the predicate the UDP source uses, with several patterns at once.
    const pred = compileGlobs(patterns);
    const t1 = performance.now();
    for (let k = 0; k < 1_000; k++) pred(names[k % names.length]!);
    assert.ok(performance.now() - t1 < 2000, 'compiled predicate is bounded too');
  });
});
