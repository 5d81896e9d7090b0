/**
 * Hostile notebooks for the "opening never runs anything" tests: saved
 * live-plot outputs that would run a program (it creates a marker file), read a
 * file, poll a loopback HTTP server (it counts requests) and listen on a UDP
 * port, written as a `.liveplot` and as a Jupyter `.ipynb`.
 */
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { freeUdpPort } from '../helpers/ports';

const MIME = 'application/vnd.liveplot.session+json';

export interface Bait {
  /** Created by the `command` output's program if it ever runs. */
  readonly marker: string;
  /** The file the `file` output would read. */
  readonly file: string;
  /** Requests that reached the HTTP server. */
  hits(): number;
  readonly httpUrl: string;
  readonly udpPort: number;
  /** The saved outputs' specs, by kind. */
  readonly specs: Record<'command' | 'file' | 'http' | 'udp', object>;
  close(): Promise<void>;
}

/** Whether `address:port` can be bound now (nobody else holds it). */
export async function udpPortFree(port: number, address = '127.0.0.1'): Promise<boolean> {
  const s = dgram.createSocket('udp4');
  const ok = await new Promise<boolean>((resolve) => {
    s.once('error', () => resolve(false));
    s.bind(port, address, () => resolve(true));
  });
  await new Promise<void>((r) => {
    try {
      s.close(() => r());
    } catch {
      r();
    }
  });
  return ok;
}

export async function makeBait(udpAddress = '127.0.0.1'): Promise<Bait> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liveplot-bait-'));
  const marker = path.join(dir, 'pwned');
  const file = path.join(dir, 'secret.log');
  fs.writeFileSync(file, 'x:1\n');
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ v: hits }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const httpUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  const udpPort = await freeUdpPort();
  const specs = {
    command: { title: 'Bait command', source: { kind: 'command', command: 'sh', args: ['-c', `touch '${marker}'; echo x:1; sleep 30`] }, periodMs: 250 },
    file: { title: 'Bait file', source: { kind: 'file', path: file, from: 'start' }, periodMs: 250 },
    http: { title: 'Bait http', source: { kind: 'http', url: httpUrl, paths: ['v'] }, periodMs: 250 },
    udp: { title: 'Bait udp', source: { kind: 'udp', address: udpAddress, port: udpPort }, periodMs: 250 },
  };
  return {
    marker,
    file,
    hits: () => hits,
    httpUrl,
    udpPort,
    specs,
    close: async () => {
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let n = 0;
const uuid = (i: number) => `00000000-0000-4000-8000-${String(Date.now() % 1e6).padStart(6, '0')}${String(++n * 10 + i).padStart(6, '0')}`;

/** A `.liveplot` file whose cells carry saved outputs of `specs`. */
export async function writeHostileLiveplot(folder: vscode.Uri, specs: object[]): Promise<vscode.Uri> {
  const cells = specs.map((s, i) => ({
    kind: 'code',
    language: 'json',
    value: JSON.stringify(s, null, 2),
    outputs: [{ items: { [MIME]: { ...s, version: 1, session: uuid(i) }, 'text/plain': 'live plot' } }],
  }));
  const uri = vscode.Uri.joinPath(folder, `hostile-${Date.now()}-${++n}.liveplot`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({ cells }, null, 1)));
  return uri;
}

/** A Jupyter `.ipynb` whose code cells carry saved outputs of `specs` (as a kernel would have displayed them). */
export async function writeHostileIpynb(folder: vscode.Uri, specs: object[]): Promise<vscode.Uri> {
  const cells = specs.map((s, i) => ({
    cell_type: 'code',
    execution_count: i + 1,
    id: `c${i}`,
    metadata: {},
    source: ['display(plot)'],
    outputs: [{ output_type: 'display_data', metadata: {}, data: { [MIME]: { ...s, version: 1, session: uuid(i) }, 'text/plain': ['<Live plot>'] } }],
  }));
  const nb = { cells, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, nbformat: 4, nbformat_minor: 5 };
  const uri = vscode.Uri.joinPath(folder, `hostile-${Date.now()}-${++n}.ipynb`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(nb, null, 1)));
  return uri;
}

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return folder.uri;
}

/** Opens `uri` in an editor as the user does, and waits for it. */
export async function openInEditor(uri: vscode.Uri): Promise<vscode.NotebookEditor> {
  await vscode.commands.executeCommand('vscode.open', uri);
  const end = Date.now() + 15_000;
  for (;;) {
    const editor = vscode.window.visibleNotebookEditors.find((e) => e.notebook.uri.toString() === uri.toString());
    if (editor) return editor;
    if (Date.now() > end) throw new Error(`timed out opening ${uri.toString()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
