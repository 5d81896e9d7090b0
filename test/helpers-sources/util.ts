import * as dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { SystemClock } from '../../src/core/clock';
import type { ResourceCounters, SourceContext, SourceSink } from '../../src/core/source';

/** One recorded sample. */
export interface Sample {
  readonly name: string;
  readonly x: number;
  readonly y: number;
}

/** A sink that records everything a source does. */
export class RecordingSink implements SourceSink {
  readonly samples: Sample[] = [];
  readonly frames: number[] = [];
  malformedCount = 0;
  readonly malformedExamples: (string | undefined)[] = [];
  readonly errors: (string | undefined)[] = [];
  readonly statuses: (string | undefined)[] = [];
  readonly logs: string[] = [];
  endedWith: string | undefined;

  frame(x: ArrayLike<number>): void {
    this.frames.push(x.length);
  }
  sample(name: string, x: number, y: number): void {
    this.samples.push({ name, x, y });
  }
  malformed(count: number, example?: string): void {
    this.malformedCount += count;
    this.malformedExamples.push(example);
  }
  error(message: string | undefined): void {
    this.errors.push(message);
  }
  status(message: string | undefined): void {
    this.statuses.push(message);
  }
  ended(message: string): void {
    this.endedWith ??= message;
  }
  log(message: string): void {
    this.logs.push(message);
  }

  /** The error state now (the last error call). */
  get lastError(): string | undefined {
    return this.errors[this.errors.length - 1];
  }
  /** The status now (the last status call). */
  get lastStatus(): string | undefined {
    return this.statuses[this.statuses.length - 1];
  }
  /** Values of one series, in arrival order. */
  values(name: string): number[] {
    return this.samples.filter((s) => s.name === name).map((s) => s.y);
  }
}

/** Fresh resource counters. */
export function counters(): ResourceCounters {
  return { sockets: 0, processes: 0, watchers: 0 };
}

/** A source context with the real clock. */
export function realContext(overrides: Partial<SourceContext> = {}): SourceContext {
  return { clock: new SystemClock(), workspaceTrusted: true, resources: counters(), ...overrides };
}

/** Waits (polling every few ms) until `cond` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 2500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A UDP port that was free a moment ago on 127.0.0.1 (test/helpers/ports.ts). */
export { freeUdpPort } from '../helpers/ports';

/** A sending socket; `send` resolves once the datagram has been handed to the OS. */
export async function udpSender(): Promise<{ send(port: number, text: string): Promise<void>; close(): Promise<void> }> {
  const s = dgram.createSocket('udp4');
  return {
    send: (port, text) =>
      new Promise<void>((resolve, reject) => s.send(Buffer.from(text, 'utf8'), port, '127.0.0.1', (e) => (e ? reject(e) : resolve()))),
    close: () => new Promise<void>((r) => s.close(() => r())),
  };
}

/**
 * Whether process `pid` still exists and is not a zombie (a zombie has ended:
 * it only waits for its parent to collect its status).
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  }
  return true;
}

/** The tests' one seeded PRNG (test/helpers/random.ts), re-exported for the source tests. */
export { prng } from '../helpers/random';
