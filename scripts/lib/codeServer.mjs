// Start/stop a throw-away code-server (VS Code in the browser, real Node extension
// host) and a Debian Chromium driven by playwright-core. Used by the integration
// runner, the e2e harness and `npm start`.
//
// Every process started here is started in its own process group and stopped by
// that PID only (never by name). An 'exit' hook stops anything still running.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTestTools, CHROMIUM } from '../setup-test-tools.mjs';
import { cleanEnv } from './cleanEnv.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, '.test-artifacts');
export const LOGS_DIR = path.join(ARTIFACTS_DIR, 'logs');

export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'update.mode': 'none',
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
};

/** A window in restricted mode: trust is on, the folder was never trusted, nobody is asked. */
export const RESTRICTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

const running = new Set();
process.on('exit', () => {
  for (const pid of running) killGroup(pid, 'SIGKILL');
});

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A free TCP port on 127.0.0.1: `preferred` if free, else the next free one above it, else any. */
export async function findFreePort(preferred) {
  if (preferred) {
    for (let p = preferred; p < preferred + 100 && p < 65536; p++) if (await portIsFree(p)) return p;
  }
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Environment for code-server: ours, minus variables of an enclosing VS Code /
 * Electron and of an outer npm (`npm_config_*` etc.: the extension host and the
 * terminals it starts must not inherit `npm test`'s configuration).
 */
function childEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(cleanEnv())) {
    if (/^(VSCODE_|ELECTRON_)/.test(k) || k === 'CODE_SERVER_CONFIG' || k === 'PASSWORD' || k === 'HASHED_PASSWORD') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** `vscode-remote://remote<abs path>`: how the web workbench names a path on the server. */
export function remoteUri(absPath) {
  return `vscode-remote://remote${path.resolve(absPath)}`;
}

/**
 * Workbench URL. With `extensionDevelopmentPath`/`extensionTestsPath` it adds the
 * `payload` query, which the workbench honours only when the server runs with the
 * smoke-test driver enabled.
 */
export function workbenchUrl(base, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const q = [];
  if (folder) q.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(extensionTestsPath)]);
  if (payload.length) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${base}/${q.length ? `?${q.join('&')}` : ''}`;
}

/**
 * @param {object} o
 * @param {string} o.workspace folder to open
 * @param {string} [o.extensionDevelopmentPath] load this extension in development mode (implies smokeDriver)
 * @param {string} [o.extensionTestsPath] run this mocha suite in the extension host (implies smokeDriver)
 * @param {string} [o.installVsix] install this .vsix before starting
 * @param {Record<string,string>} [o.env] extra environment (reaches the extension host)
 * @param {Record<string,unknown>} [o.settings] merged into User/settings.json
 * @param {boolean} [o.smokeDriver] pass `--vscode-option enable-smoke-test-driver`
 * @param {number} [o.port] exact port (fails if busy)
 * @param {number} [o.preferredPort] this port, or the next free one above it
 * @param {string} [o.name] tag used in the log file name
 * @param {boolean} [o.keepUserData] keep the temp user-data dir after stop()
 * @param {boolean} [o.restricted] workspace trust ON and the folder NOT trusted
 *   (restricted mode), with no start-up prompt; default: trust disabled (trusted)
 */
export async function startCodeServer(o) {
  const tools = ensureTestTools({ quiet: true });
  if (!o?.workspace) throw new Error('startCodeServer: workspace is required');
  const smokeDriver = o.smokeDriver ?? !!(o.extensionDevelopmentPath || o.extensionTestsPath);
  let port;
  if (o.port) {
    if (!(await portIsFree(o.port))) throw new Error(`port ${o.port} is busy`);
    port = o.port;
  } else port = await findFreePort(o.preferredPort);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liveplot-cs-'));
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  const configFile = path.join(tmp, 'config.yaml');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...(o.restricted ? RESTRICTED_SETTINGS : {}), ...(o.settings ?? {}) }, null, 2),
  );

  fs.mkdirSync(LOGS_DIR, { recursive: true });
  const logFile = path.join(LOGS_DIR, `code-server-${o.name ?? 'run'}-${port}.log`);
  fs.writeFileSync(logFile, '');
  const env = childEnv(o.env ?? {});
  const common = [
    '--config', configFile,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
  ];

  if (o.installVsix) {
    const t0 = Date.now();
    const r = spawnSync(tools.nodeBin, [tools.codeServerEntry, ...common, '--install-extension', path.resolve(o.installVsix)], {
      env,
      encoding: 'utf8',
      timeout: 180_000,
    });
    fs.appendFileSync(logFile, `--- install ${o.installVsix}\n${r.stdout}${r.stderr}\n`);
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
      throw new Error(`code-server --install-extension ${o.installVsix} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    }
    console.log(`[code-server] installed ${path.basename(o.installVsix)} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }

  const args = [
    tools.codeServerEntry,
    ...common,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    ...(o.restricted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    ...(smokeDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    path.resolve(o.workspace),
  ];
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `--- ${tools.nodeBin} ${args.join(' ')}\n`);
  // detached: the server gets its own process group, so stop() can end it and
  // every child it forked (extension host, pty host, file watcher) by our PID.
  const child = spawn(tools.nodeBin, args, { env, detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const pid = child.pid;
  running.add(pid);
  let exited = null;
  const exitPromise = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      running.delete(pid);
      resolve(exited);
    }),
  );

  const base = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return exitPromise;
    stopped = true;
    if (!exited) {
      killGroup(pid, 'SIGTERM');
      const t = setTimeout(() => killGroup(pid, 'SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(t);
    }
    // Children of the group (extension host…) may outlive the leader briefly.
    killGroup(pid, 'SIGKILL');
    if (!o.keepUserData) fs.rmSync(tmp, { recursive: true, force: true });
    return exited;
  };

  // Ready when /healthz answers.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}); log ${logFile}:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not become healthy within 90s; log ${logFile}:\n${tail(logFile)}`);
    }
    await sleep(250);
  }

  const folder = path.resolve(o.workspace);
  return {
    port,
    pid,
    base,
    url: workbenchUrl(base, {
      folder,
      extensionDevelopmentPath: o.extensionDevelopmentPath,
      extensionTestsPath: o.extensionTestsPath,
    }),
    urlFor: (opts) => workbenchUrl(base, { folder, ...opts }),
    workspace: folder,
    userDataDir,
    extensionsDir,
    logFile,
    exited: exitPromise,
    stop,
  };
}

export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Debian's Chromium through playwright-core.
 * @returns {Promise<{ browser: import('playwright-core').Browser, context: import('playwright-core').BrowserContext, newPage(): Promise<import('playwright-core').Page>, close(): Promise<void> }>}
 */
export async function launchBrowser({ headless = true, viewport = { width: 1600, height: 1000 } } = {}) {
  process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD ??= '1';
  const { chromium } = await import('playwright-core');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: run node scripts/setup-test-tools.mjs`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless, args: BROWSER_ARGS });
  const context = await browser.newContext({ viewport });
  return {
    browser,
    context,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close().catch(() => {});
      await browser.close().catch(() => {});
    },
  };
}
