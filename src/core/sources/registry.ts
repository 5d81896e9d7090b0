import { Emitter } from '../event';
import { IDisposable, toDisposable } from '../lifecycle';
import type { SourceFactory } from '../source';
import { createApiSource } from './api';
import { commandSourceFactory } from './command';
import { fileSourceFactory } from './file';
import { createHttpSource } from './http';
import { createRandomSource } from './random';
import { createSineSource } from './sine';
import { UdpAddress, UdpHub, udpSourceFactory } from './udp';

/** Source kinds by name; other extensions add kinds through the API. */
export class SourceRegistry {
  private readonly factories = new Map<string, SourceFactory>();
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidChange = this._onDidChange.event;

  /** Registers `factory` for `kind`; the returned disposable removes it. */
  register(kind: string, factory: SourceFactory): IDisposable {
    if (typeof kind !== 'string' || !/^[a-z][a-z0-9._-]{0,63}$/i.test(kind)) {
      throw new Error(`Invalid source kind ${JSON.stringify(kind)}: use letters, digits, ".", "_" or "-"`);
    }
    if (typeof factory !== 'function') throw new Error(`Source kind "${kind}" needs a factory function`);
    if (this.factories.has(kind)) throw new Error(`Source kind "${kind}" is already registered`);
    this.factories.set(kind, factory);
    this._onDidChange.fire();
    return toDisposable(() => {
      if (this.factories.get(kind) === factory) {
        this.factories.delete(kind);
        this._onDidChange.fire();
      }
    });
  }

  get(kind: string): SourceFactory | undefined {
    return this.factories.get(kind);
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
  r.register('random', createRandomSource);
  r.register('sine', createSineSource);
  r.register('udp', udpSourceFactory(hub, options.udp));
  r.register('command', commandSourceFactory(options.cwd));
  r.register('file', fileSourceFactory(options.cwd));
  r.register('http', createHttpSource);
  r.register('api', createApiSource);
  return r;
}
