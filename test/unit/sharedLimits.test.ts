/**
 * Every default and limit lives in `src/shared/limits.ts`; the manifest's
 * contributed settings and the JSON schema of the spec must say the same.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_LIMITS, validateSpec } from '../../src/core/spec';
import {
  clampPeriod,
  DEFAULT_PERIOD_MS,
  DEFAULT_POINTS,
  DEFAULT_UDP_ADDRESS,
  DEFAULT_UDP_PORT,
  HARD_MAX_POINTS,
  isPeriodRequest,
  MAX_PERIOD_MS,
  MAX_TITLE_LENGTH,
  MAX_WINDOW_SECONDS,
  SETTINGS,
} from '../../src/shared/limits';

const root = path.resolve(__dirname, '..', '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

describe('limits.ts and the manifest', () => {
  const properties = readJson('package.json').contributes.configuration.properties as Record<string, Record<string, unknown>>;

  it('contributes exactly the settings of SETTINGS', () => {
    assert.deepEqual(Object.keys(properties).sort(), Object.keys(SETTINGS).map((k) => `livePlot.${k}`).sort());
  });

  it("each setting's default, minimum and maximum equal limits.ts", () => {
    for (const [key, limit] of Object.entries(SETTINGS) as [string, { default: unknown; minimum?: number; maximum?: number }][]) {
      const p = properties[`livePlot.${key}`]!;
      assert.equal(p.default, limit.default, `livePlot.${key} default`);
      assert.equal(p.minimum, limit.minimum, `livePlot.${key} minimum`);
      assert.equal(p.maximum, limit.maximum, `livePlot.${key} maximum`);
      assert.equal(p.type === 'string' ? 'string' : 'number', typeof limit.default, `livePlot.${key} type`);
    }
  });

  it('the spec defaults are the settings defaults', () => {
    assert.equal(DEFAULT_LIMITS.defaultPeriodMs, SETTINGS.defaultPeriodMs.default);
    assert.equal(DEFAULT_LIMITS.defaultPoints, SETTINGS.defaultPoints.default);
    assert.equal(DEFAULT_LIMITS.minPeriodMs, SETTINGS.minPeriodMs.default);
    assert.equal(DEFAULT_LIMITS.maxPoints, SETTINGS.maxPoints.default);
    assert.equal(DEFAULT_LIMITS.maxPeriodMs, MAX_PERIOD_MS);
  });
});

describe('limits.ts and the JSON schema of the spec', () => {
  const schema = readJson('schemas/session-spec.schema.json');

  it('states the same period, points, title and window bounds', () => {
    assert.equal(schema.properties.periodMs.maximum, MAX_PERIOD_MS);
    assert.equal(schema.properties.periodMs.default, DEFAULT_PERIOD_MS);
    assert.equal(schema.properties.points.maximum, HARD_MAX_POINTS);
    assert.equal(schema.properties.points.default, DEFAULT_POINTS);
    assert.equal(schema.properties.title.maxLength, MAX_TITLE_LENGTH);
    assert.equal(schema.properties.windowSeconds.maximum, MAX_WINDOW_SECONDS);
  });

  it("states udp's default address and port", () => {
    const udp = schema.definitions.source.allOf.find((b: { if: { properties: { kind: { const: string } } } }) => b.if.properties.kind.const === 'udp').then;
    assert.equal(udp.properties.address.default, DEFAULT_UDP_ADDRESS);
    assert.equal(udp.properties.port.default, DEFAULT_UDP_PORT);
  });
});

describe('one set of bounds for a period', () => {
  const bounds = { minPeriodMs: 250, maxPeriodMs: MAX_PERIOD_MS };

  it('any finite period > 0 may be asked for; nothing else', () => {
    for (const v of [0.001, 1, 250, 60_000, 3_600_000, 1e300]) assert.ok(isPeriodRequest(v), String(v));
    for (const v of [0, -1, NaN, Infinity, -Infinity, '250', null, undefined]) assert.ok(!isPeriodRequest(v), String(v));
  });

  it('a request is clamped into [minPeriodMs, MAX_PERIOD_MS] and rounded', () => {
    assert.equal(clampPeriod(1, bounds), 250);
    assert.equal(clampPeriod(499.6, bounds), 500);
    assert.equal(clampPeriod(3_600_000, bounds), MAX_PERIOD_MS);
    assert.equal(clampPeriod(100_000, { minPeriodMs: 1, maxPeriodMs: 10 ** 9 }), MAX_PERIOD_MS, 'never beyond MAX_PERIOD_MS');
  });

  it('the spec validator uses the same check and clamp', () => {
    assert.equal(validateSpec({ source: { kind: 'random' }, periodMs: 3_600_000 }).periodMs, MAX_PERIOD_MS);
    assert.equal(validateSpec({ source: { kind: 'random' }, periodMs: 0.5 }).periodMs, DEFAULT_LIMITS.minPeriodMs);
    assert.throws(() => validateSpec({ source: { kind: 'random' }, periodMs: 0 }), /periodMs/);
  });
});
