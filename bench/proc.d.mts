// Types for proc.mjs (used by the e2e tests too).
export function descendants(pid?: number): number[];
export function cpuOf(pids: Iterable<number>): Map<number, number>;
export function cpuDelta(a: Map<number, number>, b: Map<number, number>, seconds: number): number;
export function role(pid: number): string;
export function cpuByRole(a: Map<number, number>, b: Map<number, number>, seconds: number): Record<string, number>;
