// "Opening never runs anything", through the real UI: a notebook from disk
// whose saved output would run a program shows what starting it would do and a
// Start button; nothing runs until a real click on Start. A synthetic click (a
// script in the notebook's webview calling click()) starts nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2e, findFrame, runCommand, screenshot, showTree, sleep, treeRows, waitFor, waitForDiagnostics } from './harness';
import type { Diag } from '../helpers/diagnostics';
import { workbenchSuite } from '../helpers/e2eSuite';


const MIME = 'application/vnd.liveplot.session+json';

describe('opening a notebook runs nothing (real UI)', function () {
  const wb = workbenchSuite(this, { timeoutMs: 180_000, afterEachCommands: ['Live Plot: Close All Sessions', 'View: Close All Editors'] });
  let marker: string;

  it('a hostile saved output shows the program and a Start button; only a real click on Start runs it', async () => {
    const { page } = wb;
    const ws = e2e().workspace;
    marker = path.join(path.dirname(ws), `pwned-${Date.now()}`);
    const spec = { title: 'Saved command', source: { kind: 'command', command: 'sh', args: ['-c', `touch '${marker}'; while :; do echo x:1; sleep 0.2; done`] }, periodMs: 250 };
    const file = path.join(ws, 'hostile-e2e.liveplot');
    fs.writeFileSync(
      file,
      JSON.stringify({ cells: [{ kind: 'code', language: 'json', value: JSON.stringify(spec, null, 2), outputs: [{ items: { [MIME]: { ...spec, version: 1, session: '11111111-2222-4333-8444-555555555555' } } }] }] }),
    );

    // Open it with Quick Open (Ctrl+P), as a user would: it searches the disk, so it
    // does not depend on the Explorer's file watcher noticing the new file.
    const input = page.locator('.quick-input-widget input');
    for (let attempt = 0; attempt < 3; attempt++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('hostile-e2e.liveplot');
      const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'hostile-e2e.liveplot' }).first();
      if (await pick.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false)) {
        await page.keyboard.press('Enter');
        break;
      }
    }
    await page.locator('.notebook-editor').first().waitFor({ state: 'visible', timeout: 30_000 });

    const frame = await findFrame(page, '.lp-gate:not([hidden])', 30_000);
    const gate = frame.locator('.lp-gate:not([hidden])').first();
    const text = (await gate.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Not started: Saved command \(command\)/);
    assert.match(text, /Runs the program: sh -c/);
    assert.ok(text.includes(marker), `the marker path is shown: ${text}`);
    assert.equal(await frame.locator('.lp-root').first().getAttribute('data-state'), 'not-started');
    await screenshot(page, 'notebook-not-started');
    await sleep(1000);
    assert.equal(fs.existsSync(marker), false, 'opening ran nothing');
    let d = await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 0, 5_000);
    assert.equal(d.processes, 0);

    // The tree lists it as not started.
    await showTree(page);
    await treeRows(page).filter({ hasText: 'Saved command' }).first().waitFor({ timeout: 10_000 });
    assert.match(await treeRows(page).filter({ hasText: 'Saved command' }).first().innerText(), /not started/);
    await screenshot(page, 'tree-not-started');

    // A script in the notebook's webview cannot press Start for the user.
    // (A string: the page has no TypeScript helpers.)
    await frame.evaluate(`(() => {
      const b = document.querySelector('.lp-gate .lp-start');
      b.click();
      b.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    })()`);
    await sleep(1500);
    assert.equal(fs.existsSync(marker), false, 'a synthetic click starts nothing');
    assert.equal((await waitForDiagnostics<Diag>(undefined, () => true)).sessions, 0);

    // The user's click does.
    await frame.locator('.lp-gate:not([hidden]) vscode-button.lp-start').click();
    d = await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 1 && x.views === 1, 20_000);
    assert.equal(d.list[0]!.sourceKind, 'command');
    await waitFor(async () => fs.existsSync(marker), 10_000, { message: 'the program to run after Start' });
    const root = frame.locator('.lp-root').first();
    await waitFor(async () => (await root.getAttribute('data-state')) === 'running' && Number(await root.getAttribute('data-updates')) > 0, 15_000, {
      message: 'the output to come alive',
    });
    assert.equal(await frame.locator('.lp-gate').first().isHidden(), true, 'the gate is gone');
    await screenshot(page, 'notebook-started');
    await runCommand(page, 'Live Plot: Close All Sessions');
    d = await waitForDiagnostics<Diag>(undefined, (x) => x.sessions === 0 && x.processes === 0, 15_000);
    // Stopped: the last frame, "ended", and Start again.
    await frame.locator('.lp-gate:not([hidden]) vscode-button.lp-start').waitFor({ timeout: 10_000 });
    assert.match(await frame.locator('.lp-gate').first().innerText(), /Stopped/);
    await screenshot(page, 'notebook-stopped-start-again');
    fs.rmSync(file, { force: true });
    fs.rmSync(marker, { force: true });
  });
});
