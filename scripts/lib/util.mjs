// Small helpers shared by the scripts in scripts/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS_DIR, REPO_ROOT } from './codeServer.mjs';

export { ARTIFACTS_DIR, REPO_ROOT };
export const RESULTS_DIR = path.join(ARTIFACTS_DIR, 'results');
export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');

/**
 * Runs a command (stdio inherited unless `capture`), resolves with { code, out }.
 * The child gets its own process group; Ctrl+C / SIGTERM on us is forwarded to it.
 */
export function sh(cmd, args, { cwd = REPO_ROOT, env, capture = false, echo = true, timeoutMs = 0 } = {}) {
  if (echo) console.log(`$ ${[cmd, ...args].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd,
      env: env ? { ...process.env, ...env } : process.env,
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    let out = '';
    if (capture) {
      child.stdout.on('data', (d) => {
        out += d;
        process.stdout.write(d);
      });
      child.stderr.on('data', (d) => {
        out += d;
        process.stderr.write(d);
      });
    }
    const forward = (sig) => () => {
      try {
        process.kill(-child.pid, sig);
      } catch {}
    };
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.on('error', (e) => {
      out += String(e);
      console.error(`${cmd}: ${e.message}`);
    });
    let timer;
    if (timeoutMs) {
      timer = setTimeout(() => {
        console.error(`\n${cmd} ${args.join(' ')}: timed out after ${Math.round(timeoutMs / 1000)}s — stopping it`);
        out += `\n[timed out after ${Math.round(timeoutMs / 1000)}s]`;
        forward('SIGTERM')();
        setTimeout(forward('SIGKILL'), 15_000).unref();
      }, timeoutMs);
    }
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve({ code: code ?? (signal ? 128 : 1), signal, out });
    });
  });
}

export function npmCmd() {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

export function writeResult(tier, result) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${tier}.json`);
  fs.writeFileSync(file, JSON.stringify({ tier, ...result, finishedAt: new Date().toISOString() }, null, 2) + '\n');
  return file;
}

/** Production build + `vsce package`; returns the .vsix path. */
export async function buildVsix(out = path.join(ARTIFACTS_DIR, 'live-plot-sessions.vsix')) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  let r = await sh(process.execPath, ['esbuild.mjs', '--production']);
  if (r.code !== 0) throw new Error('production build failed');
  fs.rmSync(out, { force: true });
  r = await sh(path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '-o', out]);
  if (r.code !== 0 || !fs.existsSync(out)) throw new Error('vsce package failed');
  return out;
}
