// Runs the e2e mocha suites (test/e2e/*.e2e.ts) in this Node process; started by
// scripts/run-e2e.mjs as `node --import tsx scripts/lib/e2e-mocha.mjs [files…]`
// so that TypeScript test files load through tsx. Registers the root hooks of
// test/e2e/harness.ts (one code-server + one browser for the whole run) and
// writes .test-artifacts/results/e2e.json { passed, failed, pending, failures }.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, writeResult } from './util.mjs';

// Mocha's colours follow the environment (CI=true turns them on even into a
// file): keep logs plain unless we write to a terminal.
if (!process.stdout.isTTY) process.env.NO_COLOR ??= '1';
const { default: Mocha } = await import('mocha');

const t0 = Date.now();
const dir = path.join(REPO_ROOT, 'test', 'e2e');
const files = process.argv.slice(2).length
  ? process.argv.slice(2).map((f) => path.resolve(f))
  : fs.readdirSync(dir).filter((f) => f.endsWith('.e2e.ts')).sort().map((f) => path.join(dir, f));
if (!files.length) {
  console.error('[e2e] no test/e2e/*.e2e.ts files');
  writeResult('e2e', { passed: 0, failed: 1, error: 'no e2e test files' });
  process.exit(1);
}

const { mochaHooks } = await import(pathToFileURL(path.join(dir, 'harness.ts')).href);
const mocha = new Mocha({
  ui: 'bdd',
  timeout: Number(process.env.LIVEPLOT_E2E_TIMEOUT_MS || 120_000),
  color: !!process.stdout.isTTY,
  reporter: 'spec',
  rootHooks: mochaHooks,
  ...(process.env.LIVEPLOT_TEST_GREP ? { grep: process.env.LIVEPLOT_TEST_GREP } : {}),
});
for (const f of files) mocha.addFile(f);
await mocha.loadFilesAsync();

let passed = 0;
let pending = 0;
const failures = [];
const failedCount = await new Promise((resolve) => {
  const runner = mocha.run(resolve);
  runner.on('pass', () => passed++);
  runner.on('pending', () => pending++);
  runner.on('fail', (t, err) => failures.push({ title: t.fullTitle(), message: String(err?.message ?? err), stack: err?.stack }));
});
const failed = Math.max(failedCount, failures.length);
writeResult('e2e', { passed, failed, pending, failures, durationMs: Date.now() - t0 });
if (passed + failed === 0) {
  console.error('[e2e] no test ran');
  process.exit(1);
}
process.exit(failed ? 1 : 0);
