// Small statistics shared by the benchmarks (bench/) and the tests. Plain JavaScript
// (with stats.d.mts) so that the benchmark runner, which Node runs without a
// TypeScript loader, and TypeScript files import the same code.
//
// Values that are not finite numbers (NaN, ±Infinity: a run that measured nothing,
// a division by a zero duration) are left out rather than sorted: a NaN in a sort
// comparator gives an arbitrary order and so an arbitrary "median".

/** The finite numbers of `values`, sorted ascending (a new array). */
function finiteSorted(values) {
  return values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
}

/** Median of the finite numbers in `values` (NaN if there are none). */
export function median(values) {
  const s = finiteSorted(values);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** p-th percentile (0–100) of the finite numbers in `values`, nearest rank (NaN if there are none). */
export function percentile(values, p) {
  const s = finiteSorted(values);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
