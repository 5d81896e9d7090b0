/**
 * The session spec: one JSON shape for the "New Session" command, `.liveplot`
 * cells, the notebook MIME payload, panel state and the extension API.
 */
import type { YRange } from '../shared/protocol';
import {
  clampPeriod,
  DEFAULT_MAX_POINTS,
  DEFAULT_MIN_PERIOD_MS,
  DEFAULT_PERIOD_MS,
  DEFAULT_POINTS,
  HARD_MAX_POINTS,
  isPeriodRequest,
  MAX_PERIOD_MS,
  MAX_TITLE_LENGTH,
  MAX_WINDOW_SECONDS,
} from '../shared/limits';
import { isYBound } from '../shared/yRange';

export type { YRange };

/** Where the data comes from; `kind` selects a registered source. */
export interface SourceSpec {
  readonly kind: string;
  readonly [option: string]: unknown;
}

/** What users and other extensions write. */
export interface SessionSpec {
  readonly title?: string;
  readonly source: SourceSpec;
  readonly periodMs?: number;
  readonly points?: number;
  /** The y axis: `"auto"` (default) or `[min, max]`. */
  readonly yRange?: YRange;
  /** Streaming (append-mode) sessions with a time axis show only the last N seconds. */
  readonly windowSeconds?: number;
}

/** A validated spec with every default filled in. */
export interface ResolvedSpec {
  readonly title: string;
  readonly source: SourceSpec;
  readonly periodMs: number;
  readonly points: number;
  readonly yRange: YRange;
  /** Absent: the window is `points` only. */
  readonly windowSeconds?: number;
}

/** Bounds and defaults that come from settings. */
export interface SpecLimits {
  readonly defaultPeriodMs: number;
  readonly defaultPoints: number;
  readonly minPeriodMs: number;
  readonly maxPeriodMs: number;
  readonly maxPoints: number;
  readonly knownKinds: readonly string[];
}

export { clampPeriod, HARD_MAX_POINTS, MAX_PERIOD_MS, MAX_TITLE_LENGTH, MAX_WINDOW_SECONDS };

export const DEFAULT_LIMITS: SpecLimits = {
  defaultPeriodMs: DEFAULT_PERIOD_MS,
  defaultPoints: DEFAULT_POINTS,
  minPeriodMs: DEFAULT_MIN_PERIOD_MS,
  maxPeriodMs: MAX_PERIOD_MS,
  maxPoints: DEFAULT_MAX_POINTS,
  knownKinds: ['random', 'sine'],
};

/** An invalid spec: `field` names the bad field (dotted path). */
export class SpecError extends Error {
  constructor(readonly field: string, detail: string) {
    super(`Invalid session spec: "${field}" ${detail}`);
    this.name = 'SpecError';
  }
}

/** Top-level fields allowed in a spec (`version` and `session` come with the notebook payload). */
const TOP_LEVEL_FIELDS = new Set(['title', 'source', 'periodMs', 'points', 'yRange', 'windowSeconds', 'version', 'session']);

/** Checks a points value; throws SpecError naming `field`. */
export function checkPoints(points: unknown, limits: Pick<SpecLimits, 'maxPoints'>, field = 'points'): number {
  if (typeof points !== 'number' || !Number.isInteger(points)) {
    throw new SpecError(field, `must be a whole number, got ${describe(points)}`);
  }
  const max = Math.min(limits.maxPoints, HARD_MAX_POINTS);
  if (points < 1 || points > max) {
    throw new SpecError(field, `must be between 1 and ${max} (livePlot.maxPoints), got ${points}`);
  }
  return points;
}

/**
 * Checks a y range: `"auto"` or `[min, max]` of finite numbers with min < max.
 * Throws SpecError naming `field`.
 */
export function checkYRange(v: unknown, field = 'yRange'): YRange {
  if (v === 'auto') return 'auto';
  if (!Array.isArray(v) || v.length !== 2) {
    throw new SpecError(field, `must be "auto" or [min, max] (two numbers), got ${describe(v)}`);
  }
  const [min, max] = v as unknown[];
  const finite = isYBound;
  if (!finite(min) || !finite(max)) {
    throw new SpecError(field, `must be "auto" or [min, max] of finite numbers, got [${describe(min)}, ${describe(max)}]`);
  }
  if (!(min < max)) throw new SpecError(field, `needs min < max, got [${min}, ${max}]`);
  return [min, max];
}

/** Checks a time window in seconds; throws SpecError naming `field`. */
export function checkWindowSeconds(v: unknown, field = 'windowSeconds'): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > MAX_WINDOW_SECONDS) {
    throw new SpecError(field, `must be a number of seconds in (0, ${MAX_WINDOW_SECONDS}], got ${describe(v)}`);
  }
  return v;
}

/**
 * Validates `input` (parsed JSON or a JSON string) and fills defaults.
 * Throws {@link SpecError} naming the first bad field; never returns a half-valid spec.
 */
export function validateSpec(input: unknown, limits: SpecLimits = DEFAULT_LIMITS): ResolvedSpec {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (e) {
      throw new SpecError('(json)', `is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SpecError('(spec)', `must be a JSON object, got ${describe(value)}`);
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!TOP_LEVEL_FIELDS.has(key)) {
      throw new SpecError(key, `is not a known field (expected one of: title, source, periodMs, points, yRange, windowSeconds)`);
    }
  }

  const source = obj.source;
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    throw new SpecError('source', `must be an object like { "kind": "random" }, got ${describe(source)}`);
  }
  const kind = (source as Record<string, unknown>).kind;
  if (typeof kind !== 'string' || kind.length === 0) {
    throw new SpecError('source.kind', `must be a non-empty string, got ${describe(kind)}`);
  }
  if (!limits.knownKinds.includes(kind)) {
    throw new SpecError('source.kind', `"${kind}" is not a known source kind (known: ${limits.knownKinds.join(', ')})`);
  }

  let title: string;
  if (obj.title === undefined) {
    title = defaultTitle(kind);
  } else if (typeof obj.title !== 'string') {
    throw new SpecError('title', `must be a string, got ${describe(obj.title)}`);
  } else {
    title = obj.title.trim().slice(0, MAX_TITLE_LENGTH) || defaultTitle(kind);
  }

  let periodMs = limits.defaultPeriodMs;
  if (obj.periodMs !== undefined) {
    if (!isPeriodRequest(obj.periodMs)) {
      throw new SpecError('periodMs', `must be a positive number of milliseconds, got ${describe(obj.periodMs)}`);
    }
    periodMs = obj.periodMs;
  }
  periodMs = clampPeriod(periodMs, limits);

  const points = obj.points === undefined ? Math.min(limits.defaultPoints, limits.maxPoints) : checkPoints(obj.points, limits);

  const yRange = obj.yRange === undefined ? 'auto' : checkYRange(obj.yRange);
  const windowSeconds = obj.windowSeconds === undefined ? undefined : checkWindowSeconds(obj.windowSeconds);

  if (obj.version !== undefined && obj.version !== 1) {
    throw new SpecError('version', `must be 1, got ${describe(obj.version)}`);
  }
  if (obj.session !== undefined && typeof obj.session !== 'string') {
    throw new SpecError('session', `must be a string id, got ${describe(obj.session)}`);
  }

  return {
    title,
    source: { ...(source as SourceSpec) },
    periodMs,
    points,
    yRange,
    ...(windowSeconds === undefined ? {} : { windowSeconds }),
  };
}

function defaultTitle(kind: string): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

/** A short, safe description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'number') return String(v);
  return `a ${typeof v}`;
}
