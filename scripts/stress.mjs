#!/usr/bin/env node
// `npm run stress`: the lifecycle stress of test/integration/stress.test.ts,
// longer than in `npm test`, inside a real VS Code (code-server).
//
//   node scripts/stress.mjs [--steps N] [--seed S] [--runs R] [--no-build]
//
// Defaults: 2000 steps, a fresh random seed per run, 1 run. Every run prints
// its seed; `--seed S` (or LIVEPLOT_STRESS_SEED=S) replays a failing one.
// Env equivalents: LIVEPLOT_STRESS_STEPS, LIVEPLOT_STRESS_SEED.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const steps = Number(opt('steps', process.env.LIVEPLOT_STRESS_STEPS || 2000));
const fixedSeed = opt('seed', process.env.LIVEPLOT_STRESS_SEED);
const runs = Math.max(1, Number(opt('runs', 1)));
let build = !argv.includes('--no-build');

let failed = 0;
for (let run = 1; run <= runs; run++) {
  const seed = fixedSeed !== undefined ? Number(fixedSeed) >>> 0 : Math.floor(Math.random() * 2 ** 32) >>> 0;
  console.log(`[stress] run ${run}/${runs}: seed ${seed}, ${steps} steps`);
  const r = spawnSync(process.execPath, ['scripts/run-integration.mjs', ...(build ? [] : ['--no-build'])], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      LIVEPLOT_TEST_GREP: 'lifecycle stress',
      LIVEPLOT_STRESS_STEPS: String(steps),
      LIVEPLOT_STRESS_SEED: String(seed),
      // Roughly 0.15 s a step, plus start-up; generous.
      LIVEPLOT_INTEGRATION_TIMEOUT_MS: String(Math.max(600_000, steps * 1500)),
    },
  });
  build = false; // built once
  if (r.status !== 0) {
    failed++;
    console.log(`[stress] run ${run} FAILED with seed ${seed}: replay with  node scripts/stress.mjs --seed ${seed} --steps ${steps}`);
  }
}
console.log(`[stress] ${runs - failed} of ${runs} run(s) passed`);
process.exit(failed ? 1 : 0);
