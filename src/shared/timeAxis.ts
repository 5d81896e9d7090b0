/**
 * When x holds times: one rule for the chart's axis (pages) and the CSV export
 * (host). Plain TypeScript: no `vscode`, Node or DOM import.
 */

/** x values above this (ms since epoch, 1973) are taken as times. */
export const EPOCH_MS_THRESHOLD = 1e11;

/** Whether an x value looks like epoch milliseconds. */
export function isEpochMs(x: number): boolean {
  return x > EPOCH_MS_THRESHOLD;
}
