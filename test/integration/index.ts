// Mocha bootstrap for the integration tier: runs INSIDE the real VS Code
// extension host (code-server), loaded through the workbench's
// `extensionTestsPath`. esbuild bundles this file and every suite into
// out/test/integration/index.js (externals: vscode, mocha).
//
// Suites: every test/integration/*.test.ts is picked up automatically (esbuild
// bundles all files matching the glob-style require below; the names are read
// from the source folder at run time). Set LIVEPLOT_TEST_GREP to run a subset.
//
// Results go to $LIVEPLOT_TEST_RESULTS_FILE (set by scripts/run-integration.mjs)
// or else <first workspace folder>/.liveplot-test-results.json, as
// { passed, failed, pending, failures: [{ title, message, stack }] }.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** Source folder of the suites (this bundle lives in out/test/integration/). */
const SUITES_DIR = path.resolve(__dirname, '..', '..', '..', 'test', 'integration');

function suiteNames(): string[] {
  const names = fs
    .readdirSync(SUITES_DIR)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -'.test.ts'.length))
    .sort();
  if (names.length === 0) throw new Error(`no *.test.ts suites in ${SUITES_DIR}`);
  return names;
}

function loadSuite(name: string): void {
  // esbuild turns this template into a map of every ./*.test.ts file; each module
  // is initialised lazily here, i.e. after 'pre-require' defined describe/it.
  require(`./${name}.test.ts`);
}

function resultsFile(): string {
  if (process.env.LIVEPLOT_TEST_RESULTS_FILE) return process.env.LIVEPLOT_TEST_RESULTS_FILE;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return path.join(folder ?? require('node:os').tmpdir(), '.liveplot-test-results.json');
}

interface Failure {
  title: string;
  message: string;
  stack?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  // The restricted-mode window runs only the "restricted mode" suites; the trusted one skips them.
  const restricted = process.env.LIVEPLOT_TEST_MODE === 'restricted';
  if (restricted && vscode.workspace.isTrusted) throw new Error('the restricted-mode run opened a TRUSTED workspace: its tests would prove nothing');
  if (process.env.LIVEPLOT_TEST_GREP) mocha.grep(process.env.LIVEPLOT_TEST_GREP);
  else if (restricted) mocha.grep('restricted mode');
  else mocha.grep('restricted mode').invert();
  // Defines describe/it/before/... as globals, like mocha.addFile() would.
  mocha.suite.emit('pre-require', globalThis, 'integration', mocha);
  for (const name of suiteNames()) loadSuite(name);

  const failures: Failure[] = [];
  let passed = 0;
  let pending = 0;
  return new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failedCount) => {
      const result = { passed, failed: failedCount, pending, failures };
      try {
        fs.writeFileSync(resultsFile(), JSON.stringify(result, null, 2));
      } catch (e) {
        console.error(`could not write test results: ${String(e)}`);
      }
      console.log(`[integration] ${passed} passed, ${failedCount} failed, ${pending} pending`);
      if (failedCount > 0) reject(new Error(`${failedCount} integration test(s) failed`));
      else if (passed === 0) reject(new Error('no integration test ran'));
      else resolve();
    });
    runner.on('pass', () => passed++);
    runner.on('pending', () => pending++);
    runner.on('fail', (test, err: Error) => {
      failures.push({ title: test.fullTitle(), message: String(err?.message ?? err), stack: err?.stack });
    });
  });
}
