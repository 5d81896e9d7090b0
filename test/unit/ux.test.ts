/**
 * Unit tests of issue 7's core pieces: the y range and time window in the spec
 * and the session, CSV formatting, export and PNG requests through the view
 * protocol, and the JSON schema kept in step with the sources.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { csvField, formatCsv, formatNumber } from '../../src/core/csv';
import { NoVisibleViewError, type ExportRequest } from '../../src/core/session';
import { createBuiltinRegistry } from '../../src/core/sources/registry';
import { checkYRange, DEFAULT_LIMITS, SpecError, validateSpec } from '../../src/core/spec';
import { applyControl } from '../../src/core/viewControl';
import { isPngDataUrl, parseViewMessage } from '../../src/core/viewMessages';
import { MAX_PNG_DATA_URL_LENGTH } from '../../src/shared/protocol';
import { realContext } from '../helpers-sources/util';
import { makeManager, RecordingView, TestOwner } from './helpers/fixtures';

/** A 1×1 PNG. */
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function specError(input: unknown, field: string): void {
  assert.throws(
    () => validateSpec(input, DEFAULT_LIMITS),
    (e: unknown) => e instanceof SpecError && e.field === field && e.message.includes(`"${field}"`),
    `expected an error naming ${field} for ${JSON.stringify(input)}`,
  );
}

describe('spec: yRange and windowSeconds', () => {
  it('defaults to an auto y axis and no time window', () => {
    const s = validateSpec({ source: { kind: 'sine' } });
    assert.equal(s.yRange, 'auto');
    assert.equal(s.windowSeconds, undefined);
    assert.ok(!('windowSeconds' in s), 'absent, not undefined (panel state stays clean)');
  });

  it('accepts "auto", [min, max] and a positive number of seconds', () => {
    assert.equal(validateSpec({ source: { kind: 'sine' }, yRange: 'auto' }).yRange, 'auto');
    assert.deepEqual(validateSpec({ source: { kind: 'sine' }, yRange: [-1.5, 2] }).yRange, [-1.5, 2]);
    assert.equal(validateSpec({ source: { kind: 'sine' }, windowSeconds: 0.5 }).windowSeconds, 0.5);
    assert.equal(validateSpec({ source: { kind: 'sine' }, windowSeconds: 86_400 }).windowSeconds, 86_400);
  });

  it('refuses bad values with an error naming the field', () => {
    for (const yRange of ['fixed', [], [1], [1, 2, 3], [2, 1], [1, 1], ['0', 1], [0, NaN], [0, Infinity], [-1e301, 0], { min: 0, max: 1 }, null, 5]) {
      specError({ source: { kind: 'sine' }, yRange }, 'yRange');
    }
    for (const windowSeconds of [0, -1, NaN, Infinity, '10', 86_401, null, [5]]) {
      specError({ source: { kind: 'sine' }, windowSeconds }, 'windowSeconds');
    }
    assert.match(String(safe(() => validateSpec({ source: { kind: 'sine' }, yRange: [3, 1] }))), /min < max/);
  });

  it('an unknown field lists yRange and windowSeconds among the known ones', () => {
    assert.throws(() => validateSpec({ source: { kind: 'sine' }, yrange: [0, 1] }), /yRange, windowSeconds/);
  });

  it('checkYRange copies the pair (a caller cannot change it afterwards)', () => {
    const input: [number, number] = [0, 1];
    const r = checkYRange(input);
    input[1] = 5;
    assert.deepEqual(r, [0, 1]);
  });
});

function safe(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (e) {
    return e;
  }
}

describe('session: y range, time window', () => {
  it('carries yRange and windowSeconds in its view info, info and current spec', () => {
    const { manager } = makeManager();
    const s = manager.create({ source: { kind: 'sine' }, yRange: [0, 5], windowSeconds: 10 }, new TestOwner());
    assert.deepEqual(s.viewInfo().yRange, [0, 5]);
    assert.equal(s.viewInfo().windowSeconds, 10);
    assert.deepEqual(s.info().yRange, [0, 5]);
    assert.deepEqual(s.currentSpec().yRange, [0, 5]);
    assert.equal(s.currentSpec().windowSeconds, 10);
  });

  it('setYRange tells visible views once, validates, and is a no-op after dispose', () => {
    const { manager } = makeManager();
    const s = manager.create({ source: { kind: 'random' } }, new TestOwner());
    const v = new RecordingView('v');
    s.attachView(v);
    const infos = () => v.of('info').length;
    const before = infos();
    s.setYRange([1, 2]);
    assert.equal(infos(), before + 1);
    assert.deepEqual(v.of('info').at(-1)!.info.yRange, [1, 2]);
    s.setYRange([1, 2]);
    assert.equal(infos(), before + 1, 'the same range again sends nothing');
    assert.throws(() => s.setYRange([2, 1] as never), SpecError);
    s.setYRange('auto');
    assert.equal(s.yRange, 'auto');
    s.dispose();
    assert.doesNotThrow(() => s.setYRange([0, 1]));
  });

  it('a setYRange message from a view goes through the validator and the control path', () => {
    const { manager } = makeManager();
    const s = manager.create({ source: { kind: 'random' } }, new TestOwner());
    s.attachView(new RecordingView('v'));
    const ok = parseViewMessage({ type: 'setYRange', viewId: 'v', yRange: [-2, 2] });
    assert.ok(ok.ok);
    applyControl(s, ok.message);
    assert.deepEqual(s.yRange, [-2, 2]);
    for (const yRange of [[2, -2], [0], 'fixed', [0, Infinity], [0, 1e308 * 10], null]) {
      assert.equal(parseViewMessage({ type: 'setYRange', viewId: 'v', yRange }).ok, false, JSON.stringify(yRange));
    }
  });
});

describe('export requests', () => {
  it('exportCsv and a user PNG from an attached view fire onDidRequestExport; strangers are ignored', () => {
    const { manager } = makeManager();
    const s = manager.create({ source: { kind: 'random' } }, new TestOwner());
    s.attachView(new RecordingView('v'));
    const got: ExportRequest[] = [];
    s.onDidRequestExport((r) => got.push(r));
    for (const raw of [
      { type: 'exportCsv', viewId: 'v' },
      { type: 'exportPng', viewId: 'v', dataUrl: PNG },
      { type: 'exportCsv', viewId: 'stranger' },
    ]) {
      const p = parseViewMessage(raw);
      assert.ok(p.ok, JSON.stringify(raw));
      applyControl(s, p.message);
    }
    assert.deepEqual(got, [
      { kind: 'csv', viewId: 'v' },
      { kind: 'png', viewId: 'v', dataUrl: PNG },
    ]);
  });

  it('requestPng asks one visible view and resolves with its answer; late or unknown answers are dropped', async () => {
    const { manager } = makeManager();
    const s = manager.create({ source: { kind: 'random' } }, new TestOwner());
    const hidden = new RecordingView('hidden');
    const shown = new RecordingView('shown');
    s.attachView(hidden, false);
    s.attachView(shown, true);
    const req = s.requestPng();
    assert.equal(hidden.of('renderPng').length, 0);
    const [ask] = shown.of('renderPng');
    assert.ok(ask && ask.requestId);
    const answer = parseViewMessage({ type: 'exportPng', viewId: 'shown', dataUrl: PNG, requestId: ask.requestId });
    assert.ok(answer.ok);
    const exports: ExportRequest[] = [];
    s.onDidRequestExport((r) => exports.push(r));
    applyControl(s, answer.message);
    assert.equal(await req.result, PNG);
    assert.equal(s.resolvePng(ask.requestId, PNG), false, 'answered once');
    assert.deepEqual(exports, [], 'an answer is not a save request');
  });

  it('requestPng rejects clearly without a visible view, on cancel, and when the session ends', async () => {
    const { manager } = makeManager();
    const s = manager.create({ title: 'Pump', source: { kind: 'random' } }, new TestOwner());
    await assert.rejects(s.requestPng().result, (e: unknown) => e instanceof NoVisibleViewError && /"Pump".*no view/.test((e as Error).message));
    s.attachView(new RecordingView('v'), false);
    await assert.rejects(s.requestPng().result, /views are hidden/);
    s.setViewVisible('v', true);
    const cancelled = s.requestPng();
    cancelled.cancel();
    await assert.rejects(cancelled.result, /did not render/);
    const pending = s.requestPng();
    s.dispose('user-closed');
    await assert.rejects(pending.result, /ended \(user-closed\)/);
    await assert.rejects(s.requestPng().result, NoVisibleViewError);
  });

  it('PNG data URLs are checked: prefix, signature, base64 alphabet, size', () => {
    assert.ok(isPngDataUrl(PNG));
    const body = PNG.slice('data:image/png;base64,'.length);
    for (const bad of [
      '',
      'data:image/jpeg;base64,' + body,
      'data:image/png;base64,',
      'data:image/png;base64,AAAA' + body.slice(4),
      'data:image/png;base64,' + body.slice(0, -1),
      'data:image/png;base64,' + body.replace('A', '*'),
      'data:image/png;base64,' + body + '<script>',
      'data:image/png;base64,iVBORw0KGgo' + 'A'.repeat(MAX_PNG_DATA_URL_LENGTH),
      42,
      null,
    ]) {
      assert.equal(isPngDataUrl(bad), false, String(bad).slice(0, 60));
      assert.equal(parseViewMessage({ type: 'exportPng', viewId: 'v', dataUrl: bad }).ok, false);
    }
    assert.equal(parseViewMessage({ type: 'exportPng', viewId: 'v', dataUrl: PNG, requestId: 'bad id' }).ok, false);
    assert.equal(parseViewMessage({ type: 'exportPng', viewId: 'v', dataUrl: PNG, requestId: 7 }).ok, false);
  });
});

describe('CSV', () => {
  it('a header row, then x and each series; NaN as an empty cell', () => {
    const csv = formatCsv({ series: ['a', 'b'], x: Float64Array.of(1, 2, 3), y: [Float64Array.of(0.5, NaN, -3), Float64Array.of(1e-7, 2, 1e21)] });
    assert.equal(csv, 'x,a,b\n1,0.5,1e-7\n2,,2\n3,-3,1e+21\n');
  });

  it('epoch-millisecond x: time_ms and an ISO time column; fromX keeps the last rows', () => {
    const t0 = Date.UTC(2026, 0, 2, 3, 4, 5, 600);
    const cols = { series: ['temp'], x: Float64Array.of(t0, t0 + 1000, t0 + 2000), y: [Float64Array.of(20, 21, 22)] };
    assert.equal(formatCsv(cols), `time_ms,time,temp\n${t0},2026-01-02T03:04:05.600Z,20\n${t0 + 1000},2026-01-02T03:04:06.600Z,21\n${t0 + 2000},2026-01-02T03:04:07.600Z,22\n`);
    assert.equal(formatCsv(cols, { fromX: t0 + 1000, isoTime: false }), `time_ms,temp\n${t0 + 1000},21\n${t0 + 2000},22\n`);
  });

  it('an empty window is just the header', () => {
    assert.equal(formatCsv({ series: ['a'], x: new Float64Array(0), y: [new Float64Array(0)] }), 'x,a\n');
  });

  it('names are quoted when needed and formulas defused', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('@cmd'), "'@cmd");
    assert.equal(formatNumber(Infinity), 'Infinity');
    assert.equal(formatNumber(undefined), '');
  });

  it('round-trips every number exactly', () => {
    const y = Float64Array.of(Math.PI, -0.1 + 0.2, 1 / 3, Number.MAX_VALUE, Number.MIN_VALUE, -1234.5678e-200);
    const csv = formatCsv({ series: ['v'], x: Float64Array.from(y, (_, i) => i), y: [y] });
    const back = csv.trimEnd().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    assert.deepEqual(back, Array.from(y));
  });
});

describe('JSON schema of the session spec', () => {
  const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'schemas', 'session-spec.schema.json'), 'utf8'));
  const source = schema.definitions.source;
  const branches = new Map<string, { properties: Record<string, unknown>; required?: string[] }>(
    source.allOf.map((b: { if: { properties: { kind: { const: string } } }; then: { properties: Record<string, unknown>; required?: string[] } }) => [b.if.properties.kind.const, b.then]),
  );

  it('has the top-level fields validateSpec knows, and no others', () => {
    assert.deepEqual(Object.keys(schema.properties).sort(), ['periodMs', 'points', 'session', 'source', 'title', 'version', 'windowSeconds', 'yRange']);
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, ['source']);
  });

  it('describes every built-in source kind with exactly the options its factory accepts', () => {
    const registry = createBuiltinRegistry();
    const kinds = source.properties.kind.anyOf[0].enum as string[];
    assert.deepEqual([...kinds].sort(), [...registry.kinds].sort());
    assert.deepEqual([...branches.keys()].sort(), [...kinds].sort());
    // random and sine ignore unknown options; the others name theirs in the error.
    const fixed: Record<string, string[]> = { random: ['max', 'min'], sine: ['frequencyHz', 'sampleRateHz', 'waves'] };
    for (const kind of kinds) {
      const props = Object.keys(branches.get(kind)!.properties).filter((k) => k !== 'kind').sort();
      let expected = fixed[kind];
      if (!expected) {
        const err = safe(() => registry.get(kind)!({ kind, zzUnknown: 1 }, realContext())) as Error;
        const m = /options: ([^)]+)\)|it has no options/.exec(err.message);
        assert.ok(m, `${kind}: ${err.message}`);
        expected = m[1] ? m[1].split(', ').sort() : [];
      }
      assert.deepEqual(props, expected, `options of ${kind}`);
    }
  });

  it('requires what the factories require', () => {
    assert.deepEqual(branches.get('command')!.required, ['command']);
    assert.deepEqual(branches.get('file')!.required, ['path']);
    assert.deepEqual(branches.get('http')!.required, ['url', 'paths']);
    const registry = createBuiltinRegistry();
    assert.throws(() => registry.get('command')!({ kind: 'command' }, realContext()), /source\.command is required/);
    assert.throws(() => registry.get('file')!({ kind: 'file' }, realContext()), /source\.path is required/);
    assert.throws(() => registry.get('http')!({ kind: 'http', paths: ['a'] }, realContext()), /source\.url is required/);
  });
});
