/**
 * Formatting shared by the host's UI (tree, status, notebook text) and the
 * pages, so that a value reads the same wherever it is shown. Plain TypeScript:
 * no `vscode`, Node or DOM import.
 */

/** A period for people, the same in the tree and in the chart: 250 → "250 ms", 1000 → "1 s", 1500 → "1.5 s". */
export function formatPeriod(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 10) / 100} s`;
}
