// Frame statistics of the browser benchmarks (bench/run.mjs, bench/vscode/runner.mjs).
import { percentile } from '../test/helpers/stats.mjs';

/**
 * Frame statistics of a page at 60 Hz from `{ frames, durationMs, intervals, lags }`:
 * fps, dropped frames (intervals beyond 1/60 s), p95 and longest interval, p99 lag.
 */
export function frameStats(r) {
  const dropped = r.intervals.reduce((n, iv) => n + Math.max(0, Math.round(iv / (1000 / 60)) - 1), 0);
  return {
    fps: r.frames / (r.durationMs / 1000),
    dropped,
    frameP95: percentile(r.intervals, 95),
    frameMax: Math.max(0, ...r.intervals),
    lagP99: percentile(r.lags, 99),
  };
}
