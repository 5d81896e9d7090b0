import { Emitter } from '../event';
import { IDisposable, toDisposable } from '../lifecycle';
import type { SourceFactory } from '../source';
import { createRandomSource } from './random';
import { createSineSource } from './sine';

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

/** A registry with the built-in kinds. */
export function createBuiltinRegistry(): SourceRegistry {
  const r = new SourceRegistry();
  r.register('random', createRandomSource);
  r.register('sine', createSineSource);
  return r;
}
