import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Source } from '../../src/core/source';
import { FileSource, fileSourceFactory } from '../../src/core/sources/file';
import { createBuiltinRegistry } from '../../src/core/sources/registry';
import { makeManager, TestOwner } from './helpers/fixtures';
import { realContext, RecordingSink, waitFor } from '../helpers-sources/util';

const root = mkdtempSync(path.join(tmpdir(), 'liveplot-file-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(root, `f${++n}.log`);

function tail(file: string, from?: 'start' | 'end') {
  const ctx = realContext();
  const src = fileSourceFactory(() => root)({ kind: 'file', path: file, ...(from ? { from } : {}) }, ctx) as FileSource;
  const sink = new RecordingSink();
  src.start(sink);
  /** One poll, as a session tick would run it, awaited. */
  const poll = async () => {
    src.tick(Date.now());
    await waitFor(() => !src.polling, 'the poll');
  };
  return { src, sink, poll, resources: ctx.resources };
}

describe('file source (a real file)', () => {
  it('tails from the end by default: old lines skipped, appended lines plotted, partial lines joined', async () => {
    const file = fresh();
    writeFileSync(file, 'old:1\n');
    const { src, sink, poll, resources } = tail(file);
    assert.equal(resources.watchers, 1);
    await poll();
    assert.equal(sink.samples.length, 0, 'what was there before is skipped');
    appendFileSync(file, 'a:2\nb:1627551892437:3\n');
    await poll();
    assert.deepEqual(sink.samples.map((s) => `${s.name}=${s.y}`), ['a=2', 'b=3']);
    appendFileSync(file, 'a:4');
    await poll();
    assert.equal(sink.values('a').length, 1, 'an incomplete line waits');
    appendFileSync(file, '5\n1 2\nrubbish\n');
    await poll();
    assert.deepEqual(sink.values('a'), [2, 45]);
    assert.deepEqual(sink.values('col2'), [2], 'rows of numbers too');
    assert.equal(sink.malformedCount, 1);
    src.dispose();
    assert.equal(resources.watchers, 0);
  });

  it('from: "start" reads what is already there (CSV with a header)', async () => {
    const file = fresh();
    writeFileSync(file, 'time,temp\n1000,20\n2000,21\n');
    const { src, sink, poll, resources } = tail(file, 'start');
    await poll();
    assert.deepEqual(sink.samples, [
      { name: 'temp', x: 1000, y: 20 },
      { name: 'temp', x: 2000, y: 21 },
    ]);
    src.dispose();
    assert.equal(resources.watchers, 0);
  });

  it('survives truncation: reads again from the start', async () => {
    const file = fresh();
    writeFileSync(file, '');
    const { src, sink, poll, resources } = tail(file);
    await poll();
    appendFileSync(file, 'a:1\na:2\na:3\n');
    await poll();
    truncateSync(file, 0);
    appendFileSync(file, 'a:9\n');
    await poll();
    assert.deepEqual(sink.values('a'), [1, 2, 3, 9]);
    assert.ok(sink.logs.some((l) => l.includes('truncated')));
    src.dispose();
    assert.equal(resources.watchers, 0);
  });

  it('survives rotation: the rest of the old file, then the new file from its start', async () => {
    const file = fresh();
    writeFileSync(file, '');
    const { src, sink, poll, resources } = tail(file);
    await poll();
    appendFileSync(file, 'a:1\n');
    await poll();
    appendFileSync(file, 'a:2\na:3'); // written just before the rotation, last line unterminated
    renameSync(file, `${file}.1`);
    writeFileSync(file, 'a:4\n');
    await poll();
    assert.deepEqual(sink.values('a'), [1, 2, 3, 4]);
    appendFileSync(file, 'a:5\n');
    appendFileSync(`${file}.1`, 'a:99\n'); // the old file is no longer followed
    await poll();
    assert.deepEqual(sink.values('a'), [1, 2, 3, 4, 5]);
    src.dispose();
    assert.equal(resources.watchers, 0);
  });

  it('waits while the file is missing, reads it from the start when it appears, waits again when deleted', async () => {
    const file = fresh();
    const { src, sink, poll, resources } = tail(file);
    await poll();
    assert.equal(sink.lastStatus, `waiting for ${file}`);
    assert.equal(sink.lastError, undefined);
    writeFileSync(file, 'a:1\n');
    await poll();
    assert.equal(sink.lastStatus, undefined, 'status cleared');
    assert.deepEqual(sink.values('a'), [1], 'a file that appears later is read from its start');
    appendFileSync(file, 'a:2\n');
    unlinkSync(file);
    await poll();
    assert.deepEqual(sink.values('a'), [1, 2], 'what was written before the deletion is read');
    assert.equal(sink.lastStatus, `waiting for ${file}`);
    writeFileSync(file, 'a:3\n');
    await poll();
    assert.deepEqual(sink.values('a'), [1, 2, 3]);
    src.dispose();
    assert.equal(resources.watchers, 0);
  });

  it('a folder instead of a file is an error, cleared when the file is there', async () => {
    const file = fresh();
    mkdirSync(file);
    const { src, sink, poll } = tail(file);
    await poll();
    assert.match(sink.lastError ?? '', /is a folder, not a file/);
    rmSync(file, { recursive: true });
    writeFileSync(file, 'a:1\n');
    await poll();
    assert.equal(sink.lastError, undefined);
    assert.deepEqual(sink.values('a'), [1]);
    src.dispose();
  });

  it('disposing during a poll releases the watcher when the poll returns; relative paths use the workspace folder', async () => {
    const name = `rel${++n}.log`;
    writeFileSync(path.join(root, name), 'a:1\n'.repeat(50_000));
    const { src, sink, resources } = tail(name, 'start');
    src.tick(Date.now());
    assert.equal(src.polling, true);
    src.dispose();
    assert.equal(resources.watchers, 1, 'the read in flight still holds the file');
    await waitFor(() => resources.watchers === 0, 'the release');
    assert.equal(src.polling, false);
    assert.ok(sink.samples.length < 50_000, 'nothing more is delivered after dispose');
  });

  it('end to end: a session tails the file at its ticks; watchers in diagnostics fall to 0', async () => {
    const file = fresh();
    writeFileSync(file, '');
    const { manager, clock } = makeManager({ registry: createBuiltinRegistry() });
    const s = manager.create({ source: { kind: 'file', path: file }, periodMs: 500, points: 100 }, new TestOwner());
    const source = (s as unknown as { source: Source }).source as FileSource;
    const tick = async (ms: number) => {
      clock.advance(ms);
      await waitFor(() => !source.polling, 'the poll');
    };
    try {
      assert.equal(manager.diagnostics().watchers, 1);
      await tick(0);
      appendFileSync(file, 'temp:21\n');
      await tick(500);
      await tick(500); // the data recorded by the previous poll is now in the snapshot for sure
      assert.deepEqual(s.snapshot().series, ['temp']);
      s.dispose('user-closed');
      assert.equal(manager.diagnostics().watchers, 0);
    } finally {
      manager.dispose();
    }
  });

  it('refused in an untrusted workspace; validates options', () => {
    const f = fileSourceFactory();
    assert.throws(() => f({ kind: 'file', path: 'x' }, realContext({ workspaceTrusted: false })), /reads files, which needs a trusted workspace.*Manage Workspace Trust/);
    const ctx = realContext();
    assert.throws(() => f({ kind: 'file' }, ctx), /source\.path is required/);
    assert.throws(() => f({ kind: 'file', path: 'x', from: 'middle' }, ctx), /source\.from must be "end" or "start"/);
    f({ kind: 'file', path: 'x' }, ctx).dispose();
    assert.equal(ctx.resources.watchers, 0, 'creating a source watches nothing');
  });
});

describe('file source: only regular files (issue 12)', { skip: process.platform === 'win32' ? 'no FIFOs at a path on Windows' : false }, () => {
  const mkfifo = (p: string) => execFileSync('mkfifo', [p]);

  it('a FIFO is refused at once with a clear message (its open would block a libuv thread for good)', async () => {
    const fifo = fresh();
    mkfifo(fifo);
    const { src, sink, poll, resources } = tail(fifo, 'start');
    await poll(); // waitFor fails after 2.5 s if the open blocked
    assert.equal(sink.lastError, `${fifo} is a FIFO (named pipe), not a file: the file source reads only regular files`);
    await poll();
    assert.equal(sink.samples.length, 0);
    src.dispose();
    assert.equal(resources.watchers, 0);
  });

  it('a regular file replaced by a FIFO: refused, no hang; a regular file again: read again', async () => {
    const file = fresh();
    writeFileSync(file, 'a:1\n');
    const { src, sink, poll } = tail(file, 'start');
    await poll();
    assert.deepEqual(sink.values('a'), [1]);
    unlinkSync(file);
    mkfifo(file);
    await poll();
    assert.match(sink.lastError ?? '', /is a FIFO \(named pipe\), not a file/);
    unlinkSync(file);
    writeFileSync(file, 'a:2\n');
    await poll();
    await poll();
    assert.equal(sink.lastError, undefined);
    assert.deepEqual(sink.values('a'), [1, 2]);
    src.dispose();
  });

  it('devices are refused too (/dev/zero never ends)', { skip: existsSync('/dev/zero') ? false : 'no /dev/zero' }, async () => {
    const { src, sink, poll } = tail('/dev/zero', 'start');
    await poll();
    assert.equal(sink.lastError, '/dev/zero is a character device, not a file: the file source reads only regular files');
    assert.equal(sink.samples.length + sink.malformedCount, 0);
    src.dispose();
  });
});
