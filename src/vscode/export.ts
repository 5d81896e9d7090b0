import * as vscode from 'vscode';
import * as os from 'node:os';
import { formatCsv, isTimeAxis } from '../core/csv';
import { NoVisibleViewError, type Session } from '../core/session';
import { isPngDataUrl } from '../core/viewMessages';
import { PNG_DATA_URL_PREFIX } from '../shared/protocol';

/** How long a view may take to render its chart for a PNG export. */
const PNG_TIMEOUT_MS = 10_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Where an export goes: a path or Uri given by a caller (tests, other extensions), or asked for. */
export type ExportTarget = vscode.Uri | string | undefined;

/** Saves a session's window as CSV and its chart as PNG, asking where with a save dialog. */
export class Exporter {
  constructor(private readonly log: (line: string) => void) {}

  /** CSV of the data in the window (the last `windowSeconds` only, if set). Returns the file written. */
  async exportCsv(session: Session, target?: ExportTarget): Promise<vscode.Uri | undefined> {
    const cols = session.snapshot();
    const window = session.currentSpec().windowSeconds;
    const last = cols.x.length ? cols.x[cols.x.length - 1]! : undefined;
    const fromX = window !== undefined && session.mode === 'append' && isTimeAxis(cols) && last !== undefined ? last - window * 1000 : undefined;
    const text = formatCsv(cols, fromX === undefined ? {} : { fromX });
    const uri = await this.where(session, 'csv', target);
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    const rows = text.split('\n').length - 2;
    this.log(`Exported "${session.title}" (${rows} rows, ${cols.series.length} series) to ${uri.toString(true)}`);
    if (target === undefined) this.saved(`${rows} rows of "${session.title}"`, uri);
    return uri;
  }

  /**
   * PNG of the chart: `dataUrl` if a view sent one, else a visible view is asked
   * to render it. Says clearly when no view is visible. Returns the file written.
   */
  async exportPng(session: Session, target?: ExportTarget, dataUrl?: string): Promise<vscode.Uri | undefined> {
    let url = dataUrl;
    if (url === undefined) {
      const request = session.requestPng();
      const timer = setTimeout(() => request.cancel(), PNG_TIMEOUT_MS);
      try {
        url = await request.result;
      } catch (e) {
        if (e instanceof NoVisibleViewError) {
          const reveal = 'Reveal Session';
          void vscode.window.showWarningMessage(`Live Plot: ${e.message}`, reveal).then((pick) => {
            if (pick === reveal) void vscode.commands.executeCommand('livePlot.reveal', session.id);
          });
          return undefined;
        }
        throw e;
      } finally {
        clearTimeout(timer);
      }
    }
    const bytes = decodePng(url);
    const uri = await this.where(session, 'png', target);
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, bytes);
    this.log(`Exported the chart of "${session.title}" (${bytes.length} bytes) to ${uri.toString(true)}`);
    if (target === undefined) this.saved(`the chart of "${session.title}"`, uri);
    return uri;
  }

  private async where(session: Session, ext: 'csv' | 'png', target: ExportTarget): Promise<vscode.Uri | undefined> {
    if (target instanceof vscode.Uri) return target;
    if (typeof target === 'string' && target.trim()) return vscode.Uri.file(target);
    const name = `${fileStem(session.title)}.${ext}`;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    return vscode.window.showSaveDialog({
      title: ext === 'csv' ? `Export "${session.title}" as CSV` : `Save the chart of "${session.title}" as PNG`,
      saveLabel: 'Export',
      defaultUri: vscode.Uri.joinPath(folder, name),
      filters: ext === 'csv' ? { 'CSV (comma-separated values)': ['csv'] } : { 'PNG image': ['png'] },
    });
  }

  private saved(what: string, uri: vscode.Uri): void {
    const open = 'Open';
    void vscode.window.showInformationMessage(`Live Plot: saved ${what} to ${uri.scheme === 'file' ? uri.fsPath : uri.toString(true)}.`, open).then((pick) => {
      if (pick === open) void vscode.commands.executeCommand('vscode.open', uri);
    });
  }
}

/** The bytes of a PNG data URL; throws if it is not one. */
export function decodePng(dataUrl: string): Buffer {
  if (!isPngDataUrl(dataUrl)) throw new Error('the view sent something that is not a PNG image');
  const bytes = Buffer.from(dataUrl.slice(PNG_DATA_URL_PREFIX.length), 'base64');
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('the view sent something that is not a PNG image');
  return bytes;
}

/** A file name from a title: letters, digits, `-` and `_`, at most 60 characters. */
export function fileStem(title: string): string {
  const stem = title.normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return stem || 'live-plot';
}
