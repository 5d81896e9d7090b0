import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { OutputRef, OutputSessionBinder } from '../../src/core/outputBinder';
import { makeManager } from './helpers/fixtures';

const NB = { key: 'file:///a.liveplot', label: 'a.liveplot' };
const spec = (uuid: string, kind = 'random') => ({ version: 1, session: uuid, source: { kind } });
const out = (uuid: string, cell: object, kind = 'random'): OutputRef => ({ uuid, cell, payload: spec(uuid, kind) });

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
    binder.sync(NB, [out('u1', c1), out('u2', c2)]);
    assert.equal(manager.size, 2);
    const s1 = binder.find(NB.key, 'u1')!;
    binder.sync(NB, [out('u3', c1), out('u2', c2)]);
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
    binder.sync(NB, [out('u1', c1), out('u2', c2), out('u3', c3)]);
    binder.sync(NB, [out('u2', c2), out('u3', c3)]);
    binder.sync(NB, [out('u3', c3)], new Set([c2]));
    binder.close(NB.key);
    assert.deepEqual(reasons, ['output-removed', 'cell-deleted', 'notebook-closed']);
    assert.equal(manager.size, 0);
    assert.equal(clock.activeTimers, 0);
  });

  it('an output that comes back (undo) comes alive again as a new session', () => {
    const { binder, manager } = setup();
    const c = {};
    binder.sync(NB, [out('u1', c)]);
    const first = binder.find(NB.key, 'u1')!.id;
    binder.sync(NB, []);
    binder.sync(NB, [out('u1', c)]);
    assert.equal(manager.size, 1);
    assert.notEqual(binder.find(NB.key, 'u1')!.id, first);
  });

  it('a stopped output stays ended until replaced or the notebook reopens', () => {
    const { binder, manager } = setup();
    const c = {};
    binder.sync(NB, [out('u1', c)]);
    binder.find(NB.key, 'u1')!.dispose('user-closed');
    binder.sync(NB, [out('u1', c)]);
    assert.equal(manager.size, 0, 'not resurrected by the next sync');
    assert.match(binder.whyNoSession(NB.key, 'u1'), /stopped/);
    binder.close(NB.key);
    binder.sync(NB, [out('u1', c)]);
    assert.equal(manager.size, 1, 'reopened notebook: alive again');
  });

  it('an invalid payload starts nothing and says why', () => {
    const { binder, manager } = setup();
    binder.sync(NB, [{ uuid: 'bad', cell: {}, payload: { version: 1, session: 'bad', source: { kind: 'nope' } } }]);
    assert.equal(manager.size, 0);
    assert.match(binder.whyNoSession(NB.key, 'bad'), /source\.kind/);
  });

  it('two notebooks are independent; duplicate uuids within one notebook share one session', () => {
    const { binder, manager } = setup();
    const NB2 = { key: 'file:///b.ipynb', label: 'b.ipynb' };
    binder.sync(NB, [out('u1', {}), out('u1', {})]);
    binder.sync(NB2, [out('u1', {})]);
    assert.equal(manager.size, 2);
    binder.close(NB.key);
    assert.equal(manager.size, 1);
    assert.equal(manager.list()[0]!.owner.group, 'b.ipynb');
  });

  it('reconciliation reaps an output session whose output vanished without an event', () => {
    const { binder, manager, present } = setup();
    present.add('u1');
    binder.sync(NB, [out('u1', {})]);
    assert.deepEqual(manager.reconcile(), []);
    present.delete('u1');
    assert.equal(manager.reconcile().length, 1);
    assert.equal(manager.size, 0);
  });
});
