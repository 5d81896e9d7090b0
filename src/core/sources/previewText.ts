/**
 * Helpers for the lines a source kind writes to say what starting it would do
 * (its descriptor's `preview`): the text comes from a file, so it is quoted and
 * cut to a readable length, never interpreted.
 */

const MAX_LINE = 400;

/** `s`, cut to a readable length with the full length said. */
export function cut(s: string): string {
  return s.length > MAX_LINE ? `${s.slice(0, MAX_LINE)}… (${s.length} characters)` : s;
}

/** A word for a command line: bare if safe, else in double quotes with escapes. */
export function shellWord(v: unknown): string {
  const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v);
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : JSON.stringify(s);
}

/** A non-empty string option, else `undefined`. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** `p` resolved against `cwd` for display (absolute paths as they are). */
export function joinPath(cwd: string | undefined, p: string): string {
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || !cwd) return p;
  return `${cwd.replace(/[\\/]+$/, '')}/${p}`;
}

/** The names of an object option (e.g. `env`, `headers`), if it is one. */
export function keysOf(v: unknown): string[] {
  return v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v as object) : [];
}
