// Panel restore from host-owned state (issue 12): a panel's spec lives in the
// extension host's workspace state under a random key; the page keeps only
// that key, so a hostile page or state cannot choose what a restored panel starts.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isPanelKey, MAX_PANEL_ENTRIES, PANEL_SPECS_KEY, PanelSpecStore, type StateStore } from '../../src/vscode/panelStore';

/** A memento that, like VS Code's, keeps values as JSON. */
class FakeMemento implements StateStore {
  readonly data = new Map<string, string>();
  writes = 0;
  get(key: string): unknown {
    const v = this.data.get(key);
    return v === undefined ? undefined : JSON.parse(v);
  }
  update(key: string, value: unknown): Thenable<void> {
    this.writes++;
    this.data.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
  /** The stored record, read independently of the store. */
  record(): Record<string, { spec: unknown; touched: number }> {
    return JSON.parse(this.data.get(PANEL_SPECS_KEY) ?? '{}');
  }
}

const SINE = { title: 'Pump', source: { kind: 'sine' }, periodMs: 250, points: 100, yRange: 'auto' };
const NONE = new Set<string>();

describe('panel spec store', () => {
  it('add() makes a fresh 128-bit hex key per panel and keeps the spec under it', () => {
    const m = new FakeMemento();
    const store = new PanelSpecStore(m);
    const a = store.add(SINE);
    const b = store.add({ ...SINE, title: 'Other' });
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.notEqual(a, b);
    assert.deepEqual(m.record()[a]!.spec, SINE);
    assert.deepEqual(store.get(b), { ...SINE, title: 'Other' });
    assert.equal(store.size, 2);
  });

  it('a key that collides with an existing one is drawn again', () => {
    const keys = ['a'.repeat(32), 'a'.repeat(32), 'b'.repeat(32)];
    const store = new PanelSpecStore(new FakeMemento(), Date.now, () => keys.shift()!);
    assert.equal(store.add(SINE), 'a'.repeat(32));
    assert.equal(store.add(SINE), 'b'.repeat(32));
  });

  it('restore: the known key gives the host-stored spec; whatever else the state holds is ignored', () => {
    const store = new PanelSpecStore(new FakeMemento());
    const key = store.add(SINE);
    const hostile = { panelKey: key, spec: { source: { kind: 'command', command: 'sh', args: ['-c', 'touch /tmp/pwned'] } } };
    assert.deepEqual(store.forRestore(hostile, NONE), { key, spec: SINE });
  });

  it('restore: no key, an unknown key, a malformed key, or a spec saved by an older page start nothing', () => {
    const store = new PanelSpecStore(new FakeMemento());
    store.add(SINE);
    const states: unknown[] = [
      undefined,
      null,
      'x',
      42,
      [],
      {},
      { spec: SINE }, // the old page state: a spec chosen by the page
      { panelKey: 'f'.repeat(32) }, // well-formed but never made here
      { panelKey: '__proto__' },
      { panelKey: 'constructor' },
      { panelKey: 'hasOwnProperty' },
      { panelKey: { toString: () => 'x' } },
      { panelKey: 'A'.repeat(32) },
    ];
    for (const state of states) assert.equal(store.forRestore(state, NONE), undefined, JSON.stringify(state));
  });

  it('restore: a key already bound to a live panel is not restored twice', () => {
    const store = new PanelSpecStore(new FakeMemento());
    const key = store.add(SINE);
    assert.equal(store.forRestore({ panelKey: key }, new Set([key])), undefined);
    assert.ok(store.forRestore({ panelKey: key }, new Set(['0'.repeat(32)])));
  });

  it('update() replaces the spec of a known key only; delete() forgets it', () => {
    const m = new FakeMemento();
    const store = new PanelSpecStore(m);
    const key = store.add(SINE);
    store.update(key, { ...SINE, periodMs: 1000, yRange: [-1, 3] });
    assert.deepEqual(m.record()[key]!.spec, { ...SINE, periodMs: 1000, yRange: [-1, 3] });
    store.update('c'.repeat(32), SINE);
    assert.deepEqual(Object.keys(m.record()), [key], 'an unknown key is not created by update');
    store.delete(key);
    assert.deepEqual(m.record(), {});
    assert.equal(store.forRestore({ panelKey: key }, NONE), undefined);
  });

  it('prune() keeps only the keys asked for', () => {
    const m = new FakeMemento();
    const store = new PanelSpecStore(m);
    const keep = store.add(SINE);
    const drop1 = store.add(SINE);
    const drop2 = store.add(SINE);
    assert.equal(store.prune((k) => k === keep), 2);
    assert.deepEqual(Object.keys(m.record()), [keep]);
    assert.equal(store.get(drop1), undefined);
    assert.equal(store.get(drop2), undefined);
    const writes = m.writes;
    assert.equal(store.prune(() => true), 0);
    assert.equal(m.writes, writes, 'nothing to forget: no write');
  });

  it(`stays bounded: at most ${MAX_PANEL_ENTRIES} entries, the least recently written go first`, () => {
    const m = new FakeMemento();
    let t = 1000;
    const store = new PanelSpecStore(m, () => t++);
    const keys: string[] = [];
    for (let i = 0; i < MAX_PANEL_ENTRIES; i++) keys.push(store.add({ ...SINE, title: `p${i}` }));
    // Touch the oldest one: it is now the newest.
    store.update(keys[0]!, { ...SINE, title: 'p0 again' });
    for (let i = 0; i < 11; i++) keys.push(store.add({ ...SINE, title: `q${i}` }));
    const record = m.record();
    assert.equal(Object.keys(record).length, MAX_PANEL_ENTRIES);
    assert.ok(keys[0]! in record, 'the recently updated entry is kept');
    for (const k of keys.slice(1, 12)) assert.ok(!(k in record), 'the 11 least recently written are gone');
    for (const k of keys.slice(12)) assert.ok(k in record);
  });

  it('a damaged record is read as what it still holds, never thrown on', () => {
    const m = new FakeMemento();
    const good = 'd'.repeat(32);
    m.data.set(PANEL_SPECS_KEY, JSON.stringify({ [good]: { spec: SINE, touched: 5 }, nope: { spec: SINE }, ['e'.repeat(32)]: 7, ['f'.repeat(32)]: { touched: 1 } }));
    const store = new PanelSpecStore(m);
    assert.deepEqual(store.keys(), [good]);
    assert.deepEqual(store.get(good), SINE);
    for (const raw of ['[]', '"x"', 'null', '3']) {
      m.data.set(PANEL_SPECS_KEY, raw);
      assert.equal(store.size, 0, raw);
      assert.match(store.add(SINE), /^[0-9a-f]{32}$/);
    }
  });

  it('isPanelKey accepts exactly 32 lowercase hex digits', () => {
    assert.ok(isPanelKey('0123456789abcdef0123456789abcdef'));
    for (const k of ['', '0123456789abcdef0123456789abcde', '0123456789abcdef0123456789abcdef0', '0123456789ABCDEF0123456789abcdef', 'g'.repeat(32), 12, null]) {
      assert.equal(isPanelKey(k), false, String(k));
    }
  });
});
