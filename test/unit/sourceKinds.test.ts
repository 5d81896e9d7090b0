/**
 * Source kind descriptors: one per built-in kind, in its own file, feeding the
 * registry, the New Session picker, the trust gate and the JSON schema.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { SourceKindDescriptor } from '../../src/core/source';
import { builtinSourceKinds, createBuiltinRegistry, SourceRegistry } from '../../src/core/sources/registry';
import { UdpHub } from '../../src/core/sources/udp';
import { realContext } from '../helpers-sources/util';

const schemaFile = path.resolve(__dirname, '..', '..', 'schemas', 'session-spec.schema.json');

/** The schema's `if kind = … then …` branch a descriptor stands for. */
function branchOf(d: SourceKindDescriptor): unknown {
  return {
    additionalProperties: false,
    ...(d.schema.required ? { required: [...d.schema.required] } : {}),
    properties: { kind: true, ...d.schema.properties },
  };
}

describe('source kind descriptors', () => {
  const descriptors = builtinSourceKinds(new UdpHub());

  it('schemas/session-spec.schema.json lists the built-in kinds, their descriptions and options as their descriptors say', () => {
    const source = JSON.parse(fs.readFileSync(schemaFile, 'utf8')).definitions.source;
    const kinds = source.properties.kind.anyOf[0];
    assert.deepEqual(kinds.enum, descriptors.map((d) => d.kind), 'the kinds, in order');
    assert.deepEqual(kinds.markdownEnumDescriptions, descriptors.map((d) => d.schema.markdownDescription));
    const branches = new Map<string, unknown>(
      source.allOf.map((b: { if: { properties: { kind: { const: string } } }; then: unknown }) => [b.if.properties.kind.const, b.then]),
    );
    assert.deepEqual([...branches.keys()], descriptors.map((d) => d.kind));
    // Normalised through JSON, as the file is.
    for (const d of descriptors) assert.deepEqual(branches.get(d.kind), JSON.parse(JSON.stringify(branchOf(d))), `options of ${d.kind}`);
    assert.deepEqual(source.defaultSnippets.map((s: { label: string }) => s.label), descriptors.map((d) => d.kind), 'a snippet per kind');
  });

  it('each factory accepts exactly the options its schema names', () => {
    for (const d of descriptors) {
      if (d.kind === 'random' || d.kind === 'sine') continue; // they ignore unknown options
      const err = (() => {
        try {
          d.factory({ kind: d.kind, zzUnknown: 1 }, realContext())?.dispose();
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      assert.ok(err, `${d.kind} refuses an unknown option`);
      const names = Object.keys(d.schema.properties);
      assert.ok(err.message.includes(names.length ? `options: ${names.join(', ')}` : 'it has no options'), `${d.kind}: ${err.message}`);
    }
  });

  it('feed the registry, the trust gate and the New Session picker', () => {
    const registry = createBuiltinRegistry({ udp: () => ({ address: '127.0.0.2', port: 5000 }) });
    assert.deepEqual(registry.kinds, descriptors.map((d) => d.kind));
    assert.deepEqual(registry.descriptors().map((d) => d.kind), registry.kinds);
    for (const d of registry.descriptors()) {
      assert.equal(registry.get(d.kind), d.factory);
      assert.equal(registry.needsTrust(d.kind), d.needsTrust, d.kind);
    }
    assert.deepEqual(descriptors.filter((d) => d.needsTrust).map((d) => d.kind), ['command', 'file', 'http']);
    assert.match(registry.untrustedRefusal('command', false) ?? '', /The command source runs programs, which needs a trusted workspace/);
    const picker = registry.descriptors().filter((d) => d.inNewSession);
    assert.deepEqual(
      picker.map((d) => [d.label, d.description]),
      [
        ['random', "the seed's demo: a fresh frame of random values every period"],
        ['sine', 'a few sine waves, streaming'],
        ['udp', 'telemetry lines (Teleplot format) on UDP 127.0.0.2:5000'],
      ],
    );
  });

  it('registerSource(kind, factory, options) still registers a kind, with a descriptor', () => {
    const registry = new SourceRegistry();
    const factory = () => ({ mode: 'append', endpoint: 'x', start() {}, dispose() {} }) as const;
    const sub = registry.register('ext.kind', factory, { needsTrust: false });
    const d = registry.descriptors()[0]!;
    assert.equal(d.kind, 'ext.kind');
    assert.equal(d.factory, factory);
    assert.equal(d.needsTrust, false);
    assert.equal(d.inNewSession, undefined);
    registry.register('ext.other', factory);
    assert.equal(registry.needsTrust('ext.other'), true);
    assert.match(registry.untrustedRefusal('ext.other', false) ?? '', /comes from another extension/);
    assert.throws(() => registry.register('ext.kind', factory), /already registered/);
    sub.dispose();
    assert.deepEqual(registry.kinds, ['ext.other']);
    assert.throws(() => registry.register({ ...d, kind: 'bad kind' }), /Invalid source kind/);
  });
});
