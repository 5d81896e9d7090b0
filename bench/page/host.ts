/**
 * The harness page's "host": it plays the part of the extension host and VS Code's
 * webview plumbing for plot pages loaded in cross-site iframes (the panel page
 * bundle, or the baseline page). It answers `attach` with a snapshot and then
 * posts one delta per period (16 ms), Float64Array columns copied by structured
 * clone, exactly the message shapes of src/shared/protocol.ts. The baseline gets
 * one message per sample, as a JSON-style array of numbers.
 *
 * Exposed as `window.bench` for bench/run.mjs (playwright-core).
 */
import type { DeltaMessage, SnapshotMessage, ViewSessionInfo } from '../../src/shared/protocol';

export interface StreamOptions {
  /** `panel` (the real page), `panel-nodecimate` (the same without decimation) or `baseline`. */
  readonly page: 'panel' | 'panel-nodecimate' | 'baseline';
  /** Rows per second (points per second of each series). */
  readonly rate: number;
  readonly series: number;
  /** Window (points) the view keeps. */
  readonly window: number;
  readonly seconds: number;
  readonly periodMs?: number;
  /** Origin of the plot pages (another site than this page, like VS Code's webviews). */
  readonly frameOrigin: string;
  readonly width?: number;
  readonly height?: number;
  /** Amplitude of the fast component of the generated signal (default 1; 0: smooth waves). */
  readonly noise?: number;
}

export interface FrameResult {
  readonly frames: number;
  readonly durationMs: number;
  readonly intervals: number[];
  readonly lags: number[];
  readonly receivedRows: number;
  readonly messages: number;
  readonly updates: number;
  readonly points: number;
  readonly last: string;
}

export interface StreamResult extends FrameResult {
  readonly sentRows: number;
  readonly sentMessages: number;
  readonly lastValue: number;
  readonly feederMs: number;
  readonly resultWaitMs: number;
  readonly sendSeconds: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function info(id: string, points: number, periodMs: number): ViewSessionInfo {
  return {
    id,
    title: 'bench',
    sourceKind: 'udp',
    state: 'running',
    periodMs,
    points,
    paused: false,
    mode: 'append',
    periodRange: { min: 16, max: 2000, step: 16 },
    maxPoints: 10_000_000,
    rate: 1000 / periodMs,
    malformed: 0,
  };
}

/** Waits for a message from `win` matching `pred`. */
function waitMessage<T>(win: Window | null, pred: (d: any) => boolean, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      removeEventListener('message', on);
      reject(new Error('timed out waiting for a message from the plot page'));
    }, timeoutMs);
    const on = (e: MessageEvent) => {
      if (win && e.source !== win) return;
      if (!pred(e.data)) return;
      clearTimeout(t);
      removeEventListener('message', on);
      resolve(e.data as T);
    };
    addEventListener('message', on);
  });
}

/** Generates rows of a few noisy waves, continuing where the last call stopped. */
class Generator {
  private i = 0;
  constructor(
    private readonly series: number,
    private readonly dtMs: number,
    private readonly noise = 1,
    private readonly t0 = 1_718_000_000_000,
  ) {}
  lastValue = NaN;
  rows(n: number): { x: Float64Array; y: Float64Array[] } {
    const x = new Float64Array(n);
    const y = Array.from({ length: this.series }, () => new Float64Array(n));
    for (let k = 0; k < n; k++) {
      const i = this.i++;
      x[k] = this.t0 + i * this.dtMs;
      for (let s = 0; s < this.series; s++) y[s]![k] = Math.sin(i / 2000 + s) * 10 + this.noise * Math.sin(i * 0.7 + s) + s * 5;
    }
    this.lastValue = n ? y[0]![n - 1]! : this.lastValue;
    return { x, y };
  }
}

function makeFrame(src: string, width: number, height: number, parent: HTMLElement = document.body): HTMLIFrameElement {
  const f = document.createElement('iframe');
  f.src = src;
  f.width = String(width);
  f.height = String(height);
  f.style.border = '0';
  f.style.display = 'block';
  parent.appendChild(f);
  return f;
}

/**
 * Waits for a baseline page's `ready`, asking for it every 200 ms: the page says it once
 * while it loads, and a `ready` that comes before the listener (seen in some runs) would
 * otherwise be missed.
 */
async function baselineReady(frame: HTMLIFrameElement, timeoutMs: number): Promise<void> {
  const ping = setInterval(() => frame.contentWindow?.postMessage({ type: 'ping' }, '*'), 200);
  try {
    await waitMessage(frame.contentWindow, (d) => d && d.type === 'ready', timeoutMs);
  } finally {
    clearInterval(ping);
  }
}

async function attachPanel(frame: HTMLIFrameElement): Promise<string> {
  const attach = await waitMessage<{ viewId: string }>(frame.contentWindow, (d) => d && d.type === 'attach', 20_000);
  return attach.viewId;
}

/** One chart, streaming: the real panel page (or the baseline page) fed at `rate` rows/s for `seconds`. */
async function runStream(o: StreamOptions): Promise<StreamResult> {
  const period = o.periodMs ?? 16;
  const names = Array.from({ length: o.series }, (_, s) => `s${s + 1}`);
  const baseline = o.page === 'baseline';
  const url = baseline
    ? `${o.frameOrigin}/baseline.html?series=${o.series}`
    : `${o.frameOrigin}/panel.html?variant=${o.page}`;
  document.body.replaceChildren();
  const frame = makeFrame(url, o.width ?? 832, o.height ?? 520);
  const target = () => frame.contentWindow!;
  const gen = new Generator(o.series, 1000 / o.rate, o.noise ?? 1);
  let viewId = '';
  if (baseline) {
    await baselineReady(frame, 20_000);
  } else {
    viewId = await attachPanel(frame);
    // The window is full from the start: the steady state of a long-running session.
    const snap = gen.rows(o.window);
    const msg: SnapshotMessage = { type: 'snapshot', viewId, info: info('bench', o.window, period), series: names, ...snap };
    target().postMessage(msg, '*');
  }
  await sleep(1500); // first chart, layout, warm-up
  // The page reports on its own clock half a second after the last send at the latest:
  // what has not arrived by then was not delivered in time.
  // Listening for the result from the start: a page may report on its own clock before
  // the feeder is done (a result that came before the listener was lost in some runs).
  const result = waitMessage<FrameResult>(frame.contentWindow, (d) => d && d.type === 'bench-result', o.seconds * 1000 + 60_000);
  target().postMessage({ type: 'bench-start', reportAfterMs: o.seconds * 1000 + 500 }, '*');
  const t0 = performance.now();
  let sentRows = 0;
  let sentMessages = 0;
  let feederMs = 0;
  let next = t0;
  const end = t0 + o.seconds * 1000;
  for (;;) {
    next += period;
    const now = performance.now();
    if (now >= end) break;
    const due = Math.floor((o.rate * (now - t0)) / 1000);
    const n = due - sentRows;
    if (n > 0) {
      const f0 = performance.now();
      const rows = gen.rows(n);
      if (baseline) {
        // One message per sample (a row), numbers in a plain array.
        for (let k = 0; k < n; k++) {
          const m = [rows.x[k]!];
          for (let s = 0; s < o.series; s++) m.push(rows.y[s]![k]!);
          target().postMessage(m, '*');
        }
        sentMessages += n;
      } else {
        const msg: DeltaMessage = { type: 'delta', viewId, replace: false, points: o.window, series: names, ...rows };
        target().postMessage(msg, '*');
        sentMessages++;
      }
      sentRows += n;
      feederMs += performance.now() - f0;
    }
    await sleep(Math.max(0, next - performance.now()));
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  await sleep(100);
  const w0 = performance.now();
  target().postMessage({ type: 'bench-stop' }, '*');
  const r = await result;
  const resultWaitMs = performance.now() - w0;
  frame.remove();
  return { ...r, sentRows, sentMessages, lastValue: gen.lastValue, feederMs, resultWaitMs, sendSeconds };
}

export interface ManyOptions {
  readonly page: 'panel' | 'baseline';
  readonly count: number;
  readonly points: number;
  readonly seconds: number;
  readonly frameOrigin: string;
  readonly width: number;
  readonly height: number;
  readonly columns: number;
}

interface ManyState {
  readonly o: ManyOptions;
  readonly frames: HTMLIFrameElement[];
  readonly send: (i: number) => void;
  sent: () => number;
}
let many: ManyState | undefined;

/** Many visible charts (phase 1): the pages load and get their first frame; not measured. */
async function setupMany(o: ManyOptions): Promise<void> {
  document.body.replaceChildren();
  const grid = document.createElement('div');
  grid.style.display = 'grid';
  grid.style.gridTemplateColumns = `repeat(${o.columns}, ${o.width}px)`;
  document.body.appendChild(grid);
  const baseline = o.page === 'baseline';
  const frames: HTMLIFrameElement[] = [];
  const views: string[] = [];
  for (let i = 0; i < o.count; i++) {
    const url = baseline ? `${o.frameOrigin}/baseline.html?series=1&i=${i}` : `${o.frameOrigin}/panel.html?variant=panel&i=${i}`;
    const f = makeFrame(url, o.width, o.height, grid);
    frames.push(f);
    const ready = baseline
      ? baselineReady(f, 30_000).then(() => '')
      : attachPanel(f);
    views.push(await ready);
  }
  const x = Float64Array.from({ length: o.points }, (_, i) => i + 1);
  const frameData = () => [Float64Array.from({ length: o.points }, () => Math.random())];
  let sent = 0;
  const counters = frames.map(() => 1);
  const send = (i: number) => {
    const y = frameData();
    if (baseline) {
      // The peer: one message per sample, appended to its history.
      const w = frames[i]!.contentWindow!;
      for (let k = 0; k < o.points; k++) w.postMessage([counters[i]!++, y[0]![k]!], '*');
    } else {
      const msg: DeltaMessage = { type: 'delta', viewId: views[i]!, replace: true, points: o.points, series: ['random'], x, y };
      frames[i]!.contentWindow!.postMessage(msg, '*');
    }
    sent++;
  };
  for (let i = 0; i < o.count; i++) {
    if (!baseline) {
      const snap: SnapshotMessage = { type: 'snapshot', viewId: views[i]!, info: { ...info(`m${i}`, o.points, 1000), mode: 'replace' }, series: ['random'], x, y: frameData() };
      frames[i]!.contentWindow!.postMessage(snap, '*');
    }
  }
  many = { o, frames, send, sent: () => sent };
  await sleep(2000);
}

/** Many visible charts (phase 2): every session ticks once a second for `seconds`; measured. */
async function measureMany(): Promise<{ lags: number[]; frames: FrameResult[]; sentMessages: number }> {
  const m = many!;
  const { o, frames, send } = m;
  // Frames and main-thread lag are measured in the first chart only (all the charts share
  // one renderer process and main thread); the others only count what they receive.
  frames.forEach((f, i) => f.contentWindow!.postMessage({ type: 'bench-start', reportAfterMs: o.seconds * 1000 + 500, frames: i === 0, lag: i === 0 }, '*'));
  const sent0 = m.sent();
  // Each session ticks once a second, spread over the second like independent timers.
  const timeouts: number[] = [];
  const intervals: number[] = [];
  for (let i = 0; i < o.count; i++) {
    timeouts.push(
      window.setTimeout(() => {
        send(i);
        intervals.push(window.setInterval(() => send(i), 1000));
      }, (i * 1000) / o.count),
    );
  }
  // Main-thread lag of this page (the workbench's side).
  const lags: number[] = [];
  const tEnd = performance.now() + o.seconds * 1000;
  while (performance.now() < tEnd) {
    const t = performance.now();
    await sleep(10);
    lags.push(performance.now() - t - 10);
  }
  timeouts.forEach((t) => clearTimeout(t));
  intervals.forEach((t) => clearInterval(t));
  const results = await Promise.all(
    frames.map((f) => {
      const r = waitMessage<FrameResult>(f.contentWindow, (d) => d && d.type === 'bench-result', 60_000);
      f.contentWindow!.postMessage({ type: 'bench-stop' }, '*');
      return r;
    }),
  );
  document.body.replaceChildren();
  many = undefined;
  return { lags, frames: results.map((r) => ({ ...r, intervals: [] })), sentMessages: m.sent() - sent0 };
}

(window as unknown as { bench: unknown }).bench = { runStream, setupMany, measureMany };
