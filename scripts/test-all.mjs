#!/usr/bin/env node
// `npm test`: every tier in order, continuing past failures, then a table and a
// closing line `N passed, N failed`. Exits non-zero if anything failed or a
// tier could not run.
//
//   setup        scripts/setup-test-tools.mjs (Chromium, Node 24, code-server)
//   typecheck    npm run typecheck
//   build        node esbuild.mjs --tests
//   unit         npm run test:unit (node:test via tsx)
//   integration  scripts/run-integration.mjs --no-build (mocha in the extension host)
//   integration-restricted  the same in a window in restricted mode (workspace not trusted)
//   e2e          scripts/run-e2e.mjs (Chromium against code-server with the .vsix)
//
// Local iteration: LIVEPLOT_SKIP_TYPECHECK=1, LIVEPLOT_SKIP_UNIT=1,
// LIVEPLOT_SKIP_INTEGRATION=1, LIVEPLOT_SKIP_E2E=1 skip a tier (reported as
// skipped). Under CI (CI=true) skips are refused: every tier runs.
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR, npmCmd, sh } from './lib/util.mjs';

const CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const t0 = Date.now();
const tiers = [];

const skipVar = (name) => `LIVEPLOT_SKIP_${name.toUpperCase().replace(/-/g, '_')}`;

function skipRequested(name) {
  const v = process.env[skipVar(name)];
  if (!v || v === '0' || v === 'false') return false;
  if (CI) {
    console.log(`\n[test-all] ${skipVar(name)} ignored: CI runs every tier`);
    return false;
  }
  return true;
}

function banner(name) {
  console.log(`\n${'='.repeat(20)} ${name} ${'='.repeat(Math.max(0, 50 - name.length))}`);
}

function readResult(tier) {
  try {
    return JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, `${tier}.json`), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * kind 'check': a step with no test counts (a failure counts as 1 failed).
 * kind 'tests': counts come from `counts(result)`.
 */
async function tier(name, { needs = [], run, counts, kind = 'tests' }) {
  banner(name);
  const row = { name, status: 'passed', passed: 0, failed: 0, pending: 0, seconds: 0, note: '' };
  tiers.push(row);
  if (skipRequested(name)) {
    row.status = 'skipped';
    row.note = `${skipVar(name)}=1`;
    console.log(`[test-all] ${name}: skipped (${row.note})`);
    return row;
  }
  const blocked = needs.find((n) => tiers.find((t) => t.name === n)?.status === 'failed' || tiers.find((t) => t.name === n)?.status === 'not run');
  if (blocked) {
    row.status = 'not run';
    row.failed = 1;
    row.note = `${blocked} failed`;
    console.log(`[test-all] ${name}: not run (${row.note})`);
    return row;
  }
  const s = Date.now();
  let r;
  try {
    r = await run();
  } catch (e) {
    r = { code: 1, out: String(e?.stack ?? e) };
    console.error(r.out);
  }
  row.seconds = (Date.now() - s) / 1000;
  if (kind === 'check') {
    row.status = r.code === 0 ? 'passed' : 'failed';
    row.failed = r.code === 0 ? 0 : 1;
    return row;
  }
  const c = counts(r) ?? {};
  row.passed = c.passed ?? 0;
  row.failed = c.failed ?? 0;
  row.pending = c.pending ?? 0;
  if (r.code !== 0) {
    row.status = 'failed';
    if (row.failed === 0) {
      row.failed = 1; // crashed / could not report its counts
      row.note = `exit code ${r.code}, no failure counted`;
    }
  } else if (row.failed > 0) row.status = 'failed';
  else if (row.passed === 0) {
    row.status = 'failed';
    row.failed = 1;
    row.note = 'ran no test';
  }
  if (c.note) row.note = row.note ? `${row.note}; ${c.note}` : c.note;
  return row;
}

const fromResultFile = (t) => () => {
  const j = readResult(t);
  return j ? { passed: j.passed, failed: j.failed, pending: j.pending ?? 0, note: j.error ? String(j.error).split('\n')[0].slice(0, 80) : '' } : null;
};

function nodeTestCounts(out) {
  // node:test summary: TAP ("# pass 12") or spec ("ℹ pass 12").
  const num = (key) => {
    const m = [...out.matchAll(new RegExp(`^(?:#|ℹ)\\s+${key}\\s+(\\d+)\\s*$`, 'gm'))].pop();
    return m ? Number(m[1]) : undefined;
  };
  return { passed: num('pass'), failed: num('fail'), pending: (num('skipped') ?? 0) + (num('todo') ?? 0) };
}

fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
const MIN = 60_000;

await tier('setup', {
  kind: 'check',
  run: () => sh(process.execPath, ['scripts/setup-test-tools.mjs'], { timeoutMs: 30 * MIN }),
});
await tier('typecheck', { kind: 'check', run: () => sh(npmCmd(), ['run', 'typecheck'], { timeoutMs: 10 * MIN }) });
await tier('build', { kind: 'check', run: () => sh(process.execPath, ['esbuild.mjs', '--tests'], { timeoutMs: 10 * MIN }) });
await tier('unit', {
  run: () => sh(npmCmd(), ['run', 'test:unit'], { capture: true, timeoutMs: 15 * MIN }),
  counts: (r) => nodeTestCounts(r.out),
});
await tier('integration', {
  needs: ['setup', 'build'],
  run: () => sh(process.execPath, ['scripts/run-integration.mjs', '--no-build'], { timeoutMs: 15 * MIN }),
  counts: fromResultFile('integration'),
});
await tier('integration-restricted', {
  needs: ['setup', 'build'],
  run: () => sh(process.execPath, ['scripts/run-integration.mjs', '--no-build', '--restricted'], { timeoutMs: 10 * MIN }),
  counts: fromResultFile('integration-restricted'),
});
await tier('e2e', {
  needs: ['setup'],
  run: () => sh(process.execPath, ['scripts/run-e2e.mjs'], { timeoutMs: 20 * MIN }),
  counts: fromResultFile('e2e'),
});

// ------------------------------------------------------------------ summary
const pad = (s, n) => String(s).padEnd(n);
console.log(`\n${'='.repeat(72)}`);
console.log(`${pad('tier', 24)}${pad('status', 10)}${pad('passed', 8)}${pad('failed', 8)}${pad('pending', 9)}${pad('time', 9)}note`);
for (const t of tiers) {
  const counted = t.status === 'skipped' || (t.passed === 0 && t.failed === 0 && t.pending === 0 && t.status === 'passed');
  console.log(
    `${pad(t.name, 24)}${pad(t.status, 10)}${pad(counted ? '-' : t.passed, 8)}${pad(counted ? '-' : t.failed, 8)}${pad(counted ? '-' : t.pending, 9)}${pad(t.seconds ? `${t.seconds.toFixed(1)}s` : '-', 9)}${t.note}`,
  );
}
const passed = tiers.reduce((a, t) => a + t.passed, 0);
const failed = tiers.reduce((a, t) => a + t.failed, 0);
const skipped = tiers.filter((t) => t.status === 'skipped').map((t) => t.name);
console.log(`${'='.repeat(72)}`);
console.log(`total time ${((Date.now() - t0) / 1000).toFixed(0)}s${skipped.length ? `; skipped tiers: ${skipped.join(', ')}` : ''}`);
console.log('');
console.log(`${passed} passed, ${failed} failed`);
const bad = tiers.some((t) => t.status === 'failed' || t.status === 'not run');
process.exit(bad || failed > 0 ? 1 : 0);
