// Open latency in code-server (part of `npm run bench`): from confirming
// "Live Plot: New Session" (random source) to the first painted chart in the panel's
// webview, median after warm-up.
//
// The extension is built from the working tree (esbuild.mjs's production options,
// bench/build.mjs) into a temporary folder loaded as a development extension, so
// that dist/ is left alone. Timing is taken inside the browser: an init
// script in every frame records the Enter that confirms the command (workbench) and,
// in the webview, the first animation frame after the chart's canvas exists with data
// (i.e. after it was painted; polled every 4 ms); both as epoch milliseconds
// (performance.timeOrigin).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, startCodeServer } from '../scripts/lib/codeServer.mjs';
import { median } from '../test/helpers/stats.mjs';
import { buildExtension, ROOT } from './build.mjs';

/** Runs in every frame before its scripts (playwright addInitScript). */
function probe() {
  if (window.__lpProbe) return;
  window.__lpProbe = true;
  const now = () => performance.timeOrigin + performance.now();
  if (window === window.top) {
    addEventListener('keydown', (e) => e.key === 'Enter' && (window.__lpEnterAt = now()), true);
    return;
  }
  // VS Code writes the webview's document after this runs (document.open), which drops
  // observers and listeners: a short poll on the window survives it. Stops after 60 s.
  const started = Date.now();
  const timer = setInterval(() => {
    const root = document.querySelector('.lp-root');
    if (Date.now() - started > 60_000) clearInterval(timer);
    if (!root || !root.querySelector('.lp-chart canvas') || !(Number(root.dataset.updates) >= 1)) return;
    clearInterval(timer);
    window.__lpChartAt = now();
    requestAnimationFrame(() => (window.__lpFirstPaint = now()));
  }, 4);
}

async function firstPaint(page, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      try {
        const t = await f.evaluate(() => window.__lpFirstPaint);
        if (t) return t;
      } catch {}
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const frames = [];
  for (const f of page.frames()) {
    frames.push(`${f.url().slice(0, 90)} probe=${await f.evaluate(() => !!window.__lpProbe).catch(() => '?')} root=${await f.evaluate(() => !!document.querySelector('.lp-root')).catch(() => '?')}`);
  }
  await page.screenshot({ path: path.join(ROOT, 'bench-results', 'open-failure.png') }).catch(() => undefined);
  throw new Error(`no chart painted; frames:\n${frames.join('\n')}`);
}

/** @returns {Promise<{ runs: number[], medianMs: number, warmup: number[] }>} */
export async function openLatency({ quick = false, log = console.log } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liveplot-bench-open-'));
  const ext = path.join(tmp, 'extension');
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(ext);
  fs.mkdirSync(workspace);
  const diagnostics = path.join(tmp, 'diagnostics.json');
  let server;
  let browser;
  try {
    log('  building the extension into a temporary folder…');
    await buildExtension(ext);
    server = await startCodeServer({ name: 'bench', workspace, extensionDevelopmentPath: ext, env: { LIVEPLOT_DIAGNOSTICS_FILE: diagnostics } });
    fs.writeFileSync(
      path.join(server.userDataDir, 'User', 'keybindings.json'),
      JSON.stringify([
        { key: 'ctrl+alt+shift+l', command: 'livePlot.newSession', args: 'random' },
        { key: 'ctrl+alt+shift+k', command: 'workbench.action.closeAllEditors' },
      ]),
    );
    browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
    await browser.context.addInitScript(probe);
    const page = await browser.newPage();
    await page.goto(server.url, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 90_000 });
    const t0 = Date.now();
    while (!fs.existsSync(diagnostics) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 200));
    await page.waitForTimeout(2000);
    const input = page.locator('.quick-input-widget input');
    const once = async () => {
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => undefined);
      await page.keyboard.press('Control+Alt+Shift+KeyL');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await page.waitForTimeout(200);
      await page.keyboard.press('Enter');
      const painted = await firstPaint(page, 30_000);
      const enter = await page.evaluate(() => window.__lpEnterAt);
      const ms = painted - enter;
      await page.waitForTimeout(500);
      await page.keyboard.press('Control+Alt+Shift+KeyK');
      const t = Date.now();
      while (Date.now() - t < 15_000) {
        try {
          if (JSON.parse(fs.readFileSync(diagnostics, 'utf8')).sessions === 0) break;
        } catch {}
        await page.waitForTimeout(100);
      }
      await page.waitForTimeout(500);
      return ms;
    };
    const warmup = [];
    for (let i = 0; i < 2; i++) warmup.push(await once());
    const runs = [];
    for (let i = 0; i < (quick ? 3 : 7); i++) {
      runs.push(await once());
      log(`  open ${i + 1}: ${runs.at(-1).toFixed(0)} ms`);
    }
    return { runs, warmup, medianMs: median(runs) };
  } finally {
    await browser?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
