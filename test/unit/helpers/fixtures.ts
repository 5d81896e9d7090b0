import type { HostToViewMessage } from '../../../src/shared/protocol';
import type { Owner, ViewSink } from '../../../src/core/session';
import { ManagerLimits, SessionManager } from '../../../src/core/sessionManager';
import { createBuiltinRegistry, SourceRegistry } from '../../../src/core/sources/registry';
import { FakeClock } from './fakeClock';

export const LIMITS: ManagerLimits = {
  defaultPeriodMs: 1000,
  defaultPoints: 100,
  minPeriodMs: 250,
  maxPeriodMs: 60_000,
  maxPoints: 1_000_000,
  maxSessions: 1000,
  periodControl: { min: 250, max: 2000, step: 250 },
};

/** An owner whose life a test controls. */
export class TestOwner implements Owner {
  alive = true;
  constructor(readonly kind: Owner['kind'] = 'panel', readonly group = 'Panels', readonly groupKey = 'panels') {}
  isAlive(): boolean {
    return this.alive;
  }
}

/** A view that records what it is sent. */
export class RecordingView implements ViewSink {
  readonly messages: HostToViewMessage[] = [];
  constructor(readonly id: string) {}
  post(msg: HostToViewMessage): void {
    this.messages.push(msg);
  }
  of<T extends HostToViewMessage['type']>(type: T): Extract<HostToViewMessage, { type: T }>[] {
    return this.messages.filter((m) => m.type === type) as Extract<HostToViewMessage, { type: T }>[];
  }
}

export function makeManager(opts: { limits?: Partial<ManagerLimits>; registry?: SourceRegistry; clock?: FakeClock } = {}) {
  const clock = opts.clock ?? new FakeClock();
  const registry = opts.registry ?? createBuiltinRegistry();
  const log: string[] = [];
  let n = 0;
  const manager = new SessionManager({
    clock,
    registry,
    limits: () => ({ ...LIMITS, ...opts.limits }),
    newId: () => `s${++n}`,
    log: (l) => log.push(l),
  });
  return { clock, registry, manager, log };
}
