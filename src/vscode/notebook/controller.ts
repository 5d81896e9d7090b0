import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { Disposable } from '../../shared/lifecycle';
import { stripJsonComments } from '../../core/liveplotFile';
import type { SessionManager } from '../../core/sessionManager';
import { LIVE_PLOT_MIME, OutputPayload, PAYLOAD_VERSION } from '../../shared/protocol';
import { CONTROLLER_ID, NOTEBOOK_TYPE } from '../ids';
import { formatPeriod } from '../tree';
import type { IssuedOutputs } from './issuedOutputs';

/**
 * The "Live Plot" notebook controller: a code cell holds a session spec;
 * running it replaces the cell's output with the MIME payload (a fresh uuid).
 * The session itself is started by the document change that follows, because
 * the notebook document is the authority on which outputs exist.
 */
export class LivePlotController extends Disposable {
  private readonly controller: vscode.NotebookController;
  private order = 0;

  constructor(
    private readonly manager: SessionManager,
    private readonly issued: IssuedOutputs,
  ) {
    super();
    this.controller = this._register(vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'Live Plot'));
    this.controller.supportedLanguages = ['json', 'jsonc'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'Runs session specs as live plots';
    this.controller.executeHandler = (cells) => this.execute(cells);
    // The only controller for .liveplot notebooks: preferred, so that Run needs no kernel pick.
    const prefer = (nb: vscode.NotebookDocument) => {
      if (nb.notebookType === NOTEBOOK_TYPE) this.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
    };
    vscode.workspace.notebookDocuments.forEach(prefer);
    this._register(vscode.workspace.onDidOpenNotebookDocument(prefer));
  }

  private async execute(cells: vscode.NotebookCell[]): Promise<void> {
    for (const cell of cells) await this.executeCell(cell);
  }

  private async executeCell(cell: vscode.NotebookCell): Promise<void> {
    const execution = this.controller.createNotebookCellExecution(cell);
    execution.executionOrder = ++this.order;
    execution.start(Date.now());
    // Every path ends the execution exactly once, even if writing the error output rejects.
    let success = false;
    try {
      const text = stripJsonComments(cell.document.getText()).trim();
      if (text === '') {
        // A cell of comments only (e.g. a commented example) runs and shows nothing.
        await execution.clearOutput();
        success = true;
        return;
      }
      try {
        const spec = this.manager.check(text);
        const payload = { ...JSON.parse(text), version: PAYLOAD_VERSION, session: randomUUID() } as OutputPayload;
        // The user ran this cell here: its output may start at once (see NotebookSessions).
        this.issued.add(payload.session);
        await execution.replaceOutput([
          new vscode.NotebookCellOutput([
            vscode.NotebookCellOutputItem.json(payload, LIVE_PLOT_MIME),
            vscode.NotebookCellOutputItem.text(
              `Live plot "${spec.title}" (${spec.source.kind}, every ${formatPeriod(spec.periodMs)}, ${spec.points} points) — session ${payload.session}`,
              'text/plain',
            ),
          ]),
        ]);
        success = true;
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        await execution.replaceOutput([new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: err.name, message: err.message })])]);
      }
    } finally {
      execution.end(success, Date.now());
    }
  }
}
