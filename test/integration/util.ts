import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LivePlotApi } from '../../src/vscode/api';

export const EXTENSION_ID = 'liveplot.live-plot-sessions';

/** Activates the extension and returns its API. */
export async function getApi(): Promise<LivePlotApi> {
  const ext = vscode.extensions.getExtension<LivePlotApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} not found`);
  return ext.isActive ? ext.exports : ext.activate();
}

/** Polls `fn` until it returns a truthy value or the time runs out (then fails with `what`). */
export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits until the diagnostics match `expected` (subset), then returns them. */
export async function expectDiagnostics(api: LivePlotApi, expected: Partial<ReturnType<LivePlotApi['diagnostics']>>, timeoutMs = 10_000) {
  let d = api.diagnostics();
  try {
    await waitFor(
      `diagnostics ${JSON.stringify(expected)}`,
      () => {
        d = api.diagnostics();
        return Object.entries(expected).every(([k, v]) => (d as unknown as Record<string, number>)[k] === v);
      },
      timeoutMs,
    );
  } catch {
    assert.deepEqual(pick(d, Object.keys(expected)), expected, 'diagnostics');
  }
  return d;
}

function pick(d: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (d as Record<string, unknown>)[k]]));
}

/** Closes every editor and waits for the sessions they owned to end. */
export async function closeEverything(api: LivePlotApi): Promise<void> {
  await vscode.commands.executeCommand('livePlot.closeAll');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await expectDiagnostics(api, { sessions: 0, timers: 0, views: 0 });
}

/** Tabs that show live plot panels. */
export function panelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('livePlot.panel'));
}
