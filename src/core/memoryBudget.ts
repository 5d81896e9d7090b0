/**
 * The global memory budget of all sessions' ring buffers (setting
 * `livePlot.memoryBudgetMB`) and the cap of the `random` source (sine's cap is in its factory). A spec is
 * checked before anything starts: a spec beyond them gets a clear error naming
 * the limit and the setting, and sessions already running are left alone.
 */
import { DEFAULT_MEMORY_BUDGET_MB } from '../shared/limits';
import { ringCapacity } from './session/headroom';
import { MAX_SERIES } from './ringBuffer';
import { RANDOM_MAX_POINTS } from './sources/random';
import type { ResolvedSpec } from './spec';

export { DEFAULT_MEMORY_BUDGET_MB };

const BYTES_PER_VALUE = 8;
const MB = 2 ** 20;

/** Columns (series) a source of this spec may record: known for generated sources, else the session's limit. */
export function seriesBound(spec: ResolvedSpec): number {
  const s = spec.source;
  switch (s.kind) {
    case 'random':
      return 1;
    case 'sine':
      return typeof s.waves === 'number' && Number.isInteger(s.waves) && s.waves >= 1 ? Math.min(s.waves, MAX_SERIES) : 3;
    case 'http': {
      const p = s.paths;
      const n = Array.isArray(p) ? p.length : p !== null && typeof p === 'object' ? Object.keys(p).length : MAX_SERIES;
      return Math.max(1, Math.min(n, MAX_SERIES));
    }
    default:
      // Push sources (udp, command, file, api, registered kinds): as many as the session keeps.
      return MAX_SERIES;
  }
}

/**
 * Bytes the session's ring may hold: the window plus its headroom (see
 * `ringCapacity`), x and one column per series, 8 bytes a value. Streaming
 * sessions may grow their headroom with the data rate by up to
 * 32 MB more (`MAX_HEADROOM_BYTES`); that part is counted once it happens (the
 * session's `bufferBytes`), not in advance.
 */
export function estimateRingBytes(spec: ResolvedSpec): number {
  return ringCapacity(spec.points) * (seriesBound(spec) + 1) * BYTES_PER_VALUE;
}

/** The refusal of a spec beyond the caps of its source, or `undefined`. */
export function sourceCapRefusal(spec: ResolvedSpec): string | undefined {
  const s = spec.source;
  if (s.kind === 'random' && spec.points > RANDOM_MAX_POINTS) {
    return `Live Plot: a random source generates every point of its window each period; at most ${RANDOM_MAX_POINTS} points (got ${spec.points}).`;
  }
  return undefined;
}

/**
 * The refusal of a spec that needs more than what the budget has left, or
 * `undefined`. `inUse` is what live sessions hold or may hold now.
 */
export function budgetRefusal(spec: ResolvedSpec, inUse: number, budgetMB: number): string | undefined {
  const need = estimateRingBytes(spec);
  const budget = budgetMB * MB;
  if (inUse + need <= budget) return undefined;
  const left = Math.max(0, budget - inUse);
  return (
    `Live Plot: this session needs up to ${fmt(need)} for its window (${spec.points} points × ${seriesBound(spec) + 1} columns with headroom), ` +
    `but only ${fmt(left)} of the ${budgetMB} MB memory budget for all sessions is left (setting livePlot.memoryBudgetMB). ` +
    `Close a session, use fewer points, or raise the setting.`
  );
}

function fmt(bytes: number): string {
  if (bytes < MB) return `${Math.ceil(bytes / 1024)} KB`;
  return bytes >= 10 * MB ? `${Math.round(bytes / MB)} MB` : `${(bytes / MB).toFixed(1)} MB`;
}
