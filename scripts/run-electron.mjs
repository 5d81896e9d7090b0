#!/usr/bin/env node
// The integration suite under @vscode/test-electron, for desktops that can
// download VS Code (this project's CI machines cannot: there it runs inside
// code-server, see scripts/run-integration.mjs). Same suite, same results file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: root, stdio: 'inherit' });
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'liveplot-electron-'));
fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { LIVEPLOT_TEST_RESULTS_FILE: path.join(root, '.test-artifacts', 'results', 'integration-electron.json') },
  });
} catch (e) {
  console.error(`Integration tests under Electron failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
}
