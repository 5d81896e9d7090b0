import type { CountingClock, TimerHandle } from '../../../src/core/clock';

interface Pending {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/** A deterministic clock: time moves only when a test calls `advance`. */
export class FakeClock implements CountingClock {
  private t: number;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(start = 1_000_000) {
    this.t = start;
  }

  get activeTimers(): number {
    return this.pending.size;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.pending.set(id, { id, due: this.t + Math.max(0, ms), fn });
    return id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete(handle as unknown as number);
  }

  /** Due times of pending timers, soonest first. */
  dueTimes(): number[] {
    return [...this.pending.values()].map((p) => p.due).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing due timers in order (including ones they schedule). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.pending.values()) if (p.due <= end && (!next || p.due < next.due || (p.due === next.due && p.id < next.id))) next = p;
      if (!next) break;
      this.pending.delete(next.id);
      this.t = next.due;
      next.fn();
    }
    this.t = end;
  }
}
