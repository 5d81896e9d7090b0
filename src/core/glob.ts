/**
 * `match` globs: `*` any run of characters (also none), `?` exactly one
 * character (one UTF-16 code unit), everything else itself. Matching is the
 * classic two-pointer wildcard walk: when a literal fails after a `*`, only the
 * last `*` is retried one character further, so the cost is at most
 * O(pattern × name) — no backtracking regex, whatever the pattern (a series name
 * comes from the network, a pattern from a notebook).
 */
export function globMatch(pattern: string, name: string): boolean {
  const pn = pattern.length;
  const nn = name.length;
  let p = 0;
  let n = 0;
  /** Pattern index just after the last `*` seen, and the name index it is tried at. */
  let star = -1;
  let mark = 0;
  while (n < nn) {
    const c = p < pn ? pattern.charCodeAt(p) : -1;
    if (c === 42 /* * */) {
      // Collapse runs of `*`: they match what one does.
      while (p < pn && pattern.charCodeAt(p) === 42) p++;
      if (p === pn) return true;
      star = p;
      mark = n;
    } else if (c === 63 /* ? */ || (c >= 0 && c === name.charCodeAt(n))) {
      p++;
      n++;
    } else if (star >= 0) {
      p = star;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pn && pattern.charCodeAt(p) === 42) p++;
  return p === pn;
}

/**
 * Compiles `match` globs (several patterns as an array or separated by `,`;
 * surrounding spaces ignored) into a predicate that accepts a name matching any
 * of them. No pattern, or a lone `*`, means everything.
 */
export function compileGlobs(patterns: readonly string[]): (name: string) => boolean {
  const list = [...new Set(patterns.map((p) => p.trim()).filter((p) => p.length > 0))];
  if (list.length === 0 || list.includes('*')) return () => true;
  if (list.length === 1) {
    const only = list[0]!;
    return (name) => globMatch(only, name);
  }
  return (name) => {
    for (const p of list) if (globMatch(p, name)) return true;
    return false;
  };
}
