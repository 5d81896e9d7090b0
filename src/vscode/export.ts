import * as vscode from 'vscode';
import * as os from 'node:os';
import { realpath } from 'node:fs/promises';
import { csvChunks, csvRowCount, isTimeAxis } from '../core/csv';
import { writeExportFile } from '../core/exportFile';
import { checkExportPath } from '../core/exportPath';
import { NoVisibleViewError, type Session } from '../core/session';
import { isPngDataUrl } from '../core/viewMessages';
import { PNG_DATA_URL_PREFIX } from '../shared/protocol';

/** How long a view may take to render its chart for a PNG export. */
const PNG_TIMEOUT_MS = 10_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Where an export goes: a path or Uri given by a caller (tests, scripts, links,
 * other extensions) — used without a dialog only inside a trusted workspace's
 * folders (see checkExportPath) — or, when absent or refused, asked for.
 */
export type ExportTarget = vscode.Uri | string | undefined;

/** A command argument as an export target: a path or Uri, anything else none (the dialog). */
export function toExportTarget(value: unknown): ExportTarget {
  return value instanceof vscode.Uri || typeof value === 'string' ? value : undefined;
}

/** Where to write, and whether the user picked it in the save dialog. */
interface Destination {
  readonly uri: vscode.Uri;
  readonly picked: boolean;
}

/** Saves a session's window as CSV and its chart as PNG, asking where with a save dialog. */
export class Exporter {
  constructor(private readonly log: (line: string) => void) {}

  /** CSV of the data in the window (the last `windowSeconds` only, if set). Returns the file written. */
  async exportCsv(session: Session, target?: ExportTarget): Promise<vscode.Uri | undefined> {
    const cols = session.snapshot();
    const window = session.currentSpec().windowSeconds;
    const last = cols.x.length ? cols.x[cols.x.length - 1]! : undefined;
    const fromX = window !== undefined && session.mode === 'append' && isTimeAxis(cols) && last !== undefined ? last - window * 1000 : undefined;
    const opts = fromX === undefined ? {} : { fromX };
    const dest = await this.where(session, 'csv', target);
    if (!dest) return undefined;
    await this.write(dest, csvChunks(cols, opts));
    const rows = csvRowCount(cols, opts);
    this.log(`Exported "${session.title}" (${rows} rows, ${cols.series.length} series) to ${dest.uri.toString(true)}`);
    if (dest.picked) this.saved(`${rows} rows of "${session.title}"`, dest.uri);
    return dest.uri;
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
    const dest = await this.where(session, 'png', target);
    if (!dest) return undefined;
    await this.write(dest, [bytes]);
    this.log(`Exported the chart of "${session.title}" (${bytes.length} bytes) to ${dest.uri.toString(true)}`);
    if (dest.picked) this.saved(`the chart of "${session.title}"`, dest.uri);
    return dest.uri;
  }

  /** Local files are written in chunks and only if regular; other schemes through `workspace.fs`. */
  private async write(dest: Destination, chunks: Iterable<string | Uint8Array>): Promise<void> {
    if (dest.uri.scheme === 'file') {
      await writeExportFile(dest.uri.fsPath, chunks, { followSymlinks: dest.picked });
      return;
    }
    // A remote or virtual file system (picked in the dialog) takes one buffer.
    const parts: Buffer[] = [];
    for (const c of chunks) parts.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c));
    await vscode.workspace.fs.writeFile(dest.uri, Buffer.concat(parts));
  }

  /**
   * A target given by a caller if it passes checkExportPath, else the save
   * dialog, pre-filled with the requested file name (in the workspace, never
   * in the requested folder).
   */
  private async where(session: Session, ext: 'csv' | 'png', target: ExportTarget): Promise<Destination | undefined> {
    let name = `${fileStem(session.title)}.${ext}`;
    let refused: string | undefined;
    const requested = target instanceof vscode.Uri ? target : typeof target === 'string' && target.trim() ? target : undefined;
    if (requested !== undefined) {
      const shown = clip(typeof requested === 'string' ? requested : requested.toString(true), 200);
      const decision =
        typeof requested !== 'string' && requested.scheme !== 'file'
          ? ({ ok: false, reason: 'it is not a local file' } as const)
          : await checkExportPath(
              typeof requested === 'string' ? requested : requested.fsPath,
              (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
              vscode.workspace.isTrusted,
              ext,
              realpath,
            );
      if (decision.ok) return { uri: vscode.Uri.file(decision.path), picked: false };
      refused = `${shown} was not used: ${decision.reason}`;
      this.log(`Export of "${session.title}": ${refused}; asking where to save instead.`);
      name = requestedName(typeof requested === 'string' ? requested : requested.path, ext) ?? name;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const what = ext === 'csv' ? `Export "${session.title}" as CSV` : `Save the chart of "${session.title}" as PNG`;
    const uri = await vscode.window.showSaveDialog({
      title: refused ? `${what} (${refused})` : what,
      saveLabel: 'Export',
      defaultUri: vscode.Uri.joinPath(folder, name),
      filters: ext === 'csv' ? { 'CSV (comma-separated values)': ['csv'] } : { 'PNG image': ['png'] },
    });
    return uri ? { uri, picked: true } : undefined;
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

/** The file name of a refused path, made safe for the dialog (its extension forced), or undefined. */
export function requestedName(requested: string, ext: string): string | undefined {
  const base = requested.split(/[\\/]/).pop() ?? '';
  if (!base) return undefined;
  return `${fileStem(base.toLowerCase().endsWith(`.${ext}`) ? base.slice(0, -(ext.length + 1)) : base)}.${ext}`;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
