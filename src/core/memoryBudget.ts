/**
 * The global memory budget of all sessions' ring buffers (setting
 * `livePlot.memoryBudgetMB`) and the caps of source kinds (their descriptors' `capRefusal`). A spec is
 * checked before anything starts: a spec beyond them gets a clear error naming
 * the limit and the setting, and sessions already running are left alone.
 */
import { DEFAULT_MEMORY_BUDGET_MB } from '../shared/limits';
import { ringCapacity } from './session/headroom';
import { MAX_SERIES } from './ringBuffer';
import type { SourceKindDescriptor } from './source';
import type { ResolvedSpec } from './spec';

export { DEFAULT_MEMORY_BUDGET_MB };

const BYTES_PER_VALUE = 8;
const MB = 2 ** 20;

/** What a source kind tells the budget (its descriptor's hooks). */
export type BudgetHooks = Pick<SourceKindDescriptor, 'seriesBound' | 'capRefusal'> | undefined;

/** Columns (series) a session of this spec may record: its kind's bound, else the session's limit (push sources). */
export function seriesBound(spec: ResolvedSpec, kind?: BudgetHooks): number {
  let n = MAX_SERIES;
  try {
    const b = kind?.seriesBound?.(spec.source);
    if (typeof b === 'number' && Number.isFinite(b)) n = b;
  } catch {
    n = MAX_SERIES;
  }
  return Math.max(1, Math.min(Math.floor(n), MAX_SERIES));
}

/**
 * Bytes the session's ring may hold: the window plus its headroom (see
 * `ringCapacity`), x and one column per series, 8 bytes a value. Streaming
 * sessions may grow their headroom with the data rate by up to
 * 32 MB more (`MAX_HEADROOM_BYTES`); that part is counted once it happens (the
 * session's `bufferBytes`), not in advance.
 */
export function estimateRingBytes(spec: ResolvedSpec, kind?: BudgetHooks): number {
  return ringCapacity(spec.points) * (seriesBound(spec, kind) + 1) * BYTES_PER_VALUE;
}

/** The refusal of a spec beyond the caps of its source kind, or `undefined`. */
export function sourceCapRefusal(spec: ResolvedSpec, kind?: BudgetHooks): string | undefined {
  return kind?.capRefusal?.(spec);
}

/**
 * The refusal of a spec that needs more than what the budget has left, or
 * `undefined`. `inUse` is what live sessions hold or may hold now.
 */
export function budgetRefusal(spec: ResolvedSpec, inUse: number, budgetMB: number, kind?: BudgetHooks): string | undefined {
  const need = estimateRingBytes(spec, kind);
  const budget = budgetMB * MB;
  if (inUse + need <= budget) return undefined;
  const left = Math.max(0, budget - inUse);
  return (
    `Live Plot: this session needs up to ${fmt(need)} for its window (${spec.points} points × ${seriesBound(spec, kind) + 1} columns with headroom), ` +
    `but only ${fmt(left)} of the ${budgetMB} MB memory budget for all sessions is left (setting livePlot.memoryBudgetMB). ` +
    `Close a session, use fewer points, or raise the setting.`
  );
}

function fmt(bytes: number): string {
  if (bytes < MB) return `${Math.ceil(bytes / 1024)} KB`;
  return bytes >= 10 * MB ? `${Math.round(bytes / MB)} MB` : `${(bytes / MB).toFixed(1)} MB`;
}
