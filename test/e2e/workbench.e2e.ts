// Placeholder e2e suite: the workbench loads with the extension installed.
import * as assert from 'node:assert/strict';
import { e2e, manifest, runCommand, waitFor, waitForDiagnostics } from './harness';
import type { Diag } from '../helpers/diagnostics';
import { workbenchSuite } from '../helpers/e2eSuite';

describe('workbench', function () {
  const wb = workbenchSuite(this, { timeoutMs: 120_000, fresh: false });

  it('shows the status bar', async () => {
    const { page } = wb;
    const statusbar = page.locator('.monaco-workbench .part.statusbar');
    assert.equal(await statusbar.isVisible(), true);
    const box = await statusbar.boundingBox();
    assert.ok(box && box.height > 10 && box.width > 500, `status bar box ${JSON.stringify(box)}`);
  });

  it('the extension host runs the extension: it writes its diagnostics file', async () => {
    const d = await waitForDiagnostics<Diag>(undefined, (x) => typeof x.at === 'number');
    assert.ok(Array.isArray(d.list), `diagnostics without a session list: ${JSON.stringify(d)}`);
    assert.ok(Date.now() - d.at < 60_000, 'diagnostics are stale');
  });

  it('lists Live Plot Sessions among the installed extensions (.vsix)', async function () {
    const { page } = wb;
    // In development mode the extension is loaded, not installed: nothing to list.
    if (e2e().mode !== 'vsix') this.skip();
    await runCommand(page, 'Extensions: Show Installed Extensions');
    const row = page.locator('.extensions-viewlet .extension-list-item', { hasText: 'Live Plot Sessions' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, 'View: Show Explorer');
  });

  it('has a "Live Plot" view container in the activity bar', async () => {
    const { page } = wb;
    const containers: { id: string; title: string }[] = manifest().contributes?.viewsContainers?.activitybar ?? [];
    const livePlot = containers.find((c) => c.id === 'livePlot');
    assert.ok(livePlot, 'package.json contributes no viewsContainers.activitybar "livePlot"');
    assert.equal(livePlot.title, 'Live Plot');
    const item = page.locator('.part.activitybar .action-item .action-label[aria-label^="Live Plot"]').first();
    await waitFor(() => item.isVisible(), 30_000, { message: 'the "Live Plot" activity bar item' });
  });
});
