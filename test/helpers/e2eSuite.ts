// The set-up every e2e suite repeats: a timeout, its own workbench page (opened
// before its tests, closed after them), optionally a clean slate first and
// commands that clean up after each test.
import type { Page } from 'playwright-core';
import { newWorkbenchPage, runCommand, startFromNothing } from '../e2e/harness';

export interface WorkbenchSuiteOptions {
  /** The suite's timeout (mocha `this.timeout`). */
  readonly timeoutMs: number;
  /** Close every editor and session before the first test (default true). */
  readonly fresh?: boolean;
  /** Palette commands run (failures ignored) after each test, e.g. "Live Plot: Close All Sessions". */
  readonly afterEachCommands?: readonly string[];
  /** Palette commands run (failures ignored) after the last test, before the page closes. */
  readonly afterAllCommands?: readonly string[];
  /** Runs after `afterAllCommands`, before the page closes (its failure is ignored). */
  readonly beforeClose?: (page: Page) => Promise<unknown>;
}

/** The suite's workbench page (available from the first test on). */
export interface WorkbenchSuite {
  readonly page: Page;
}

/**
 * Call at the top of a `describe(…, function () { … })` body, with that body's `this`:
 * sets the timeout and registers the suite's hooks. Read `.page` inside tests and hooks.
 */
export function workbenchSuite(suite: Mocha.Suite, options: WorkbenchSuiteOptions): WorkbenchSuite {
  suite.timeout(options.timeoutMs);
  let page: Page | undefined;
  const run = async (commands: readonly string[] | undefined) => {
    for (const c of commands ?? []) if (page) await runCommand(page, c).catch(() => undefined);
  };
  before(async () => {
    page = await newWorkbenchPage();
    if (options.fresh !== false) await startFromNothing(page);
  });
  if (options.afterEachCommands?.length) afterEach(() => run(options.afterEachCommands));
  after(async () => {
    await run(options.afterAllCommands);
    if (page && options.beforeClose) await options.beforeClose(page).catch(() => undefined);
    await page?.close();
  });
  return {
    get page(): Page {
      if (!page) throw new Error('the workbench page is opened in the suite\'s before hook: read .page inside tests and hooks');
      return page;
    },
  };
}
