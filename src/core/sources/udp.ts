import * as dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Clock } from '../clock';
import type { IDisposable } from '../../shared/lifecycle';
import { TeleplotParser } from '../parsers/teleplot';
import { optionNames, type ResourceCounters, type Source, type SourceContext, type SourceFactory, type SourceKindDescriptor, type SourceOptionsSchema, type SourceSink } from '../source';
import type { SourceSpec } from '../spec';
import { checkKnownOptions, compileGlobs, errorCode, globOption, integerOption, MalformedReport, stringOption } from './common';
import { errorMessage } from '../errors';
import { cut, str } from './previewText';

import { DEFAULT_UDP_ADDRESS, DEFAULT_UDP_PORT } from '../../shared/limits';

/** Teleplot's default address and port (see `src/shared/limits.ts`). */
export { DEFAULT_UDP_ADDRESS, DEFAULT_UDP_PORT };

/** Asked of the OS for every shared socket, so that bursts are not dropped while the host is busy (capped by the OS). */
export const UDP_RECV_BUFFER_BYTES = 8 * 1024 * 1024;
/** A socket that failed to bind is tried again, at a session tick, at most this often. */
export const UDP_RETRY_MS = 5000;
/** Names whose routes are remembered per socket before the cache starts over. */
const ROUTE_CACHE_LIMIT = 4096;

/** Where the shared socket listens. */
export interface UdpAddress {
  readonly address: string;
  readonly port: number;
}

/** One session listening on a shared socket. */
interface Subscriber {
  readonly sink: SourceSink;
  readonly matches: (name: string) => boolean;
  readonly malformed: MalformedReport;
}

/** A session's membership of a shared socket. */
export interface UdpSubscription extends IDisposable {
  /** Tries to bind again if binding failed and {@link UDP_RETRY_MS} have passed. */
  retry(now: number): void;
}

/**
 * The UDP sockets of one registry: one socket per address:port, shared by every
 * session that uses it, opened for the first and closed when the last one leaves.
 * No module-level state: each registry has its own hub. A socket is counted in
 * the `resources` (and timed with the clock) of the session that opened it.
 */
export class UdpHub {
  private readonly endpoints = new Map<string, UdpEndpoint>();

  constructor(private readonly log: (line: string) => void = () => undefined) {}

  /** Joins the socket of `at` (opening it if needed); the result leaves it. */
  subscribe(at: UdpAddress, sink: SourceSink, matches: (name: string) => boolean, ctx: Pick<SourceContext, 'clock' | 'resources'>): UdpSubscription {
    const key = `${at.address}|${at.port}`;
    let ep = this.endpoints.get(key);
    if (!ep) {
      ep = new UdpEndpoint(at, ctx.clock, ctx.resources, this.log, () => this.endpoints.delete(key));
      this.endpoints.set(key, ep);
    }
    return ep.add({ sink, matches, malformed: new MalformedReport() });
  }

  /** Sockets open now (bound or binding). */
  get openSockets(): number {
    let n = 0;
    for (const ep of this.endpoints.values()) if (ep.isOpen) n++;
    return n;
  }
}

/** One shared socket and its subscribers. */
class UdpEndpoint {
  private readonly subscribers = new Set<Subscriber>();
  /** Series name → the subscribers whose `match` accepts it. */
  private readonly routes = new Map<string, Subscriber[]>();
  private readonly parser: TeleplotParser;
  private socket: dgram.Socket | undefined;
  private error: string | undefined;
  private lastAttempt = -Infinity;
  private loggedText = false;
  private readonly label: string;

  constructor(
    private readonly at: UdpAddress,
    private readonly clock: Clock,
    private readonly resources: ResourceCounters,
    private readonly log: (line: string) => void,
    private readonly onEmpty: () => void,
  ) {
    this.label = `${at.address}:${at.port}`;
    this.parser = new TeleplotParser(this.onSample);
  }

  get isOpen(): boolean {
    return this.socket !== undefined;
  }

  add(sub: Subscriber): UdpSubscription {
    this.subscribers.add(sub);
    this.routes.clear();
    if (this.error !== undefined) sub.sink.error(this.error);
    // A new session after a failure is a good moment to try again (the port may be free now).
    if (!this.socket) this.open();
    let left = false;
    return {
      retry: (now) => {
        if (!left && !this.socket && this.error !== undefined && now - this.lastAttempt >= UDP_RETRY_MS) this.open();
      },
      dispose: () => {
        if (left) return;
        left = true;
        this.subscribers.delete(sub);
        this.routes.clear();
        if (this.subscribers.size === 0) {
          this.close();
          this.onEmpty();
        }
      },
    };
  }

  private open(): void {
    this.lastAttempt = this.clock.now();
    let socket: dgram.Socket;
    try {
      socket = dgram.createSocket({ type: isIPv6(this.at.address) ? 'udp6' : 'udp4' });
    } catch (e) {
      this.setError(`UDP socket for ${this.label} could not be created: ${errorMessage(e)}`);
      return;
    }
    this.socket = socket;
    this.resources.sockets++;
    socket.on('error', (e) => this.onSocketError(socket, e));
    socket.on('listening', () => {
      if (socket !== this.socket) return;
      try {
        socket.setRecvBufferSize(UDP_RECV_BUFFER_BYTES);
      } catch (e) {
        this.log(`UDP ${this.label}: could not enlarge the receive buffer: ${errorMessage(e)}`);
      }
      this.log(`UDP: listening on ${this.label}`);
      this.setError(undefined);
    });
    socket.on('message', this.onMessage);
    try {
      socket.bind(this.at.port, this.at.address);
    } catch (e) {
      this.onSocketError(socket, e);
    }
  }

  private onSocketError(socket: dgram.Socket, e: unknown): void {
    if (socket !== this.socket) return;
    this.close();
    this.setError(describeSocketError(this.at, e));
    this.log(`UDP ${this.label}: ${errorMessage(e)}`);
  }

  /** Closes the socket (if open) and counts it closed, exactly once. */
  private close(): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
    this.resources.sockets--;
    socket.removeListener('message', this.onMessage);
    // Keep an error listener: a late error must never become an uncaught exception.
    socket.on('error', () => undefined);
    try {
      socket.close();
    } catch {
      // Already closed (e.g. after a failed bind in some Node versions).
    }
    if (this.subscribers.size === 0) this.log(`UDP: closed ${this.label}`);
  }

  private setError(message: string | undefined): void {
    if (this.error === message) return;
    this.error = message;
    for (const s of this.subscribers) s.sink.error(message);
  }

  /** The hot path: one packet of Teleplot lines. */
  private readonly onMessage = (msg: Buffer): void => {
    const p = this.parser;
    const m0 = p.malformed;
    const t0 = p.text;
    p.parse(msg.toString('utf8'), this.clock.now());
    if (p.malformed !== m0) {
      for (const s of this.subscribers) s.malformed.report(s.sink, p.malformed - m0, p.lastMalformed);
    }
    if (p.text !== t0 && !this.loggedText) {
      this.loggedText = true;
      this.log(`UDP ${this.label}: text telemetry (|t), logs (>:…), commands and 3D/image lines are not plotted (skipped).`);
    }
  };

  private readonly onSample = (name: string, x: number, y: number): void => {
    let route = this.routes.get(name);
    if (route === undefined) {
      route = [];
      for (const s of this.subscribers) if (s.matches(name)) route.push(s);
      if (this.routes.size >= ROUTE_CACHE_LIMIT) this.routes.clear();
      this.routes.set(name, route);
    }
    for (let i = 0; i < route.length; i++) route[i]!.sink.sample(name, x, y);
  };
}

/** A clear message for a bind failure. */
function describeSocketError(at: UdpAddress, e: unknown): string {
  const code = errorCode(e);
  const msg = errorMessage(e);
  switch (code) {
    case 'EADDRINUSE':
      return `UDP port ${at.port} on ${at.address} is busy: another program (or another VS Code window) is using it. Stop it, or use another port (setting livePlot.udp.port or "port" in the spec). (${msg})`;
    case 'EACCES':
    case 'EPERM':
      return `UDP port ${at.port} on ${at.address} cannot be used: permission denied (${msg})`;
    case 'EADDRNOTAVAIL':
      return `UDP address ${at.address} is not an address of this machine (port ${at.port}): ${msg}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `UDP address "${at.address}" could not be resolved: ${msg}`;
    default:
      return `UDP socket ${at.address}:${at.port} failed: ${msg}`;
  }
}

interface UdpOptions extends UdpAddress {
  readonly match: readonly string[];
  /** The address the spec asked for, when restricted mode replaced it with loopback. */
  readonly refusedAddress?: string;
}

/**
 * Teleplot telemetry received on a shared UDP socket, filtered by the
 * session's `match` globs. Push source: samples are recorded on arrival
 * (x = arrival time, or the line's timestamp) and shown once a period.
 */
export class UdpSource implements Source {
  readonly mode = 'append' as const;
  readonly endpoint: string;
  private subscription: UdpSubscription | undefined;
  private disposed = false;

  constructor(
    private readonly opts: UdpOptions,
    private readonly hub: UdpHub,
    private readonly ctx: Pick<SourceContext, 'clock' | 'resources'>,
  ) {
    const m = opts.match.join(', ');
    this.endpoint = `UDP ${opts.address}:${opts.port}${m === '*' ? '' : `, series matching ${m}`}`;
  }

  start(sink: SourceSink): void {
    if (this.disposed || this.subscription) return;
    if (this.opts.refusedAddress !== undefined) {
      const text = restrictedAddressMessage(this.opts.refusedAddress, this.opts.address);
      sink.status(text);
      sink.log(text);
    }
    this.subscription = this.hub.subscribe(this.opts, sink, compileGlobs(this.opts.match), this.ctx);
  }

  tick(now: number): void {
    this.subscription?.retry(now);
  }

  dispose(): void {
    this.disposed = true;
    this.subscription?.dispose();
    this.subscription = undefined;
  }
}

/** The kind's options as the JSON schema of the spec states them; the factory accepts exactly these. */
const UDP_SCHEMA: SourceOptionsSchema = {
  markdownDescription: 'Telemetry lines in the Teleplot text format (`name:value`) on a shared UDP socket, default 127.0.0.1:47269. Options: `address`, `port`, `match`.',
  properties: {
    address: {
      type: 'string',
      minLength: 1,
      default: DEFAULT_UDP_ADDRESS,
      markdownDescription: 'Address to listen on; default `livePlot.udp.address`. `0.0.0.0` accepts other machines.',
    },
    port: {
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      default: DEFAULT_UDP_PORT,
      markdownDescription: 'UDP port; default `livePlot.udp.port` (Teleplot\'s 47269).',
    },
    match: {
      markdownDescription: 'Series to plot: a glob such as `"pump*"` (several separated by `,`) or an array of globs. Default: every series.',
      default: '*',
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    },
  },
};

/** Factory of `udp` sources on `hub`; `defaults` gives the settings' address and port. */
export function udpSourceFactory(hub: UdpHub, defaults: () => UdpAddress | undefined = () => undefined): SourceFactory {
  return (spec: SourceSpec, ctx: SourceContext) => {
    checkKnownOptions(spec, 'udp', optionNames(UDP_SCHEMA));
    const d = sanitizeDefaults(defaults());
    const asked = stringOption(spec, 'address')?.trim();
    const port = integerOption(spec, 'port', 1, 65535) ?? d.port;
    const match = globOption(spec, 'match');
    // An untrusted notebook or workspace must not open a listener to the network:
    // its own address gives way to loopback (the settings' address is the user's).
    if (asked !== undefined && !ctx.workspaceTrusted && !isLoopback(asked)) {
      return new UdpSource({ address: DEFAULT_UDP_ADDRESS, port, match, refusedAddress: asked }, hub, ctx);
    }
    return new UdpSource({ address: asked ?? d.address, port, match }, hub, ctx);
  };
}

/** What the status and the log say when restricted mode replaced a spec's address. */
export function restrictedAddressMessage(asked: string, bound: string): string {
  return `restricted mode: listening on ${bound} only, not on ${asked.slice(0, 100)} as the spec asks (trust this workspace to listen on other addresses)`;
}

/** Whether `address` names this machine's loopback interface only. */
export function isLoopback(address: string): boolean {
  const a = address.toLowerCase();
  return a === 'localhost' || a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

function sanitizeDefaults(d: UdpAddress | undefined): UdpAddress {
  const address = typeof d?.address === 'string' && d.address.trim() ? d.address.trim() : DEFAULT_UDP_ADDRESS;
  const port = typeof d?.port === 'number' && Number.isInteger(d.port) && d.port >= 1 && d.port <= 65535 ? d.port : DEFAULT_UDP_PORT;
  return { address, port };
}

/**
 * The `udp` kind on `hub`; `defaults` gives the settings' address and port.
 * Restricted mode binds loopback only (see the factory), so it needs no trust.
 */
export function udpSourceKind(hub: UdpHub, defaults: () => UdpAddress | undefined = () => undefined): SourceKindDescriptor {
  return {
    kind: 'udp',
    label: 'udp',
    get description() {
      const d = sanitizeDefaults(defaults());
      return `telemetry lines (Teleplot format) on UDP ${d.address}:${d.port}`;
    },
    needsTrust: false,
    preview: (source, env) => {
      const asked = str(source.address);
      const port = typeof source.port === 'number' ? source.port : env.udp.port;
      const match = source.match === undefined ? 'every series' : `series matching ${cut(JSON.stringify(source.match))}`;
      if (asked !== undefined && !env.trusted && !isLoopback(asked)) {
        return [`Listens for UDP telemetry on port ${port} of 127.0.0.1 (not ${asked.slice(0, 100)}: restricted mode listens on loopback only) (${match}).`];
      }
      return [`Listens for UDP telemetry on ${asked ?? env.udp.address}:${port} (${match}).`];
    },
    factory: udpSourceFactory(hub, defaults),
    inNewSession: true,
    schema: UDP_SCHEMA,
  };
}
