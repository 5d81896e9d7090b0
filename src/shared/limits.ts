/**
 * Every default and limit, in one place. The host (settings, spec validation,
 * sources) and the pages (the period control's fallback) read them from here;
 * `package.json`'s contributed setting defaults, minimums and maximums are checked
 * against {@link SETTINGS} by a unit test. Plain constants: no `vscode`, no DOM.
 */

// ---------------------------------------------------------------- refresh period

/**
 * The one set of bounds of a refresh period: from the `livePlot.minPeriodMs`
 * setting ({@link DEFAULT_MIN_PERIOD_MS} unless changed, never below
 * {@link MIN_PERIOD_FLOOR_MS}) up to {@link MAX_PERIOD_MS}. Any finite period > 0
 * may be asked for ({@link isPeriodRequest}); it is clamped into the bounds
 * ({@link clampPeriod}).
 */
export const MAX_PERIOD_MS = 60_000;
/** Default of `livePlot.minPeriodMs` (the seed's `max(250 ms, period)`). */
export const DEFAULT_MIN_PERIOD_MS = 250;
/** Smallest value `livePlot.minPeriodMs` accepts. */
export const MIN_PERIOD_FLOOR_MS = 1;
/** Period of a spec that sets none (`livePlot.defaultPeriodMs`). */
export const DEFAULT_PERIOD_MS = 1000;
/** The period control in views (`livePlot.periodControl.*`): the seed's slider, 0.25–2 s by 0.25 s. */
export const PERIOD_CONTROL: { readonly min: number; readonly max: number; readonly step: number } = { min: 250, max: 2000, step: 250 };

/** The bounds a period is clamped into (from settings). */
export interface PeriodBounds {
  readonly minPeriodMs: number;
  readonly maxPeriodMs: number;
}

/** Whether `v` may be asked for as a period: a finite number of milliseconds > 0 (then clamped). */
export function isPeriodRequest(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/** Clamps a period (rounded to whole ms) into `bounds`, never beyond {@link MAX_PERIOD_MS}. */
export function clampPeriod(periodMs: number, bounds: PeriodBounds): number {
  return Math.min(Math.max(Math.round(periodMs), bounds.minPeriodMs), Math.min(bounds.maxPeriodMs, MAX_PERIOD_MS));
}

// ---------------------------------------------------------------- window, sessions, memory

/** Window of a spec that sets no `points` (`livePlot.defaultPoints`). */
export const DEFAULT_POINTS = 100;
/** Default of `livePlot.maxPoints`. */
export const DEFAULT_MAX_POINTS = 1_000_000;
/** Largest window whatever the settings say (`livePlot.maxPoints`' maximum). */
export const HARD_MAX_POINTS = 10_000_000;
/** Default of `livePlot.maxSessions`. */
export const DEFAULT_MAX_SESSIONS = 50;
/** Largest `livePlot.maxSessions`. */
export const HARD_MAX_SESSIONS = 10_000;
/** Default of `livePlot.memoryBudgetMB`: what all sessions' ring buffers together may take. */
export const DEFAULT_MEMORY_BUDGET_MB = 512;
/** Range of `livePlot.memoryBudgetMB`. */
export const MIN_MEMORY_BUDGET_MB = 16;
export const MAX_MEMORY_BUDGET_MB = 65_536;
/** Series (columns besides x) one session records; further new series are dropped and said so. */
export const MAX_SERIES = 64;
/** Longest title; longer ones are cut. */
export const MAX_TITLE_LENGTH = 200;
/** Longest time window (a day). */
export const MAX_WINDOW_SECONDS = 86_400;

// ---------------------------------------------------------------- sources and parsers

/** Teleplot's default address and port, for the shared UDP socket (`livePlot.udp.*`). */
export const DEFAULT_UDP_ADDRESS = '127.0.0.1';
export const DEFAULT_UDP_PORT = 47269;
/** Longest input line parsed (Teleplot and CSV); longer lines are counted as malformed. */
export const MAX_LINE_LENGTH = 4096;
/** Longest series name. */
export const MAX_NAME_LENGTH = 256;
/** Largest HTTP response body read. */
export const HTTP_MAX_BODY_BYTES = 1024 * 1024;

// ---------------------------------------------------------------- settings

/** Default and range of one contributed setting, as `package.json` declares it. */
export interface SettingLimit {
  readonly default: number | string;
  readonly minimum?: number;
  readonly maximum?: number;
}

/**
 * The `livePlot.*` settings' defaults and ranges, keyed without the prefix;
 * `package.json` must declare exactly these (a unit test checks).
 */
export const SETTINGS = {
  defaultPeriodMs: { default: DEFAULT_PERIOD_MS, minimum: MIN_PERIOD_FLOOR_MS, maximum: MAX_PERIOD_MS },
  defaultPoints: { default: DEFAULT_POINTS, minimum: 1 },
  minPeriodMs: { default: DEFAULT_MIN_PERIOD_MS, minimum: MIN_PERIOD_FLOOR_MS, maximum: MAX_PERIOD_MS },
  maxSessions: { default: DEFAULT_MAX_SESSIONS, minimum: 1, maximum: HARD_MAX_SESSIONS },
  maxPoints: { default: DEFAULT_MAX_POINTS, minimum: 1, maximum: HARD_MAX_POINTS },
  memoryBudgetMB: { default: DEFAULT_MEMORY_BUDGET_MB, minimum: MIN_MEMORY_BUDGET_MB, maximum: MAX_MEMORY_BUDGET_MB },
  'periodControl.min': { default: PERIOD_CONTROL.min, minimum: MIN_PERIOD_FLOOR_MS },
  'periodControl.max': { default: PERIOD_CONTROL.max, minimum: MIN_PERIOD_FLOOR_MS },
  'periodControl.step': { default: PERIOD_CONTROL.step, minimum: 1 },
  'udp.address': { default: DEFAULT_UDP_ADDRESS },
  'udp.port': { default: DEFAULT_UDP_PORT, minimum: 1, maximum: 65_535 },
} as const satisfies Record<string, SettingLimit>;
