/**
 * The session spec: one JSON shape for the "New Session" command, `.liveplot`
 * cells, the notebook MIME payload, panel state and the extension API.
 */

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
}

/** A validated spec with every default filled in. */
export interface ResolvedSpec {
  readonly title: string;
  readonly source: SourceSpec;
  readonly periodMs: number;
  readonly points: number;
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

export const MAX_PERIOD_MS = 60_000;
export const HARD_MAX_POINTS = 10_000_000;
export const MAX_TITLE_LENGTH = 200;

export const DEFAULT_LIMITS: SpecLimits = {
  defaultPeriodMs: 1000,
  defaultPoints: 100,
  minPeriodMs: 250,
  maxPeriodMs: MAX_PERIOD_MS,
  maxPoints: 1_000_000,
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
const TOP_LEVEL_FIELDS = new Set(['title', 'source', 'periodMs', 'points', 'version', 'session']);

/** Clamps a period into the allowed range. */
export function clampPeriod(periodMs: number, limits: Pick<SpecLimits, 'minPeriodMs' | 'maxPeriodMs'>): number {
  return Math.min(Math.max(Math.round(periodMs), limits.minPeriodMs), Math.min(limits.maxPeriodMs, MAX_PERIOD_MS));
}

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
      throw new SpecError(key, `is not a known field (expected one of: title, source, periodMs, points)`);
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
    if (typeof obj.periodMs !== 'number' || !Number.isFinite(obj.periodMs) || obj.periodMs <= 0) {
      throw new SpecError('periodMs', `must be a positive number of milliseconds, got ${describe(obj.periodMs)}`);
    }
    periodMs = obj.periodMs;
  }
  periodMs = clampPeriod(periodMs, limits);

  const points = obj.points === undefined ? Math.min(limits.defaultPoints, limits.maxPoints) : checkPoints(obj.points, limits);

  if (obj.version !== undefined && obj.version !== 1) {
    throw new SpecError('version', `must be 1, got ${describe(obj.version)}`);
  }
  if (obj.session !== undefined && typeof obj.session !== 'string') {
    throw new SpecError('session', `must be a string id, got ${describe(obj.session)}`);
  }

  return { title, source: { ...(source as SourceSpec) }, periodMs, points };
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
