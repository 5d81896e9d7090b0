import type { SourceSink } from '../source';
import type { SourceSpec } from '../spec';

/** Throws if `spec` has an option that `kind` does not know (catches typos such as `prot`). */
export function checkKnownOptions(spec: SourceSpec, kind: string, known: readonly string[]): void {
  for (const key of Object.keys(spec)) {
    if (key !== 'kind' && !known.includes(key)) {
      const list = known.length > 0 ? `options: ${known.join(', ')}` : 'it has no options';
      throw new Error(`source.${key} is not an option of the ${kind} source (${list})`);
    }
  }
}

/** A string option: `undefined` if absent and not required; throws for a wrong type or an empty string. */
export function stringOption(spec: SourceSpec, key: string, required: true): string;
export function stringOption(spec: SourceSpec, key: string, required?: false): string | undefined;
export function stringOption(spec: SourceSpec, key: string, required = false): string | undefined {
  const v = spec[key];
  if (v === undefined) {
    if (required) throw new Error(`source.${key} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || v.trim().length === 0) throw new Error(`source.${key} must be a non-empty string`);
  return v;
}

/** A boolean option with a default. */
export function booleanOption(spec: SourceSpec, key: string, fallback: boolean): boolean {
  const v = spec[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new Error(`source.${key} must be true or false`);
  return v;
}

/** A whole-number option in [min, max], or `undefined` if absent. */
export function integerOption(spec: SourceSpec, key: string, min: number, max: number): number | undefined {
  const v = spec[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new Error(`source.${key} must be a whole number from ${min} to ${max}`);
  }
  return v;
}

/** An optional `{ NAME: "value" }` option of strings. */
export function stringMapOption(spec: SourceSpec, key: string): Record<string, string> | undefined {
  const v = spec[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`source.${key} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, s] of Object.entries(v as Record<string, unknown>)) {
    if (typeof s !== 'string') throw new Error(`source.${key}.${k} must be a string`);
    out[k] = s;
  }
  return out;
}

const MAX_LOGGED_MALFORMED = 5;

/**
 * Forwards malformed counts to a sink and logs the first few examples, so
 * that users can see what was wrong without the log being flooded.
 */
export class MalformedReport {
  private logged = 0;

  report(sink: SourceSink | undefined, count: number, example: string | undefined): void {
    if (!sink || !(count > 0)) return;
    sink.malformed(count, example);
    if (example !== undefined && this.logged < MAX_LOGGED_MALFORMED) {
      this.logged++;
      const more = this.logged === MAX_LOGGED_MALFORMED ? ' (further malformed lines are counted, not logged)' : '';
      sink.log(`malformed input ignored: ${JSON.stringify(example)}${more}`);
    }
  }
}

export { compileGlobs } from '../glob';

/** Reads a `match` option: a string (patterns separated by `,`) or an array of strings. Default: everything. */
export function globOption(spec: SourceSpec, key: string): string[] {
  const v = spec[key];
  if (v === undefined) return ['*'];
  if (typeof v === 'string') return v.split(',');
  if (Array.isArray(v) && v.every((p) => typeof p === 'string')) return v as string[];
  throw new Error(`source.${key} must be a glob such as "pump*" (or an array of globs)`);
}

/** The code of a Node system error, if any. */
export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
