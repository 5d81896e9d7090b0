import type { Session } from '../core/session';
import type { SessionManager } from '../core/sessionManager';
import { ApiSource } from '../core/sources/api';
import type { SourceRegistry } from '../core/sources/registry';
import { Emitter } from '../shared/event';
import { Disposable, toDisposable } from '../shared/lifecycle';
import type { DisposeReason, LivePlotApi, OpenSessionOptions, SessionHandle, SessionInfo } from './api';
import type { PanelController } from './panels';

/** Serves the extension API (what `activate()` returns) from the manager, the panels and the source registry. */
export class ApiHost extends Disposable {
  /** The API object handed to other extensions and tests. */
  readonly api: LivePlotApi;

  constructor(private readonly manager: SessionManager, private readonly panels: PanelController, registry: SourceRegistry) {
    super();
    const onCreate = this._register(new Emitter<SessionInfo>());
    const onDispose = this._register(new Emitter<{ session: SessionInfo; reason: DisposeReason }>());
    this._register(manager.onDidCreateSession((s) => onCreate.fire(s)));
    this._register(manager.onDidDisposeSession((e) => onDispose.fire(e)));
    this.api = {
      openSession: async (spec, options?: OpenSessionOptions) => this.openSession(spec, options),
      get sessions() {
        return manager.list().map((s) => s.info());
      },
      onDidCreateSession: onCreate.event,
      onDidDisposeSession: onDispose.event,
      registerSource: (kind, factory, options) => {
        const d = registry.register(kind, factory, options);
        return { dispose: () => d.dispose() };
      },
      diagnostics: () => manager.diagnostics(),
      reconcile: () => manager.reconcile(),
    };
  }

  /** A session owned by the returned handle (and its panel, if shown): it lives until either goes. */
  private openSession(spec: unknown, options: OpenSessionOptions | undefined): SessionHandle {
    let handleDisposed = false;
    let session: Session;
    if (options?.show === false) {
      session = this.manager.create(spec, { kind: 'api', group: 'API', groupKey: 'api', isAlive: () => !handleDisposed });
    } else {
      session = this.panels.open(spec, { kind: 'api', group: 'API', groupKey: 'api', alive: () => !handleDisposed });
    }
    const ended = new Emitter<DisposeReason>();
    let endReason: DisposeReason | undefined;
    session.onDidDispose((reason) => {
      endReason = reason;
      ended.fire(reason);
      ended.dispose();
    });
    return {
      id: session.id,
      push: (samples: unknown) => {
        if (session.source instanceof ApiSource) return session.source.push(samples);
        throw new Error('push() needs a session whose source kind is "api"');
      },
      onDidDispose: (listener, thisArgs, disposables) => {
        if (endReason !== undefined) {
          // Already ended: tell the late subscriber at once.
          queueMicrotask(() => listener.call(thisArgs, endReason!));
          return toDisposable(() => undefined);
        }
        return ended.event(listener, thisArgs, disposables as any);
      },
      dispose: () => {
        if (handleDisposed) return;
        handleDisposed = true;
        session.dispose('api-disposed');
      },
    };
  }
}
