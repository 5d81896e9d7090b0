// Shared helpers for the e2e tier: mocha tests that run in Node and drive
// Debian's Chromium (playwright-core) against a real VS Code (code-server).
//
// One code-server + one browser per run, started by the root hooks below
// (scripts/run-e2e.mjs registers them) and shared by every test file; each test
// file opens its own page with `newWorkbenchPage()`.
//
// How the extension gets in (chosen by scripts/run-e2e.mjs):
//   LIVEPLOT_E2E_VSIX=<file>          install the packaged .vsix (default of run-e2e)
//   otherwise                         development mode: the URL payload names
//                                     LIVEPLOT_EXTENSION_DEV_PATH or the repo root
// The extension host gets LIVEPLOT_DIAGNOSTICS_FILE=<e2e().diagnosticsFile>; the
// extension writes its live diagnostics JSON there (see readDiagnostics).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import {
  REPO_ROOT,
  launchBrowser,
  startCodeServer,
  type CodeServer,
  type LaunchedBrowser,
} from '../../scripts/lib/codeServer.mjs';

export { REPO_ROOT };
export const SCREENSHOTS_DIR = path.join(REPO_ROOT, '.test-artifacts', 'screenshots');
export const EXTENSION_ID = 'liveplot.live-plot-sessions';

export interface E2EEnv {
  server: CodeServer;
  browser: LaunchedBrowser;
  /** Temp copy of test/fixtures/workspace that the workbench has open. */
  workspace: string;
  /** Where the extension writes its diagnostics JSON (LIVEPLOT_DIAGNOSTICS_FILE). */
  diagnosticsFile: string;
  /** Workbench URL (with the development payload in dev mode). */
  url: string;
  mode: 'vsix' | 'dev';
  pages: Set<Page>;
}

// Kept on globalThis: the runner (ESM import) and the test files (tsx may load
// them as CommonJS) can get two copies of this module, but must share one env.
const KEY = Symbol.for('liveplot.e2e.env');
type G = typeof globalThis & { [KEY]?: E2EEnv };

/** The shared code-server/browser of this run (available inside tests and hooks). */
export function e2e(): E2EEnv {
  const env = (globalThis as G)[KEY];
  if (!env) throw new Error('e2e environment not started: run through scripts/run-e2e.mjs (root hooks in test/e2e/harness.ts)');
  return env;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns a truthy value (returned) or throws after `timeoutMs`. */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 10_000,
  { intervalMs = 200, message }: { intervalMs?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`${message ?? 'condition'} not met within ${timeoutMs}ms${why}`);
    }
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------- diagnostics

/** The extension's diagnostics JSON, or undefined if not written (yet) / mid-write. */
export function readDiagnostics<T = any>(file: string = e2e().diagnosticsFile): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Waits until the diagnostics file exists and `predicate` holds for it; returns it. */
export async function waitForDiagnostics<T = any>(
  file: string | undefined,
  predicate: (d: T) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<T> {
  const f = file ?? e2e().diagnosticsFile;
  let last: T | undefined;
  try {
    return await waitFor(
      () => {
        last = readDiagnostics<T>(f);
        return last !== undefined && predicate(last) ? last : undefined;
      },
      timeoutMs,
      { intervalMs: 100 },
    );
  } catch {
    throw new Error(`diagnostics in ${f} did not match within ${timeoutMs}ms; last: ${JSON.stringify(last)}`);
  }
}

// ---------------------------------------------------------------- workbench

/** Opens the workbench and waits until it is rendered. */
export async function openWorkbench(page: Page, url: string = e2e().url, timeoutMs = 90_000): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * Waits until the extension is usable in this page: it is activated (its
 * diagnostics file exists) and the workbench knows its contributions (the
 * "Live Plot" activity bar item shows). Opening a .liveplot file before the
 * contributions are known opens it as plain text.
 */
export async function waitForExtensionReady(page: Page, timeoutMs = 60_000): Promise<void> {
  await waitForDiagnostics(undefined, () => true, timeoutMs);
  const containers: { id: string; title: string }[] = manifest().contributes?.viewsContainers?.activitybar ?? [];
  const title = containers.find((c) => c.id === 'livePlot')?.title;
  if (title) {
    await page
      .locator(`.part.activitybar .action-item .action-label[aria-label^="${title}"]`)
      .first()
      .waitFor({ state: 'visible', timeout: timeoutMs });
  }
}

/**
 * A new page of the shared browser with the workbench open and the extension
 * ready (see waitForExtensionReady; pass `{ ready: false }` to skip that).
 * Pages still open are closed with the browser by the root hooks.
 */
export async function newWorkbenchPage(url: string = e2e().url, { ready = true }: { ready?: boolean } = {}): Promise<Page> {
  const env = e2e();
  const page = await env.browser.newPage();
  env.pages.add(page);
  page.on('close', () => env.pages.delete(page));
  page.on('pageerror', (e) => console.error(`    [page error] ${e.message}`));
  await openWorkbench(page, url);
  if (ready) await waitForExtensionReady(page);
  return page;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Runs a command from the palette by its title as shown there (with category,
 * e.g. "Live Plot: New Session"). Commands with context-key preconditions only
 * appear once an editor has focus, so if the row does not show up it clicks
 * into the editor area and tries once more.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 10_000): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }) })
    .first();
  for (let attempt = 1; attempt <= 2; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: attempt === 1 ? Math.min(timeoutMs, 5000) : timeoutMs });
      await row.click();
      await input.waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => {});
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (attempt === 2) {
        await screenshot(page, `command-not-found-${title.replace(/\W+/g, '_')}`);
        throw new Error(`command "${title}" not found in the palette: ${(e as Error).message}`);
      }
      const editor = page.locator('.monaco-workbench .part.editor .editor-container').first();
      if (await editor.isVisible().catch(() => false)) await editor.click({ force: true }).catch(() => {});
      else await page.locator('.monaco-workbench .part.editor').click({ force: true }).catch(() => {});
    }
  }
}

/**
 * The frame (page, webview or notebook-output iframe, however nested) that has
 * an element matching `selector`.
 */
export async function findFrame(page: Page, selector: string, timeoutMs = 20_000): Promise<Frame> {
  return waitFor(
    async () => {
      for (const frame of page.frames()) {
        if (frame.isDetached()) continue;
        try {
          if (await frame.$(selector)) return frame;
        } catch {
          // detached or navigating mid-search
        }
      }
      return undefined;
    },
    timeoutMs,
    { intervalMs: 250, message: `a frame containing ${selector}` },
  );
}

/** Saves .test-artifacts/screenshots/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The extension's package.json (what the run installed/loaded). */
export function manifest(): any {
  const dir = process.env.LIVEPLOT_EXTENSION_DEV_PATH || REPO_ROOT;
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

// ---------------------------------------------------------------- root hooks

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(240_000);
    if ((globalThis as G)[KEY]) return;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liveplot-e2e-'));
    const workspace = path.join(tmp, 'workspace');
    fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    const diagnosticsFile = path.join(tmp, 'diagnostics.json');
    const vsix = process.env.LIVEPLOT_E2E_VSIX;
    const devPath = process.env.LIVEPLOT_EXTENSION_DEV_PATH || REPO_ROOT;
    const server = await startCodeServer({
      name: 'e2e',
      workspace,
      ...(vsix ? { installVsix: vsix } : { extensionDevelopmentPath: devPath, smokeDriver: true }),
      env: { LIVEPLOT_DIAGNOSTICS_FILE: diagnosticsFile },
    });
    console.log(`    [e2e] code-server pid ${server.pid} on ${server.base} (${vsix ? `vsix ${path.basename(vsix)}` : `dev ${devPath}`})`);
    let browser: LaunchedBrowser;
    try {
      browser = await launchBrowser();
    } catch (e) {
      await server.stop();
      throw e;
    }
    (globalThis as G)[KEY] = {
      server,
      browser,
      workspace,
      diagnosticsFile,
      url: server.url,
      mode: vsix ? 'vsix' : 'dev',
      pages: new Set(),
    };
  },
  async afterEach(this: Mocha.Context) {
    const env = (globalThis as G)[KEY];
    const t = this.currentTest;
    if (!env || !t || t.state !== 'failed') return;
    let i = 0;
    for (const page of env.pages) {
      const file = await screenshot(page, `e2e-${t.fullTitle()}${i++ ? `-${i}` : ''}`).catch(() => undefined);
      if (file) console.log(`    [e2e] screenshot: ${path.relative(REPO_ROOT, file)}`);
    }
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    const env = (globalThis as G)[KEY];
    if (!env) return;
    (globalThis as G)[KEY] = undefined;
    await env.browser.close();
    await env.server.stop();
    fs.rmSync(path.dirname(env.workspace), { recursive: true, force: true });
  },
};

/** Opens the "Live Plot" activity bar container (the session tree). */
export async function showTree(page: Page): Promise<void> {
  const item = page.locator('.part.activitybar .action-item .action-label[aria-label^="Live Plot"]').first();
  const container = page.locator('[id="workbench.view.extension.livePlot"]');
  if (!(await container.isVisible().catch(() => false))) await item.click({ force: true }); // the count badge covers the icon
  await container.waitFor({ state: 'visible', timeout: 15_000 });
}

export function treeRows(page: Page) {
  return page.locator('[id="workbench.view.extension.livePlot"] .monaco-list-row');
}

/** A new window may restore editors of the previous one: close them and every session. */
export async function startFromNothing(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors').catch(() => undefined);
  await runCommand(page, 'Live Plot: Close All Sessions');
  await waitForDiagnostics<{ sessions: number }>(undefined, (x) => x.sessions === 0, 15_000);
}

/** "Live Plot: New Session…" from the palette: picks `kind`, types `title`. */
export async function newSessionFromPalette(page: Page, kind: string, title: string): Promise<void> {
  await runCommand(page, 'Live Plot: New Session…');
  const input = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: kind }).first().waitFor({ timeout: 10_000 });
  await input.fill(kind);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget', { hasText: 'Title of the plot' }).waitFor({ timeout: 10_000 });
  await input.fill(title);
  await page.keyboard.press('Enter');
}
