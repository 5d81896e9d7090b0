/**
 * The y range rule, one for the spec validator (host) and the page: `"auto"`,
 * or `[min, max]` of finite numbers within ±1e300 with min < max. Plain
 * TypeScript: no `vscode`, Node or DOM import.
 */
import type { YRange } from './protocol';

/** Largest magnitude of a fixed y range's bounds. */
export const MAX_Y_BOUND = 1e300;

/** Whether `n` can bound a fixed y range: a finite number within ±{@link MAX_Y_BOUND}. */
export function isYBound(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= MAX_Y_BOUND;
}

/** `v` as a y range (a fresh pair), or undefined if it is not one. */
export function readYRange(v: unknown): YRange | undefined {
  if (v === 'auto') return 'auto';
  if (!Array.isArray(v) || v.length !== 2) return undefined;
  const [min, max] = v as unknown[];
  return isYBound(min) && isYBound(max) && min < max ? [min, max] : undefined;
}

/** A y range from the host, or `"auto"` if it is missing or not valid. */
export function saneYRange(v: unknown): YRange {
  return readYRange(v) ?? 'auto';
}

/** Whether two y ranges are the same. */
export function sameYRange(a: YRange, b: YRange): boolean {
  return a === b || (a !== 'auto' && b !== 'auto' && a[0] === b[0] && a[1] === b[1]);
}
