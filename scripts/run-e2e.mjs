#!/usr/bin/env node
// E2E tier: mocha tests in Node (test/e2e/*.e2e.ts, via tsx) that drive Debian's
// Chromium against code-server.
//
//   node scripts/run-e2e.mjs [--dev] [--no-build] [test/e2e/x.e2e.ts …]
//
// Default: production build, `vsce package`, and code-server
// `--install-extension` of that .vsix. This is the slower path (~10 s more than
// development mode) but proves the published package is complete (manifest,
// bundled dist/, media) — which the development payload cannot. `--dev` (or
// LIVEPLOT_E2E_DEV=1) loads the working tree through the URL payload instead,
// for quick local iteration.
// Writes .test-artifacts/results/e2e.json (by scripts/lib/e2e-mocha.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { ensureTestTools } from './setup-test-tools.mjs';
import { REPO_ROOT, buildVsix, sh, writeResult } from './lib/util.mjs';

const argv = process.argv.slice(2);
const dev = argv.includes('--dev') || process.env.LIVEPLOT_E2E_DEV === '1';
const noBuild = argv.includes('--no-build');
const files = argv.filter((a) => !a.startsWith('--'));

async function main() {
  ensureTestTools({ quiet: true });
  const env = {};
  if (dev) {
    if (!noBuild) {
      const b = await sh(process.execPath, ['esbuild.mjs']);
      if (b.code !== 0) throw new Error('build failed (node esbuild.mjs)');
    }
  } else if (process.env.LIVEPLOT_E2E_VSIX) {
    env.LIVEPLOT_E2E_VSIX = path.resolve(process.env.LIVEPLOT_E2E_VSIX); // a given package, as is
  } else {
    const vsix = path.join(REPO_ROOT, '.test-artifacts', 'live-plot-sessions.vsix');
    if (!noBuild || !fs.existsSync(vsix)) await buildVsix(vsix);
    env.LIVEPLOT_E2E_VSIX = vsix;
  }
  const r = await sh(process.execPath, ['--import', 'tsx', 'scripts/lib/e2e-mocha.mjs', ...files], { env });
  return r.code;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[e2e] ${e?.stack || e}`);
    writeResult('e2e', { passed: 0, failed: 1, error: String(e?.message ?? e) });
    process.exit(1);
  },
);
