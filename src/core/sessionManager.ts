import type { CountingClock } from './clock';
import { Emitter } from '../shared/event';
import { Disposable, DisposableMap, DisposableStore, IDisposable } from '../shared/lifecycle';
import { DisposeReason, errorMessage, Owner, Session, SessionInfo, SessionLimits } from './session';
import type { ResourceCounters, SourceKindDescriptor } from './source';
import type { SourceRegistry } from './sources/registry';
import { ResolvedSpec, SpecError, SpecLimits, validateSpec } from './spec';
import { budgetRefusal, DEFAULT_MEMORY_BUDGET_MB, estimateRingBytes, sourceCapRefusal } from './memoryBudget';
import { InvalidMessageLog } from './viewMessages';

/** Settings the manager reads on every create. */
export interface ManagerLimits extends Omit<SpecLimits, 'knownKinds'>, SessionLimits {
  readonly maxSessions: number;
  /** Memory budget of all sessions' rings together, in MB (setting `livePlot.memoryBudgetMB`; default 512). */
  readonly memoryBudgetMB?: number;
}

/** Counts that must fall back to zero when everything is closed. */
export interface Diagnostics {
  sessions: number;
  timers: number;
  views: number;
  sockets: number;
  processes: number;
  watchers: number;
  /** Sessions the periodic reconciliation had to end (should stay 0). */
  reaped: number;
  /** Messages from views and renderers that were dropped as invalid. */
  invalidMessages: number;
}

/** Too many sessions, or another limit from settings. */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

export interface SessionManagerOptions {
  readonly clock: CountingClock;
  readonly registry: SourceRegistry;
  readonly limits: () => ManagerLimits;
  readonly workspaceTrusted?: () => boolean;
  readonly newId: () => string;
  readonly log?: (line: string) => void;
  /** Warnings (invalid view messages); default: `log`. */
  readonly warn?: (line: string) => void;
}

/** Creates, lists and ends sessions; the root of every session's life. */
export class SessionManager extends Disposable {
  private readonly sessions = new DisposableMap<string, Session>();
  private readonly subscriptions = new DisposableMap<string, IDisposable>();
  readonly resources: ResourceCounters = { sockets: 0, processes: 0, watchers: 0 };
  /** The one log of invalid messages from views (panels and notebook outputs), once per kind. */
  readonly invalidMessages: InvalidMessageLog;
  private reapedCount = 0;
  private lastStatsFire = -Infinity;

  private readonly _onDidCreateSession = this._register(new Emitter<SessionInfo>());
  readonly onDidCreateSession = this._onDidCreateSession.event;
  private readonly _onDidDisposeSession = this._register(new Emitter<{ session: SessionInfo; reason: DisposeReason }>());
  readonly onDidDisposeSession = this._onDidDisposeSession.event;
  private readonly _onDidChangeSession = this._register(new Emitter<SessionInfo>());
  /** A session's state, period, points or views changed (immediate). */
  readonly onDidChangeSession = this._onDidChangeSession.event;
  private readonly _onDidChangeStats = this._register(new Emitter<void>());
  /** Live statistics changed; throttled to at most once a second. */
  readonly onDidChangeStats = this._onDidChangeStats.event;

  constructor(private readonly opts: SessionManagerOptions) {
    super();
    this._register(this.subscriptions);
    this.invalidMessages = new InvalidMessageLog((line) => (opts.warn ?? opts.log)?.(line));
  }

  /** Ends every session (reason `extension-deactivated`), firing the events, then the manager. */
  override dispose(): void {
    if (this.isDisposed) return;
    this.disposeAll('extension-deactivated');
    super.dispose();
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  /** The source kinds registered now (the New Session picker offers those with `inNewSession`). */
  sourceKinds(): SourceKindDescriptor[] {
    return this.opts.registry.descriptors();
  }

  /** The spec limits in force, with the source kinds registered now. */
  specLimits(): SpecLimits {
    return { ...this.opts.limits(), knownKinds: this.opts.registry.kinds };
  }

  /**
   * Validates `input` as `create` would (spec and source options) without
   * starting anything. Throws SpecError naming the bad field.
   */
  check(input: unknown): ResolvedSpec {
    const spec = validateSpec(input, this.specLimits());
    this.checkTrust(spec);
    this.checkMemory(spec, this.opts.limits());
    try {
      this.opts.registry.get(spec.source.kind)!(spec.source, this.sourceContext()).dispose();
    } catch (e) {
      throw new SpecError('source', `was refused: ${errorMessage(e)}`);
    }
    return spec;
  }

  /** Refuses, before its factory runs, a kind that needs a trusted workspace when this one is not. */
  private checkTrust(spec: ResolvedSpec): void {
    const refusal = this.opts.registry.untrustedRefusal(spec.source.kind, this.sourceContext().workspaceTrusted);
    if (refusal !== undefined) throw new SpecError('source', `was refused: ${refusal}`);
  }

  /** Refuses a spec beyond its source's caps or beyond what the memory budget has left (LimitError). */
  private checkMemory(spec: ResolvedSpec, limits: ManagerLimits): void {
    const kind = this.opts.registry.descriptor(spec.source.kind);
    const cap = sourceCapRefusal(spec, kind);
    if (cap !== undefined) throw new LimitError(cap);
    const budget = limits.memoryBudgetMB ?? DEFAULT_MEMORY_BUDGET_MB;
    const refusal = budgetRefusal(spec, this.memoryInUse(), budget, kind);
    if (refusal !== undefined) throw new LimitError(refusal);
  }

  /** Bytes the live sessions' rings hold, or may hold by their estimate, whichever is more. */
  memoryInUse(): number {
    let bytes = 0;
    for (const s of this.sessions.values()) {
      const spec = s.currentSpec();
      bytes += Math.max(estimateRingBytes(spec, this.opts.registry.descriptor(spec.source.kind)), s.bufferBytes);
    }
    return bytes;
  }

  private sourceContext() {
    return { clock: this.opts.clock, workspaceTrusted: this.opts.workspaceTrusted?.() ?? true, resources: this.resources };
  }

  /**
   * Validates `input` and starts a session owned by `owner`.
   * Throws SpecError (bad spec or source options) or LimitError; nothing starts then.
   */
  create(input: unknown, owner: Owner, id: string = this.opts.newId()): Session {
    if (this.isDisposed) throw new Error('Live Plot is shutting down');
    const limits = this.opts.limits();
    if (this.sessions.size >= limits.maxSessions) {
      throw new LimitError(
        `Live Plot: the maximum of ${limits.maxSessions} sessions is reached (setting livePlot.maxSessions). Close a session first.`,
      );
    }
    if (this.sessions.has(id)) throw new Error(`Session id ${id} is already in use`);
    const spec = validateSpec(input, this.specLimits());
    this.checkTrust(spec);
    this.checkMemory(spec, limits);
    const factory = this.opts.registry.get(spec.source.kind)!;
    let source;
    try {
      source = factory(spec.source, this.sourceContext());
    } catch (e) {
      throw new SpecError('source', `was refused: ${errorMessage(e)}`);
    }
    const session = new Session(id, spec, source, owner, this.opts.clock, limits, (l) => this.log(l));
    this.sessions.set(id, session);

    const subs = new DisposableStore();
    subs.add(
      session.onDidDispose((reason) => {
        const info = session.info();
        this.subscriptions.deleteAndDispose(id);
        this.sessions.deleteAndLeak(id);
        this.log(`Session ended: "${info.title}" (${id}, ${info.ownerKind}: ${info.group}) reason: ${reason}`);
        this._onDidDisposeSession.fire({ session: info, reason });
      }),
    );
    subs.add(session.onDidChangeInfo(() => this._onDidChangeSession.fire(session.info())));
    subs.add(session.onDidUpdate(() => this.statsChanged()));
    this.subscriptions.set(id, subs);

    const info = session.info();
    this.log(
      `Session created: "${info.title}" (${id}, ${info.ownerKind}: ${info.group}) source ${info.sourceKind} — ${info.endpoint}, period ${info.periodMs} ms, ${info.points} points`,
    );
    session.start();
    this._onDidCreateSession.fire(session.info());
    return session;
  }

  private statsChanged(): void {
    const now = this.opts.clock.now();
    if (now - this.lastStatsFire < 1000) return;
    this.lastStatsFire = now;
    this._onDidChangeStats.fire();
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Live sessions, oldest first. */
  list(): Session[] {
    return [...this.sessions.values()];
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Ends one session; false if there is no such session. */
  disposeSession(id: string, reason: DisposeReason): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    s.dispose(reason);
    return true;
  }

  /** Ends every session (or those matching `filter`); returns how many. */
  disposeAll(reason: DisposeReason, filter: (s: Session) => boolean = () => true): number {
    let n = 0;
    for (const s of [...this.sessions.values()]) {
      if (!filter(s)) continue;
      try {
        s.dispose(reason);
      } catch (e) {
        this.log(`Failed to end session ${s.id}: ${errorMessage(e)}`);
      }
      n++;
    }
    return n;
  }

  /**
   * The safety net: ends every session whose owner is gone. Cheap (one check
   * per session). Returns the ids it had to end, each logged.
   */
  reconcile(): string[] {
    const reaped: string[] = [];
    for (const s of [...this.sessions.values()]) {
      let alive: boolean;
      try {
        alive = s.owner.isAlive();
      } catch {
        alive = false;
      }
      if (!alive) {
        this.log(`Reconciliation: session "${s.title}" (${s.id}) had lost its owner (${s.owner.kind}: ${s.owner.group}); ending it.`);
        reaped.push(s.id);
        this.reapedCount++;
        s.dispose('reaped');
      }
    }
    return reaped;
  }

  diagnostics(): Diagnostics {
    let views = 0;
    for (const s of this.sessions.values()) views += s.viewCount;
    return {
      sessions: this.sessions.size,
      timers: this.opts.clock.activeTimers,
      views,
      sockets: this.resources.sockets,
      processes: this.resources.processes,
      watchers: this.resources.watchers,
      reaped: this.reapedCount,
      invalidMessages: this.invalidMessages.count,
    };
  }
}
