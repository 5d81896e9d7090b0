/**
 * Encodings of a data message for a JSON channel (the notebook renderer messaging
 * channel), measured encode (host) and decode (view) separately. Runs in Node and
 * in the browser: no Node or DOM imports; `extra` adds the platform's own base64.
 */
import { decodeMessage, encodeMessage } from '../src/shared/codec';

export interface Codec {
  readonly name: string;
  encode(msg: Msg): string;
  decode(s: string): { x: Float64Array; y: Float64Array[] };
}

export interface Msg {
  readonly type: 'delta';
  readonly viewId: string;
  readonly replace: false;
  readonly points: number;
  readonly series: string[];
  readonly x: Float64Array;
  readonly y: Float64Array[];
}

export interface CodecResult {
  readonly codec: string;
  readonly values: number;
  readonly chars: number;
  readonly encodeMs: number;
  readonly decodeMs: number;
  readonly totalMs: number;
  readonly exact: boolean;
}

export const CODECS: Codec[] = [
  {
    name: 'base64 (codec.ts)',
    encode: (m) => JSON.stringify(encodeMessage(m)[0]),
    decode: (s) => decodeMessage(JSON.parse(s)) as { x: Float64Array; y: Float64Array[] },
  },
  {
    name: 'JSON arrays (baseline)',
    encode: (m) => JSON.stringify({ ...m, x: Array.from(m.x), y: m.y.map((c) => Array.from(c)) }),
    decode: (s) => {
      const o = JSON.parse(s) as { x: number[]; y: number[][] };
      return { x: Float64Array.from(o.x), y: o.y.map((c) => Float64Array.from(c)) };
    },
  },
  {
    name: 'Float64Array as is (JSON: an object of keys)',
    encode: (m) => JSON.stringify(m),
    decode: (s) => {
      const o = JSON.parse(s) as { x: Record<string, number>; y: Record<string, number>[] };
      const col = (c: Record<string, number>) => Float64Array.from(Object.values(c));
      return { x: col(o.x), y: o.y.map(col) };
    },
  },
];

/** A delta of `n` rows and one series, with realistic doubles (times in ms, noisy values). */
export function sampleMessage(n: number): Msg {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = 1_718_000_000_000 + i * 2.5;
    y[i] = Math.sin(i / 100) * 20 + Math.cos(i * 0.37) * 0.123456789;
  }
  return { type: 'delta', viewId: 'v', replace: false, points: n, series: ['y'], x, y: [y] };
}

function timeIt(fn: () => void, runs: number): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1]!;
}

/** Encode and decode medians for each codec and size; `extra` adds platform codecs. */
export function runCodecs(sizes: readonly number[], extra: readonly Codec[] = [], runs = 9): CodecResult[] {
  const out: CodecResult[] = [];
  for (const n of sizes) {
    const msg = sampleMessage(n);
    for (const c of [...CODECS, ...extra]) {
      const s = c.encode(msg);
      const back = c.decode(s);
      let exact = back.x.length === n && back.y[0]!.length === n;
      for (let i = 0; exact && i < n; i++) exact = back.x[i] === msg.x[i] && back.y[0]![i] === msg.y[0]![i];
      const r = Math.max(3, Math.round((runs * 10_000) / n));
      const encodeMs = timeIt(() => void c.encode(msg), r);
      const decodeMs = timeIt(() => void c.decode(s), r);
      out.push({ codec: c.name, values: n * 2, chars: s.length, encodeMs, decodeMs, totalMs: encodeMs + decodeMs, exact });
    }
  }
  return out;
}

/** Base64 of a column with a platform encoder/decoder, in the same message shape. */
export function nativeBase64Codec(
  name: string,
  toB64: (bytes: Uint8Array) => string,
  fromB64: (s: string) => Uint8Array,
): Codec {
  const enc = (a: Float64Array) => ({ $f64: toB64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) });
  const dec = (v: { $f64: string }) => {
    const b = fromB64(v.$f64);
    // Aligned copy (the decoded bytes may not start at a multiple of 8).
    const out = new Float64Array(b.length >> 3);
    new Uint8Array(out.buffer).set(b.subarray(0, out.length * 8));
    return out;
  };
  return {
    name,
    encode: (m) => JSON.stringify({ ...m, x: enc(m.x), y: m.y.map(enc), encoding: 'b64' }),
    decode: (s) => {
      const o = JSON.parse(s) as { x: { $f64: string }; y: { $f64: string }[] };
      return { x: dec(o.x), y: o.y.map(dec) };
    },
  };
}

/** Structured clone (what a webview panel's postMessage does), as one figure (no JSON). */
export function structuredCloneCost(sizes: readonly number[], runs = 9): { values: number; cloneMs: number }[] {
  return sizes.map((n) => {
    const msg = sampleMessage(n);
    const r = Math.max(3, Math.round((runs * 10_000) / n));
    return { values: n * 2, cloneMs: timeIt(() => void structuredClone(msg), r) };
  });
}
