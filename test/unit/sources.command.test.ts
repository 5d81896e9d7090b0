import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { SessionManager } from '../../src/core/sessionManager';
import { spawn } from 'node:child_process';
import { BACKLOG_MIN_LINES, CommandSource, commandSourceFactory, KILL_GRACE_MS } from '../../src/core/sources/command';
import { createBuiltinRegistry } from '../../src/core/sources/registry';
import { FakeClock } from './helpers/fakeClock';
import { LIMITS, makeManager, TestOwner } from './helpers/fixtures';
import { processAlive, realContext, RecordingSink, waitFor } from '../helpers-sources/util';

const node = process.execPath;
const dir = mkdtempSync(path.join(tmpdir(), 'liveplot-cmd-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function nodeSpec(script: string, extra: Record<string, unknown> = {}) {
  return { kind: 'command', command: node, args: ['-e', script], ...extra };
}

/** A command source started directly with a recording sink and real time. */
function startDirect(script: string, extra: Record<string, unknown> = {}, cwd?: string) {
  const ctx = realContext();
  const src = commandSourceFactory(() => cwd)(nodeSpec(script, extra), ctx) as CommandSource;
  const sink = new RecordingSink();
  src.start(sink);
  return { src, sink, resources: ctx.resources };
}

describe('command source (real child processes)', () => {
  it('plots stdout numbers with a header and Teleplot lines; stderr is logged; exit shows "ended (exit code N)" and keeps the data', async () => {
    const registry = createBuiltinRegistry({ cwd: () => dir });
    const { manager, log } = makeManager({ registry });
    const script = [
      "console.log('a, b')",
      "console.log('1, 2')",
      "console.log('3 4')",
      "console.log('temp:21.5')",
      "console.log('not numbers after data')",
      "console.error('warning: sensor warming up')",
      "process.stdout.write('last:7')", // no newline: still a line at the end
      'process.exitCode = 3',
    ].join(';');
    const s = manager.create({ source: nodeSpec(script), points: 100 }, new TestOwner());
    try {
      assert.equal(manager.diagnostics().processes, 1);
      await waitFor(() => s.state === 'ended', 'the program to end');
      assert.equal(s.info().status, 'ended (exit code 3)');
      const snap = s.snapshot();
      const values = (n: string) => Array.from(snap.y[snap.series.indexOf(n)]!).filter((v) => !Number.isNaN(v));
      assert.deepEqual(values('a'), [1, 3]);
      assert.deepEqual(values('b'), [2, 4]);
      assert.deepEqual(values('temp'), [21.5]);
      assert.deepEqual(values('last'), [7]);
      assert.equal(s.info().malformed, 1);
      assert.ok(log.some((l) => l.includes('stderr: warning: sensor warming up')), 'stderr in the log');
      await waitFor(() => manager.diagnostics().processes === 0, 'the process count to fall');
      assert.equal(s.disposed, false, 'an ended session stays open with its data');
    } finally {
      manager.dispose();
    }
    assert.equal(manager.diagnostics().processes, 0);
  });

  it('runs in the workspace folder by default; a relative cwd is resolved against it', async () => {
    writeFileSync(path.join(dir, 'value.txt'), '42');
    const sub = path.join(dir, 'sub');
    rmSync(sub, { recursive: true, force: true });
    await import('node:fs').then((fs) => fs.mkdirSync(sub));
    writeFileSync(path.join(sub, 'value.txt'), '43');
    const script = "console.log('v:' + require('fs').readFileSync('value.txt', 'utf8'))";
    const a = startDirect(script, {}, dir);
    const b = startDirect(script, { cwd: 'sub' }, dir);
    await waitFor(() => a.sink.endedWith !== undefined && b.sink.endedWith !== undefined, 'both to end');
    assert.deepEqual(a.sink.values('v'), [42]);
    assert.deepEqual(b.sink.values('v'), [43]);
    a.src.dispose();
    b.src.dispose();
    await waitFor(() => a.resources.processes === 0 && b.resources.processes === 0, 'process counts');
  });

  it('no shell unless asked: arguments are passed as they are; shell: true runs a command line', async () => {
    const f = commandSourceFactory(() => dir);
    const ctx = realContext();
    const script = "console.log('n:' + process.argv.length); console.log('len:' + process.argv[1].length)";
    const plain = f({ kind: 'command', command: node, args: ['-e', script, 'a b; echo x:1', '$HOME'] }, ctx);
    const plainSink = new RecordingSink();
    plain.start(plainSink);
    await waitFor(() => plainSink.endedWith !== undefined, 'the program');
    assert.deepEqual(plainSink.values('n'), [3], 'two extra arguments: no splitting');
    assert.deepEqual(plainSink.values('len'), ['a b; echo x:1'.length], 'no expansion');
    assert.equal(plainSink.values('x').length, 0, 'no shell ran "echo x:1"');
    plain.dispose();
    if (process.platform !== 'win32') {
      const sh = f({ kind: 'command', command: 'echo a:1; echo', args: ['b:2'], shell: true }, ctx);
      const shSink = new RecordingSink();
      sh.start(shSink);
      await waitFor(() => shSink.endedWith !== undefined, 'the shell');
      assert.deepEqual(shSink.values('a'), [1]);
      assert.deepEqual(shSink.values('b'), [2]);
      sh.dispose();
    }
    await waitFor(() => ctx.resources.processes === 0, 'process count');
  });

  it('a program that ignores SIGTERM is killed with SIGKILL after the grace period', async () => {
    const { src, sink, resources } = startDirect("process.on('SIGTERM', () => console.log('term:1')); console.log('ready:1'); setInterval(() => {}, 1000)");
    await waitFor(() => sink.values('ready').length === 1, 'the program to be ready');
    const pid = src.processId!;
    assert.equal(resources.processes, 1);
    const t0 = Date.now();
    src.dispose();
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(processAlive(pid), 'still alive: it ignored SIGTERM');
    assert.equal(resources.processes, 1, 'counted until it is gone');
    await waitFor(() => resources.processes === 0, 'SIGKILL', KILL_GRACE_MS + 1500);
    assert.ok(Date.now() - t0 >= KILL_GRACE_MS - 50, 'not before the grace period');
    assert.equal(processAlive(pid), false);
    assert.equal(sink.endedWith, undefined, 'a disposed session is not told it ended');
  });

  it('disposing kills the whole process tree (a child and its grandchild)', async () => {
    const script = [
      "const { spawn } = require('child_process')",
      "const gc = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' })",
      "console.log('gpid:' + gc.pid)",
      'setInterval(() => {}, 1000)',
    ].join(';');
    const { src, sink, resources } = startDirect(script);
    await waitFor(() => sink.values('gpid').length === 1, 'the grandchild pid');
    const pid = src.processId!;
    const gpid = sink.values('gpid')[0]!;
    assert.ok(processAlive(pid) && processAlive(gpid));
    src.dispose();
    await waitFor(() => resources.processes === 0, 'the tree to be gone');
    await waitFor(() => !processAlive(pid) && !processAlive(gpid), 'both processes to be gone');
    // Ended; the pid itself disappears once the (new) parent of the orphaned grandchild
    // has reaped it, which PID 1 of some containers does only every second or so.
    const esrch = (p: number) => {
      try {
        process.kill(p, 0);
        return false;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'ESRCH';
      }
    };
    await waitFor(() => esrch(pid) && esrch(gpid), 'kill(pid, 0) to throw ESRCH for both', 2800);
  });

  it('a grandchild left behind by a program that exited is still counted, and killed with the session', async () => {
    const script = [
      "const { spawn } = require('child_process')",
      "const gc = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })",
      "console.log('gpid:' + gc.pid)",
      'gc.unref()',
    ].join(';');
    const { src, sink, resources } = startDirect(script);
    await waitFor(() => sink.endedWith !== undefined, 'the program to exit');
    assert.equal(sink.endedWith, 'exit code 0');
    const gpid = sink.values('gpid')[0]!;
    assert.ok(processAlive(gpid), 'the grandchild runs on');
    assert.equal(resources.processes, 1, 'its process group is still counted');
    src.dispose();
    await waitFor(() => resources.processes === 0 && !processAlive(gpid), 'the leftover to be killed');
  });

  it('a missing program is a clear error; nothing is counted', async () => {
    const ctx = realContext();
    const src = commandSourceFactory()({ kind: 'command', command: 'liveplot-no-such-program-xyz' }, ctx);
    const sink = new RecordingSink();
    src.start(sink);
    await waitFor(() => sink.lastError !== undefined, 'the spawn error');
    assert.match(sink.lastError!, /^command not found: liveplot-no-such-program-xyz/);
    // On POSIX its watchdog ran, and is counted until it has gone.
    await waitFor(() => ctx.resources.processes === 0, 'the process count to fall');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(sink.endedWith, undefined, 'an error, not "ended"');
    src.dispose();
    assert.equal(ctx.resources.processes, 0);
  });

  it('a missing working directory is a clear error', () => {
    const ctx = realContext();
    const src = commandSourceFactory(() => dir)({ kind: 'command', command: node, cwd: 'nope/never' }, ctx);
    const sink = new RecordingSink();
    src.start(sink);
    assert.match(sink.lastError!, /^working directory not found: .*nope/);
    src.dispose();
    assert.equal(ctx.resources.processes, 0);
  });

  it('is refused in an untrusted workspace, with how to trust it; nothing starts', () => {
    assert.throws(() => commandSourceFactory()({ kind: 'command', command: node }, realContext({ workspaceTrusted: false })), /Workspaces: Manage Workspace Trust/);
    const clock = new FakeClock();
    const manager = new SessionManager({
      clock,
      registry: createBuiltinRegistry(),
      limits: () => LIMITS,
      workspaceTrusted: () => false,
      newId: () => 'x',
    });
    assert.throws(() => manager.create({ source: nodeSpec('console.log(1)') }, new TestOwner()), /needs a trusted workspace.*Manage Workspace Trust/);
    assert.equal(manager.size, 0);
    assert.equal(manager.diagnostics().processes, 0);
    assert.equal(clock.activeTimers, 0);
    manager.dispose();
  });

  it('validates options', () => {
    const f = commandSourceFactory();
    const ctx = realContext();
    assert.throws(() => f({ kind: 'command' }, ctx), /source\.command is required/);
    assert.throws(() => f({ kind: 'command', command: 'x', args: 'a b' }, ctx), /source\.args must be an array/);
    assert.throws(() => f({ kind: 'command', command: 'x', shell: 'yes' }, ctx), /source\.shell must be true or false/);
    assert.throws(() => f({ kind: 'command', command: 'x', argz: [] }, ctx), /source\.argz is not an option/);
    f({ kind: 'command', command: 'x' }, ctx).dispose();
    assert.equal(ctx.resources.processes, 0, 'creating a source starts nothing');
  });
});

describe('command source: the program dies with its host, output is paced and capped (issue 12)', () => {
  /** A program that ignores SIGTERM, with a grandchild that ignores it too; prints the grandchild's pid, then "ready:1". */
  const STUBBORN = [
    "process.on('SIGTERM', () => {})",
    "const { spawn } = require('child_process')",
    "const gc = spawn(process.execPath, ['-e', \"process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)\"], { stdio: 'ignore' })",
    "console.log('gpid:' + gc.pid)",
    "setTimeout(() => console.log('ready:1'), 200)",
    'setInterval(() => {}, 1000)',
  ].join(';');

  it('a program (and its child) ignoring SIGTERM is dead after the session is disposed', async () => {
    const { manager } = makeManager({ registry: createBuiltinRegistry({ cwd: () => dir }) });
    const s = manager.create({ source: nodeSpec(STUBBORN) }, new TestOwner());
    const src = s.source as CommandSource;
    try {
      await waitFor(() => s.snapshot().series.includes('gpid') && src.processId !== undefined, 'the program to start its child');
      const snap = s.snapshot();
      const gpid = Array.from(snap.y[snap.series.indexOf('gpid')]!).find((v) => !Number.isNaN(v))!;
      const pid = src.processId!;
      await new Promise((r) => setTimeout(r, 250)); // past its SIGTERM handler setup
      assert.ok(processAlive(pid) && processAlive(gpid));
      s.dispose();
      await waitFor(() => !processAlive(pid) && !processAlive(gpid), 'both to be killed', KILL_GRACE_MS + 2500);
      await waitFor(() => manager.diagnostics().processes === 0, 'the process count to fall');
    } finally {
      manager.dispose();
    }
  });

  it('a host killed with SIGKILL leaves no program behind (the watchdog kills the group)', { skip: process.platform === 'win32' ? 'POSIX process groups' : false }, async () => {
    const spec = JSON.stringify(nodeSpec(STUBBORN));
    const host = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'helpers', 'commandHost.ts'), spec], {
      cwd: path.join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    host.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    let pids: number[] = [];
    try {
      await waitFor(() => /^pid \d+ \d+\n/.test(out), 'the host to report the program', 15_000);
      pids = out.trim().split(' ').slice(1).map(Number);
      assert.equal(pids.length, 2);
      assert.ok(pids.every(processAlive), 'program and grandchild run');
      await new Promise((r) => setTimeout(r, 100));
      process.kill(host.pid!, 'SIGKILL');
      await waitFor(() => host.exitCode !== null || host.signalCode !== null, 'the host to die');
      // SIGTERM (ignored), then SIGKILL after the grace period.
      await waitFor(() => pids.every((p) => !processAlive(p)), 'the program and its child to die with the host', KILL_GRACE_MS + 4000);
    } finally {
      if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
      for (const p of pids) {
        try {
          if (processAlive(p)) process.kill(p, 'SIGKILL'); // only if the test failed
        } catch {
          // gone
        }
      }
    }
  });

  it('rate cap: lines beyond maxLinesPerSecond are dropped, and the status says how many', async () => {
    const ctx = realContext();
    const script = "process.stdout.write('v:1\\n'.repeat(5000))";
    const src = commandSourceFactory(() => dir)(nodeSpec(script, { maxLinesPerSecond: 1000 }), ctx) as CommandSource;
    const sink = new RecordingSink();
    src.start(sink);
    try {
      await waitFor(() => sink.endedWith !== undefined, 'the program to end');
      const kept = sink.values('v').length;
      const m = /^rate capped at 1000 lines\/s: (\d+) lines dropped$/.exec(sink.lastStatus ?? '');
      assert.ok(m, `status: ${sink.lastStatus}`);
      const dropped = Number(m[1]);
      assert.equal(kept + dropped, 5000, 'every line is either plotted or counted as dropped');
      assert.ok(kept >= 1000 && kept <= 2000, `about one second's worth kept (${kept})`);
      assert.ok(sink.logs.some((l) => /output faster than 1000 lines\/s/.test(l)));
    } finally {
      src.dispose();
    }
    await waitFor(() => ctx.resources.processes === 0, 'the process count');
    assert.throws(() => commandSourceFactory()({ kind: 'command', command: 'x', maxLinesPerSecond: 0 }, ctx), /maxLinesPerSecond must be a whole number from 1 to 1000000/);
  });

  it('backpressure: stdout pauses past the backlog until the next tick, so a fast program waits instead of filling memory', async () => {
    const ctx = realContext();
    // Writes as fast as the pipe takes it, forever.
    const script = "const b = Buffer.from('a:1\\n'.repeat(4096)); (function w() { while (process.stdout.write(b)); process.stdout.once('drain', w); })()";
    const src = commandSourceFactory(() => dir)(nodeSpec(script, { maxLinesPerSecond: 1_000_000 }), ctx) as CommandSource;
    const sink = new RecordingSink();
    src.start(sink);
    try {
      await waitFor(() => sink.samples.length >= BACKLOG_MIN_LINES, 'the first lines');
      await new Promise((r) => setTimeout(r, 300));
      const held = sink.samples.length;
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(sink.samples.length, held, 'nothing read while no tick flushed the backlog');
      assert.ok(held < BACKLOG_MIN_LINES + 70_000, `bounded backlog (${held} lines)`);
      assert.ok(sink.logs.some((l) => /output read more slowly/.test(l)));
      src.tick(Date.now(), 100);
      await waitFor(() => sink.samples.length > held, 'reading to resume after the tick');
      await new Promise((r) => setTimeout(r, 200));
      const after = sink.samples.length;
      assert.ok(after < held + BACKLOG_MIN_LINES + 70_000, 'and to pause again');
      assert.equal(sink.lastStatus, undefined, 'nothing dropped: the program waited');
    } finally {
      src.dispose();
    }
    await waitFor(() => ctx.resources.processes === 0, 'the process count', KILL_GRACE_MS + 2000);
  });
});
