/** The choices of the period select, from the range the host allows. */
import { PERIOD_CONTROL } from '../../src/shared/limits';
import type { ViewSessionInfo } from '../../src/shared/protocol';

/** The period select lists every step up to this many options, else a choice of round values. */
const MAX_PERIOD_OPTIONS = 40;
const NICE_PERIODS = [
  10, 20, 25, 50, 100, 200, 250, 500, 750, 1000, 1500, 2000, 2500, 3000, 5000, 10000, 15000, 20000,
  30000, 45000, 60000,
];

/** The period range the host reported, or the period control's defaults where it is missing or not sane. */
export function periodBounds(info: ViewSessionInfo): { min: number; max: number; step: number } {
  const r = info.periodRange;
  const min = r && Number.isFinite(r.min) && r.min > 0 ? r.min : PERIOD_CONTROL.min;
  const max = r && Number.isFinite(r.max) && r.max >= min ? r.max : Math.max(min, PERIOD_CONTROL.max);
  const step = r && Number.isFinite(r.step) && r.step > 0 ? r.step : PERIOD_CONTROL.step;
  return { min, max, step };
}

/** The values offered by the period select: every step, or round values if too many. */
export function periodChoices(info: ViewSessionInfo): number[] {
  const { min, max, step } = periodBounds(info);
  const values = new Set<number>();
  if ((max - min) / step + 1 <= MAX_PERIOD_OPTIONS) {
    for (let v = min; v <= max + 1e-9; v += step) {
      values.add(Math.round(v));
    }
  } else {
    values.add(min);
    values.add(max);
    for (const v of NICE_PERIODS) {
      if (v > min && v < max && Math.abs(((v - min) / step) % 1) < 1e-9) {
        values.add(v);
      }
    }
  }
  if (Number.isFinite(info.periodMs) && info.periodMs > 0) {
    values.add(info.periodMs);
  }
  return [...values].sort((a, b) => a - b);
}
