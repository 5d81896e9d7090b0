/**
 * Small helpers shared by the Node benchmarks (run with `node --expose-gc --import tsx`).
 * A benchmark prints one line `BENCH_RESULT {json}` that bench/run.mjs collects.
 */
import * as fs from 'node:fs';

export { median, percentile } from '../test/helpers/stats.mjs';
export { freeUdpPort } from '../test/helpers/ports';

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Full garbage collection (needs --expose-gc), twice with a pause so that finalizers run. */
export async function fullGc(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run node with --expose-gc');
  gc();
  await sleep(50);
  gc();
}

/** Heap used + array buffers, in bytes (what a session's columns and objects cost). */
export function hostBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Prints the result line for the runner. */
export function report(result: unknown): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

/** CPU time (user + system) of this process, in ms. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs `fn` `runs` times after `warmup` runs; returns every measured value. */
export function repeat(runs: number, warmup: number, fn: () => number): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(fn());
  return out;
}

/**
 * Child processes of this process as `"<pid> <command line>"`, from /proc (Linux);
 * those whose command line matches `ignore` are left out.
 */
export function childProcesses(ignore?: RegExp): string[] {
  const out: string[] = [];
  try {
    for (const t of fs.readdirSync(`/proc/${process.pid}/task`)) {
      const c = fs.readFileSync(`/proc/${process.pid}/task/${t}/children`, 'utf8').trim();
      for (const pid of c ? c.split(/\s+/) : []) {
        let cmd = '?';
        try {
          cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
        } catch {
          // gone
        }
        if (!ignore || !ignore.test(cmd)) out.push(`${pid} ${cmd}`);
      }
    }
  } catch {
    return ['(no /proc)'];
  }
  return out;
}

/**
 * The spec of teardown cycle `i` (both teardown benchmarks use the same mix): a
 * `command` process every 20th cycle (spawning is the slow part), else sine, random,
 * api, udp on `port` and a tail of `file` in turn.
 */
export function teardownSpec(i: number, port: number, file: string): { source: { kind: string } & Record<string, unknown>; periodMs: number; points: number } {
  const base = { periodMs: 10, points: 1000 };
  if (i % 20 === 19) return { source: { kind: 'command', command: 'sleep', args: ['30'] }, ...base };
  const kinds = [{ kind: 'sine' }, { kind: 'random' }, { kind: 'api' }, { kind: 'udp', address: '127.0.0.1', port }, { kind: 'file', path: file }];
  return { source: kinds[i % kinds.length]!, ...base };
}
