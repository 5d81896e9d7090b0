// End to end through the real UI: live plots in notebook outputs.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { findFrame, runCommand, screenshot, showTree, sleep, treeRows, waitFor, waitForDiagnostics } from './harness';
import type { Diag } from '../helpers/diagnostics';
import { workbenchSuite } from '../helpers/e2eSuite';


async function outputRoots(frame: Frame) {
  return frame.locator('.lp-root[data-session]:not([data-session=""])');
}

async function updatesOf(frame: Frame): Promise<number[]> {
  return (await outputRoots(frame)).evaluateAll((els) => els.map((e) => Number((e as unknown as { dataset: Record<string, string> }).dataset.updates)));
}

/** "Notebook: Run All" needs the notebook to have focus: give it focus by clicking a markdown cell, then retry. */
async function runAll(page: Page): Promise<void> {
  // Click into the notebook (its first lines are a markdown cell) so that it has focus.
  const box = (await page.locator('.notebook-editor .monaco-list').first().boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + 15);
  try {
    await runCommand(page, 'Notebook: Run All');
  } catch {
    await page.keyboard.press('Escape');
    await page.mouse.click(box.x + box.width / 2, box.y + 15);
    await runCommand(page, 'Notebook: Run All');
  }
}

describe('notebook sessions (real UI)', function () {
  // Leave nothing behind for the next test, even after a failure.
  const wb = workbenchSuite(this, { timeoutMs: 240_000, afterEachCommands: ['Live Plot: Close All Sessions', 'View: Revert and Close Editor'] });

  it('demo notebook: run all → charts update; re-run all / one cell → new ids, one session per output; Stop; clear all → 0', async () => {
    const { page } = wb;
    await runCommand(page, 'Live Plot: Open Demo Notebook');
    await page.locator('.notebook-editor').first().waitFor({ state: 'visible', timeout: 30_000 });
    await runAll(page);
    let d = await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 2 && x.timers === 2 && x.views === 2, 45_000);
    assert.deepEqual(d.list.map((s) => s.ownerKind), ['output', 'output']);

    const frame = await findFrame(page, '.lp-root[data-session]:not([data-session=""])', 30_000);
    await waitFor(async () => (await outputRoots(frame)).count().then((n) => n === 2), 20_000, { message: 'two live outputs' });
    const u1 = await updatesOf(frame);
    await waitFor(async () => (await updatesOf(frame)).every((u, i) => u > u1[i]!), 15_000, { message: 'both charts to update' }).catch(async (e) => {
      const attrs = await (await outputRoots(frame)).evaluateAll((els) => els.map((el) => JSON.stringify((el as unknown as { dataset: Record<string, string> }).dataset)));
      console.log(`    [debug] ${u1.join(',')} → ${attrs.join(' | ')}`);
      console.log(`    [debug] ${JSON.stringify((await waitForDiagnostics<Diag>(undefined, () => true)).list)}`);
      await screenshot(page, 'debug-demo-charts');
      throw e;
    });
    await screenshot(page, 'notebook-outputs');

    await showTree(page);
    await treeRows(page).filter({ hasText: 'Random' }).first().waitFor({ timeout: 10_000 });
    assert.equal(await treeRows(page).count(), 3, 'one notebook group with two sessions');
    await screenshot(page, 'notebook-tree');

    // Re-run: every output is replaced, each gets a new session, the old ones end.
    const before = d.list.map((s) => s.id);
    await runCommand(page, 'Notebook: Run All');
    d = await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 2 && x.list.every((s) => !before.includes(s.id)), 20_000);
    assert.equal(d.timers, 2);
    await waitFor(async () => (await treeRows(page).count()) === 3, 10_000, { message: 'the tree to show one session per output' });

    // Re-run ONE cell with its own run button: that output gets a new session, the other keeps its own.
    const beforeOne = d.list.map((s) => s.id);
    // The notebook's list scrolls on its own: wheel back to the top so the first cell is on screen.
    const nbBox = (await page.locator('.notebook-editor .monaco-list').first().boundingBox())!;
    await page.mouse.move(nbBox.x + nbBox.width / 2, nbBox.y + nbBox.height / 2);
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -5000);
    await sleep(500);
    const firstCode = page.locator('.notebook-editor .code-cell-row').first();
    await firstCode.hover({ force: true });
    await firstCode.locator('.run-button-container .action-label').first().click({ force: true });
    d = await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 2 && x.list.some((s) => !beforeOne.includes(s.id)), 20_000);
    assert.equal(d.list.filter((s) => beforeOne.includes(s.id)).length, 1, 'the other output kept its session');
    assert.equal(d.timers, 2);

    // The Stop button in an output ends its session and leaves the last frame in place.
    // Stop an output that is on screen (a click on one scrolled out of the notebook's
    // viewport would land on whatever is drawn there).
    const out = await findFrame(page, '.lp-root[data-session]:not([data-session=""])', 20_000);
    const onScreen = await waitForDiagnostics<Diag>(undefined, (x) => x.list.some((s) => s.visibleViews > 0), 15_000);
    const stoppedId = onScreen.list.find((s) => s.visibleViews > 0)!.id;
    const stopped = out.locator(`.lp-root[data-session="${stoppedId}"]`);
    const pointsBefore = Number(await stopped.getAttribute('data-points'));
    await stopped.locator('vscode-button.lp-close').click();
    d = await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 1 && !x.list.some((s) => s.id === stoppedId), 15_000);
    assert.equal(d.timers, 1);
    const ended = out.locator(`.lp-root[data-session="${stoppedId}"]`);
    await waitFor(async () => (await ended.getAttribute('data-state')) === 'ended', 10_000, { message: 'the stopped output to show "ended"' });
    assert.ok(Number(await ended.getAttribute('data-points')) >= Math.min(pointsBefore, 1), 'the last frame stays');
    await screenshot(page, 'notebook-stopped');

    await runCommand(page, 'Notebook: Clear All Outputs');
    await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 0 && x.timers === 0 && x.views === 0, 15_000);
    await waitFor(async () => (await treeRows(page).count()) === 0, 10_000, { message: 'the tree to empty' });
  });

  it('an output that scrolls out of view keeps its session, and shows it again when scrolled back', async () => {
    const { page } = wb;
    // Open it from the Explorer, as a user would.
    await page.locator('.part.activitybar .action-label[aria-label^="Explorer"]').first().click({ force: true });
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'long.liveplot' }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await row.dblclick();
    await page.locator('.notebook-editor').first().waitFor({ state: 'visible', timeout: 30_000 });
    await runAll(page);
    let d = await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 1 && x.list[0]?.visibleViews === 1, 45_000);
    const id = d.list[0]!.id;

    const list = page.locator('.notebook-editor .monaco-list').first();
    const box = (await list.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 10 && !(d.list[0]?.visibleViews === 0); i++) {
      await page.mouse.wheel(0, 3000);
      await sleep(300);
      d = (await waitForDiagnostics<Diag>(undefined, () => true)) as Diag;
    }
    d = await waitForDiagnostics<Diag>(undefined, (x) => x.list[0]?.visibleViews === 0, 15_000);
    assert.equal(d.sessions, 1);
    assert.equal(d.list[0]!.id, id, 'same session while out of view');
    await screenshot(page, 'notebook-scrolled-away');
    await sleep(1500); // it keeps recording while unseen

    for (let i = 0; i < 10 && !(d.list[0]?.visibleViews === 1); i++) {
      await page.mouse.wheel(0, -3000);
      await sleep(300);
      d = (await waitForDiagnostics<Diag>(undefined, () => true)) as Diag;
    }
    d = await waitForDiagnostics<Diag>(undefined, (x) => x.list[0]?.visibleViews === 1, 15_000);
    assert.equal(d.list[0]!.id, id, 'still the same session');
    const frame = await findFrame(page, `.lp-root[data-session="${id}"]`, 20_000);
    const points = Number(await frame.locator(`.lp-root[data-session="${id}"]`).getAttribute('data-points'));
    assert.ok(points >= 30, `the history is shown again (${points} points)`);
    await screenshot(page, 'notebook-scrolled-back');
    await runCommand(page, 'Notebook: Clear All Outputs');
    await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 0 && x.timers === 0, 15_000);
  });
});
