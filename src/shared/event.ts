import { IDisposable, toDisposable } from './lifecycle';

/** A subscription function, shaped like `vscode.Event`. */
export type Event<T> = (listener: (e: T) => unknown, thisArgs?: unknown, disposables?: IDisposable[]) => IDisposable;

/** An event source; `event` is what consumers subscribe to. Listener errors are reported, never thrown at the firer. */
export class Emitter<T> implements IDisposable {
  private listeners = new Set<(e: T) => unknown>();
  private disposed = false;

  constructor(private readonly onListenerError: (err: unknown) => void = (err) => console.error(err)) {}

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    if (this.disposed) return toDisposable(() => undefined);
    const bound = thisArgs ? listener.bind(thisArgs) : listener;
    this.listeners.add(bound);
    const d = toDisposable(() => this.listeners.delete(bound));
    disposables?.push(d);
    return d;
  };

  get listenerCount(): number {
    return this.listeners.size;
  }

  fire(e: T): void {
    if (this.disposed) return;
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}
