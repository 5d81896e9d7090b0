#!/usr/bin/env node
// Integration tier: mocha inside the real VS Code extension host.
//
//   node scripts/run-integration.mjs [--no-build] [--restricted]
//
// --restricted: the window opens the workspace in restricted mode (workspace
// trust on, folder not trusted) and runs only the suites titled "restricted
// mode"; the normal run (trust disabled) skips them. Results go to
// integration-restricted.json instead of integration.json.
//
// Builds (node esbuild.mjs --tests), copies test/fixtures/workspace to a temp
// folder, starts code-server with the smoke-test driver, and opens Chromium on
// the workbench URL whose `payload` names this repo as extensionDevelopmentPath
// and out/test/integration/index.js as extensionTestsPath. The workbench reports
// the suite's exit code through window.codeAutomationExit and forwards the
// extension host's console through window.codeAutomationLog.
//
// Env: LIVEPLOT_EXTENSION_DEV_PATH  load the extension from another folder
//      LIVEPLOT_TEST_GREP           run only matching tests
//      LIVEPLOT_INTEGRATION_TIMEOUT_MS (default 600000)
//      LIVEPLOT_KEEP_WORKSPACE=1    keep the temp workspace
// Writes .test-artifacts/results/integration.json { passed, failed, ... }.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { LOGS_DIR, launchBrowser, startCodeServer } from './lib/codeServer.mjs';
import { REPO_ROOT, SCREENSHOTS_DIR, sh, writeResult } from './lib/util.mjs';
import { ensureTestTools } from './setup-test-tools.mjs';

const TIMEOUT_MS = Number(process.env.LIVEPLOT_INTEGRATION_TIMEOUT_MS || 600_000);
const args = new Set(process.argv.slice(2));
const RESTRICTED = args.has('--restricted');
const TIER = RESTRICTED ? 'integration-restricted' : 'integration';
const t0 = Date.now();
const log = (...a) => console.log('[integration]', ...a);
// Workbench console lines that are expected here (no network but npm/apt).
const NOISE = [
  /ENOTFOUND open-vsx\.org/,
  /^(Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]|\[lifecycle\] Long running operations|Updating additional builtin extensions cache)/,
];

async function main() {
  ensureTestTools({ quiet: true });
  if (!args.has('--no-build')) {
    const b = await sh(process.execPath, ['esbuild.mjs', '--tests']);
    if (b.code !== 0) throw new Error('build failed (node esbuild.mjs --tests)');
  }
  const devPath = path.resolve(process.env.LIVEPLOT_EXTENSION_DEV_PATH || REPO_ROOT);
  const testsPath = path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js');
  for (const f of [testsPath, path.join(devPath, 'package.json')]) {
    if (!fs.existsSync(f)) throw new Error(`missing ${f}`);
  }
  const extMain = JSON.parse(fs.readFileSync(path.join(devPath, 'package.json'), 'utf8')).main;
  if (extMain && !fs.existsSync(path.resolve(devPath, extMain)) && !fs.existsSync(path.resolve(devPath, `${extMain}.js`))) {
    throw new Error(`the extension's main ${extMain} is not built in ${devPath}`);
  }

  // <tmp>/workspace is what VS Code opens; results and diagnostics live beside
  // it, so they do not show up in (or trigger watchers of) the workspace.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liveplot-it-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const resultsFile = path.join(tmp, 'results.json');
  const diagnosticsFile = path.join(tmp, 'diagnostics.json');
  let server;
  let browser;
  let page;
  let exitCode = 1;
  let reason = '';
  try {
    server = await startCodeServer({
      name: 'integration',
      workspace,
      extensionDevelopmentPath: devPath,
      extensionTestsPath: testsPath,
      smokeDriver: true,
      restricted: RESTRICTED,
      env: {
        LIVEPLOT_TEST_RESULTS_FILE: resultsFile,
        LIVEPLOT_DIAGNOSTICS_FILE: diagnosticsFile,
        LIVEPLOT_TEST_MODE: RESTRICTED ? 'restricted' : 'trusted',
        ...(process.env.LIVEPLOT_TEST_GREP ? { LIVEPLOT_TEST_GREP: process.env.LIVEPLOT_TEST_GREP } : {}),
      },
    });
    log(`code-server pid ${server.pid} on ${server.base} (log ${path.relative(REPO_ROOT, server.logFile)})`);
    browser = await launchBrowser();
    page = await browser.newPage();

    let finish;
    let finished = false;
    const done = new Promise((resolve) => (finish = (r) => ((finished = true), resolve(r))));
    // The workbench's console (incl. the extension host's, where mocha's spec
    // reporter prints): everything goes to a log file, the known noise of an
    // offline machine is kept off the terminal.
    const consoleLog = path.join(LOGS_DIR, `${TIER}-console.log`);
    fs.writeFileSync(consoleLog, '');
    await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
      const parts = Array.isArray(logArgs) ? logArgs : [logArgs];
      const text = format(...parts.map((a) => (typeof a === 'string' || typeof a === 'number' ? a : JSON.stringify(a))));
      fs.appendFileSync(consoleLog, `[${type}] ${text}\n`);
      if (finished || NOISE.some((re) => re.test(text))) return; // shutdown noise after the exit stays in the file
      if (type === 'error') console.error(text);
      else console.log(text);
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish({ code: Number(code) }));
    page.on('crash', () => finish({ code: 1, reason: 'the page crashed' }));
    page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
    server.exited.then((e) => finish({ code: 1, reason: `code-server exited (${JSON.stringify(e)})` }));
    const timer = setTimeout(() => finish({ code: 1, reason: `timed out after ${TIMEOUT_MS / 1000}s` }), TIMEOUT_MS);

    log(`opening ${server.url}`);
    await page.goto(server.url, { waitUntil: 'domcontentloaded' });
    const r = await done;
    clearTimeout(timer);
    exitCode = r.code;
    reason = r.reason ?? '';
  } catch (e) {
    reason = e?.stack || String(e);
  }

  // The suite writes its own counts; trust them only if the exit code agrees.
  let results = null;
  try {
    results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {}
  if (!results && exitCode === 0) {
    exitCode = 1;
    reason ||= 'the suite reported success but wrote no results';
  }
  if (exitCode !== 0 && page) {
    try {
      fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
      const shot = path.join(SCREENSHOTS_DIR, `${TIER}-failure.png`);
      await page.screenshot({ path: shot });
      log(`screenshot: ${path.relative(REPO_ROOT, shot)}`);
    } catch {}
  }
  await browser?.close();
  await server?.stop();
  if (process.env.LIVEPLOT_KEEP_WORKSPACE) log(`workspace kept: ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });

  const passed = results?.passed ?? 0;
  const failed = results?.failed ?? (exitCode === 0 ? 0 : 1);
  const summary = {
    passed,
    failed: exitCode !== 0 && failed === 0 ? 1 : failed, // a crash/timeout counts as a failure
    pending: results?.pending ?? 0,
    exitCode,
    error: reason || undefined,
    failures: results?.failures ?? [],
    durationMs: Date.now() - t0,
  };
  writeResult(TIER, summary);
  console.log('');
  for (const f of summary.failures) console.log(`  ✗ ${f.title}\n      ${f.message}`);
  if (reason) console.log(`  error: ${reason}`);
  console.log(`  ${summary.passed} passing, ${summary.failed} failing (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  return exitCode === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[integration] ${e?.stack || e}`);
    writeResult(TIER, { passed: 0, failed: 1, exitCode: 1, error: String(e?.message ?? e) });
    process.exit(1);
  },
);
