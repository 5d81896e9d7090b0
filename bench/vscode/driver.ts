/**
 * The benchmark driver that runs INSIDE the real VS Code extension host (code-server),
 * loaded as the workbench's `extensionTestsPath` by bench/vscode/runner.mjs.
 *
 * It plays "another extension" using Live Plot's public API, and answers requests
 * from the runner, which measures the same moments in the browser (Playwright):
 *
 *   runner writes <dir>/req-<n>.json  { cmd, ...args }
 *   driver writes <dir>/res-<n>.json  { ok: true, ...result } | { ok: false, error }
 *
 * Commands:
 * - `open`     a session with the `api` source, shown in a panel (the real webview);
 *              the window is filled first (the steady state of a running session).
 * - `stream`   pushes `rate` rows/s for `seconds` through `handle.push` (columns), every 16 ms; the
 *              session sends its views one Float64Array delta per period through VS
 *              Code's webview messaging (extension host → workbench → webview).
 * - `close`    disposes the handle (the panel closes with it).
 * - `baselineOpen` / `baselineStream` / `baselineClose`: the peer's pipeline through the
 *              same path: our own webview with plain uPlot and one `postMessage` per
 *              sample (a JSON array), the page doing a full setData of its history at 15 fps.
 * - `teardown` 1,000 open/close cycles through the API, panels included; heap after gc
 *              and every resource count.
 * - `quit`     ends the driver (the workbench then reports its exit).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as inspector from 'node:inspector';
import * as vscode from 'vscode';
import type { LivePlotApi, SessionHandle } from '../../src/vscode/api';
import type { Source, SourceSink } from '../../src/core/source';
import { childProcesses, freeUdpPort, teardownSpec } from '../lib';

const EXTENSION_ID = 'liveplot.live-plot-sessions';
const CTL = process.env.LIVEPLOT_BENCH_DIR ?? '';

type Req = { cmd: string } & Record<string, unknown>;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Child processes of the extension host that VS Code starts itself, not Live Plot: the
 * language servers of its built-in extensions (e.g. the JSON server, `jsonServerMain`,
 * which the benchmark's .liveplot JSON cells start), run from its own install folder.
 */
function vscodeOwnProcesses(): RegExp {
  const builtins = path.join(vscode.env.appRoot, 'extensions') + path.sep;
  return new RegExp(`${builtins.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|\\b(json|css|html|markdown)ServerMain\\b`);
}

/** A noisy signal per series, rows at a fixed rate on a millisecond x axis. */
class Generator {
  private i = 0;
  private seed = 12345;
  constructor(
    private readonly series: number,
    private readonly dtMs: number,
    private readonly t0 = Date.now(),
  ) {}
  private rand(): number {
    // xorshift32: cheap and deterministic
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed / 2 ** 32;
  }
  /** `n` rows as columns `{ x, y: { s1, … } }`, the cheapest shape `handle.push` takes. */
  columns(n: number): { columns: { x: Float64Array; y: Record<string, Float64Array> }; last: number } {
    const x = new Float64Array(n);
    const ys = Array.from({ length: this.series }, () => new Float64Array(n));
    for (let r = 0; r < n; r++, this.i++) {
      x[r] = this.t0 + this.i * this.dtMs;
      for (let s = 0; s < this.series; s++) ys[s]![r] = Math.sin(this.i / 500 + s) * (s + 1) + this.rand() - 0.5;
    }
    const y: Record<string, Float64Array> = {};
    ys.forEach((col, s) => (y[`s${s + 1}`] = col));
    return { columns: { x, y }, last: n > 0 ? ys[0]![n - 1]! : NaN };
  }
  /** `n` rows as `[x, y1, y2, …]` arrays (the baseline's one message per sample). */
  rows(n: number): number[][] {
    const out: number[][] = [];
    for (let r = 0; r < n; r++, this.i++) {
      const row = [this.t0 + this.i * this.dtMs];
      for (let s = 0; s < this.series; s++) row.push(Math.sin(this.i / 500 + s) * (s + 1) + this.rand() - 0.5);
      out.push(row);
    }
    return out;
  }
}

/**
 * A source for notebook cells (registered as `bench.rate` through `registerSource`):
 * each tick it produces the rows due at `rate` rows/s since it started (the first tick
 * fills the window), until `stop()`; it counts what it produced.
 */
const rateSources = new Set<RateSource>();
class RateSource implements Source {
  readonly mode = 'append' as const;
  readonly endpoint = 'bench: rows at a fixed rate';
  private sink: SourceSink | undefined;
  private t0 = 0;
  private done = 0;
  produced = 0;
  last = NaN;
  private stopped = false;
  private readonly gen: Generator;
  constructor(
    private readonly rate: number,
    series: number,
    private readonly prefill: number,
  ) {
    this.gen = new Generator(series, 1000 / rate);
    rateSources.add(this);
  }
  start(sink: SourceSink): void {
    this.sink = sink;
  }
  /** Starts the stream (until then only the first tick's prefill). */
  go(): void {
    this.t0 = performance.now();
    this.going = true;
  }
  private going = false;
  tick(): void {
    if (!this.sink || this.stopped) return;
    const due = this.prefill + (this.going ? Math.floor((this.rate * (performance.now() - this.t0)) / 1000) : 0);
    const n = due - this.done;
    if (n <= 0) return;
    const { columns, last } = this.gen.columns(n);
    const names = Object.keys(columns.y);
    for (let i = 0; i < n; i++) for (const name of names) this.sink.sample(name, columns.x[i]!, columns.y[name]![i]!);
    this.done = due;
    this.produced += n;
    this.last = last;
  }
  stop(): void {
    this.stopped = true;
  }
  dispose(): void {
    this.sink = undefined;
    rateSources.delete(this);
  }
}

interface Open {
  handle: SessionHandle;
  gen: Generator;
  series: number;
  rate: number;
}

/** Full GC in the extension host (V8's own, exposed at run time). */
function makeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}


/** LIVEPLOT_BENCH_PROFILE=<dir>: a CPU profile of the extension host per stream run. */
const PROFILE_DIR = process.env.LIVEPLOT_BENCH_PROFILE;
let profiler: inspector.Session | undefined;
const post = (method: string, params?: object) =>
  new Promise<any>((resolve, reject) => profiler!.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r))));
async function startProfile(): Promise<void> {
  if (!PROFILE_DIR) return;
  profiler = new inspector.Session();
  profiler.connect();
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 250 });
  await post('Profiler.start');
}
async function stopProfile(name: string): Promise<void> {
  if (!profiler || !PROFILE_DIR) return;
  const { profile } = await post('Profiler.stop');
  fs.mkdirSync(PROFILE_DIR, { recursive: true });
  fs.writeFileSync(path.join(PROFILE_DIR, `${name}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  profiler.disconnect();
  profiler = undefined;
}

export async function run(): Promise<void> {
  if (!CTL) throw new Error('LIVEPLOT_BENCH_DIR is not set');
  const ext = vscode.extensions.getExtension<LivePlotApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = ext.isActive ? ext.exports : await ext.activate();
  const gc = makeGc();
  let open: Open | undefined;
  let registered: vscode.Disposable | undefined;
  let notebookUri: vscode.Uri | undefined;
  let baseline: { panel: vscode.WebviewPanel; gen: Generator; series: number; rate: number } | undefined;

  const commands: Record<string, (r: Req) => Promise<unknown>> = {
    async open(r) {
      const series = Number(r.series);
      const rate = Number(r.rate);
      const window = Number(r.window);
      const handle = await api.openSession(
        { title: String(r.title ?? 'bench'), source: { kind: 'api' }, periodMs: Number(r.periodMs ?? 16), points: window },
        { show: true },
      );
      open = { handle, gen: new Generator(series, 1000 / rate), series, rate };
      // Fill the window: a long-running session's steady state.
      for (let done = 0; done < window; done += 10_000) open.handle.push!(open.gen.columns(Math.min(10_000, window - done)).columns);
      return { id: handle.id };
    },

    async stream(r) {
      if (!open) throw new Error('no session');
      const o = open;
      const seconds = Number(r.seconds);
      const period = 16;
      let pushedRows = 0;
      let accepted = 0;
      let pushMs = 0;
      let last = NaN;
      await startProfile();
      let maxBatchRows = 0;
      let maxGapMs = 0;
      let prev = performance.now();
      const t0 = performance.now();
      const end = t0 + seconds * 1000;
      let next = t0;
      for (;;) {
        next += period;
        const now = performance.now();
        if (now >= end) break;
        const n = Math.floor((o.rate * (now - t0)) / 1000) - pushedRows;
        maxGapMs = Math.max(maxGapMs, now - prev);
        prev = now;
        if (n > 0) {
          maxBatchRows = Math.max(maxBatchRows, n);
          const p0 = performance.now();
          const batch = o.gen.columns(n);
          accepted += Number(o.handle.push!(batch.columns) ?? 0);
          pushMs += performance.now() - p0;
          pushedRows += n;
          last = batch.last;
        }
        await sleep(Math.max(0, next - performance.now()));
      }
      const sendSeconds = (performance.now() - t0) / 1000;
      await stopProfile(`host-stream-${o.series}x${o.rate}`);
      return { pushedRows, pushedPoints: pushedRows * o.series, accepted, sendSeconds, pushMsPerSec: pushMs / sendSeconds, last, maxBatchRows, maxGapMs };
    },

    async notebookOpen(r) {
      const series = Number(r.series);
      const rate = Number(r.rate);
      const window = Number(r.window);
      if (!registered) {
        registered = api.registerSource('bench.rate', (spec) => {
          const o = spec as unknown as { rate?: number; series?: number; prefill?: number };
          return new RateSource(Number(o.rate) || 1000, Number(o.series) || 1, Number(o.prefill) || 0);
        });
      }
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      if (!folder) throw new Error('no workspace folder');
      const spec = { title: `notebook ${series}×${rate}`, source: { kind: 'bench.rate', rate, series, prefill: window }, periodMs: Number(r.periodMs ?? 16), points: window };
      const uri = vscode.Uri.joinPath(folder, `bench-${Date.now()}.liveplot`);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({ cells: [{ kind: 'code', language: 'json', value: JSON.stringify(spec) }] })));
      await vscode.commands.executeCommand('vscode.open', uri);
      let editor: vscode.NotebookEditor | undefined;
      for (let i = 0; i < 200 && !editor; i++) {
        editor = vscode.window.visibleNotebookEditors.find((e) => e.notebook.uri.toString() === uri.toString());
        if (!editor) await sleep(50);
      }
      if (!editor) throw new Error('the notebook editor did not open');
      await vscode.commands.executeCommand('notebook.selectKernel', { editor, id: 'live-plot-controller', extension: EXTENSION_ID });
      const before = new Set(api.sessions.map((x) => x.id));
      await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: uri });
      let id: string | undefined;
      for (let i = 0; i < 200 && !id; i++) {
        id = api.sessions.find((x) => !before.has(x.id))?.id;
        if (!id) await sleep(50);
      }
      if (!id) throw new Error('no session from the cell');
      notebookUri = uri;
      return { id };
    },

    async notebookGo() {
      for (const src of rateSources) src.go();
      return { sources: rateSources.size };
    },

    async notebookStop() {
      const all = [...rateSources];
      for (const src of all) src.stop();
      return { producedRows: all.reduce((n, x) => n + x.produced, 0), last: all[0]?.last ?? NaN, sources: all.length };
    },

    async notebookClose() {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      if (notebookUri) await vscode.workspace.fs.delete(notebookUri).then(undefined, () => undefined);
      notebookUri = undefined;
      return { diagnostics: api.diagnostics() };
    },

    async close() {
      open?.handle.dispose();
      open = undefined;
      return { diagnostics: api.diagnostics() };
    },

    async baselineOpen(r) {
      const series = Number(r.series);
      const rate = Number(r.rate);
      const pageDir = String(r.pageDir);
      const panel = vscode.window.createWebviewPanel('livePlotBench.baseline', 'bench baseline', vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.file(pageDir)],
      });
      const uri = (f: string) => panel.webview.asWebviewUri(vscode.Uri.file(path.join(pageDir, f))).toString();
      panel.webview.html = `<!DOCTYPE html><html><head><meta charset="UTF-8">
<link rel="stylesheet" href="${uri('uPlot.min.css')}">
<script src="${uri('uPlot.iife.min.js')}"></script></head>
<body style="margin:8px" data-series="${series}"><script src="${uri('baseline.js')}"></script></body></html>`;
      baseline = { panel, gen: new Generator(series, 1000 / rate), series, rate };
      return {};
    },

    async baselineStream(r) {
      if (!baseline) throw new Error('no baseline panel');
      const b = baseline;
      const seconds = Number(r.seconds);
      const period = 16;
      let sentRows = 0;
      let due = 0;
      let postMs = 0;
      const t0 = performance.now();
      const end = t0 + seconds * 1000;
      let next = t0;
      let last = NaN;
      for (;;) {
        next += period;
        const now = performance.now();
        if (now >= end) break;
        due = Math.floor((b.rate * (now - t0)) / 1000);
        // One postMessage per sample, as the peer does; the feeder gives itself at most
        // 12 ms of each 16 ms period (it cannot post faster than the host lets it).
        const p0 = performance.now();
        while (sentRows < due && performance.now() - p0 < 12) {
          const [row] = b.gen.rows(1);
          void b.panel.webview.postMessage(row);
          last = row![1]!;
          sentRows++;
        }
        postMs += performance.now() - p0;
        await sleep(Math.max(0, next - performance.now()));
      }
      const sendSeconds = (performance.now() - t0) / 1000;
      return { sentRows, dueRows: due, sendSeconds, postMsPerSec: postMs / sendSeconds, last };
    },

    async baselineClose() {
      baseline?.panel.dispose();
      baseline = undefined;
      return {};
    },

    async teardown(r) {
      const cycles = Number(r.cycles ?? 1000);
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liveplot-bench-td-'));
      const file = path.join(tmp, 'data.log');
      fs.writeFileSync(file, 'a:1\n');
      const port = await freeUdpPort();
      let panels = 0;
      const cycle = async (i: number) => {
        // The kinds in turn, a process every 20th cycle; a panel (a real webview) every 10th.
        const spec = teardownSpec(i, port, file);
        const show = i % 10 === 5;
        const h = await api.openSession({ title: `td${i}`, ...spec }, { show });
        if (show) panels++;
        if (spec.source.kind === 'api') h.push!({ a: i });
        await sleep(show ? 60 : i % 20 === 19 ? 30 : 12);
        h.dispose();
      };
      const settle = async () => {
        await sleep(800); // sockets close, processes exit, panels go asynchronously
        gc();
        await sleep(100);
        gc();
      };
      for (let i = 0; i < 50; i++) await cycle(i);
      await settle();
      const m0 = process.memoryUsage();
      const before = api.diagnostics();
      const notOurs = vscodeOwnProcesses();
      const childrenBefore = childProcesses(notOurs);
      const t0 = performance.now();
      for (let i = 0; i < cycles; i++) await cycle(i);
      const seconds = (performance.now() - t0) / 1000;
      await settle();
      const m1 = process.memoryUsage();
      const after = api.diagnostics();
      fs.rmSync(tmp, { recursive: true, force: true });
      return {
        cycles,
        panels,
        seconds,
        heapDeltaMB: (m1.heapUsed - m0.heapUsed) / 2 ** 20,
        arrayBuffersDeltaMB: (m1.arrayBuffers - m0.arrayBuffers) / 2 ** 20,
        heapBeforeMB: m0.heapUsed / 2 ** 20,
        heapAfterMB: m1.heapUsed / 2 ** 20,
        before,
        after,
        // Processes the extension started and left (VS Code's own are not counted: they
        // may start at any time, e.g. the JSON language server), new since the cycles began.
        childProcesses: childProcesses(notOurs).filter((p) => !childrenBefore.includes(p)),
        childProcessesBefore: childrenBefore,
        vscodeChildProcesses: childProcesses().filter((p) => notOurs.test(p)),
      };
    },
  };

  let seq = 0;
  for (;;) {
    const reqFile = path.join(CTL, `req-${seq}.json`);
    if (!fs.existsSync(reqFile)) {
      await sleep(25);
      continue;
    }
    const req = JSON.parse(fs.readFileSync(reqFile, 'utf8')) as Req;
    let res: unknown;
    if (req.cmd === 'quit') {
      fs.writeFileSync(path.join(CTL, `res-${seq}.json`), JSON.stringify({ ok: true }));
      return;
    }
    try {
      const fn = commands[req.cmd];
      if (!fn) throw new Error(`unknown command ${req.cmd}`);
      res = { ok: true, ...((await fn(req)) as object) };
    } catch (e) {
      res = { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    const tmpFile = path.join(CTL, `res-${seq}.json.tmp`);
    fs.writeFileSync(tmpFile, JSON.stringify(res));
    fs.renameSync(tmpFile, path.join(CTL, `res-${seq}.json`));
    seq++;
  }
}
