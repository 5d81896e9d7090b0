/** Median of the finite numbers in `values` (NaN if there are none). */
export function median(values: readonly number[]): number;
/** p-th percentile (0–100) of the finite numbers in `values`, nearest rank (NaN if there are none). */
export function percentile(values: readonly number[], p: number): number;
