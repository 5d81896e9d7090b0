// Deactivation and restore, through a real window reload.
import * as assert from 'node:assert/strict';
import { findFrame, runCommand, waitForDiagnostics, waitForExtensionReady, newSessionFromPalette } from './harness';
import type { Diag } from '../helpers/diagnostics';
import { workbenchSuite } from '../helpers/e2eSuite';


describe('window reload (real UI)', function () {
  const wb = workbenchSuite(this, { timeoutMs: 180_000, afterAllCommands: ['Live Plot: Close All Sessions'] });

  it('deactivation ends every session; the panel comes back with a fresh session', async () => {
    const { page } = wb;
    await newSessionFromPalette(page, 'sine', 'Survives reload');
    const before = await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 1 && x.views === 1, 30_000);
    const oldId = before.list[0]!.id;
    // The page holds only an opaque key of the host's record of its spec, never the spec (issue 12).
    const oldFrame = await findFrame(page, '.lp-root[data-session]:not([data-session=""])', 30_000);
    assert.equal(await oldFrame.locator('#root').getAttribute('data-spec'), null, 'no spec in the page');
    const key = await oldFrame.locator('#root').getAttribute('data-panel-key');
    assert.match(key ?? '', /^[0-9a-f]{32}$/);

    await runCommand(page, 'Developer: Reload Window');
    // The old extension host's last word: everything ended.
    const last = await waitForDiagnostics<Diag>(undefined, (x) => x.deactivated === true, 30_000);
    assert.deepEqual([last.sessions, last.timers, last.views], [0, 0, 0]);

    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
    await waitForExtensionReady(page);
    const after = await waitForDiagnostics<Diag>(undefined, (x) => !x.deactivated && x.sessions === 1 && x.views === 1, 60_000);
    assert.equal(after.list[0]!.title, 'Survives reload');
    assert.notEqual(after.list[0]!.id, oldId, 'a fresh session');
    const frame = await findFrame(page, '.lp-root[data-session]:not([data-session=""])', 30_000);
    assert.equal(await frame.locator('.lp-root').first().getAttribute('data-session'), after.list[0]!.id);
    assert.equal(await frame.locator('#root').getAttribute('data-panel-key'), key, 'restored from the host record under the same key');
  });
});
