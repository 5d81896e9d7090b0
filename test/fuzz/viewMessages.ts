// Random and mutated view → host messages, shared by the unit fuzz
// (test/unit/untrustedMessages.test.ts) and the real-UI fuzz (test/e2e/security.e2e.ts).
import { VIEW_TO_HOST_TYPES } from '../../src/shared/protocol';
import { prng } from '../helpers/random';

/** Random and mutated view → host messages (JSON-safe, as the transports carry JSON). */
export function viewMessageCorpus(n: number, seed: number, fakeId: (i: number) => string): unknown[] {
  const r = prng(seed);
  const int = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const strings = ['', ' ', 'attach', 'ATTACH', 'close ', '__proto__', 'constructor', 'toString', '../../etc/passwd', '<script>alert(1)</script>', 'x'.repeat(129), 'é', '\u0000', 'a b', 'data:image/png;base64,iVBORw0KGgo=', 'auto'];
  const numbers = [0, -0, 1, -1, 0.5, 250, 1e9, -1e9, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 3_600_001, 100_000_001, 2 ** 53 + 2];
  const value = (depth = 0): unknown => {
    switch (int(0, depth > 2 ? 4 : 7)) {
      case 0: return pick(numbers);
      case 1: return pick(strings);
      case 2: return r() < 0.5;
      case 3: return null;
      case 4: return r() * 1e6 - 5e5;
      case 5: return Array.from({ length: int(0, 4) }, () => value(depth + 1));
      case 6: return Object.fromEntries(Array.from({ length: int(0, 4) }, () => [pick([...strings, 'type', 'viewId', 'output', 'visible', 'periodMs', 'points', 'yRange']), value(depth + 1)]));
      default: return pick(VIEW_TO_HOST_TYPES);
    }
  };
  const templates = (i: number): Record<string, unknown>[] => [
    { type: 'attach', viewId: fakeId(i), output: `out-${i}` },
    { type: 'detach', viewId: fakeId(i) },
    { type: 'visibility', viewId: fakeId(i), visible: true },
    { type: 'setPeriod', viewId: fakeId(i), periodMs: 500 },
    { type: 'setPoints', viewId: fakeId(i), points: 10 },
    { type: 'pause', viewId: fakeId(i) },
    { type: 'resume', viewId: fakeId(i) },
    { type: 'close', viewId: fakeId(i) },
    ...VIEW_TO_HOST_TYPES.map((type) => ({ type, viewId: fakeId(i) })),
  ];
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const kind = r();
    if (kind < 0.2) {
      out.push(value()); // anything at all
    } else if (kind < 0.3) {
      out.push({ type: pick(VIEW_TO_HOST_TYPES), viewId: fakeId(i) }); // bare, often missing fields
    } else {
      const m = { ...pick(templates(i)) };
      const keys = Object.keys(m);
      for (let k = int(1, 3); k > 0; k--) {
        const op = int(0, 5);
        const key = pick(keys);
        if (op === 0) delete m[key];
        else if (op === 1) m[key] = value();
        else if (op === 2) m[pick(['type', 'viewId'])] = pick(strings);
        else if (op === 3) m[pick(strings)] = value();
        else if (op === 4) m[key] = pick(numbers);
        // op 5: leave it (some stay valid, with a view id that no view has)
      }
      out.push(m);
    }
  }
  return out;
}

/** What the transports deliver: JSON (NaN → null, undefined fields dropped). */
export function delivered(m: unknown): unknown {
  const text = JSON.stringify(m);
  return text === undefined ? null : JSON.parse(text);
}
