/** Opaque handle of a scheduled callback. */
export type TimerHandle = { readonly __timer: true };

/** Time and one-shot timers; injected so that tests can use a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** A clock that can report how many of its timers are pending. */
export interface CountingClock extends Clock {
  readonly activeTimers: number;
}

/** The real clock, counting pending timers so that diagnostics report real numbers. */
export class SystemClock implements CountingClock {
  private readonly pending = new Set<ReturnType<typeof setTimeout>>();

  get activeTimers(): number {
    return this.pending.size;
  }

  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const h = setTimeout(() => {
      this.pending.delete(h);
      fn();
    }, ms);
    // Session timers must never keep a process alive on their own.
    h.unref?.();
    this.pending.add(h);
    return h as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    const h = handle as unknown as ReturnType<typeof setTimeout>;
    if (this.pending.delete(h)) clearTimeout(h);
  }
}
