// Process accounting for the benchmarks (Linux /proc): which processes this process
// started (recursively), and how much CPU each used between two samples.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Processes started by `pid` (default: this process), recursively. */
export function descendants(pid = process.pid) {
  const out = [];
  const walk = (p) => {
    let tasks = [];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      let kids = '';
      try {
        kids = fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
      } catch {}
      for (const k of kids ? kids.split(/\s+/).map(Number) : []) {
        out.push(k);
        walk(k);
      }
    }
  };
  walk(pid);
  return out;
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system) used so far by each process in `pids`. */
export function cpuOf(pids) {
  const m = new Map();
  for (const p of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      m.set(p, (Number(f[11]) + Number(f[12])) / CLK_TCK);
    } catch {}
  }
  return m;
}

/** CPU (cores) used by the processes of `b` between the samples `a` and `b`. */
export function cpuDelta(a, b, seconds) {
  let s = 0;
  for (const [p, v] of b) s += v - (a.get(p) ?? 0);
  return s / seconds;
}

/** A short role for a process of code-server or Chromium, from its command line. */
export function role(pid) {
  let cmd = '';
  try {
    cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return 'gone';
  }
  if (/extensionHost|--type=extensionHost/.test(cmd)) return 'extension host';
  if (/ptyHost/.test(cmd)) return 'pty host';
  if (/fileWatcher|watcherMain/.test(cmd)) return 'file watcher';
  if (/code-server|out\/node\/entry|server-main/.test(cmd)) return 'code-server';
  const type = /--type=([\w-]+)/.exec(cmd)?.[1];
  if (/chrom/i.test(cmd)) return type ? `chromium ${type}` : 'chromium browser';
  return cmd.split(' ')[0].split('/').pop() || '?';
}

/** CPU (cores) per role between two `cpuOf` samples of the same processes. */
export function cpuByRole(a, b, seconds) {
  const out = {};
  for (const [p, v] of b) {
    const r = role(p);
    out[r] = (out[r] ?? 0) + (v - (a.get(p) ?? 0)) / seconds;
  }
  return out;
}
