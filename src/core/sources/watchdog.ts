/**
 * The watchdog between the extension host and a `command` program, so that the
 * program dies with the host even if the host is killed (SIGKILL gives it no
 * chance to clean up) and even if the program ignores SIGTERM.
 *
 * The host runs it with `process.execPath -e WATCHDOG_SOURCE <config>` (with
 * `ELECTRON_RUN_AS_NODE=1`, so that it also runs under VS Code's Electron). Its
 * stdin is a pipe from the host that the host never writes to: it ends when the
 * host ends, however it ends. It starts the program in a process group of its
 * own, with stdout and stderr inherited (the host reads them directly), and
 * reports on fd 3: `pid <n>`, `exit {"code":…,"signal":…}` or
 * `error {"code":…,"message":…}`. When its stdin ends, or it gets SIGTERM (the
 * session ended), it sends SIGTERM to the group, then SIGKILL after the grace
 * period. After the program exits it stays while anything of the group lives,
 * so that leftovers die with the host too.
 *
 * It is a string (plain JavaScript, Node built-ins only) so that it travels
 * inside the extension bundle and runs the same from the sources under tsx.
 */

/** What the watchdog is given (as JSON, its one argument). */
export interface WatchdogConfig {
  readonly command: string;
  readonly args: readonly string[];
  readonly shell: boolean;
  /** SIGTERM → SIGKILL delay. */
  readonly graceMs: number;
  /** Variables the watchdog needed changed for itself, restored for the program (`null`: unset). */
  readonly restoreEnv: Record<string, string | null>;
}

export const WATCHDOG_SOURCE = String.raw`'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const cfg = JSON.parse(process.argv[process.argv.length - 1]);
const send = (line) => { try { fs.writeSync(3, line + '\n'); } catch (e) { /* the host is gone */ } };
for (const k of Object.keys(cfg.restoreEnv)) {
  const v = cfg.restoreEnv[k];
  if (v === null) delete process.env[k]; else process.env[k] = v;
}
let pgid = 0;
let stopping = false;
let timer;
const signal = (s) => { if (pgid) { try { process.kill(-pgid, s); } catch (e) { /* gone */ } } };
const liveOnLinux = () => {
  let entries;
  try { entries = fs.readdirSync('/proc'); } catch (e) { return true; }
  for (const e of entries) {
    const c = e.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let stat;
    try { stat = fs.readFileSync('/proc/' + e + '/stat', 'latin1'); } catch (err) { continue; }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3);
    if (Number(f[2]) === pgid && f[0] !== 'Z' && f[0] !== 'X') return true;
  }
  return false;
};
const groupAlive = () => {
  if (!pgid) return false;
  try { process.kill(-pgid, 0); } catch (e) { return e.code === 'EPERM'; }
  return process.platform !== 'linux' || liveOnLinux();
};
const done = () => process.exit(0);
const stop = () => {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  if (!groupAlive()) return done();
  signal('SIGTERM');
  const t0 = Date.now();
  let killed = false;
  timer = setInterval(() => {
    if (!groupAlive()) return done();
    const waited = Date.now() - t0;
    if (!killed && waited >= cfg.graceMs) { killed = true; signal('SIGKILL'); }
    else if (waited >= cfg.graceMs + 5000) done();
  }, 50);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('SIGHUP', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
let child;
try {
  child = spawn(cfg.shell ? [cfg.command].concat(cfg.args).join(' ') : cfg.command, cfg.shell ? [] : cfg.args, {
    shell: cfg.shell, stdio: ['ignore', 'inherit', 'inherit'], detached: true,
  });
} catch (e) {
  send('error ' + JSON.stringify({ code: e.code || null, message: String(e.message) }));
  process.exit(0);
}
child.on('error', (e) => {
  if (child.pid === undefined) {
    send('error ' + JSON.stringify({ code: e.code || null, message: String(e.message) }));
    process.exit(0);
  }
});
if (child.pid !== undefined) {
  pgid = child.pid;
  send('pid ' + pgid);
}
child.on('exit', (code, sig) => {
  send('exit ' + JSON.stringify({ code: code, signal: sig }));
  if (stopping) return;
  if (!groupAlive()) return done();
  // Leftovers of the group: watch them, so that they too die with the host.
  timer = setInterval(() => { if (!stopping && !groupAlive()) done(); }, 250);
});
`;
