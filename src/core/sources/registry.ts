import { Emitter } from '../../shared/event';
import { IDisposable, toDisposable } from '../../shared/lifecycle';
import type { SourceFactory } from '../source';
import { createApiSource } from './api';
import { COMMAND_UNTRUSTED, commandSourceFactory, untrustedMessage } from './command';
import { FILE_UNTRUSTED, fileSourceFactory } from './file';
import { createHttpSource, HTTP_UNTRUSTED } from './http';
import { createRandomSource } from './random';
import { createSineSource } from './sine';
import { UdpAddress, UdpHub, udpSourceFactory } from './udp';

/** How a source kind is registered. */
export interface SourceKindOptions {
  /**
   * Whether the kind may only run in a trusted workspace (it runs programs, reads
   * files, reaches the network…). Absent means true: only a kind that declares
   * `false` runs in restricted mode.
   */
  readonly needsTrust?: boolean;
  /** What the kind does, for the refusal ("runs programs"); default: it comes from another extension and may do anything. */
  readonly untrustedReason?: string;
}

/** What the refusal says a kind registered by another extension may do. */
const THIRD_PARTY_WHAT = 'comes from another extension and may run programs, read files or reach the network';

/** Source kinds by name; other extensions add kinds through the API. */
export class SourceRegistry {
  private readonly factories = new Map<string, SourceFactory>();
  /** Kinds that need trust → what they do (for the refusal). */
  private readonly trustNeeded = new Map<string, string | undefined>();
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidChange = this._onDidChange.event;

  /** Registers `factory` for `kind`; the returned disposable removes it. */
  register(kind: string, factory: SourceFactory, options: SourceKindOptions = {}): IDisposable {
    if (typeof kind !== 'string' || !/^[a-z][a-z0-9._-]{0,63}$/i.test(kind)) {
      throw new Error(`Invalid source kind ${JSON.stringify(kind)}: use letters, digits, ".", "_" or "-"`);
    }
    if (typeof factory !== 'function') throw new Error(`Source kind "${kind}" needs a factory function`);
    if (this.factories.has(kind)) throw new Error(`Source kind "${kind}" is already registered`);
    const needsTrust = options?.needsTrust;
    if (needsTrust !== undefined && typeof needsTrust !== 'boolean') throw new Error(`Source kind "${kind}": needsTrust must be true or false`);
    this.factories.set(kind, factory);
    if (needsTrust !== false) {
      const why = typeof options.untrustedReason === 'string' && options.untrustedReason.trim() ? options.untrustedReason.trim().slice(0, 200) : THIRD_PARTY_WHAT;
      this.trustNeeded.set(kind, why);
    }
    this._onDidChange.fire();
    return toDisposable(() => {
      if (this.factories.get(kind) === factory) {
        this.factories.delete(kind);
        this.trustNeeded.delete(kind);
        this._onDidChange.fire();
      }
    });
  }

  get(kind: string): SourceFactory | undefined {
    return this.factories.get(kind);
  }

  /** Whether `kind` may run only in a trusted workspace (true for unknown kinds). */
  needsTrust(kind: string): boolean {
    return this.trustNeeded.has(kind) || !this.factories.has(kind);
  }

  /** Why `kind` cannot start in an untrusted workspace, or `undefined` if it can. */
  untrustedRefusal(kind: string, workspaceTrusted: boolean): string | undefined {
    if (workspaceTrusted || !this.needsTrust(kind)) return undefined;
    return untrustedMessage(kind, this.trustNeeded.get(kind) ?? THIRD_PARTY_WHAT);
  }

  get kinds(): string[] {
    return [...this.factories.keys()];
  }
}

/** What the built-in sources take from the host (settings, workspace). Read at each session's creation. */
export interface BuiltinSourceOptions {
  /** Default UDP address and port (settings `livePlot.udp.address` / `livePlot.udp.port`); a spec may override them. */
  readonly udp?: () => UdpAddress | undefined;
  /** Folder for `command` (its cwd) and relative `file` paths: the workspace folder. Default: the host's cwd. */
  readonly cwd?: () => string | undefined;
  /** Lines for the "Live Plot" output channel from shared parts (the UDP sockets). */
  readonly log?: (line: string) => void;
}

/** A registry with the built-in kinds; it owns its UDP hub (one socket per address:port). */
export function createBuiltinRegistry(options: BuiltinSourceOptions = {}): SourceRegistry {
  const r = new SourceRegistry();
  const hub = new UdpHub(options.log);
  r.register('random', createRandomSource, { needsTrust: false });
  r.register('sine', createSineSource, { needsTrust: false });
  // Restricted mode binds loopback only (see udpSourceFactory).
  r.register('udp', udpSourceFactory(hub, options.udp), { needsTrust: false });
  // These refuse restricted mode in their factories too, with the same messages.
  r.register('command', commandSourceFactory(options.cwd), { needsTrust: true, untrustedReason: COMMAND_UNTRUSTED });
  r.register('file', fileSourceFactory(options.cwd), { needsTrust: true, untrustedReason: FILE_UNTRUSTED });
  r.register('http', createHttpSource, { needsTrust: true, untrustedReason: HTTP_UNTRUSTED });
  r.register('api', createApiSource, { needsTrust: false });
  return r;
}
