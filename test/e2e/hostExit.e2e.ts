// A program started by a `command` session dies with the window: when the
// extension host ends — here killed with SIGKILL, so no exit handler of ours runs —
// the program goes too, even though it ignores SIGTERM. Its own code-server, so
// that killing the extension host disturbs no other test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { descendants } from '../../bench/proc.mjs';
import { startCodeServer, type CodeServer } from '../../scripts/lib/codeServer.mjs';
import { REPO_ROOT, e2e, findFrame, openWorkbench, runCommand, screenshot, sleep, waitFor, waitForDiagnostics } from './harness';

const MIME = 'application/vnd.liveplot.session+json';

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\S+\s+\(\S+\)\s+Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); // a zombie is dead
  } catch {
    return false;
  }
}

describe('a program started by a session dies with the extension host (real UI)', function () {
  this.timeout(240_000);
  let server: CodeServer | undefined;
  let tmp: string;
  after(async () => {
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('SIGKILL of the extension host ends a program that ignores SIGTERM', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liveplot-host-exit-'));
    const workspace = path.join(tmp, 'workspace');
    fs.mkdirSync(workspace);
    const pidFile = path.join(tmp, 'program.pid');
    const tag = `liveplot-host-exit-${Date.now()}`;
    const spec = {
      title: 'Stubborn program',
      source: { kind: 'command', command: 'sh', args: ['-c', `trap '' TERM; echo $$ > '${pidFile}'; while :; do echo x:1; sleep 0.2; done # ${tag}`] },
      periodMs: 250,
    };
    fs.writeFileSync(
      path.join(workspace, 'stubborn.liveplot'),
      JSON.stringify({ cells: [{ kind: 'code', language: 'json', value: JSON.stringify(spec, null, 2), outputs: [{ items: { [MIME]: { ...spec, version: 1, session: '99999999-2222-4333-8444-555555555555' } } }] }] }),
    );
    const diagnosticsFile = path.join(tmp, 'diagnostics.json');
    const env = e2e();
    const vsix = process.env.LIVEPLOT_E2E_VSIX;
    server = await startCodeServer({
      name: 'host-exit',
      workspace,
      ...(vsix ? { installVsix: vsix } : { extensionDevelopmentPath: process.env.LIVEPLOT_EXTENSION_DEV_PATH || REPO_ROOT, smokeDriver: true }),
      env: { LIVEPLOT_DIAGNOSTICS_FILE: diagnosticsFile },
    });
    const page = await env.browser.newPage();
    try {
      await openWorkbench(page, server.url);
      await waitForDiagnostics(diagnosticsFile, () => true, 60_000);
      await runCommand(page, 'View: Show Explorer');
      const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'stubborn.liveplot' }).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      await row.dblclick();
      const frame = await findFrame(page, '.lp-gate:not([hidden]) vscode-button.lp-start', 30_000);
      await frame.locator('.lp-gate:not([hidden]) vscode-button.lp-start').click();
      await waitFor(async () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', 20_000, { message: 'the program to start' });
      const programPid = Number(fs.readFileSync(pidFile, 'utf8').trim());
      assert.ok(alive(programPid), 'the program runs');
      await waitForDiagnostics<{ processes: number }>(diagnosticsFile, (d) => d.processes === 1, 10_000);

      const hosts = descendants(server.pid).filter((p) => /extensionHost|--type=extensionHost/.test(cmdline(p)));
      assert.equal(hosts.length, 1, `one extension host under code-server (found ${hosts.join(', ') || 'none'})`);
      assert.ok(descendants(hosts[0]!).includes(programPid) || cmdline(programPid).includes(tag), 'the program belongs to that extension host');
      await screenshot(page, 'host-exit-before');
      process.kill(hosts[0]!, 'SIGKILL');

      await waitFor(async () => !alive(programPid), 15_000, { message: `the program (pid ${programPid}) to end with its extension host` });
      await sleep(500);
      const left = fs
        .readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .map(Number)
        .filter((p) => p !== process.pid && cmdline(p).includes(tag));
      assert.deepEqual(left, [], 'no process of the session is left');
    } finally {
      await page.close();
    }
  });
});
