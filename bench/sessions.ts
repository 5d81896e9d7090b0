/**
 * Many sessions, host side (src/core with the real SystemClock, as in the extension host).
 * 1. 500 live sessions whose only view is hidden: CPU (% of one core, process.cpuUsage over
 *    10 s) and host memory per session (heap + array buffers, after gc). Baseline: the same
 *    sessions sending every view the whole window as JSON arrays every period, visible or not.
 * 2. The host side of 50 visible sessions at 1 Hz × 1,000 points (random source): CPU with
 *    messages serialised the way VS Code serialises webview messages (JSON with typed arrays
 *    moved out as buffers). Baseline: the same with JSON arrays of numbers.
 */
import { SystemClock } from '../src/core/clock';
import type { Owner, ViewSink } from '../src/core/session';
import { SessionManager } from '../src/core/sessionManager';
import { createBuiltinRegistry } from '../src/core/sources/registry';
import type { HostToViewMessage } from '../src/shared/protocol';
import { cpuMs, fullGc, hostBytes, median, report, sleep } from './lib';

const quick = process.argv.includes('--quick');
const LIMITS = {
  defaultPeriodMs: 1000,
  defaultPoints: 1000,
  minPeriodMs: 250,
  maxPeriodMs: 60_000,
  maxPoints: 1_000_000,
  maxSessions: 10_000,
  periodControl: { min: 250, max: 2000, step: 250 },
};
const OWNER: Owner = { kind: 'api', group: 'bench', groupKey: 'bench', isAlive: () => true };

function makeManager() {
  let n = 0;
  const clock = new SystemClock();
  const manager = new SessionManager({ clock, registry: createBuiltinRegistry(), limits: () => LIMITS, newId: () => `s${++n}` });
  return { clock, manager };
}

/** What VS Code does with a webview message: JSON, with typed arrays moved out as (copied) buffers. */
function vscodeSerialize(msg: unknown): number {
  const buffers: ArrayBuffer[] = [];
  const json = JSON.stringify(msg, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v)) {
      buffers.push(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer);
      return { $$vscode_array_buffer_reference$$: true, index: buffers.length - 1 };
    }
    return v;
  });
  return json.length + buffers.reduce((n, b) => n + b.byteLength, 0);
}

/** The straightforward way: the columns as JSON arrays of numbers. */
function jsonArrays(x: ArrayLike<number>, y: readonly ArrayLike<number>[]): number {
  return JSON.stringify({ type: 'data', x: Array.from(x), y: y.map((c) => Array.from(c)) }).length;
}

/** CPU % of one core over `seconds`, as the median of 2 s windows and over the whole span. */
async function measureCpu(seconds: number) {
  const windows: number[] = [];
  const c0 = cpuMs();
  const t0 = performance.now();
  for (let i = 0; i < seconds / 2; i++) {
    const c = cpuMs();
    const t = performance.now();
    await sleep(2000);
    windows.push(((cpuMs() - c) / (performance.now() - t)) * 100);
  }
  return { medianPct: median(windows), totalPct: ((cpuMs() - c0) / (performance.now() - t0)) * 100, windows };
}

async function hidden(count: number, baseline: boolean) {
  await fullGc();
  const before = hostBytes();
  const { manager, clock } = makeManager();
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const s = manager.create({ title: `s${i}`, source: { kind: 'sine' }, periodMs: 1000, points: 1000 }, OWNER);
    const view: ViewSink = {
      id: `v${i}`,
      post: (m: HostToViewMessage) => {
        if (!baseline || (m.type !== 'delta' && m.type !== 'snapshot')) return;
        const c = s.snapshot();
        bytes += jsonArrays(c.x, c.y);
      },
    };
    // Ours: the view is hidden (sends nothing). Baseline: no visibility, every view gets the history.
    s.attachView(view, baseline);
  }
  // Let every session fill its columns (sine: 20 samples/s × 3 waves) before measuring.
  await sleep(2500);
  await fullGc();
  const after = hostBytes();
  const cpu = await measureCpu(quick ? 4 : 10);
  const timers = clock.activeTimers;
  manager.dispose();
  if (bytes < 0) console.log(bytes);
  return { sessions: count, bytesPerSession: (after - before) / count, timers, ...cpu };
}

async function visible50(baseline: boolean) {
  const { manager } = makeManager();
  let bytes = 0;
  let messages = 0;
  const sessions = [];
  for (let i = 0; i < 50; i++) {
    const s = manager.create({ title: `v${i}`, source: { kind: 'random' }, periodMs: 1000, points: 1000 }, OWNER);
    sessions.push(s);
    s.attachView(
      {
        id: `v${i}`,
        post: (m: HostToViewMessage) => {
          if (m.type !== 'delta' && m.type !== 'snapshot') return;
          messages++;
          bytes += baseline ? jsonArrays(m.x, m.y) : vscodeSerialize(m);
        },
      },
      true,
    );
  }
  await sleep(1500);
  const m0 = messages;
  const cpu = await measureCpu(quick ? 4 : 10);
  const rate = (messages - m0) / (quick ? 4 : 10);
  manager.dispose();
  return { sessions: 50, messagesPerSec: rate, bytes, ...cpu };
}

async function main() {
  const idleCpu = await measureCpu(quick ? 2 : 4);
  const ours = await hidden(500, false);
  const base = await hidden(500, true);
  const v50 = await visible50(false);
  const v50base = await visible50(true);
  report({ idleCpu, hidden500: ours, hidden500Baseline: base, visible50: v50, visible50Baseline: v50base });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
