// End to end through the real UI: legend toggles, zoom and Follow, the y axis,
// export from the view and from the tree (with the save dialog), and the walkthrough.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import {
  e2e,
  findFrame,
  newSessionFromPalette,
  runCommand,
  screenshot,
  SCREENSHOTS_DIR,
  showTree,
  treeRows,
  waitFor,
  waitForDiagnostics,
} from './harness';
import { assertNotBlank, imageStats } from './images';
import type { Diag } from '../helpers/diagnostics';
import { workbenchSuite } from '../helpers/e2eSuite';


const root = (frame: Frame) => frame.locator('.lp-root').first();
const attr = (frame: Frame, name: string) => root(frame).getAttribute(name);

/**
 * Answers VS Code's save dialog (in code-server a quick input holding a path,
 * titled by the extension, e.g. 'Export "UX sine" as CSV') with `file`.
 */
async function saveDialog(page: Page, file: string): Promise<void> {
  const kind = file.endsWith('.csv') ? 'as CSV' : 'as PNG';
  const input = page.locator(`.quick-input-widget input[aria-label*="${kind}"]`);
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  // The dialog fills in its default path asynchronously (after it listed the folder), which would
  // replace a path typed too early: wait for the default, then type until the path stays.
  const ext = path.extname(file);
  await waitFor(async () => (await input.inputValue()).endsWith(ext), 10_000, { message: 'the dialog to show its default path' });
  await waitFor(
    async () => {
      if ((await input.inputValue()) !== file) await input.fill(file);
      await page.waitForTimeout(400);
      return (await input.inputValue()) === file;
    },
    10_000,
    { message: `the typed path ${file} to stay`, intervalMs: 50 },
  );
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Runs `item` from a tree row's context menu (a click right after the menu opens can go unseen: retried). */
async function contextMenu(page: Page, row: ReturnType<typeof treeRows>, item: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    const action = page.locator('.context-view .action-item', { hasText: item }).first();
    await action.waitFor({ state: 'visible', timeout: 5000 });
    await action.hover();
    await action.click();
    try {
      await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden', timeout: 2000 });
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (attempt === 3) throw e;
    }
  }
}

async function waitForFile(file: string, minBytes = 1): Promise<Buffer> {
  try {
    return await waitFor(() => (fs.existsSync(file) && fs.statSync(file).size >= minBytes ? fs.readFileSync(file) : undefined), 15_000, { message: `${file} to be written` });
  } catch (e) {
    throw new Error(`${(e as Error).message}; the folder holds ${JSON.stringify(fs.readdirSync(path.dirname(file)))}`);
  }
}

/** Drags across the plot area from `from` to `to` (fractions of its width). */
async function dragAcross(page: Page, frame: Frame, from: number, to: number, modifiers: ('Shift')[] = []): Promise<void> {
  const box = (await frame.locator('.lp-chart .u-over').first().boundingBox())!;
  const y = box.y + box.height / 2;
  for (const m of modifiers) await page.keyboard.down(m);
  await page.mouse.move(box.x + box.width * from, y);
  await page.mouse.down();
  for (let i = 1; i <= 5; i++) await page.mouse.move(box.x + box.width * (from + ((to - from) * i) / 5), y);
  await page.mouse.up();
  for (const m of modifiers) await page.keyboard.up(m);
}

describe('chart features and export (real UI)', function () {
  const wb = workbenchSuite(this, { timeoutMs: 240_000, afterAllCommands: ['Live Plot: Close All Sessions'] });
  let frame: Frame;
  const out = () => e2e().workspace;

  before(async () => {
    const { page } = wb;
    await newSessionFromPalette(page, 'sine', 'UX sine');
    frame = await findFrame(page, '.lp-root[data-session]:not([data-session=""])', 30_000);
    await waitFor(async () => Number(await attr(frame, 'data-updates')) >= 2, 15_000, { message: 'data' });
  });

  it('legend entries toggle their series, by mouse and by keyboard', async () => {
    const { page } = wb;
    assert.equal(await attr(frame, 'data-visible-series'), 'sine1,sine2,sine3');
    const sine2 = frame.locator('.lp-legend .u-series').nth(2).locator('th');
    assert.equal(await sine2.getAttribute('role'), 'checkbox');
    assert.equal(await sine2.getAttribute('aria-checked'), 'true');
    await sine2.click();
    await waitFor(async () => (await attr(frame, 'data-visible-series')) === 'sine1,sine3', 5000, { message: 'sine2 hidden' });
    assert.equal(await sine2.getAttribute('aria-checked'), 'false');
    await screenshot(page, 'ux-legend-toggled');
    // Keyboard: Tab reaches the entries; Space toggles.
    await sine2.focus();
    await page.keyboard.press('Space');
    await waitFor(async () => (await attr(frame, 'data-visible-series')) === 'sine1,sine2,sine3', 5000, { message: 'sine2 shown again' });
    await page.keyboard.press('Shift+Tab');
    assert.equal(await frame.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent), 'sine1', 'the previous entry takes focus');
  });

  it('dragging zooms and stops following; new data keeps the zoom; Follow returns to live', async () => {
    const { page } = wb;
    await dragAcross(page, frame, 0.3, 0.6);
    await waitFor(async () => (await attr(frame, 'data-following')) === 'false', 5000, { message: 'zoomed' });
    assert.equal(await frame.locator('vscode-checkbox.lp-follow').evaluate((el) => (el as unknown as { checked: boolean }).checked), false);
    const u = Number(await attr(frame, 'data-updates'));
    await waitFor(async () => Number(await attr(frame, 'data-updates')) > u + 1, 10_000, { message: 'more data while zoomed' });
    assert.equal(await attr(frame, 'data-following'), 'false', 'new data does not return to live');
    assert.match((await frame.locator('.lp-status').textContent()) ?? '', /zoomed/);
    await screenshot(page, 'ux-zoomed');
    await frame.locator('vscode-checkbox.lp-follow').click();
    await waitFor(async () => (await attr(frame, 'data-following')) === 'true', 5000, { message: 'following again' });

    // Shift+drag pans; the keyboard pans and F follows.
    await dragAcross(page, frame, 0.6, 0.4, ['Shift']);
    await waitFor(async () => (await attr(frame, 'data-following')) === 'false', 5000, { message: 'panned' });
    await frame.locator('.lp-chart').focus();
    await page.keyboard.press('f');
    await waitFor(async () => (await attr(frame, 'data-following')) === 'true', 5000, { message: 'F follows' });
    await page.keyboard.press('ArrowLeft');
    await waitFor(async () => (await attr(frame, 'data-following')) === 'false', 5000, { message: 'arrow pans' });
    await page.keyboard.press('f');
  });

  it('the y axis: Fixed with min and max from the view, Auto again from the tree', async () => {
    const { page } = wb;
    await frame.locator('vscode-single-select.lp-ymode').click();
    await frame.getByRole('option', { name: 'Fixed' }).click();
    await waitFor(async () => (await attr(frame, 'data-y-range')) !== 'auto', 5000, { message: 'a fixed range' });
    const min = frame.locator('vscode-textfield.lp-ymin input');
    const max = frame.locator('vscode-textfield.lp-ymax input');
    await min.fill('-2');
    await max.fill('2');
    await max.press('Enter');
    let d = await waitForDiagnostics<Diag>(undefined, (x) => JSON.stringify(x.list[0]?.yRange) === '[-2,2]', 10_000);
    assert.equal(await attr(frame, 'data-y-range'), '-2,2');
    await screenshot(page, 'ux-y-fixed');

    // From the tree's context menu: Set Y Axis Range… → Auto.
    await showTree(page);
    await contextMenu(page, treeRows(page).filter({ hasText: 'UX sine' }).first(), 'Set Y Axis Range');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Auto' }).first().click();
    d = await waitForDiagnostics<Diag>(undefined, (x) => x.list[0]?.yRange === 'auto', 10_000);
    await waitFor(async () => (await attr(frame, 'data-y-range')) === 'auto', 5000, { message: 'the view shows auto' });
    assert.equal(d.sessions, 1);
  });

  it('CSV from the view button, through the save dialog', async () => {
    const { page } = wb;
    const file = path.join(out(), 'from-view.csv');
    await frame.locator('vscode-button.lp-export-csv').click();
    await saveDialog(page, file);
    const text = (await waitForFile(file, 40)).toString('utf8');
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], 'time_ms,time,sine1,sine2,sine3');
    assert.ok(lines.length > 10, `${lines.length} lines`);
    for (const l of lines.slice(1)) assert.equal(l.split(',').length, 5, l);
  });

  it('PNG from the view button and from the tree context menu, not blank', async () => {
    const { page } = wb;
    const fromView = path.join(out(), 'from-view.png');
    await frame.locator('vscode-button.lp-export-png').click();
    await saveDialog(page, fromView);
    assertNotBlank(await imageStats(page, await waitForFile(fromView, 1000)), 'PNG from the view');

    await showTree(page);
    const fromTree = path.join(out(), 'from-tree.png');
    await contextMenu(page, treeRows(page).filter({ hasText: 'UX sine' }).first(), 'Save Chart as PNG');
    await saveDialog(page, fromTree);
    const png = await waitForFile(fromTree, 1000);
    const stats = await imageStats(page, png);
    assertNotBlank(stats, 'PNG from the tree');
    assert.ok(stats.colours >= 30, `series colours, axes and text (${stats.colours} colours)`);
    fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    fs.copyFileSync(fromTree, path.join(SCREENSHOTS_DIR, 'exported-chart.png')); // to look at
  });

  it('Export Data as CSV… from the command palette (one session: no pick)', async () => {
    const { page } = wb;
    const d = await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 1);
    const file = path.join(out(), 'by-command.csv');
    await runCommand(page, 'Live Plot: Export Data as CSV…');
    await saveDialog(page, file);
    const text = (await waitForFile(file, 40)).toString('utf8');
    assert.match(text, /^time_ms,time,sine1,sine2,sine3\n/);
    assert.equal(d.list[0]!.title, 'UX sine');
  });
});

describe('restore after reload (real UI)', function () {
  const wb = workbenchSuite(this, { timeoutMs: 180_000, afterAllCommands: ['Live Plot: Close All Sessions'] });

  it('a panel comes back with its y range, as a fresh session; narrow panels wrap their toolbar', async () => {
    const { page } = wb;
    await newSessionFromPalette(page, 'random', 'Kept range');
    let frame = await findFrame(page, '.lp-root[data-session]:not([data-session=""])', 30_000);
    await frame.locator('vscode-single-select.lp-ymode').click();
    await frame.getByRole('option', { name: 'Fixed' }).click();
    const max = frame.locator('vscode-textfield.lp-ymax input');
    await frame.locator('vscode-textfield.lp-ymin input').fill('-1');
    await max.fill('3');
    await max.press('Enter');
    const before = await waitForDiagnostics<Diag>(undefined, (x) => JSON.stringify(x.list[0]?.yRange) === '[-1,3]', 10_000);

    // A narrow window: the toolbar wraps, nothing is cut off.
    await page.setViewportSize({ width: 900, height: 700 });
    await frame.locator('.lp-root').evaluate((el) => new Promise((r) => (el.ownerDocument.defaultView as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => r(undefined))));
    const overflow = await frame.locator('.lp-toolbar').evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(overflow <= 1, `the toolbar fits (${overflow}px over)`);
    await screenshot(page, 'ux-narrow');
    await page.setViewportSize({ width: 1600, height: 1000 });

    await runCommand(page, 'Developer: Reload Window');
    await waitForDiagnostics<Diag & { deactivated?: boolean }>(undefined, (x) => x.deactivated === true, 30_000);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
    const after = await waitForDiagnostics<Diag & { deactivated?: boolean }>(undefined, (x) => !x.deactivated && x.sessions === 1 && x.views === 1, 60_000);
    assert.equal(after.list[0]!.title, 'Kept range');
    assert.notEqual(after.list[0]!.id, before.list[0]!.id, 'a fresh session');
    assert.deepEqual(after.list[0]!.yRange, [-1, 3], 'the y range came back');
    frame = await findFrame(page, `.lp-root[data-session="${after.list[0]!.id}"]`, 30_000);
    await waitFor(async () => (await attr(frame, 'data-y-range')) === '-1,3', 10_000, { message: 'the view shows the range' });
  });
});

describe('walkthrough (real UI)', function () {
  const wb = workbenchSuite(this, { timeoutMs: 180_000, afterAllCommands: ['Live Plot: Close All Sessions'] });

  it('lists its four steps; "Open a Demo Session" opens a live panel', async () => {
    const { page } = wb;
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with Live Plot Sessions' }).first().click();
    const steps = page.locator('.gettingStartedSlideDetails .getting-started-step');
    await steps.first().waitFor({ state: 'visible', timeout: 20_000 });
    const titles = await steps.locator('.step-title').allTextContents();
    assert.deepEqual(
      titles.map((t) => t.trim()),
      ['Open a demo session', 'Open the demo notebook', 'Send telemetry from a terminal', 'Find the session tree'],
    );
    await page.getByRole('button', { name: 'Open a Demo Session', exact: true }).click();
    const d = await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 1 && x.views === 1, 20_000);
    assert.equal(d.list[0]!.title, 'Demo session');
    await screenshot(page, 'walkthrough');
  });
});
