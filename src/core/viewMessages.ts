import { isPeriodRequest } from '../shared/limits';
import { MAX_PNG_DATA_URL_LENGTH, PNG_DATA_URL_PREFIX, VIEW_TO_HOST_TYPES, ViewToHostMessage, ViewToHostType } from '../shared/protocol';

/** Result of checking an untrusted message from a view. */
export type ParsedViewMessage =
  | { readonly ok: true; readonly message: ViewToHostMessage }
  | { readonly ok: false; readonly kind: string; readonly error: string };

const MAX_ID_LENGTH = 128;
const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
const KNOWN = new Set<string>(VIEW_TO_HOST_TYPES);

function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH && ID_PATTERN.test(v);
}

/** A y-axis bound: finite, and small enough that max - min cannot overflow. */
function isBound(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 1e300;
}

const BASE64_BODY = /^[A-Za-z0-9+/]+={0,2}$/;

/** `data:image/png;base64,` + base64 whose bytes start with the PNG signature, within the size limit. */
export function isPngDataUrl(v: unknown): v is string {
  if (typeof v !== 'string' || v.length > MAX_PNG_DATA_URL_LENGTH || !v.startsWith(PNG_DATA_URL_PREFIX)) return false;
  const body = v.slice(PNG_DATA_URL_PREFIX.length);
  // "iVBORw0KGgo" is the base64 of the 8-byte PNG signature.
  return body.length % 4 === 0 && body.startsWith('iVBORw0KGgo') && BASE64_BODY.test(body);
}

function fail(kind: string, error: string): ParsedViewMessage {
  return { ok: false, kind, error };
}

/**
 * Validates a message from a panel page or a notebook renderer. Views are
 * untrusted: anything that does not fit exactly is rejected, never thrown.
 * The returned message is a fresh object holding only the known fields.
 */
export function parseViewMessage(raw: unknown): ParsedViewMessage {
  try {
    return parseFields(raw);
  } catch {
    // A getter or proxy that throws: impossible over the JSON transports, never thrown all the same.
    return fail('(unreadable)', 'message fields cannot be read');
  }
}

function parseFields(raw: unknown): ParsedViewMessage {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('(not an object)', 'message is not an object');
  const m = raw as Record<string, unknown>;
  let type: unknown;
  let viewId: unknown;
  try {
    type = m.type;
    viewId = m.viewId;
  } catch {
    return fail('(unreadable)', 'message fields cannot be read');
  }
  if (typeof type !== 'string' || !KNOWN.has(type)) {
    // Never String(type): a hostile value (e.g. [{ "toString": 1 }]) throws when converted.
    const shown = typeof type === 'string' ? JSON.stringify(type.slice(0, 60)) : `(${type === null ? 'null' : Array.isArray(type) ? 'an array' : typeof type})`;
    return fail(typeof type === 'string' ? `unknown:${type.slice(0, 32)}` : '(no type)', `unknown message type ${shown}`);
  }
  const t = type as ViewToHostType;
  if (!isId(viewId)) return fail(t, 'viewId must be a short id string');
  switch (t) {
    case 'attach': {
      const output = m.output;
      if (output === undefined) return { ok: true, message: { type: t, viewId } };
      if (!isId(output)) return fail(t, 'output must be a short id string');
      return { ok: true, message: { type: t, viewId, output } };
    }
    case 'start': {
      const output = m.output;
      if (!isId(output)) return fail(t, 'output must be a short id string');
      return { ok: true, message: { type: t, viewId, output } };
    }
    case 'detach':
    case 'pause':
    case 'resume':
    case 'close':
      return { ok: true, message: { type: t, viewId } };
    case 'visibility':
      if (typeof m.visible !== 'boolean') return fail(t, 'visible must be a boolean');
      return { ok: true, message: { type: t, viewId, visible: m.visible } };
    case 'setPeriod': {
      const p = m.periodMs;
      // Any positive finite request is taken; the session clamps it (src/shared/limits.ts).
      if (!isPeriodRequest(p)) return fail(t, 'periodMs must be a positive number');
      return { ok: true, message: { type: t, viewId, periodMs: p } };
    }
    case 'setPoints': {
      const p = m.points;
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 100_000_000) return fail(t, 'points must be a positive whole number');
      return { ok: true, message: { type: t, viewId, points: p } };
    }
    case 'setYRange': {
      const r = m.yRange;
      if (r === 'auto') return { ok: true, message: { type: t, viewId, yRange: 'auto' } };
      if (!Array.isArray(r) || r.length !== 2) return fail(t, 'yRange must be "auto" or [min, max]');
      const [min, max] = r as unknown[];
      if (!isBound(min) || !isBound(max) || !(min < max)) return fail(t, 'yRange must be [min, max] of finite numbers with min < max');
      return { ok: true, message: { type: t, viewId, yRange: [min, max] } };
    }
    case 'exportCsv':
      return { ok: true, message: { type: t, viewId } };
    case 'exportPng': {
      const url = m.dataUrl;
      if (!isPngDataUrl(url)) return fail(t, `dataUrl must be a ${PNG_DATA_URL_PREFIX}… URL of at most ${MAX_PNG_DATA_URL_LENGTH} characters`);
      const requestId = m.requestId;
      if (requestId === undefined) return { ok: true, message: { type: t, viewId, dataUrl: url } };
      if (!isId(requestId)) return fail(t, 'requestId must be a short id string');
      return { ok: true, message: { type: t, viewId, dataUrl: url, requestId } };
    }
    default: {
      const never: never = t;
      return fail(String(never), 'unhandled type');
    }
  }
}

/** Logs each kind of invalid message once, so that a noisy view cannot flood the log. */
export class InvalidMessageLog {
  private readonly seen = new Set<string>();
  private dropped = 0;

  constructor(private readonly log: (line: string) => void, private readonly maxKinds = 100) {}

  /** Counts an invalid message and logs it if its kind is new. */
  report(source: string, parsed: { kind: string; error: string }): void {
    this.dropped++;
    const key = `${source}|${parsed.kind}`;
    if (this.seen.has(key) || this.seen.size >= this.maxKinds) return;
    this.seen.add(key);
    this.log(`Ignored an invalid message from ${source} (${parsed.kind}): ${parsed.error}`);
  }

  get count(): number {
    return this.dropped;
  }
}
