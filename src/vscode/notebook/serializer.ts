import * as vscode from 'vscode';
import { LivePlotFileCell, parseLivePlotFile, serializeLivePlotFile } from '../../core/liveplotFile';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

/** Reads and writes `.liveplot` notebooks (readable JSON). */
export class LivePlotSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const file = parseLivePlotFile(decoder.decode(content));
    return new vscode.NotebookData(
      file.cells.map((c) => {
        const cell = new vscode.NotebookCellData(
          c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
          c.value,
          c.language ?? (c.kind === 'markdown' ? 'markdown' : 'json'),
        );
        if (c.outputs?.length) {
          cell.outputs = c.outputs.map(
            (o) =>
              new vscode.NotebookCellOutput(
                Object.entries(o.items).map(([mime, data]) =>
                  isJsonMime(mime) ? vscode.NotebookCellOutputItem.json(data, mime) : vscode.NotebookCellOutputItem.text(String(data), mime),
                ),
              ),
          );
        }
        return cell;
      }),
    );
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const cells: LivePlotFileCell[] = data.cells.map((c) => {
      const outputs = (c.outputs ?? [])
        .map((o) => {
          const items: Record<string, unknown> = {};
          for (const item of o.items) {
            // Errors and stdout are not worth keeping; specs and their plots are.
            if (item.mime === 'application/vnd.code.notebook.error' || item.mime.startsWith('application/vnd.code.notebook.std')) continue;
            const text = decoder.decode(item.data);
            if (isJsonMime(item.mime)) {
              try {
                items[item.mime] = JSON.parse(text);
              } catch {
                items[item.mime] = text;
              }
            } else {
              items[item.mime] = text;
            }
          }
          return { items };
        })
        .filter((o) => Object.keys(o.items).length > 0);
      return {
        kind: c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code',
        language: c.languageId,
        value: c.value,
        ...(outputs.length ? { outputs } : {}),
      };
    });
    return encoder.encode(serializeLivePlotFile({ cells }));
  }
}
