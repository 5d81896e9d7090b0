/**
 * A small lifecycle toolkit with VS Code's semantics (see `vs/base/common/lifecycle.ts`):
 * disposing twice is safe, anything added to a disposed store is disposed at once,
 * replacing a value in a MutableDisposable / DisposableMap disposes the old one.
 */

export interface IDisposable {
  dispose(): void;
}

/** Wraps a function as a disposable that runs it at most once. */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose() {
      if (!done) {
        done = true;
        fn();
      }
    },
  };
}

/** Disposes each item, collecting errors so that one bad item does not leak the rest. */
export function disposeAll(items: Iterable<IDisposable>): void {
  const errors: unknown[] = [];
  for (const d of items) {
    try {
      d.dispose();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'Errors while disposing');
}

/** A set of disposables disposed together. */
export class DisposableStore implements IDisposable {
  private readonly items = new Set<IDisposable>();
  private _isDisposed = false;

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Adds `d`; if the store is already disposed, disposes `d` at once. */
  add<T extends IDisposable>(d: T): T {
    if (this._isDisposed) {
      d.dispose();
    } else {
      this.items.add(d);
    }
    return d;
  }

  /** Removes `d` without disposing it. */
  delete(d: IDisposable): void {
    this.items.delete(d);
  }

  /** Disposes every item but keeps the store usable. */
  clear(): void {
    const items = [...this.items];
    this.items.clear();
    disposeAll(items);
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    this.clear();
  }
}

/** Base class: `_register` ties a child's life to this object. */
export abstract class Disposable implements IDisposable {
  protected readonly _store = new DisposableStore();

  protected get isDisposed(): boolean {
    return this._store.isDisposed;
  }

  protected _register<T extends IDisposable>(d: T): T {
    return this._store.add(d);
  }

  dispose(): void {
    this._store.dispose();
  }
}

/** Holds at most one disposable; setting a new value disposes the old one. */
export class MutableDisposable<T extends IDisposable> implements IDisposable {
  private _value: T | undefined;
  private disposed = false;

  get value(): T | undefined {
    return this.disposed ? undefined : this._value;
  }

  set value(v: T | undefined) {
    if (this.disposed) {
      v?.dispose();
      return;
    }
    if (v === this._value) return;
    const old = this._value;
    this._value = v;
    old?.dispose();
  }

  clear(): void {
    this.value = undefined;
  }

  dispose(): void {
    this.disposed = true;
    const old = this._value;
    this._value = undefined;
    old?.dispose();
  }
}

/** A map whose values are disposed when replaced, deleted or when the map is disposed. */
export class DisposableMap<K, V extends IDisposable> implements IDisposable {
  private readonly map = new Map<K, V>();
  private disposed = false;

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    if (this.disposed) {
      value.dispose();
      return;
    }
    const old = this.map.get(key);
    this.map.set(key, value);
    if (old && old !== value) old.dispose();
  }

  /** Removes and disposes the value at `key`. */
  deleteAndDispose(key: K): void {
    const v = this.map.get(key);
    this.map.delete(key);
    v?.dispose();
  }

  /** Removes the value at `key` without disposing it. */
  deleteAndLeak(key: K): V | undefined {
    const v = this.map.get(key);
    this.map.delete(key);
    return v;
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  clearAndDispose(): void {
    const values = [...this.map.values()];
    this.map.clear();
    disposeAll(values);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clearAndDispose();
  }
}
