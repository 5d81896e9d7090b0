import { VIEW_TO_HOST_TYPES, ViewToHostMessage, ViewToHostType } from '../shared/protocol';

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

function fail(kind: string, error: string): ParsedViewMessage {
  return { ok: false, kind, error };
}

/**
 * Validates a message from a panel page or a notebook renderer. Views are
 * untrusted: anything that does not fit exactly is rejected, never thrown.
 * The returned message is a fresh object holding only the known fields.
 */
export function parseViewMessage(raw: unknown): ParsedViewMessage {
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
    return fail(typeof type === 'string' ? `unknown:${type.slice(0, 32)}` : '(no type)', `unknown message type ${JSON.stringify(String(type)).slice(0, 60)}`);
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
      if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0 || p > 3_600_000) return fail(t, 'periodMs must be a positive number');
      return { ok: true, message: { type: t, viewId, periodMs: p } };
    }
    case 'setPoints': {
      const p = m.points;
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 100_000_000) return fail(t, 'points must be a positive whole number');
      return { ok: true, message: { type: t, viewId, points: p } };
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
