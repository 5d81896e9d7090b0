import { HTTP_MAX_BODY_BYTES } from '../../shared/limits';
import * as http from 'node:http';
import * as https from 'node:https';
import { optionNames, type ResourceCounters, type Source, type SourceContext, type SourceFactory, type SourceKindDescriptor, type SourceOptionsSchema, type SourceSink } from '../source';
import type { SourceSpec } from '../spec';
import { redactUrl, redactText } from '../redact';
import { untrustedMessage } from './command';
import { cut, keysOf, str } from './previewText';
import { checkKnownOptions, errorCode, integerOption, stringMapOption, stringOption } from './common';

/** Timeout when the spec gives none (further capped at 80 % of the period). */
export const HTTP_DEFAULT_TIMEOUT_MS = 2000;
/** Largest response body read. */
export { HTTP_MAX_BODY_BYTES };
/** Most paths per source (the session plots at most 64 series). */
const MAX_PATHS = 64;

/** One step of a path: an object key or an array index. */
export type PathStep = string | number;

/**
 * Parses a simple path: keys separated by `.`, array indexes in brackets,
 * quoted keys in brackets for names with dots: `temperature`, `pumps[0].pressure`,
 * `data["a.b"]`, `[2].value`, `pumps.0.pressure`. Throws on bad syntax.
 */
export function parsePath(p: string): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  const n = p.length;
  const fail = (why: string): never => {
    throw new Error(`invalid path ${JSON.stringify(p)}: ${why}`);
  };
  if (n === 0) fail('it is empty');
  let needKey = p[0] !== '[';
  while (i < n) {
    if (needKey) {
      let j = i;
      while (j < n && p[j] !== '.' && p[j] !== '[') j++;
      if (j === i) fail(`a key is missing at position ${i + 1}`);
      steps.push(p.slice(i, j).trim());
      i = j;
      needKey = false;
    } else if (p[i] === '.') {
      i++;
      if (i >= n) fail('it ends with "."');
      needKey = true;
    } else if (p[i] === '[') {
      const q = p[i + 1];
      if (q === '"' || q === "'") {
        const close = p.indexOf(q, i + 2);
        if (close < 0 || p[close + 1] !== ']') fail(`unclosed quote at position ${i + 2}`);
        steps.push(p.slice(i + 2, close));
        i = close + 2;
      } else {
        const close = p.indexOf(']', i + 1);
        if (close < 0) fail(`unclosed "[" at position ${i + 1}`);
        const idx = p.slice(i + 1, close).trim();
        if (!/^\d{1,9}$/.test(idx)) fail(`"[${idx}]" is not an array index`);
        steps.push(Number(idx));
        i = close + 1;
      }
    } else {
      fail(`unexpected ${JSON.stringify(p[i])} at position ${i + 1}`);
    }
  }
  return steps;
}

/** Follows `steps` into `value`; `undefined` if a step is missing. */
export function pick(value: unknown, steps: readonly PathStep[]): unknown {
  let cur = value;
  for (const step of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      const idx = typeof step === 'number' ? step : /^\d+$/.test(step) ? Number(step) : -1;
      if (idx < 0 || idx >= cur.length) return undefined;
      cur = cur[idx];
    } else {
      const key = String(step);
      if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
      cur = (cur as Record<string, unknown>)[key];
    }
  }
  return cur;
}

/** A JSON value as a plottable number: finite numbers, numeric strings, booleans (1/0); else `undefined`. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

interface HttpOptions {
  readonly url: URL;
  readonly series: readonly { readonly name: string; readonly path: string; readonly steps: readonly PathStep[] }[];
  readonly timeoutMs: number;
  readonly headers: Record<string, string> | undefined;
}

/**
 * Polls a JSON endpoint once a period (at the session tick) and plots numbers
 * picked by paths, all at the tick's time. A tick that finds the previous poll
 * still running is skipped, so polls never overlap. The timeout is `timeoutMs`
 * (default {@link HTTP_DEFAULT_TIMEOUT_MS}) capped at 80 % of the measured
 * interval between ticks, so it is always shorter than the period.
 * One deadline covers each whole exchange, headers and body, whatever the
 * status: past it the request is destroyed, so a server that never ends a body
 * cannot stop the polling. Non-2xx, timeouts, unreachable servers and invalid
 * JSON set the error state, cleared by the next good poll; paths that find no
 * number are counted malformed and named in the status. Each request uses its
 * own connection (no keep-alive pool), counted in `resources.sockets` while it
 * is open. Needs a trusted workspace. Status, log and `endpoint` show the URL
 * without credentials or secret query values, never header values or the body.
 */
export class HttpSource implements Source {
  readonly mode = 'append' as const;
  readonly endpoint: string;
  /** The URL as shown (status, log, endpoint): without credentials or secret query values. */
  private readonly label: string;
  private sink: SourceSink | undefined;
  private request: http.ClientRequest | undefined;
  private lastTick: number | undefined;
  private interval: number | undefined;
  private disposed = false;
  private errorShown = false;
  private statusShown = false;
  /** Polls started, and ticks skipped because one was still running (for tests and Show Info). */
  readonly stats = { polls: 0, skipped: 0 };

  constructor(
    private readonly opts: HttpOptions,
    private readonly resources: ResourceCounters,
  ) {
    this.label = redactUrl(opts.url);
    this.endpoint = `GET ${this.label} → ${opts.series.map((s) => (s.name === s.path ? s.path : `${s.name} = ${s.path}`)).join(', ')}`;
  }

  start(sink: SourceSink): void {
    if (!this.disposed) this.sink = sink;
  }

  /** The timeout the next poll will use. */
  get timeoutMs(): number {
    const cap = this.interval !== undefined && this.interval > 0 ? Math.floor(this.interval * 0.8) : Infinity;
    return Math.max(1, Math.min(this.opts.timeoutMs, cap));
  }

  tick(now: number): void {
    if (this.lastTick !== undefined && now > this.lastTick) this.interval = now - this.lastTick;
    this.lastTick = now;
    if (!this.sink || this.disposed) return;
    if (this.request) {
      this.stats.skipped++;
      return;
    }
    this.poll(now);
  }

  private poll(at: number): void {
    const url = this.opts.url;
    const label = this.label;
    const timeout = this.timeoutMs;
    const get = url.protocol === 'https:' ? https.get : http.get;
    let settled = false;
    let timedOut = false;
    let gotHeaders = false;
    const finish = (error: string | undefined, body?: Buffer, contentType?: string): void => {
      if (settled) return;
      settled = true;
      if (this.disposed || !this.sink) return;
      if (error !== undefined) return this.showError(error);
      this.take(body!, contentType, at);
    };
    let req: http.ClientRequest;
    try {
      req = get(url, {
        agent: false,
        headers: { accept: 'application/json', 'user-agent': 'live-plot-sessions', ...this.opts.headers },
      });
    } catch (e) {
      // Node's messages may quote header values: say only what kind of failure it was.
      this.showError(`cannot request ${label}: ${errorCode(e) ?? 'invalid request'}`);
      return;
    }
    this.stats.polls++;
    this.request = req;
    this.resources.sockets++;
    let released = false;
    // One deadline for the whole exchange, headers and body, whatever the status:
    // when it passes the request is destroyed, so the next tick can poll again.
    const timer = setTimeout(() => {
      timedOut = true;
      finish(gotHeaders ? `the response from ${label} did not end within ${timeout} ms` : `no response from ${label} within ${timeout} ms`);
      req.destroy();
    }, timeout);
    timer.unref?.();
    req.on('close', () => {
      clearTimeout(timer);
      if (!released) {
        released = true;
        this.resources.sockets--;
      }
      if (this.request === req) this.request = undefined;
      finish(`connection to ${label} closed early`);
    });
    req.on('error', (e) => {
      if (timedOut) return;
      const code = errorCode(e);
      if (code === 'ECONNREFUSED') return finish(`cannot reach ${label}: connection refused (is the server running?)`);
      finish(`cannot reach ${label}: ${redactText(e.message)}`);
    });
    req.on('response', (res) => {
      gotHeaders = true;
      res.on('error', () => undefined); // reported through req 'close'/'error'
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        finish(`HTTP ${status}${res.statusMessage ? ` ${printable(res.statusMessage, 60)}` : ''} from ${label}`);
        // The body is not needed: end the exchange now rather than wait for a body that may never end.
        req.destroy();
        return;
      }
      const contentType = res.headers['content-type'];
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (settled) return;
        size += c.length;
        if (size > HTTP_MAX_BODY_BYTES) {
          finish(`the response of ${label} is larger than ${HTTP_MAX_BODY_BYTES / 1024 / 1024} MB`);
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        finish(undefined, Buffer.concat(chunks), contentType);
        req.destroy(); // a server that keeps the connection open must not hold the next poll
      });
    });
  }

  /** A 2xx body: parse, pick, record. */
  private take(body: Buffer, contentType: string | undefined, at: number): void {
    const sink = this.sink!;
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      // JSON.parse quotes the body in its message: never show that (it may hold anything).
      const type = contentType ? `content-type ${printable(contentType, 60)}` : 'no content-type';
      return this.showError(`invalid JSON from ${this.label}: response is not JSON (${body.length} bytes, ${type})`);
    }
    const missing: string[] = [];
    for (const s of this.opts.series) {
      const v = toNumber(pick(json, s.steps));
      if (v === undefined) missing.push(s.name === s.path ? s.path : `${s.name} (${s.path})`);
      else sink.sample(s.name, at, v);
    }
    if (this.errorShown) {
      this.errorShown = false;
      sink.error(undefined);
    }
    if (missing.length > 0) {
      sink.malformed(missing.length, missing.join(', '));
      this.statusShown = true;
      sink.status(`no number at ${missing.join(', ')}`);
    } else if (this.statusShown) {
      this.statusShown = false;
      sink.status(undefined);
    }
  }

  private showError(message: string): void {
    this.errorShown = true;
    this.sink?.error(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.sink = undefined;
    // The socket count falls when the aborted request closes.
    this.request?.destroy();
  }
}

/** What the http source does, in its refusal in an untrusted workspace. */
export const HTTP_UNTRUSTED = 'makes network requests';

/** The kind's options as the JSON schema of the spec states them; the factory accepts exactly these. */
const HTTP_SCHEMA: SourceOptionsSchema = {
  markdownDescription: 'Polls a JSON endpoint once a period and plots numbers picked by path. Options: `url`, `paths`, `timeoutMs`, `headers`.',
  properties: {
    url: {
      type: 'string',
      pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
      markdownDescription: 'An `http://` or `https://` JSON endpoint, polled once a period.',
    },
    paths: {
      markdownDescription: 'The numbers to plot: `["temperature"]`, or series names mapped to paths: `{ "p1": "pumps[0].pressure" }`.',
      anyOf: [
        { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: MAX_PATHS },
        { type: 'object', additionalProperties: { type: 'string', minLength: 1 }, minProperties: 1, maxProperties: MAX_PATHS },
      ],
    },
    timeoutMs: {
      type: 'integer',
      minimum: 1,
      maximum: 60000,
      default: HTTP_DEFAULT_TIMEOUT_MS,
      markdownDescription: 'Request timeout (ms), further capped at 80 % of the period.',
    },
    headers: { type: 'object', additionalProperties: { type: 'string' }, markdownDescription: 'Extra request headers.' },
  },
  required: ['url', 'paths'],
};

/** Factory of `http` sources. */
export const createHttpSource: SourceFactory = (spec: SourceSpec, ctx: SourceContext) => {
  if (!ctx.workspaceTrusted) throw new Error(untrustedMessage('http', HTTP_UNTRUSTED));
  checkKnownOptions(spec, 'http', optionNames(HTTP_SCHEMA));
  const raw = stringOption(spec, 'url', true);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`source.url is not a valid URL: ${JSON.stringify(redactText(raw).slice(0, 200))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`source.url must be an http:// or https:// URL, got ${printable(url.protocol, 20)}`);
  }
  const paths = spec.paths;
  const entries: [string, unknown][] = Array.isArray(paths)
    ? paths.map((p) => [typeof p === 'string' ? p : '', p])
    : typeof paths === 'object' && paths !== null
      ? Object.entries(paths as Record<string, unknown>)
      : [];
  if (entries.length === 0) {
    throw new Error('source.paths must name the numbers to plot: ["temperature"] or { "temp": "pumps[0].pressure" }');
  }
  if (entries.length > MAX_PATHS) throw new Error(`source.paths has more than ${MAX_PATHS} entries`);
  const series = entries.map(([name, p]) => {
    if (typeof p !== 'string' || name.trim() === '') throw new Error('source.paths entries must be non-empty strings');
    try {
      return { name, path: p, steps: parsePath(p) };
    } catch (e) {
      throw new Error(`source.paths: ${(e as Error).message}`);
    }
  });
  const timeoutMs = integerOption(spec, 'timeoutMs', 1, 60_000) ?? HTTP_DEFAULT_TIMEOUT_MS;
  const headers = stringMapOption(spec, 'headers');
  for (const [name, value] of Object.entries(headers ?? {})) {
    // Checked here so that Node's own messages, which quote the value, are never shown.
    try {
      http.validateHeaderName(name);
    } catch {
      throw new Error(`source.headers: ${JSON.stringify(printable(name, 60))} is not a valid header name`);
    }
    try {
      http.validateHeaderValue(name, value);
    } catch {
      throw new Error(`source.headers.${printable(name, 60)} has characters a header value cannot hold (its value is not shown)`);
    }
  }
  return new HttpSource({ url, series, timeoutMs, headers }, ctx.resources);
};

/** A server- or user-given text made safe for one status line: printable ASCII, at most `max` characters. */
function printable(text: string, max: number): string {
  const t = text.replace(/[^\x20-\x7e]/g, '?');
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** The `http` kind. It refuses restricted mode in its factory too. */
export const httpSourceKind: SourceKindDescriptor = {
  kind: 'http',
  label: 'http',
  description: 'polls a JSON endpoint once a period',
  needsTrust: true,
  untrustedReason: HTTP_UNTRUSTED,
  seriesBound: (s) => {
    const p = s.paths;
    return Array.isArray(p) ? p.length : p !== null && typeof p === 'object' ? Object.keys(p).length : 64;
  },
  preview: (source) => {
    const out = [`Polls the URL once a period: ${cut(str(source.url) ?? '(no url)')}`];
    const names = keysOf(source.headers);
    if (names.length) out.push(`With the headers: ${cut(names.join(', '))}`);
    return out;
  },
  factory: createHttpSource,
  schema: HTTP_SCHEMA,
};
