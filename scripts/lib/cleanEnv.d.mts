// Types for cleanEnv.mjs (used by the unit tests).
export function isNpmInjected(key: string): boolean;
export function cleanPath(p?: string): string;
export function cleanEnv(extra?: Record<string, string | undefined>, base?: Record<string, string | undefined>): Record<string, string>;
