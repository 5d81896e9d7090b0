import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { SessionManager } from '../core/sessionManager';
import { Disposable, toDisposable } from '../shared/lifecycle';

/** Environment variable naming the file that tests in a real VS Code read the diagnostics from. */
export const DIAGNOSTICS_FILE_ENV = 'LIVEPLOT_DIAGNOSTICS_FILE';

/**
 * For tests in a real VS Code: keeps live diagnostics (and the session list) in the
 * file named by LIVEPLOT_DIAGNOSTICS_FILE. Does nothing without it.
 */
export class TestDiagnosticsFile extends Disposable {
  /** Starts writing if the environment asks for it; undefined otherwise. */
  static fromEnvironment(manager: SessionManager): TestDiagnosticsFile | undefined {
    const file = process.env[DIAGNOSTICS_FILE_ENV];
    return file ? new TestDiagnosticsFile(manager, file) : undefined;
  }

  private constructor(private readonly manager: SessionManager, private readonly file: string) {
    super();
    // Several windows (extension hosts) may share one server: the newest one owns the file.
    const token = `${process.pid}-${randomUUID()}`;
    const ownerFile = `${file}.owner`;
    writeFileSync(ownerFile, token);
    const owns = () => {
      try {
        return readFileSync(ownerFile, 'utf8') === token;
      } catch {
        return false;
      }
    };
    let pending = false;
    const write = () => {
      if (pending) return;
      pending = true;
      setTimeout(() => {
        pending = false;
        if (this.isDisposed || !owns()) return;
        const body = { at: Date.now(), ...manager.diagnostics(), sessions: manager.diagnostics().sessions, list: manager.list().map((s) => s.info()) };
        writeFile(file, JSON.stringify(body)).catch(() => undefined);
      }, 50);
    };
    this._register(manager.onDidCreateSession(write));
    this._register(manager.onDidDisposeSession(write));
    this._register(manager.onDidChangeSession(write));
    this._register(manager.onDidChangeStats(write));
    const t = setInterval(write, 1000);
    this._register(toDisposable(() => clearInterval(t)));
    // Disposed after the manager ended every session (see LivePlotApp.dispose): the last word of this host.
    this._register(
      toDisposable(() => {
        if (owns()) writeFileSync(this.file, JSON.stringify({ at: Date.now(), deactivated: true, ...this.manager.diagnostics(), list: [] }));
      }),
    );
    write();
  }
}
