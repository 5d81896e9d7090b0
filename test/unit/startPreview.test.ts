import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { shellWord, startPreview, type PreviewContext } from '../../src/core/startPreview';
import { builtinSourceKinds } from '../../src/core/sources/registry';
import { UdpHub } from '../../src/core/sources/udp';

// The real built-in kinds' previews (each kind writes its own lines).
const KINDS = builtinSourceKinds(new UdpHub());

const ctx = (over: Partial<PreviewContext> = {}): PreviewContext => ({
  cwd: '/work/ws',
  udp: { address: '127.0.0.1', port: 47269 },
  trusted: true,
  needsTrust: (k) => !['random', 'sine', 'udp', 'api'].includes(k),
  knownKinds: ['random', 'sine', 'udp', 'api', 'command', 'file', 'http'],
  previewOf: (k) => KINDS.find((d) => d.kind === k)?.preview,
  ...over,
});

describe('startPreview: what Start would do, shown before anything runs', () => {
  it('a command shows the program, its arguments (quoted), the folder and the environment', () => {
    const p = startPreview(
      { title: 'Pwn', source: { kind: 'command', command: 'sh', args: ['-c', 'touch /tmp/pwned'], env: { LD_PRELOAD: '/tmp/x.so' } } },
      ctx(),
    );
    assert.equal(p.title, 'Pwn');
    assert.equal(p.sourceKind, 'command');
    assert.deepEqual(p.actions, [
      'Runs the program: sh -c "touch /tmp/pwned"',
      'In the folder: /work/ws/.',
      'With the environment: LD_PRELOAD=/tmp/x.so',
    ]);
    assert.equal(p.blocked, undefined);
  });

  it('file, http and udp say the path, the URL and the address', () => {
    assert.deepEqual(startPreview({ source: { kind: 'file', path: 'logs/a.log' } }, ctx()).actions, ['Reads the file: /work/ws/logs/a.log']);
    assert.deepEqual(startPreview({ source: { kind: 'file', path: '/etc/passwd' } }, ctx()).actions, ['Reads the file: /etc/passwd']);
    assert.deepEqual(startPreview({ source: { kind: 'http', url: 'http://169.254.169.254/latest', headers: { Authorization: 'x' } } }, ctx()).actions, [
      'Polls the URL once a period: http://169.254.169.254/latest',
      'With the headers: Authorization',
    ]);
    assert.deepEqual(startPreview({ source: { kind: 'udp', match: 'pump*' } }, ctx()).actions, ['Listens for UDP telemetry on 127.0.0.1:47269 (series matching "pump*").']);
    assert.deepEqual(startPreview({ source: { kind: 'udp', address: '0.0.0.0', port: 9 } }, ctx()).actions, ['Listens for UDP telemetry on 0.0.0.0:9 (every series).']);
  });

  it('restricted mode: programs, files and URLs are blocked with how to trust; udp stays on loopback', () => {
    const r = ctx({ trusted: false });
    for (const source of [{ kind: 'command', command: 'x' }, { kind: 'file', path: 'a' }, { kind: 'http', url: 'http://127.0.0.1/' }, { kind: 'thirdparty' }]) {
      const p = startPreview({ source }, { ...r, knownKinds: [...r.knownKinds, 'thirdparty'] });
      assert.match(p.blocked ?? '', /trusted workspace.*Manage Workspace Trust/, source.kind);
    }
    const udp = startPreview({ source: { kind: 'udp', address: '0.0.0.0' } }, r);
    assert.equal(udp.blocked, undefined);
    assert.match(udp.actions[0]!, /^Listens for UDP telemetry on port 47269 of 127\.0\.0\.1 \(not 0\.0\.0\.0: restricted mode/);
    // A kind of another extension: a generic line with its options.
    assert.deepEqual(startPreview({ source: { kind: 'thirdparty', device: 'x' } }, { ...ctx(), knownKinds: ['thirdparty'] }).actions, [
      'Starts the source "thirdparty" with the options {"device":"x"}.',
    ]);
    assert.equal(startPreview({ source: { kind: 'random' } }, r).blocked, undefined);
  });

  it('untrusted shapes never throw; unknown kinds are blocked; long text is cut', () => {
    for (const payload of [null, 1, 'x', [], {}, { source: null }, { source: [] }, { source: { kind: 5 } }, { title: {}, source: { kind: 'sine' } }]) {
      const p = startPreview(payload, ctx());
      assert.equal(typeof p.title, 'string');
      assert.ok(Array.isArray(p.actions));
    }
    assert.match(startPreview({ source: { kind: 'nope' } }, ctx()).blocked ?? '', /No source kind "nope"/);
    const long = startPreview({ source: { kind: 'command', command: 'a'.repeat(5000) } }, ctx()).actions[0]!;
    assert.ok(long.length < 500, `cut: ${long.length}`);
    assert.match(long, /5000 characters/);
  });

  it('shellWord quotes what a shell would split or expand', () => {
    assert.equal(shellWord('abc/def-1.py'), 'abc/def-1.py');
    assert.equal(shellWord('a b'), '"a b"');
    assert.equal(shellWord('$(rm -rf ~)'), '"$(rm -rf ~)"');
    assert.equal(shellWord(5), '5');
  });
});
