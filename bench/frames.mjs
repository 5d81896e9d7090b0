// Small statistics shared by the benchmark scripts.

/** Median of the finite numbers in `a` (NaN for none). */
export function median(a) {
  const s = a.filter((v) => Number.isFinite(v)).sort((p, q) => p - q);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** p-th percentile (0–100), nearest rank (NaN for none). */
export function pct(a, p) {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
}

/**
 * Frame statistics of a page at 60 Hz from `{ frames, durationMs, intervals, lags }`:
 * fps, dropped frames (intervals beyond 1/60 s), p95 and longest interval, p99 lag.
 */
export function frameStats(r) {
  const dropped = r.intervals.reduce((n, iv) => n + Math.max(0, Math.round(iv / (1000 / 60)) - 1), 0);
  return {
    fps: r.frames / (r.durationMs / 1000),
    dropped,
    frameP95: pct(r.intervals, 95),
    frameMax: Math.max(0, ...r.intervals),
    lagP99: pct(r.lags, 99),
  };
}
