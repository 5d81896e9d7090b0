// Workspace trust (issue 6): sources that run programs or read files are
// refused in restricted mode, with a message that says how to trust the
// workspace; nothing starts. The manifest declares it.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { OutputSessionBinder } from '../../src/core/outputBinder';
import { SessionManager } from '../../src/core/sessionManager';
import { SpecError } from '../../src/core/spec';
import { createBuiltinRegistry } from '../../src/core/sources/registry';
import { FakeClock } from './helpers/fakeClock';
import { LIMITS, TestOwner } from './helpers/fixtures';

const HOW = /needs a trusted workspace\. Trust this workspace with the command "Workspaces: Manage Workspace Trust", then try again\./;

function restricted() {
  const trust = { trusted: false };
  const clock = new FakeClock();
  let n = 0;
  const manager = new SessionManager({
    clock,
    registry: createBuiltinRegistry({ cwd: () => process.cwd() }),
    limits: () => LIMITS,
    workspaceTrusted: () => trust.trusted,
    newId: () => `t${++n}`,
  });
  return { manager, clock, trust };
}

const REFUSED = [
  { kind: 'command', spec: { source: { kind: 'command', command: process.execPath, args: ['-e', 'setInterval(() => console.log("a:1"), 100)'] } }, what: /The command source runs programs/ },
  { kind: 'file', spec: { source: { kind: 'file', path: 'data.log' } }, what: /The file source reads files/ },
  { kind: 'http', spec: { source: { kind: 'http', url: 'http://127.0.0.1:1/', paths: ['t'] } }, what: /The http source makes network requests/ },
];

describe('workspace trust', () => {
  for (const { kind, spec, what } of REFUSED) {
    it(`${kind}: refused in restricted mode with how to trust the workspace; nothing starts`, () => {
      const { manager, clock } = restricted();
      for (const attempt of [() => manager.create(spec, new TestOwner()), () => manager.check(spec)]) {
        assert.throws(attempt, (e: unknown) => {
          assert.ok(e instanceof SpecError, String(e));
          assert.equal(e.field, 'source');
          assert.match(e.message, what);
          assert.match(e.message, HOW);
          return true;
        });
      }
      const d = manager.diagnostics();
      assert.deepEqual([d.sessions, d.timers, d.processes, d.watchers, clock.activeTimers], [0, 0, 0, 0, 0]);
    });
  }

  it('sources that neither run programs, read files nor make network requests work in restricted mode', () => {
    const { manager } = restricted();
    for (const kind of ['random', 'sine', 'api']) manager.create({ source: { kind } }, new TestOwner());
    manager.check({ source: { kind: 'udp', port: 47999 } });
    assert.equal(manager.diagnostics().sessions, 3);
    manager.dispose();
  });

  it('trust is read at each start: once the workspace is trusted, the same spec starts', () => {
    const { manager, trust } = restricted();
    const spec = { source: { kind: 'file', path: 'does-not-exist-yet.log' } };
    assert.throws(() => manager.create(spec, new TestOwner()), HOW);
    trust.trusted = true;
    const s = manager.create(spec, new TestOwner());
    assert.equal(s.state, 'running');
    assert.equal(manager.diagnostics().watchers, 1);
    s.dispose();
    assert.equal(manager.diagnostics().watchers, 0);
  });

  it('a notebook output with a command spec gets no session, and the renderer is told how to trust the workspace', () => {
    const { manager } = restricted();
    const binder = new OutputSessionBinder(manager, () => true);
    // Even when the user runs the cell (or presses Start), restricted mode refuses it.
    binder.sync({ key: 'nb', label: 'x.liveplot' }, [{ uuid: 'u1', cell: {}, payload: { version: 1, session: 'u1', ...REFUSED[0]!.spec } }], undefined, () => true);
    assert.equal(manager.size, 0);
    assert.match(binder.whyNoSession('nb', 'u1'), HOW);
    assert.throws(() => binder.start('nb', 'u1'), HOW);
    assert.equal(manager.size, 0);
    binder.dispose();
  });

  it('package.json declares limited support in untrusted workspaces and restricts the settings a workspace must not loosen', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const u = pkg.capabilities?.untrustedWorkspaces;
    assert.equal(u?.supported, 'limited');
    assert.match(u.description, /command/);
    assert.match(u.description, /file/);
    // A workspace must not be able to open the UDP socket to the network or lift the memory limits.
    assert.deepEqual([...u.restrictedConfigurations].sort(), ['livePlot.maxPoints', 'livePlot.maxSessions', 'livePlot.memoryBudgetMB', 'livePlot.minPeriodMs', 'livePlot.udp.address']);
    for (const key of u.restrictedConfigurations) assert.ok(pkg.contributes.configuration.properties[key], `${key} is a setting`);
  });
});

describe('source kinds registered by other extensions declare whether they need trust (issue 12)', () => {
  function withKind(options?: { needsTrust?: boolean }) {
    const r = restricted();
    const registry = (r.manager as unknown as { opts: { registry: ReturnType<typeof createBuiltinRegistry> } }).opts.registry;
    let created = 0;
    registry.register(
      'acme.db',
      () => {
        created++;
        return { mode: 'append', endpoint: 'acme', start: () => undefined, dispose: () => undefined };
      },
      options,
    );
    return { ...r, registry, created: () => created };
  }
  const THIRD = /^SpecError: Invalid session spec: "source" was refused: The acme\.db source comes from another extension and may run programs, read files or reach the network, which needs a trusted workspace\. Trust this workspace with the command "Workspaces: Manage Workspace Trust", then try again\.$/;

  for (const options of [undefined, {}, { needsTrust: true }]) {
    it(`needsTrust ${JSON.stringify(options?.needsTrust)}: refused in restricted mode before its factory runs; runs once trusted`, () => {
      const { manager, trust, created, registry } = withKind(options);
      assert.equal(registry.needsTrust('acme.db'), true);
      const spec = { source: { kind: 'acme.db' } };
      assert.throws(() => manager.check(spec), THIRD);
      assert.throws(() => manager.create(spec, new TestOwner()), THIRD);
      assert.equal(created(), 0, 'the factory never ran');
      assert.equal(manager.size, 0);
      trust.trusted = true;
      manager.create(spec, new TestOwner());
      assert.equal(created(), 1);
      manager.dispose();
    });
  }

  it('needsTrust false: runs in restricted mode', () => {
    const { manager, created, registry } = withKind({ needsTrust: false });
    assert.equal(registry.needsTrust('acme.db'), false);
    manager.create({ source: { kind: 'acme.db' } }, new TestOwner());
    assert.equal(created(), 1);
    assert.equal(manager.size, 1);
    manager.dispose();
  });

  it('built-ins: random, sine, udp and api do not need trust; command, file and http do; unknown kinds do', () => {
    const registry = createBuiltinRegistry();
    assert.deepEqual(
      ['random', 'sine', 'udp', 'api', 'command', 'file', 'http', 'nope'].map((k) => [k, registry.needsTrust(k)]),
      [['random', false], ['sine', false], ['udp', false], ['api', false], ['command', true], ['file', true], ['http', true], ['nope', true]],
    );
    assert.throws(() => registry.register('x.bad', () => ({}) as never, { needsTrust: 'no' as never }), /needsTrust must be true or false/);
  });
});
