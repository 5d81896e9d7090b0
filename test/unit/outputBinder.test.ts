import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { OutputRef, OutputSessionBinder } from '../../src/core/outputBinder';
import { makeManager } from './helpers/fixtures';

const NB = { key: 'file:///a.liveplot', label: 'a.liveplot' };
const spec = (uuid: string, kind = 'random') => ({ version: 1, session: uuid, source: { kind } });
const out = (uuid: string, cell: object, kind = 'random'): OutputRef => ({ uuid, cell, payload: spec(uuid, kind) });
/** The user ran the cell in this window: every new output was produced here. */
const RAN = () => true;

function setup() {
  const env = makeManager();
  const present = new Set<string>();
  const binder = new OutputSessionBinder(env.manager, (_nb, uuid) => present.has(uuid));
  const reasons: string[] = [];
  env.manager.onDidDisposeSession((e) => reasons.push(e.reason));
  return { ...env, binder, reasons, present };
}

describe('OutputSessionBinder', () => {
  it('one session per output; replaced output → old ends (output-removed), new starts', () => {
    const { binder, manager, reasons, clock } = setup();
    const c1 = {};
    const c2 = {};
    binder.sync(NB, [out('u1', c1), out('u2', c2)], undefined, RAN);
    assert.equal(manager.size, 2);
    const s1 = binder.find(NB.key, 'u1')!;
    binder.sync(NB, [out('u3', c1), out('u2', c2)], undefined, RAN);
    assert.equal(s1.disposed, true);
    assert.deepEqual(reasons, ['output-removed']);
    assert.equal(manager.size, 2);
    assert.ok(binder.find(NB.key, 'u3'));
    assert.equal(clock.activeTimers, 2);
  });

  it('cleared outputs end; a deleted cell ends with cell-deleted; close ends the rest', () => {
    const { binder, manager, reasons, clock } = setup();
    const c1 = {};
    const c2 = {};
    const c3 = {};
    binder.sync(NB, [out('u1', c1), out('u2', c2), out('u3', c3)], undefined, RAN);
    binder.sync(NB, [out('u2', c2), out('u3', c3)], undefined, RAN);
    binder.sync(NB, [out('u3', c3)], new Set([c2]), RAN);
    binder.close(NB.key);
    assert.deepEqual(reasons, ['output-removed', 'cell-deleted', 'notebook-closed']);
    assert.equal(manager.size, 0);
    assert.equal(clock.activeTimers, 0);
  });

  it('an output that comes back (undo) comes alive again as a new session', () => {
    const { binder, manager } = setup();
    const c = {};
    binder.sync(NB, [out('u1', c)], undefined, RAN);
    const first = binder.find(NB.key, 'u1')!.id;
    binder.sync(NB, [], undefined, RAN);
    binder.sync(NB, [out('u1', c)], undefined, RAN);
    assert.equal(manager.size, 1);
    assert.notEqual(binder.find(NB.key, 'u1')!.id, first);
  });

  it('a stopped output stays ended until the user starts it again; a reopened notebook starts nothing', () => {
    const { binder, manager } = setup();
    const c = {};
    binder.sync(NB, [out('u1', c)], undefined, RAN);
    binder.find(NB.key, 'u1')!.dispose('user-closed');
    binder.sync(NB, [out('u1', c)], undefined, RAN);
    assert.equal(manager.size, 0, 'not resurrected by the next sync');
    assert.equal(binder.stateOf(NB.key, 'u1'), 'stopped');
    assert.match(binder.whyNoSession(NB.key, 'u1'), /stopped/);
    const again = binder.start(NB.key, 'u1');
    assert.equal(manager.size, 1, 'Start brings a stopped output back');
    assert.equal(binder.find(NB.key, 'u1'), again);
    binder.close(NB.key);
    binder.sync(NB, [out('u1', c)]);
    assert.equal(manager.size, 0, 'reopened notebook: nothing starts by itself');
    assert.equal(binder.stateOf(NB.key, 'u1'), 'pending');
  });

  it('an invalid payload starts nothing and says why', () => {
    const { binder, manager } = setup();
    binder.sync(NB, [{ uuid: 'bad', cell: {}, payload: { version: 1, session: 'bad', source: { kind: 'nope' } } }], undefined, RAN);
    assert.equal(manager.size, 0);
    assert.match(binder.whyNoSession(NB.key, 'bad'), /source\.kind/);
  });

  it('two notebooks are independent; duplicate uuids within one notebook share one session', () => {
    const { binder, manager } = setup();
    const NB2 = { key: 'file:///b.ipynb', label: 'b.ipynb' };
    binder.sync(NB, [out('u1', {}), out('u1', {})], undefined, RAN);
    binder.sync(NB2, [out('u1', {})], undefined, RAN);
    assert.equal(manager.size, 2);
    binder.close(NB.key);
    assert.equal(manager.size, 1);
    assert.equal(manager.list()[0]!.owner.group, 'b.ipynb');
  });

  it('reconciliation reaps an output session whose output vanished without an event', () => {
    const { binder, manager, present } = setup();
    present.add('u1');
    binder.sync(NB, [out('u1', {})], undefined, RAN);
    assert.deepEqual(manager.reconcile(), []);
    present.delete('u1');
    assert.equal(manager.reconcile().length, 1);
    assert.equal(manager.size, 0);
  });

  it('outputs that come from disk start nothing until the user starts them', () => {
    const { binder, manager, clock, reasons } = setup();
    const seen: string[] = [];
    binder.onDidChange((key) => seen.push(key));
    binder.sync(NB, [out('u1', {}), out('u2', {}, 'sine'), out('u3', {})]);
    assert.equal(manager.size, 0, 'opening starts nothing');
    assert.equal(clock.activeTimers, 0);
    assert.deepEqual(binder.idleOutputs(NB.key).map((o) => [o.uuid, o.state]), [['u1', 'pending'], ['u2', 'pending'], ['u3', 'pending']]);
    assert.match(binder.whyNoSession(NB.key, 'u1'), /not started/);
    assert.ok(seen.includes(NB.key));

    const s2 = binder.start(NB.key, 'u2');
    assert.equal(manager.size, 1);
    assert.equal(s2.info().sourceKind, 'sine');
    assert.equal(binder.start(NB.key, 'u2'), s2, 'starting a live output returns its session');
    assert.equal(binder.stateOf(NB.key, 'u2'), 'live');

    const all = binder.startAll(NB.key);
    assert.deepEqual(all, { started: 2, failed: [] });
    assert.equal(manager.size, 3);
    assert.equal(clock.activeTimers, 3);
    assert.deepEqual(binder.idleOutputs(NB.key), []);
    binder.close(NB.key);
    assert.equal(manager.size, 0);
    assert.deepEqual(reasons, ['notebook-closed', 'notebook-closed', 'notebook-closed']);
  });

  it('only the outputs the user produced here start by themselves; a throwing check starts nothing', () => {
    const { binder, manager } = setup();
    const c1 = {};
    const c2 = {};
    binder.sync(NB, [out('disk', c1)]);
    binder.sync(NB, [out('disk', c1), out('ran', c2)], undefined, (ref) => ref.uuid === 'ran');
    assert.equal(manager.size, 1);
    assert.ok(binder.find(NB.key, 'ran'));
    assert.equal(binder.find(NB.key, 'disk'), undefined);
    binder.sync(NB, [out('disk', c1), out('ran', c2), out('odd', {})], undefined, () => {
      throw new Error('boom');
    });
    assert.equal(binder.stateOf(NB.key, 'odd'), 'pending');
    assert.equal(manager.size, 1);
  });

  it('Start on an invalid output says why; Start All reports each failure and starts the rest', () => {
    const { binder, manager } = setup();
    binder.sync(NB, [out('ok', {}), { uuid: 'bad', cell: {}, payload: { version: 1, session: 'bad', source: { kind: 'nope' } } }]);
    assert.throws(() => binder.start(NB.key, 'bad'), /source\.kind/);
    assert.equal(binder.stateOf(NB.key, 'bad'), 'error');
    const r = binder.startAll(NB.key);
    assert.equal(r.started, 1);
    assert.equal(r.failed.length, 1);
    assert.equal(r.failed[0]!.uuid, 'bad');
    assert.match(r.failed[0]!.error, /source\.kind/);
    assert.equal(manager.size, 1);
    assert.throws(() => binder.start(NB.key, 'gone'), /no longer/);
    assert.throws(() => binder.start('file:///other', 'ok'), /no longer/);
  });
});
