// Types for setup-test-tools.mjs (used by the unit tests).
export const CODE_SERVER_VERSION: string;
export const NODE_PACKAGE: string;
export const CHROMIUM: string;
export interface ToolPaths {
  toolsDir: string;
  nodeDir: string;
  nodeBin: string;
  codeServerDir: string;
  codeServerEntry: string;
  chromium: string;
}
export function toolsDir(): string;
export function toolPaths(dir?: string): ToolPaths;
export class SetupError extends Error {
  constructor(step: string, command: string, detail: string, opts?: { exit?: number; logFile?: string });
  readonly step: string;
  readonly command: string;
  readonly firstError: string;
}
export function firstErrorLine(text?: string): string;
export function run(step: string, cmd: string, args: string[], opts?: { cwd?: string; env?: Record<string, string>; allowFailure?: boolean }): number;
export function npmInstall(step: string, dir: string, specs: string[], opts?: { env?: Record<string, string>; extraArgs?: string[] }): number;
export function ensureTestTools(opts?: { quiet?: boolean }): ToolPaths;
