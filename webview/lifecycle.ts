/**
 * The webview side's small lifecycle kit, with VS Code's semantics: disposing
 * twice is safe, and anything added to a disposed store is disposed at once.
 * (The browser bundles cannot import the extension host's copy.)
 */

/** Something that holds resources and releases them on `dispose()`. */
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

/** A set of disposables disposed together, last added first. */
export class DisposableStore implements IDisposable {
  private readonly items: IDisposable[] = [];
  private disposed = false;

  /** True once `dispose()` has run. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Adds `d`; if the store is already disposed, disposes `d` at once. */
  add<T extends IDisposable>(d: T): T {
    if (this.disposed) {
      d.dispose();
    } else {
      this.items.push(d);
    }
    return d;
  }

  /** Disposes every item; errors are reported after all items had their turn. */
  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    const errors: unknown[] = [];
    for (const d of this.items.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length === 1) {
      throw errors[0];
    }
    if (errors.length > 1) {
      throw new AggregateError(errors, 'Errors while disposing');
    }
  }
}

/** Adds an event listener and returns a disposable that removes it. */
export function listen<K extends keyof HTMLElementEventMap>(
  target: EventTarget,
  type: K | string,
  listener: (ev: HTMLElementEventMap[K]) => void,
): IDisposable {
  const fn = listener as EventListener;
  target.addEventListener(type, fn);
  return toDisposable(() => target.removeEventListener(type, fn));
}
