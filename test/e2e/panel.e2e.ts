// End to end through the real UI: a panel session from the command palette.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { findFrame, screenshot, showTree, treeRows, waitFor, waitForDiagnostics, newSessionFromPalette } from './harness';
import type { Diag } from '../helpers/diagnostics';
import { workbenchSuite } from '../helpers/e2eSuite';


async function attr(frame: Frame, name: string): Promise<string | null> {
  return frame.locator('.lp-root').first().getAttribute(name);
}

describe('panel session (real UI)', function () {
  const wb = workbenchSuite(this, { timeoutMs: 180_000 });

  it('New Session from the palette opens a live chart, listed in the tree; the period control drives the rate; Close ends it', async () => {
    const { page } = wb;
    await newSessionFromPalette(page, 'random', 'E2E Random');

    const frame = await findFrame(page, '.lp-root[data-session]:not([data-session=""])', 30_000);
    // The chart's data changes from one period to the next.
    await waitFor(async () => Number(await attr(frame, 'data-updates')) >= 1, 15_000, { message: 'first data' });
    const u1 = Number(await attr(frame, 'data-updates'));
    const last1 = await attr(frame, 'data-last');
    assert.equal(await attr(frame, 'data-points'), '100');
    await waitFor(async () => Number(await attr(frame, 'data-updates')) > u1 && (await attr(frame, 'data-last')) !== last1, 10_000, { message: 'a second, different frame' });
    assert.ok(await frame.locator('.lp-chart canvas').first().isVisible(), 'a uPlot canvas is drawn');

    let d = await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 1 && x.timers === 1 && x.views === 1);
    assert.equal(d.list[0]!.title, 'E2E Random');
    assert.equal(d.list[0]!.periodMs, 1000);

    await showTree(page);
    const row = treeRows(page).filter({ hasText: 'E2E Random' });
    await row.first().waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'panel-and-tree');

    // Move the period control to 250 ms: the update rate follows (≈ 4/s).
    await frame.locator('vscode-single-select.lp-period').click();
    await frame.getByRole('option', { name: /^250 ms/ }).first().click();
    d = await waitForDiagnostics<Diag>(undefined, (x) => x.list[0]?.periodMs === 250);
    d = await waitForDiagnostics<Diag>(undefined, (x) => (x.list[0]?.rate ?? 0) >= 3, 15_000);
    assert.ok(d.list[0]!.rate <= 4.5, `rate ${d.list[0]!.rate}`);
    await row.first().filter({ hasText: '250 ms' }).waitFor({ timeout: 5000 });

    // The points control: 250 points at the next tick.
    const points = frame.locator('vscode-textfield.lp-points input');
    await points.fill('250');
    await points.press('Enter');
    await waitFor(async () => (await attr(frame, 'data-points')) === '250', 10_000, { message: '250 points in the chart' });
    await screenshot(page, 'panel');

    await frame.locator('vscode-button.lp-close').click();
    await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 0 && x.timers === 0 && x.views === 0);
    await waitFor(async () => (await treeRows(page).count()) === 0, 10_000, { message: 'the tree to empty' });
    await page.locator('[id="workbench.view.extension.livePlot"]', { hasText: 'No live plot sessions' }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'tree-empty');
  });
});
