import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Session } from '../../src/core/session';
import { ViewChannel, ViewEndpoint } from '../../src/core/viewChannel';
import { InvalidMessageLog } from '../../src/core/viewMessages';
import type { AttachMessage, HostToViewMessage, StartMessage } from '../../src/shared/protocol';
import { makeManager, RecordingView, TestOwner } from './helpers/fixtures';

/** Where a message came from on the fake transport (a panel or an editor in the real ones). */
interface From {
  readonly name: string;
}

/**
 * A fake transport: attaches views to one session by view id, records what the
 * channel asks of it, and posts to recording views.
 */
class FakeTransport implements ViewEndpoint<From> {
  readonly name = 'a fake view';
  readonly attached = new Map<string, RecordingView>();
  readonly calls: string[] = [];
  readonly posted: { from: From; viewId: string; msg: HostToViewMessage }[] = [];
  start?: (from: From, msg: StartMessage) => void;

  constructor(readonly session: Session, readonly unknownViews: 'report' | 'ignore', withStart = false) {
    if (withStart) this.start = (from, msg) => this.calls.push(`start ${from.name} ${msg.viewId} ${msg.output}`);
  }

  attach(from: From, msg: AttachMessage): void {
    this.calls.push(`attach ${from.name} ${msg.viewId}`);
    const view = new RecordingView(msg.viewId);
    this.attached.set(msg.viewId, view);
    this.session.attachView(view);
  }

  sessionOf(_from: From, viewId: string): Session | undefined {
    return this.attached.has(viewId) ? this.session : undefined;
  }

  detached(_from: From, viewId: string): void {
    this.calls.push(`detached ${viewId}`);
    this.attached.delete(viewId);
  }

  post(from: From, viewId: string, msg: HostToViewMessage): void {
    this.posted.push({ from, viewId, msg });
  }
}

function setup(unknownViews: 'report' | 'ignore' = 'report', opts: { withStart?: boolean; maxPoints?: number } = {}) {
  const { manager, clock } = makeManager(opts.maxPoints ? { limits: { maxPoints: opts.maxPoints } } : {});
  const session = manager.create({ source: { kind: 'random' }, periodMs: 1000, points: 100 }, new TestOwner());
  const lines: string[] = [];
  const invalid = new InvalidMessageLog((l) => lines.push(l));
  const transport = new FakeTransport(session, unknownViews, opts.withStart);
  const channel = new ViewChannel(transport, invalid);
  return { manager, clock, session, invalid, lines, transport, channel };
}

const here: From = { name: 'here' };

describe('view channel', () => {
  it('counts and drops invalid messages, logging each kind once under the transport name', () => {
    const { session, invalid, lines, transport, channel } = setup();
    channel.receive(here, { type: 'attach', viewId: 'v1' });
    const before = JSON.stringify(session.info());
    const bad: unknown[] = [null, 42, 'pause', [], {}, { type: 'eval', viewId: 'v1' }, { type: 'eval', viewId: 'v1' }, { type: 'setPeriod', viewId: 'v1', periodMs: -5 }, { type: 'pause' }];
    for (const raw of bad) channel.receive(here, raw);
    assert.equal(invalid.count, bad.length);
    // Kinds: (not an object) ×4, (no type), unknown:eval ×2, setPeriod, pause: each logged once.
    assert.equal(lines.length, 5, lines.join('\n'));
    assert.ok(lines.every((l) => l.startsWith('Ignored an invalid message from a fake view (')), lines.join('\n'));
    assert.equal(JSON.stringify(session.info()), before, 'no session state changed');
    assert.deepEqual(transport.calls, ['attach here v1'], 'nothing but the valid attach reached the transport');
    assert.equal(transport.posted.length, 0);
  });

  it('hands attach (and start, where the transport has it) to the transport with where it came from', () => {
    const { transport, channel, invalid } = setup('ignore', { withStart: true });
    channel.receive({ name: 'editor-2' }, { type: 'attach', viewId: 'v1', output: 'out-1' });
    channel.receive({ name: 'editor-2' }, { type: 'start', viewId: 'v9', output: 'out-9' });
    assert.deepEqual(transport.calls, ['attach editor-2 v1', 'start editor-2 v9 out-9']);
    assert.equal(invalid.count, 0);
  });

  it('a control from a view that is not attached is counted as stale (report) and applies nothing', () => {
    const { session, invalid, lines, channel } = setup('report');
    channel.receive(here, { type: 'attach', viewId: 'v1' });
    channel.receive(here, { type: 'pause', viewId: 'old-view' });
    channel.receive(here, { type: 'close', viewId: 'old-view' });
    // Without a start handler, start is a control like any other: stale here.
    channel.receive(here, { type: 'start', viewId: 'old-view', output: 'o' });
    assert.equal(session.paused, false);
    assert.equal(session.disposed, false);
    assert.equal(invalid.count, 3);
    assert.deepEqual(
      lines.map((l) => /\((.*?)\)/.exec(l)?.[1]),
      ['pause:stale-view', 'close:stale-view', 'start:stale-view'],
    );
  });

  it('a control from an unknown view is dropped quietly when the transport says so (ignore)', () => {
    const { session, invalid, channel } = setup('ignore');
    channel.receive(here, { type: 'pause', viewId: 'gone' });
    channel.receive(here, { type: 'setPeriod', viewId: 'gone', periodMs: 2000 });
    assert.equal(session.paused, false);
    assert.equal(session.periodMs, 1000);
    assert.equal(invalid.count, 0);
  });

  it('applies a control from the attached view', () => {
    const { session, transport, channel, invalid } = setup();
    channel.receive(here, { type: 'attach', viewId: 'v1' });
    channel.receive(here, { type: 'setPeriod', viewId: 'v1', periodMs: 2000 });
    channel.receive(here, { type: 'pause', viewId: 'v1' });
    channel.receive(here, { type: 'setYRange', viewId: 'v1', yRange: [-1, 1] });
    assert.equal(session.periodMs, 2000);
    assert.equal(session.paused, true);
    assert.deepEqual(session.yRange, [-1, 1]);
    assert.equal(invalid.count, 0);
    assert.equal(transport.posted.length, 0, 'no error, no reply');
    channel.receive(here, { type: 'close', viewId: 'v1' });
    assert.equal(session.disposed, true);
  });

  it('a detach tells the transport first, then detaches the view from its session', () => {
    const { session, transport, channel } = setup();
    channel.receive(here, { type: 'attach', viewId: 'v1' });
    assert.equal(session.viewCount, 1);
    channel.receive(here, { type: 'detach', viewId: 'v1' });
    assert.deepEqual(transport.calls, ['attach here v1', 'detached v1']);
    assert.equal(session.viewCount, 0);
    assert.equal(session.disposed, false, 'detaching never ends a session');
  });

  it('replies an error to the view that caused it, on its status line', () => {
    const { session, transport, channel, invalid } = setup('report', { maxPoints: 500 });
    const from: From = { name: 'editor-1' };
    channel.receive(from, { type: 'attach', viewId: 'v1' });
    channel.receive(from, { type: 'setPoints', viewId: 'v1', points: 10_000 });
    assert.equal(session.info().points, 100, 'the refused window is not applied');
    assert.equal(invalid.count, 0, 'a valid message refused by the session is not an invalid one');
    assert.equal(transport.posted.length, 1);
    const reply = transport.posted[0]!;
    assert.equal(reply.from, from, 'the reply goes back where the message came from');
    assert.equal(reply.viewId, 'v1');
    assert.equal(reply.msg.type, 'info');
    if (reply.msg.type !== 'info') return;
    assert.equal(reply.msg.viewId, 'v1');
    assert.equal(reply.msg.info.id, session.id);
    assert.match(reply.msg.info.status ?? '', /points|10000|500/);
  });
});
