// The test oracle for view → host messages: which ones are valid, written from the
// protocol's description as a table of the valid shapes, independently of the
// validator under test (src/core viewMessages' parseViewMessage). The e2e fuzz
// (test/e2e/security.e2e.ts) decides from this table which fuzzed messages the host
// must count as invalid, so that a validator bug fails the test instead of moving
// the expectation with it; test/unit/viewMessageOracle.test.ts checks that the two
// agree message by message.
//
// Domain: what the transports deliver, i.e. JSON values (see `delivered`).

/** A short id: 1 to 128 characters, letters, digits and `.`, `_`, `:`, `-`. */
function isShortId(v: unknown): boolean {
  if (typeof v !== 'string' || v.length < 1 || v.length > 128) return false;
  for (const c of v) if (!'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-'.includes(c)) return false;
  return true;
}

/** The longest `exportPng` data URL a view may send (the protocol's limit, in characters). */
const MAX_PNG_URL = 16 * 1024 * 1024;
const PNG_PREFIX = 'data:image/png;base64,';
/** The PNG signature (89 50 4E 47 0D 0A 1A 0A) in base64, as the first characters of the body. */
const PNG_SIGNATURE_B64 = 'iVBORw0KGgo';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function isPngUrl(v: unknown): boolean {
  if (typeof v !== 'string' || v.length > MAX_PNG_URL || !v.startsWith(PNG_PREFIX)) return false;
  const body = v.slice(PNG_PREFIX.length);
  if (body.length === 0 || body.length % 4 !== 0 || !body.startsWith(PNG_SIGNATURE_B64)) return false;
  const pad = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  if (pad === body.length) return false;
  for (const c of body.slice(0, body.length - pad)) if (!B64.includes(c)) return false;
  return true;
}

/** A y-axis bound: a finite number of magnitude at most 1e300. */
const isBound = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 1e300;

/** Field rules per message type: `required` must be present and fit; `optional` fit when present. Other fields are ignored. */
type Rule = (v: unknown) => boolean;
const SHAPES: Record<string, { required?: Record<string, Rule>; optional?: Record<string, Rule> }> = {
  attach: { optional: { output: isShortId } },
  detach: {},
  visibility: { required: { visible: (v) => v === true || v === false } },
  setPeriod: { required: { periodMs: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0 } },
  setPoints: { required: { points: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 100_000_000 } },
  pause: {},
  resume: {},
  close: {},
  start: { required: { output: isShortId } },
  setYRange: { required: { yRange: (v) => v === 'auto' || (Array.isArray(v) && v.length === 2 && isBound(v[0]) && isBound(v[1]) && v[0] < v[1]) } },
  exportCsv: {},
  exportPng: { required: { dataUrl: isPngUrl }, optional: { requestId: isShortId } },
};

/** The message types of the protocol (view → host), as this table knows them. */
export const ORACLE_TYPES: readonly string[] = Object.keys(SHAPES);

/** The expected verdict on a delivered message: valid (with its type), or invalid with the kind the host logs it under. */
export type Verdict = { readonly valid: true; readonly type: string } | { readonly valid: false; readonly kind: string };

/** What the host must decide about `m` (a JSON value as delivered by a transport). */
export function expectedVerdict(m: unknown): Verdict {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return { valid: false, kind: '(not an object)' };
  const o = m as Record<string, unknown>;
  const type = o.type;
  if (typeof type !== 'string') return { valid: false, kind: '(no type)' };
  const shape = Object.prototype.hasOwnProperty.call(SHAPES, type) ? SHAPES[type] : undefined;
  if (!shape) return { valid: false, kind: `unknown:${type.slice(0, 32)}` };
  if (!isShortId(o.viewId)) return { valid: false, kind: type };
  for (const [field, fits] of Object.entries(shape.required ?? {})) if (!(field in o) || !fits(o[field])) return { valid: false, kind: type };
  for (const [field, fits] of Object.entries(shape.optional ?? {})) if (o[field] !== undefined && !fits(o[field])) return { valid: false, kind: type };
  return { valid: true, type };
}
