#!/usr/bin/env node
// `npm start`: production build, .vsix, test tools, then code-server with that
// .vsix installed, opening demo/ — VS Code in your browser with the extension as
// a user would get it. Stays in the foreground; Ctrl+C stops code-server.
//
// Env: LIVEPLOT_PORT (default 8080; the next free port above it if busy)
//      LIVEPLOT_SKIP_BUILD=1  reuse .test-artifacts/live-plot-sessions.vsix
import fs from 'node:fs';
import path from 'node:path';
import { startCodeServer } from './lib/codeServer.mjs';
import { ARTIFACTS_DIR, REPO_ROOT, buildVsix } from './lib/util.mjs';
import { ensureTestTools } from './setup-test-tools.mjs';

const vsixPath = path.join(ARTIFACTS_DIR, 'live-plot-sessions.vsix');
const vsix = process.env.LIVEPLOT_SKIP_BUILD && fs.existsSync(vsixPath) ? vsixPath : await buildVsix(vsixPath);
ensureTestTools();

const demo = path.join(REPO_ROOT, 'demo');
const server = await startCodeServer({
  name: 'start',
  workspace: demo,
  installVsix: vsix,
  preferredPort: Number(process.env.LIVEPLOT_PORT || 8080),
  env: process.env.LIVEPLOT_DIAGNOSTICS_FILE ? { LIVEPLOT_DIAGNOSTICS_FILE: process.env.LIVEPLOT_DIAGNOSTICS_FILE } : {},
});

console.log('');
console.log(`Live Plot Sessions is running at ${server.url}`);
console.log(`(code-server pid ${server.pid}, log ${path.relative(REPO_ROOT, server.logFile)}; Ctrl+C to stop)`);

let stopping = false;
const shutdown = async (sig) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${sig}: stopping code-server (pid ${server.pid})…`);
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGHUP', () => shutdown('SIGHUP'));
const e = await server.exited;
if (!stopping) {
  console.error(`code-server exited unexpectedly (${JSON.stringify(e)}); see ${server.logFile}`);
  process.exit(1);
}
