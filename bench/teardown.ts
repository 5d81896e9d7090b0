/**
 * Teardown: 1,000 open/close cycles through the core SessionManager (real SystemClock,
 * real sockets, files and processes) leave the host heap where it started (after gc)
 * and 0 timers, sockets, watchers and processes — counted by the manager and by Node
 * itself (active handles, child processes in /proc). Baseline: the seed's behaviour,
 * 1,000 opens that are never closed (what re-executing a notebook cell did).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SystemClock } from '../src/core/clock';
import type { Owner, ViewSink } from '../src/core/session';
import { SessionManager } from '../src/core/sessionManager';
import { createBuiltinRegistry } from '../src/core/sources/registry';
import { childProcesses, freeUdpPort, fullGc, report, sleep, teardownSpec } from './lib';

const quick = process.argv.includes('--quick');
const CYCLES = quick ? 200 : 1000;
const LIMITS = {
  defaultPeriodMs: 250,
  defaultPoints: 1000,
  minPeriodMs: 10,
  maxPeriodMs: 60_000,
  maxPoints: 1_000_000,
  maxSessions: 10_000,
  periodControl: { min: 250, max: 2000, step: 250 },
};
const OWNER: Owner = { kind: 'api', group: 'bench', groupKey: 'bench', isAlive: () => true };


/** Node's own count of live handles by type (timers, sockets, processes, watchers…). */
function handles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liveplot-bench-'));
  const file = path.join(tmp, 'data.log');
  fs.writeFileSync(file, 'a:1\n');
  const port = await freeUdpPort();
  const clock = new SystemClock();
  let n = 0;
  const manager = new SessionManager({
    clock,
    registry: createBuiltinRegistry(),
    limits: () => LIMITS,
    newId: () => `s${++n}`,
    workspaceTrusted: () => true,
  });
  let posted = 0;
  const cycle = async (i: number) => {
    const spec = teardownSpec(i, port, file);
    const s = manager.create({ title: `c${i}`, ...spec }, OWNER);
    const view: ViewSink = { id: `v${i}`, post: () => void posted++ };
    s.attachView(view, true);
    await sleep(i % 20 === 19 ? 30 : 12); // a tick or so of life
    s.dispose('user-closed');
  };

  // Warm-up (JIT, caches, first socket), then the reference point.
  for (let i = 0; i < 50; i++) await cycle(i);
  await sleep(300);
  await fullGc();
  const m0 = process.memoryUsage();
  const h0 = handles();
  const t0 = performance.now();
  for (let i = 0; i < CYCLES; i++) await cycle(i);
  const seconds = (performance.now() - t0) / 1000;
  await sleep(500); // sockets close and processes exit asynchronously
  await fullGc();
  const m1 = process.memoryUsage();
  const h1 = handles();
  const diag = { sessions: manager.size, timers: clock.activeTimers, ...manager.resources, childProcesses: childProcesses(/esbuild --service/) }; // tsx's own esbuild service is not ours

  // Baseline: the same number of opens, never closed (sine only: no OS resources needed).
  await fullGc();
  const b0 = process.memoryUsage();
  for (let i = 0; i < CYCLES; i++) {
    const s = manager.create({ title: `z${i}`, source: { kind: 'sine' }, periodMs: 250, points: 1000 }, OWNER);
    s.attachView({ id: `z${i}`, post: () => void posted++ }, true);
  }
  await sleep(600);
  await fullGc();
  const b1 = process.memoryUsage();
  const zombie = { sessions: manager.size, timers: clock.activeTimers, heapDeltaMB: (b1.heapUsed - b0.heapUsed) / 2 ** 20, arrayBuffersDeltaMB: (b1.arrayBuffers - b0.arrayBuffers) / 2 ** 20 };
  manager.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });

  report({
    cycles: CYCLES,
    seconds,
    heapDeltaMB: (m1.heapUsed - m0.heapUsed) / 2 ** 20,
    arrayBuffersDeltaMB: (m1.arrayBuffers - m0.arrayBuffers) / 2 ** 20,
    after: diag,
    handlesBefore: h0,
    handlesAfter: h1,
    baselineNeverClosed: zombie,
  });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
