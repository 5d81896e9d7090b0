import type { Clock } from '../clock';
import { MAX_NAME_LENGTH } from '../parsers/teleplot';
import type { Source, SourceContext, SourceFactory, SourceKindDescriptor, SourceSink } from '../source';
import type { SourceSpec } from '../spec';
import { checkKnownOptions } from './common';

/**
 * Samples pushed by another extension through its session handle
 * (`handle.push(samples)`). Push source: recorded at once, shown once a period.
 *
 * `push` accepts, and never throws:
 * - `{ "temp": 21.5, "rpm": 900 }`: one sample per key, x = now;
 * - `[{ name: "temp", y: 21.5 }, { name: "rpm", x: 1718000000000, y: 900 }]`: x defaults to now;
 * - `{ name: "temp", x?: …, y: 21.5 }`: one such sample on its own;
 * - `{ x: Float64Array | number[], y: { temp: Float64Array | number[], … } }`:
 *   columns, row i at x[i] — the cheap way to push many samples at once (no
 *   object per sample; 500,000 samples a second cost the host a fraction of a core).
 * Names must be non-empty strings of at most 256 characters; x and y finite
 * numbers. Anything else (NaN, ±Infinity, strings, null, bad names, a value
 * that is none of the above) is counted malformed, one count per bad sample;
 * a y column whose length differs from x's is malformed as a whole.
 */
export class ApiSource implements Source {
  readonly mode = 'append' as const;
  readonly endpoint = 'samples pushed through the extension API';
  private sink: SourceSink | undefined;
  private disposed = false;

  constructor(private readonly clock: Clock) {}

  start(sink: SourceSink): void {
    if (!this.disposed) this.sink = sink;
  }

  /** Records `samples`; returns how many were accepted (0 once the session has ended). */
  push(samples: unknown): number {
    const sink = this.sink;
    if (!sink) return 0;
    const now = this.clock.now();
    let ok = 0;
    let bad = 0;
    if (isColumns(samples)) {
      try {
        const r = this.columns(sink, samples);
        ok += r.ok;
        bad += r.bad;
      } catch {
        bad++; // a getter or proxy that throws: what was recorded before it stays
      }
    } else if (Array.isArray(samples)) {
      for (const s of samples) {
        if (this.one(sink, s, now)) ok++;
        else bad++;
      }
    } else if (isSampleObject(samples)) {
      if (this.one(sink, samples, now)) ok++;
      else bad++;
    } else if (typeof samples === 'object' && samples !== null) {
      for (const [name, y] of Object.entries(samples as Record<string, unknown>)) {
        if (validName(name) && isFiniteNumber(y)) {
          sink.sample(name, now, y);
          ok++;
        } else {
          bad++;
        }
      }
    } else {
      bad++;
    }
    if (bad > 0) sink.malformed(bad);
    return ok;
  }

  private columns(sink: SourceSink, c: ColumnsPush): { ok: number; bad: number } {
    const x = c.x;
    const n = x.length;
    let ok = 0;
    let bad = 0;
    const cols: { name: string; y: ArrayLike<unknown> }[] = [];
    for (const [name, y] of Object.entries(c.y)) {
      if (validName(name) && isArrayLike(y) && y.length === n) cols.push({ name, y });
      else bad += isArrayLike(y) ? y.length : 1;
    }
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      for (let k = 0; k < cols.length; k++) {
        const yi = cols[k]!.y[i];
        if (isFiniteNumber(xi) && isFiniteNumber(yi)) {
          sink.sample(cols[k]!.name, xi, yi);
          ok++;
        } else {
          bad++;
        }
      }
    }
    return { ok, bad };
  }

  private one(sink: SourceSink, s: unknown, now: number): boolean {
    if (typeof s !== 'object' || s === null) return false;
    const { name, x, y } = s as { name?: unknown; x?: unknown; y?: unknown };
    if (!validName(name) || !isFiniteNumber(y)) return false;
    if (x !== undefined && !isFiniteNumber(x)) return false;
    sink.sample(name, x ?? now, y);
    return true;
  }

  dispose(): void {
    this.disposed = true;
    this.sink = undefined;
  }
}

/** `{ name: "…", y: … }` (with an optional x) rather than a record of series. */
function isSampleObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.name === 'string' && 'y' in o && Object.keys(o).every((k) => k === 'name' || k === 'x' || k === 'y');
}

/** `handle.push` in columns: x and one y column per series name. */
interface ColumnsPush {
  readonly x: ArrayLike<unknown>;
  readonly y: Readonly<Record<string, unknown>>;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** `{ x: [...], y: { name: [...] } }` (x an array or typed array, y a plain object). */
function isColumns(v: unknown): v is ColumnsPush {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return isArrayLike(o.x) && typeof o.y === 'object' && o.y !== null && !Array.isArray(o.y) && !isArrayLike(o.y) && Object.keys(o).length === 2;
}

function validName(n: unknown): n is string {
  return typeof n === 'string' && n.length > 0 && n.length <= MAX_NAME_LENGTH;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Factory of `api` sources (no options). */
export const createApiSource: SourceFactory = (spec: SourceSpec, ctx: SourceContext) => {
  checkKnownOptions(spec, 'api', []);
  return new ApiSource(ctx.clock);
};

/** The `api` kind: another extension pushes samples (`handle.push`). */
export const apiSourceKind: SourceKindDescriptor = {
  kind: 'api',
  label: 'api',
  description: 'samples pushed by another extension through the API',
  needsTrust: false,
  preview: () => ['Waits for samples that another extension pushes through the Live Plot API.'],
  factory: createApiSource,
  schema: { markdownDescription: 'Another extension pushes samples through the API (`handle.push`). No options.', properties: {} },
};
