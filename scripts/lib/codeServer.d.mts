// Types for codeServer.mjs (used by the TypeScript e2e harness).
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const REPO_ROOT: string;
export const ARTIFACTS_DIR: string;
export const LOGS_DIR: string;
export const DEFAULT_SETTINGS: Record<string, unknown>;
export const RESTRICTED_SETTINGS: Record<string, unknown>;
export const BROWSER_ARGS: string[];

export interface StartCodeServerOptions {
  /** Folder to open. */
  workspace: string;
  /** Load this extension in development mode through the URL payload (implies smokeDriver). */
  extensionDevelopmentPath?: string;
  /** Run this mocha suite in the extension host through the URL payload (implies smokeDriver). */
  extensionTestsPath?: string;
  /** Install this .vsix (code-server --install-extension) before starting. */
  installVsix?: string;
  /** Workspace trust on and the folder not trusted (restricted mode). */
  restricted?: boolean;
  /** Extra environment for code-server; it reaches the extension host. */
  env?: Record<string, string>;
  /** Merged over DEFAULT_SETTINGS into User/settings.json. */
  settings?: Record<string, unknown>;
  /** Pass `--vscode-option enable-smoke-test-driver`. */
  smokeDriver?: boolean;
  /** Exact port (fails if busy). */
  port?: number;
  /** This port or the next free one above it. */
  preferredPort?: number;
  /** Tag for the log file name. */
  name?: string;
  keepUserData?: boolean;
}

export interface CodeServer {
  port: number;
  pid: number;
  /** http://127.0.0.1:PORT */
  base: string;
  /** Workbench URL for the workspace (with the payload when a development/tests path was given). */
  url: string;
  urlFor(opts?: { folder?: string; extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  exited: Promise<{ code: number | null; signal: string | null }>;
  stop(): Promise<{ code: number | null; signal: string | null } | null>;
}

export function startCodeServer(o: StartCodeServerOptions): Promise<CodeServer>;
export function findFreePort(preferred?: number): Promise<number>;
export function remoteUri(absPath: string): string;
export function workbenchUrl(
  base: string,
  opts?: { folder?: string; extensionDevelopmentPath?: string; extensionTestsPath?: string },
): string;
export function sleep(ms: number): Promise<void>;

export interface LaunchedBrowser {
  browser: Browser;
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
export function launchBrowser(opts?: { headless?: boolean; viewport?: { width: number; height: number } }): Promise<LaunchedBrowser>;
