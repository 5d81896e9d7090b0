import { Emitter } from '../../shared/event';
import { IDisposable, toDisposable } from '../../shared/lifecycle';
import type { SourceFactory, SourceKindDescriptor } from '../source';
import { apiSourceKind } from './api';
import { commandSourceKind, untrustedMessage } from './command';
import { fileSourceKind } from './file';
import { httpSourceKind } from './http';
import { randomSourceKind } from './random';
import { sineSourceKind } from './sine';
import { UdpAddress, UdpHub, udpSourceKind } from './udp';

/** How a source kind is registered through the API (`registerSource(kind, factory, options)`). */
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

/**
 * Source kinds by name, each with its descriptor: the factory, the trust gate,
 * the New Session picker and the schema read it from here. Other extensions add
 * kinds through the API.
 */
export class SourceRegistry {
  private readonly byKind = new Map<string, SourceKindDescriptor>();
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidChange = this._onDidChange.event;

  /** Registers a kind; the returned disposable removes it. */
  register(descriptor: SourceKindDescriptor): IDisposable;
  /** Registers `factory` for `kind` (the public API's form); the returned disposable removes it. */
  register(kind: string, factory: SourceFactory, options?: SourceKindOptions): IDisposable;
  register(kindOrDescriptor: string | SourceKindDescriptor, factory?: SourceFactory, options: SourceKindOptions = {}): IDisposable {
    const kind = typeof kindOrDescriptor === 'string' ? kindOrDescriptor : kindOrDescriptor?.kind;
    checkKind(kind, typeof kindOrDescriptor === 'string' ? factory : kindOrDescriptor.factory);
    if (this.byKind.has(kind)) throw new Error(`Source kind "${kind}" is already registered`);
    const d = typeof kindOrDescriptor === 'string' ? fromOptions(kind, factory!, options) : kindOrDescriptor;
    this.byKind.set(kind, d);
    this._onDidChange.fire();
    return toDisposable(() => {
      if (this.byKind.get(kind) === d) {
        this.byKind.delete(kind);
        this._onDidChange.fire();
      }
    });
  }

  get(kind: string): SourceFactory | undefined {
    return this.byKind.get(kind)?.factory;
  }

  /** The descriptor of `kind`, if registered. */
  descriptor(kind: string): SourceKindDescriptor | undefined {
    return this.byKind.get(kind);
  }

  /** The registered kinds' descriptors, in registration order (New Session lists those with `inNewSession`). */
  descriptors(): SourceKindDescriptor[] {
    return [...this.byKind.values()];
  }

  /** Whether `kind` may run only in a trusted workspace (true for unknown kinds). */
  needsTrust(kind: string): boolean {
    return this.byKind.get(kind)?.needsTrust ?? true;
  }

  /** Why `kind` cannot start in an untrusted workspace, or `undefined` if it can. */
  untrustedRefusal(kind: string, workspaceTrusted: boolean): string | undefined {
    if (workspaceTrusted || !this.needsTrust(kind)) return undefined;
    return untrustedMessage(kind, this.byKind.get(kind)?.untrustedReason ?? THIRD_PARTY_WHAT);
  }

  get kinds(): string[] {
    return [...this.byKind.keys()];
  }
}

/** Throws for a kind name other extensions could not write in a spec, or a missing factory. */
function checkKind(kind: unknown, factory: unknown): asserts kind is string {
  if (typeof kind !== 'string' || !/^[a-z][a-z0-9._-]{0,63}$/i.test(kind)) {
    throw new Error(`Invalid source kind ${JSON.stringify(kind)}: use letters, digits, ".", "_" or "-"`);
  }
  if (typeof factory !== 'function') throw new Error(`Source kind "${kind}" needs a factory function`);
}

/** The descriptor of a kind registered as `(kind, factory, options)`; throws for a bad option. */
function fromOptions(kind: string, factory: SourceFactory, options: SourceKindOptions): SourceKindDescriptor {
  const needsTrust = options?.needsTrust;
  if (needsTrust !== undefined && typeof needsTrust !== 'boolean') throw new Error(`Source kind "${kind}": needsTrust must be true or false`);
  const why = typeof options.untrustedReason === 'string' && options.untrustedReason.trim() ? options.untrustedReason.trim().slice(0, 200) : THIRD_PARTY_WHAT;
  return {
    kind,
    label: kind,
    description: 'a source kind from another extension',
    needsTrust: needsTrust !== false,
    ...(needsTrust !== false ? { untrustedReason: why } : {}),
    factory,
    schema: { markdownDescription: 'A kind registered by another extension.', properties: {} },
  };
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

/**
 * The built-in kinds, in the order the schema and the picker list them. A new
 * built-in kind is a file in this folder exporting its descriptor, plus one line here.
 */
export function builtinSourceKinds(hub: UdpHub, options: BuiltinSourceOptions = {}): SourceKindDescriptor[] {
  return [
    randomSourceKind,
    sineSourceKind,
    udpSourceKind(hub, options.udp),
    commandSourceKind(options.cwd),
    fileSourceKind(options.cwd),
    httpSourceKind,
    apiSourceKind,
  ];
}

/** A registry with the built-in kinds; it owns its UDP hub (one socket per address:port). */
export function createBuiltinRegistry(options: BuiltinSourceOptions = {}): SourceRegistry {
  const r = new SourceRegistry();
  const hub = new UdpHub(options.log);
  for (const d of builtinSourceKinds(hub, options)) r.register(d);
  return r;
}
