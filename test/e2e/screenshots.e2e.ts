// The README's screenshots, taken from the real UI in light, dark and high-contrast
// themes, and checked to show something (decoded in the browser: colours, ink, contrast).
//
//   LIVEPLOT_UPDATE_SCREENSHOTS=1 node scripts/run-e2e.mjs test/e2e/screenshots.e2e.ts
//
// writes docs/images/{panel,notebook,tree}-{light,dark}.png. Without the variable the
// pictures go to .test-artifacts/screenshots/readme/ (and are checked all the same).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  findFrame,
  newSessionFromPalette,
  REPO_ROOT,
  runCommand,
  SCREENSHOTS_DIR,
  showTree,
  startFromNothing,
  sleep,
  treeRows,
  waitFor,
  waitForDiagnostics,
} from './harness';
import { assertNotBlank, imageStats } from './images';
import { workbenchSuite } from '../helpers/e2eSuite';

const UPDATE = process.env.LIVEPLOT_UPDATE_SCREENSHOTS === '1';
const OUT = UPDATE ? path.join(REPO_ROOT, 'docs', 'images') : path.join(SCREENSHOTS_DIR, 'readme');

const THEMES = [
  { key: 'light', label: 'Light Modern', body: 'vs', readme: true },
  { key: 'dark', label: 'Dark Modern', body: 'vs-dark', readme: true },
  { key: 'hc', label: 'Dark High Contrast', body: 'hc-black', readme: false },
] as const;

/** Switches the colour theme with "Preferences: Color Theme", as a user does, and waits until the workbench shows it. */
async function setTheme(page: Page, theme: (typeof THEMES)[number]): Promise<void> {
  if (await page.locator(`.monaco-workbench.${theme.body}`).count()) return;
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.fill(theme.label);
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${theme.label}\\s*$`) }) })
    .first();
  await row.click();
  await page.locator(`.monaco-workbench.${theme.body}`).waitFor({ timeout: 20_000 });
  await sleep(800); // webviews get the new variables right after the workbench
}

/** Saves a screenshot (optionally of a region) and checks it is not blank. */
async function shoot(page: Page, name: string, clip?: { x: number; y: number; width: number; height: number }, readme = true): Promise<void> {
  const dir = readme ? OUT : path.join(SCREENSHOTS_DIR, 'readme');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  const png = await page.screenshot({ path: file, ...(clip ? { clip } : {}) });
  assertNotBlank(await imageStats(page, png), name, { minColours: 40, minInked: 0.02 });
}

describe('README screenshots (real UI, light, dark and high contrast)', function () {
  const wb = workbenchSuite(this, {
    timeoutMs: 400_000,
    afterAllCommands: ['Live Plot: Close All Sessions', 'View: Revert and Close Editor'],
    beforeClose: (page) => setTheme(page, THEMES[0]),
  });

  it('a panel with the session tree', async () => {
    const { page } = wb;
    await newSessionFromPalette(page, 'sine', 'Pump pressure');
    const frame = await findFrame(page, '.lp-root[data-session]:not([data-session=""])', 30_000);
    // A full window of 100 points (20 samples/s).
    await waitFor(async () => Number(await frame.locator('.lp-root').getAttribute('data-points')) >= 100, 20_000, { message: 'a full window' });
    await showTree(page);
    await treeRows(page).filter({ hasText: 'Pump pressure' }).first().waitFor({ timeout: 10_000 });
    for (const theme of THEMES) {
      await setTheme(page, theme);
      await shoot(page, `panel-${theme.key}`, undefined, theme.readme);
    }
  });

  it('notebook outputs, and the tree grouped by notebook', async () => {
    const { page } = wb;
    await setTheme(page, THEMES[0]);
    await startFromNothing(page);
    await runCommand(page, 'Live Plot: Open Demo Notebook');
    await page.locator('.notebook-editor').first().waitFor({ state: 'visible', timeout: 30_000 });
    try {
      await runCommand(page, 'Notebook: Run All');
    } catch {
      // "Run All" needs the notebook to have focus.
      await page.keyboard.press('Escape');
      await page.locator('.notebook-editor .markdown-cell-row:visible').first().click({ force: true });
      await runCommand(page, 'Notebook: Run All');
    }
    await waitForDiagnostics<{ sessions: number; views: number }>(undefined, (d) => d.sessions === 2 && d.views === 2, 45_000);
    await showTree(page);
    await treeRows(page).filter({ hasText: 'Sine waves' }).first().waitFor({ timeout: 10_000 });
    // Both outputs in view, the cursor over the sine waves (the legend shows the values under it).
    const list = page.locator('.notebook-editor .monaco-list').first();
    const box = (await list.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    // The "Sine waves" cell a little below the top: the end of the first output above it, its own
    // output below. Outputs still settling their heights can move things: measure until it holds.
    // (Rows are recycled: address them by their index in the notebook, not their DOM order.)
    const sineCell = page.locator('.notebook-editor .monaco-list-row[data-index="2"]').first();
    await waitFor(
      async () => {
        const y = (await sineCell.boundingBox())?.y;
        if (y === undefined) {
          await page.mouse.wheel(0, -10_000);
        } else if (Math.abs(y - (box.y + 250)) > 8) {
          await page.mouse.wheel(0, y - (box.y + 250));
        }
        await sleep(700);
        const after = (await sineCell.boundingBox())?.y;
        if (after === undefined) return false;
        // Near the top, or as near as the notebook scrolls (it cannot scroll past its end).
        const settled = Math.abs(after - (box.y + 250)) <= 8 || (y !== undefined && Math.abs(after - y) < 1 && after > box.y && after < box.y + box.height / 2);
        return settled;
      },
      20_000,
      { message: 'the sine cell near the top', intervalMs: 100 },
    );
    const sine = await findFrame(page, '.lp-root[data-session]:not([data-session=""])');
    const charts = sine.locator('.lp-root .u-over');
    const chart = (await charts.nth((await charts.count()) - 1).boundingBox())!;
    await sleep(2500); // a few updates of both charts
    for (const theme of THEMES) {
      await setTheme(page, theme);
      // A theme change redraws the charts: hover again to show the values under the cursor.
      await page.mouse.move(chart.x + chart.width * 0.62, chart.y + chart.height * 0.5);
      await page.mouse.move(chart.x + chart.width * 0.62 + 2, chart.y + chart.height * 0.5, { steps: 2 });
      await shoot(page, `notebook-${theme.key}`, undefined, theme.readme);
      // The tree's context menu on a session.
      await treeRows(page).filter({ hasText: 'Sine waves' }).first().click({ button: 'right' });
      const menu = page.locator('.context-view .monaco-menu').first();
      await menu.waitFor({ state: 'visible', timeout: 5000 });
      const sidebar = (await page.locator('.part.sidebar').boundingBox())!;
      const m = (await menu.boundingBox())!;
      const width = Math.min(1600, Math.max(sidebar.x + sidebar.width, m.x + m.width) + 24);
      const height = Math.min(1000, Math.max(m.y + m.height, 260) + 16);
      await shoot(page, `tree-${theme.key}`, { x: 0, y: 0, width, height }, theme.readme);
      await page.keyboard.press('Escape');
    }
    await setTheme(page, THEMES[0]);
    await runCommand(page, 'Notebook: Clear All Outputs');
    await waitForDiagnostics<{ sessions: number }>(undefined, (d) => d.sessions === 0, 15_000);
  });
});
