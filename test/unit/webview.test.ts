/**
 * DOM unit tests of the webview side: PlotView's message handling and controls,
 * the data window, and the notebook renderer with a hand-made RendererContext.
 * Runs under happy-dom with a fake chart (no canvas drawing); the web components
 * are not registered here, so controls are driven through their properties and
 * events as the real components expose them.
 */
import { after, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Window } from 'happy-dom';
import type uPlot from 'uplot';
import type { RendererContext } from 'vscode-notebook-renderer';
import type {
  HostToViewMessage,
  ViewSessionInfo,
  ViewToHostMessage,
} from '../../src/shared/protocol';
import { encodeMessage } from '../../src/shared/codec';
import { DataWindow } from '../../webview/plot/dataWindow';
import { formatPeriod } from '../../src/shared/format';
import { parsePayload } from '../../src/shared/payload';
import type { ChartFactory, PlotChart } from '../../webview/plot/chart';
import { formatSeconds } from '../../webview/plot/format';
import { periodChoices } from '../../webview/plot/periods';
import { PlotView } from '../../webview/plot/plotView';
import { createRenderer } from '../../webview/rendererCore';

// ------------------------------------------------------------------ fixtures

const win = new Window({ url: 'https://webview.test/' });
const doc = win.document as unknown as Document;
after(async () => {
  await win.happyDOM.close();
});

class FakeChart implements PlotChart {
  setDataCalls = 0;
  lastData: uPlot.AlignedData;
  sizes: { width: number; height: number }[] = [];
  destroyed = false;
  constructor(
    readonly opts: uPlot.Options,
    data: uPlot.AlignedData,
  ) {
    this.lastData = data;
  }
  setData(data: uPlot.AlignedData): void {
    this.setDataCalls++;
    this.lastData = data;
  }
  setSize(size: { width: number; height: number }): void {
    this.sizes.push(size);
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function chartRecorder(): { factory: ChartFactory; charts: FakeChart[] } {
  const charts: FakeChart[] = [];
  return {
    charts,
    factory: (opts, data) => {
      const c = new FakeChart(opts, data);
      charts.push(c);
      return c;
    },
  };
}

/** Resolves after the next animation frame (after any frame PlotView scheduled before). */
function nextFrame(): Promise<void> {
  return new Promise((resolve) => win.requestAnimationFrame(() => resolve()));
}

function info(over: Partial<ViewSessionInfo> = {}): ViewSessionInfo {
  return {
    id: 'session-1',
    title: 'Pump pressure',
    sourceKind: 'sine',
    state: 'running',
    periodMs: 500,
    points: 5,
    paused: false,
    mode: 'replace',
    periodRange: { min: 250, max: 2000, step: 250 },
    maxPoints: 1000,
    rate: 2,
    malformed: 0,
    ...over,
  };
}

/** Columns with x = from..from+n-1 and y_s = x * 10^s. */
function cols(from: number, n: number, series = ['a']) {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = from + i;
  }
  const y = series.map((_, s) => x.map((v) => v * 10 ** s));
  return { series, x, y };
}

const VIEW = 'view-1';

function snapshot(n: number, infoOver: Partial<ViewSessionInfo> = {}, from = 1): HostToViewMessage {
  return { type: 'snapshot', viewId: VIEW, info: info(infoOver), ...cols(from, n) };
}

function delta(from: number, n: number, points: number, replace = false, series = ['a']): HostToViewMessage {
  return { type: 'delta', viewId: VIEW, replace, points, ...cols(from, n, series) };
}

interface Harness {
  root: HTMLElement;
  view: PlotView;
  posted: ViewToHostMessage[];
  charts: FakeChart[];
  ds: DOMStringMap;
  q<T extends HTMLElement = HTMLElement>(sel: string): T;
}

function makeView(closeLabel: 'Close' | 'Stop' = 'Close'): Harness {
  const root = doc.createElement('div');
  doc.body.appendChild(root);
  const posted: ViewToHostMessage[] = [];
  const { factory, charts } = chartRecorder();
  const view = new PlotView(root, (m) => posted.push(m), { viewId: VIEW, closeLabel, createChart: factory });
  return {
    root,
    view,
    posted,
    charts,
    ds: root.dataset,
    q: <T extends HTMLElement>(sel: string) => {
      const el = root.querySelector(sel);
      assert.ok(el, `missing ${sel}`);
      return el as T;
    },
  };
}

type Control = HTMLElement & { value: string; disabled: boolean };

beforeEach(() => {
  doc.body.replaceChildren();
  doc.body.className = 'vscode-dark';
});

// ------------------------------------------------------------------ DataWindow

describe('DataWindow', () => {
  it('appends, trims the oldest rows to the capacity, and keeps one buffer', () => {
    const w = new DataWindow();
    assert.ok(w.replace(cols(1, 3), 5));
    const before = w.view()[0].buffer;
    assert.ok(w.append(cols(4, 4), 5));
    assert.equal(w.length, 5);
    assert.deepEqual([...w.view()[0]], [3, 4, 5, 6, 7]);
    assert.deepEqual([...w.view()[1]], [3, 4, 5, 6, 7]);
    assert.equal(w.view()[0].buffer, before, 'no reallocation while the shape is unchanged');
  });

  it('keeps only the newest rows of a delta longer than the window', () => {
    const w = new DataWindow();
    w.append(cols(1, 10), 4);
    assert.deepEqual([...w.view()[0]], [7, 8, 9, 10]);
  });

  it('resizes when the window size changes, keeping the newest rows', () => {
    const w = new DataWindow();
    w.replace(cols(1, 6), 6);
    w.append(cols(7, 1), 3);
    assert.deepEqual([...w.view()[0]], [5, 6, 7]);
    w.append(cols(8, 1), 10);
    assert.deepEqual([...w.view()[0]], [5, 6, 7, 8]);
    assert.equal(w.capacity, 10);
  });

  it('adds a series that appears mid-stream, with gaps before it', () => {
    const w = new DataWindow();
    w.replace(cols(1, 2, ['a']), 10);
    w.append(cols(3, 1, ['a', 'b']), 10);
    assert.deepEqual(w.series, ['a', 'b']);
    const [, a, b] = w.view();
    assert.deepEqual([...a], [1, 2, 3]);
    assert.ok(Number.isNaN(b[0]) && Number.isNaN(b[1]));
    assert.equal(b[2], 30);
  });

  it('accepts plain arrays and rejects columns of unequal length', () => {
    const w = new DataWindow();
    assert.ok(w.replace({ series: ['a'], x: [1, 2], y: [[5, 6]] }, 10));
    assert.equal(w.last(0), 6);
    assert.equal(w.append({ series: ['a'], x: [3, 4], y: [[1]] }, 10), false);
    assert.equal(w.append({ series: ['a', 'b'], x: [3], y: [[1]] }, 10), false);
    assert.equal(w.length, 2);
  });
});

// ------------------------------------------------------------------ PlotView: data

describe('PlotView data', () => {
  it('marks its root and starts out connecting', () => {
    const h = makeView();
    assert.ok(h.root.classList.contains('lp-root'));
    assert.equal(h.ds.viewId, VIEW);
    assert.equal(h.ds.state, 'connecting');
    assert.equal(h.ds.updates, '0');
    assert.equal(h.ds.points, '0');
    h.view.dispose();
  });

  it('applies a snapshot, then append deltas trimmed to points', async () => {
    const h = makeView();
    h.view.handle(snapshot(5, { points: 5 }));
    assert.equal(h.ds.session, 'session-1');
    assert.equal(h.ds.state, 'running');
    assert.equal(h.ds.points, '5');
    assert.equal(h.ds.series, '1');
    assert.equal(h.ds.last, '5');
    h.view.handle(delta(6, 3, 5));
    assert.equal(h.ds.updates, '2');
    assert.equal(h.ds.points, '5');
    assert.equal(h.ds.last, '8');
    await nextFrame();
    assert.equal(h.charts.length, 1);
    assert.deepEqual([...(h.charts[0].lastData[0] as Float64Array)], [4, 5, 6, 7, 8]);
    h.view.dispose();
  });

  it('replaces the whole window on a replace delta', async () => {
    const h = makeView();
    h.view.handle(snapshot(5, { points: 5 }));
    h.view.handle(delta(100, 2, 10, true));
    assert.equal(h.ds.points, '2');
    assert.equal(h.ds.last, '101');
    await nextFrame();
    assert.deepEqual([...(h.charts[0].lastData[0] as Float64Array)], [100, 101]);
    h.view.dispose();
  });

  it('ignores messages for another view id', () => {
    const h = makeView();
    h.view.handle({ ...snapshot(5), viewId: 'someone-else' } as HostToViewMessage);
    h.view.handle({ type: 'ended', viewId: 'someone-else', reason: 'x' });
    assert.equal(h.ds.updates, '0');
    assert.equal(h.ds.state, 'connecting');
    h.view.handle(snapshot(5));
    h.view.handle({ ...delta(6, 1, 5), viewId: 'someone-else' } as HostToViewMessage);
    assert.equal(h.ds.updates, '1');
    assert.equal(h.ds.last, '5');
    h.view.dispose();
  });

  it('survives malformed and unknown messages', () => {
    const h = makeView();
    const bad: unknown[] = [
      null,
      undefined,
      42,
      'snapshot',
      { type: 'bogus', viewId: VIEW },
      { type: 'snapshot', viewId: VIEW, series: ['a'], x: new Float64Array(1), y: [new Float64Array(1)] },
      { type: 'delta', viewId: VIEW, replace: false, points: 5, series: ['a'], x: new Float64Array(2), y: [] },
      { type: 'delta', viewId: VIEW, replace: false, points: 5, series: ['a'], x: {}, y: [{}] },
      { type: 'info', viewId: VIEW, info: null },
    ];
    for (const m of bad) {
      assert.doesNotThrow(() => h.view.handle(m as HostToViewMessage));
    }
    assert.equal(h.ds.updates, '0');
    assert.equal(h.ds.points, '0');
    assert.equal(h.ds.ignored, '5', 'each message of this view that did not fit is counted');
    h.view.handle(snapshot(3));
    assert.equal(h.ds.updates, '1', 'still works afterwards');
    h.view.dispose();
  });

  it('counts the rows it received (data-received), beyond what the window keeps', () => {
    const h = makeView();
    assert.equal(h.ds.received, '0');
    h.view.handle(snapshot(4));
    h.view.handle(delta(5, 3, 5));
    h.view.handle(delta(8, 9, 5)); // more rows than the window: all received, 5 kept
    h.view.handle({ type: 'delta', viewId: VIEW, replace: false, points: 5, series: ['a'], x: new Float64Array(2), y: [] } as HostToViewMessage);
    h.view.handle({ ...delta(20, 2, 5), viewId: 'someone-else' } as HostToViewMessage);
    assert.equal(h.ds.received, '16', 'malformed and foreign messages are not counted');
    assert.equal(h.ds.points, '5');
    assert.equal(h.ds.last, '16');
    h.view.dispose();
  });

  it('calls setData at most once per animation frame', async () => {
    const h = makeView();
    h.view.handle(snapshot(5));
    h.view.handle(delta(6, 1, 5));
    await nextFrame();
    assert.equal(h.charts.length, 1, 'one chart created for the first frame');
    assert.equal(h.charts[0].setDataCalls, 0);
    for (let i = 0; i < 10; i++) {
      h.view.handle(delta(7 + i, 1, 5));
    }
    assert.equal(h.charts[0].setDataCalls, 0, 'nothing drawn before the frame');
    await nextFrame();
    assert.equal(h.charts[0].setDataCalls, 1);
    assert.equal((h.charts[0].lastData[1] as Float64Array).at(-1), 16);
    h.view.dispose();
  });

  it('formats x as time only for append mode with epoch-ms x', async () => {
    const h = makeView();
    const t0 = Date.UTC(2025, 0, 1);
    h.view.handle({ type: 'snapshot', viewId: VIEW, info: info({ mode: 'append' }), ...cols(t0, 5) });
    await nextFrame();
    assert.equal(h.charts[0].opts.scales?.x?.time, true);
    assert.equal(h.charts[0].opts.ms, 1, 'timestamps are in ms');
    h.view.handle({ type: 'snapshot', viewId: VIEW, info: info({ mode: 'replace' }), ...cols(1, 5) });
    await nextFrame();
    assert.equal(h.charts.length, 2, 'rebuilt for the new axis');
    assert.ok(h.charts[0].destroyed);
    assert.equal(h.charts[1].opts.scales?.x?.time, false);
    h.view.dispose();
  });

  it('gives series distinct colours and rebuilds the chart on a theme change', async () => {
    const h = makeView();
    h.view.handle({ type: 'snapshot', viewId: VIEW, info: info(), ...cols(1, 3, ['a', 'b', 'c']) });
    await nextFrame();
    const strokes = h.charts[0].opts.series.slice(1).map((s) => s.stroke);
    assert.equal(new Set(strokes).size, 3);
    doc.body.className = 'vscode-light';
    await new Promise((r) => setTimeout(r, 0));
    await nextFrame();
    assert.equal(h.charts.length, 2);
    assert.ok(h.charts[0].destroyed);
    assert.notDeepEqual(h.charts[1].opts.series[1].stroke, strokes[0]);
    h.view.dispose();
  });

  it('takes series colours from the VS Code theme variables', async () => {
    const style = doc.createElement('style');
    // happy-dom does not inherit custom properties, so set them on the root itself.
    style.textContent = '.lp-root { --vscode-charts-blue: #123456; }';
    doc.head.appendChild(style);
    try {
      const h = makeView();
      h.view.handle(snapshot(3));
      await nextFrame();
      assert.equal(h.charts[0].opts.series[1].stroke, '#123456');
      h.view.dispose();
    } finally {
      style.remove();
    }
  });
});

// ------------------------------------------------------------------ PlotView: states and controls

describe('PlotView controls and states', () => {
  it('posts pause, resume and close with its view id', () => {
    const h = makeView();
    h.q('.lp-pause').click();
    h.q('.lp-close').click();
    assert.deepEqual(h.posted, [], 'nothing before the session is known');
    h.view.handle(snapshot(3));
    h.q('.lp-pause').click();
    h.view.handle({ type: 'info', viewId: VIEW, info: info({ paused: true, state: 'paused' }) });
    assert.equal(h.q('.lp-pause').textContent, 'Resume');
    h.q('.lp-pause').click();
    h.q('.lp-close').click();
    assert.deepEqual(h.posted, [
      { type: 'pause', viewId: VIEW },
      { type: 'resume', viewId: VIEW },
      { type: 'close', viewId: VIEW },
    ]);
    h.view.dispose();
  });

  it('uses the close label it was given', () => {
    const h = makeView('Stop');
    assert.equal(h.q('.lp-close').textContent, 'Stop');
    assert.match(h.q('.lp-close').getAttribute('aria-label') ?? '', /stop/i);
    h.view.dispose();
  });

  it('sends setPoints on change or Enter, clamped to 1..maxPoints, once', () => {
    const h = makeView();
    h.view.handle(snapshot(3, { points: 200, maxPoints: 1000 }));
    const field = h.q<Control>('.lp-points');
    assert.equal(field.value, '200');
    assert.equal(field.getAttribute('max'), '1000');
    field.value = '300';
    field.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Enter' }) as unknown as Event);
    field.dispatchEvent(new win.Event('change') as unknown as Event);
    field.value = '5000';
    field.dispatchEvent(new win.Event('change') as unknown as Event);
    assert.equal(field.value, '1000');
    field.value = 'abc';
    field.dispatchEvent(new win.Event('change') as unknown as Event);
    assert.deepEqual(h.posted, [
      { type: 'setPoints', viewId: VIEW, points: 300 },
      { type: 'setPoints', viewId: VIEW, points: 1000 },
    ]);
    h.view.dispose();
  });

  it('offers the period range (written as the tree writes it) and sends setPeriod', () => {
    const h = makeView();
    h.view.handle(snapshot(3, { periodMs: 500 }));
    const select = h.q<Control>('.lp-period');
    const options = [...select.querySelectorAll('vscode-option')];
    assert.deepEqual(
      options.map((o) => o.getAttribute('value')),
      ['250', '500', '750', '1000', '1250', '1500', '1750', '2000'],
    );
    assert.deepEqual(
      options.map((o) => o.textContent),
      ['250 ms', '500 ms', '750 ms', '1 s', '1.25 s', '1.5 s', '1.75 s', '2 s'],
    );
    assert.equal(select.value, '500');
    select.value = '1000';
    select.dispatchEvent(new win.Event('change') as unknown as Event);
    select.dispatchEvent(new win.Event('change') as unknown as Event);
    assert.deepEqual(h.posted, [{ type: 'setPeriod', viewId: VIEW, periodMs: 1000 }]);
    h.view.dispose();
  });

  it('shows state, period, points, rate, malformed count and status text', () => {
    const h = makeView();
    h.view.handle(snapshot(3));
    h.view.handle({
      type: 'info',
      viewId: VIEW,
      info: info({ periodMs: 1500, points: 400, rate: 1.5, malformed: 7, status: 'udp 127.0.0.1:47269' }),
    });
    const text = h.q('.lp-status').textContent ?? '';
    for (const part of ['running', '1.5 s', '400 points', '1.5 updates/s', '7 malformed', 'udp 127.0.0.1:47269']) {
      assert.ok(text.includes(part), `${JSON.stringify(text)} lacks ${part}`);
    }
    h.view.handle({ type: 'info', viewId: VIEW, info: info({ malformed: 0 }) });
    assert.ok(!(h.q('.lp-status').textContent ?? '').includes('malformed'));
    h.view.dispose();
  });

  it('on ended: keeps the last frame, shows the reason, disables every control', async () => {
    const h = makeView();
    h.view.handle(snapshot(5));
    await nextFrame();
    h.view.handle({ type: 'ended', viewId: VIEW, reason: 'panel closed' });
    assert.equal(h.ds.state, 'ended');
    assert.ok((h.q('.lp-status').textContent ?? '').includes('ended — panel closed'));
    for (const sel of ['.lp-period', '.lp-points', '.lp-pause', '.lp-close']) {
      assert.equal(h.q<Control>(sel).disabled, true, `${sel} disabled`);
    }
    h.q('.lp-close').click();
    h.q('.lp-pause').click();
    assert.deepEqual(h.posted, []);
    h.view.handle(delta(6, 1, 5));
    assert.equal(h.ds.last, '5', 'data after the end is not applied');
    assert.equal(h.charts[0].destroyed, false, 'the last frame stays');
    h.view.dispose();
  });

  it('on unknown-session: shows the message and disables the controls', () => {
    const h = makeView();
    h.view.handle({ type: 'unknown-session', viewId: VIEW, message: 'This output was stopped.' });
    assert.equal(h.ds.state, 'unknown-session');
    assert.ok((h.q('.lp-status').textContent ?? '').includes('This output was stopped.'));
    assert.equal(h.q<Control>('.lp-close').disabled, true);
    h.view.dispose();
  });
});

// ------------------------------------------------------------------ PlotView: dispose

describe('PlotView dispose', () => {
  it('destroys the chart, then ignores messages and clicks; twice is fine', async () => {
    const h = makeView();
    h.view.handle(snapshot(5));
    await nextFrame();
    h.view.dispose();
    assert.equal(h.charts[0].destroyed, true);
    h.view.handle(delta(6, 1, 5));
    assert.equal(h.ds.updates, '1');
    h.q('.lp-close').click();
    assert.deepEqual(h.posted, []);
    assert.doesNotThrow(() => h.view.dispose());
  });

  it('cancels a pending frame', async () => {
    const h = makeView();
    h.view.handle(snapshot(5));
    h.view.dispose();
    await nextFrame();
    await nextFrame();
    assert.equal(h.charts.length, 0, 'no chart created after dispose');
  });
});

describe('period helpers', () => {
  it('falls back to round values when the range has too many steps, keeping the current one', () => {
    const v = periodChoices(info({ periodRange: { min: 50, max: 60000, step: 50 }, periodMs: 1234 }));
    assert.ok(v.length < 40);
    assert.equal(v[0], 50);
    assert.equal(v.at(-1), 60000);
    assert.ok(v.includes(1234) && v.includes(1000));
  });
  it('formats periods as the tree does, and time windows in seconds', () => {
    assert.equal(formatPeriod(250), '250 ms');
    assert.equal(formatPeriod(1000), '1 s');
    assert.equal(formatPeriod(1500), '1.5 s');
    assert.equal(formatPeriod(60000), '60 s');
    assert.equal(formatSeconds(250), '0.25 s');
    assert.equal(formatSeconds(2000), '2 s');
  });
});

// ------------------------------------------------------------------ renderer

interface FakeContext {
  context: RendererContext<unknown>;
  posted: ViewToHostMessage[];
  send(m: unknown): void;
  listeners: number;
}

function fakeContext(messaging = true): FakeContext {
  const posted: ViewToHostMessage[] = [];
  const handlers: ((m: unknown) => void)[] = [];
  const context = {
    setState() {},
    getState: () => undefined,
    getRenderer: async () => undefined,
    workspace: { isTrusted: true },
    ...(messaging
      ? {
          postMessage: (m: unknown) => posted.push(m as ViewToHostMessage),
          onDidReceiveMessage: (fn: (m: unknown) => void) => {
            handlers.push(fn);
            return { dispose() {} };
          },
        }
      : {}),
  } as RendererContext<unknown>;
  return {
    context,
    posted,
    send: (m) => handlers.forEach((fn) => fn(m)),
    get listeners() {
      return handlers.length;
    },
  };
}

function outputItem(id: string, value: unknown) {
  return {
    id,
    mime: 'application/vnd.liveplot.session+json',
    metadata: {},
    json: () => value,
    text: () => JSON.stringify(value),
    data: () => new Uint8Array(),
    blob: () => {
      throw new Error('unused');
    },
  };
}

const PAYLOAD = { version: 1, session: '6f1c2b1e-5a0e-4c55-9a38-2d7f0b3f6a01', title: 'Pump', source: { kind: 'sine' } };
const signal = new AbortController().signal;

function renderInto(api: ReturnType<typeof createRenderer>, id: string, value: unknown): HTMLElement {
  const element = doc.createElement('div');
  doc.body.appendChild(element);
  api.renderOutputItem(outputItem(id, value), element, signal);
  return element;
}

describe('notebook renderer', () => {
  it('attaches a fresh view per render and routes host messages by view id', () => {
    const f = fakeContext();
    const { factory } = chartRecorder();
    const api = createRenderer(f.context, { css: '.x{}', createChart: factory });
    assert.equal(f.listeners, 1, 'one message listener for the renderer');
    const el = renderInto(api, 'out-1', PAYLOAD);
    const attach = f.posted.find((m) => m.type === 'attach');
    assert.ok(attach && attach.type === 'attach');
    assert.equal(attach.output, PAYLOAD.session);
    const root = el.querySelector<HTMLElement>('.lp-root');
    assert.ok(root);
    assert.equal(root.dataset.viewId, attach.viewId);
    assert.equal(root.querySelector('.lp-close')?.textContent, 'Stop');
    f.send({ ...snapshot(4), viewId: attach.viewId });
    f.send({ ...snapshot(9), viewId: 'other' });
    assert.equal(root.dataset.updates, '1');
    assert.equal(root.dataset.points, '4');
    assert.equal(doc.head.querySelectorAll('#live-plot-renderer-style').length, 1, 'CSS injected');
    renderInto(api, 'out-2', PAYLOAD);
    assert.equal(doc.head.querySelectorAll('#live-plot-renderer-style').length, 1, 'CSS injected once');
    api.disposeOutputItem?.(undefined);
  });

  it('decodes columns that crossed the JSON channel base64-encoded', () => {
    const f = fakeContext();
    const api = createRenderer(f.context, { css: '', createChart: chartRecorder().factory });
    const el = renderInto(api, 'out-1', PAYLOAD);
    const viewId = f.posted[0].viewId;
    const [encoded] = encodeMessage({ ...snapshot(4), viewId });
    f.send(JSON.parse(JSON.stringify(encoded)));
    const root = el.querySelector<HTMLElement>('.lp-root');
    assert.equal(root?.dataset.points, '4');
    assert.equal(root?.dataset.last, '4');
    api.disposeOutputItem?.(undefined);
  });

  it('disposes the old view (detach) before re-rendering the same output id', () => {
    const f = fakeContext();
    const api = createRenderer(f.context, { css: '', createChart: chartRecorder().factory });
    const el = doc.createElement('div');
    doc.body.appendChild(el);
    api.renderOutputItem(outputItem('out-1', PAYLOAD), el, signal);
    const first = (f.posted[0] as { viewId: string }).viewId;
    api.renderOutputItem(outputItem('out-1', PAYLOAD), el, signal);
    const types = f.posted.filter((m) => m.type !== 'visibility').map((m) => `${m.type}:${m.viewId === first ? 'old' : 'new'}`);
    assert.deepEqual(types, ['attach:old', 'detach:old', 'attach:new']);
    assert.equal(el.querySelectorAll('.lp-root').length, 1);
    f.send({ ...snapshot(4), viewId: first });
    assert.equal(el.querySelector<HTMLElement>('.lp-root')?.dataset.updates, '0', 'old view id no longer routed');
    api.disposeOutputItem?.(undefined);
  });

  it('disposeOutputItem(id) disposes one, (undefined) disposes all; detaching never closes', () => {
    const f = fakeContext();
    const api = createRenderer(f.context, { css: '', createChart: chartRecorder().factory });
    renderInto(api, 'a', PAYLOAD);
    renderInto(api, 'b', PAYLOAD);
    renderInto(api, 'c', PAYLOAD);
    const ids = f.posted.filter((m) => m.type === 'attach').map((m) => m.viewId);
    api.disposeOutputItem?.('b');
    assert.deepEqual(f.posted.filter((m) => m.type === 'detach').map((m) => m.viewId), [ids[1]]);
    api.disposeOutputItem?.(undefined);
    assert.deepEqual(
      f.posted.filter((m) => m.type === 'detach').map((m) => m.viewId).sort(),
      [...ids].sort(),
    );
    api.disposeOutputItem?.(undefined);
    assert.equal(f.posted.filter((m) => m.type === 'detach').length, 3, 'nothing disposed twice');
    assert.ok(!f.posted.some((m) => m.type === 'close'));
  });

  it('accepts a payload stored as a JSON string', () => {
    const f = fakeContext();
    const api = createRenderer(f.context, { css: '', createChart: chartRecorder().factory });
    renderInto(api, 'a', JSON.stringify(PAYLOAD));
    const attach = f.posted.find((m) => m.type === 'attach');
    assert.ok(attach && attach.type === 'attach' && attach.output === PAYLOAD.session);
    api.disposeOutputItem?.(undefined);
  });

  it('shows a clear error for an invalid payload and attaches nothing', () => {
    const f = fakeContext();
    const api = createRenderer(f.context, { css: '', createChart: chartRecorder().factory });
    for (const bad of [{ title: 'no session' }, '{not json', [1, 2], 17, { session: 42 }]) {
      const el = renderInto(api, 'bad', bad);
      const box = el.querySelector('[role="alert"]');
      assert.ok(box, `error shown for ${JSON.stringify(bad)}`);
      assert.match(box.textContent ?? '', /Live plot: cannot show this output/);
      assert.equal(el.querySelector('.lp-root'), null);
    }
    const parsed = parsePayload({ json: () => ({}) });
    assert.ok('error' in parsed);
    assert.match(parsed.error, /session/);
    assert.deepEqual(f.posted, []);
  });

  it('renders static text when messaging is unavailable', () => {
    const f = fakeContext(false);
    const api = createRenderer(f.context, { css: '' });
    const el = renderInto(api, 'a', PAYLOAD);
    assert.equal(
      el.textContent,
      `Live plot Pump (session ${PAYLOAD.session}) — open in VS Code with the Live Plot Sessions extension to see it live`,
    );
    assert.equal(el.querySelector('.lp-root'), null);
  });

  it('reports visibility changes from an IntersectionObserver, once per change', () => {
    const observers: { cb: (e: { isIntersecting: boolean }[]) => void; disconnected: boolean }[] = [];
    class FakeIO {
      private readonly rec: (typeof observers)[number];
      constructor(cb: (e: { isIntersecting: boolean }[]) => void) {
        this.rec = { cb, disconnected: false };
        observers.push(this.rec);
      }
      observe() {}
      disconnect() {
        this.rec.disconnected = true;
      }
    }
    const original = Object.getOwnPropertyDescriptor(win, 'IntersectionObserver');
    Object.defineProperty(win, 'IntersectionObserver', { value: FakeIO, configurable: true, writable: true });
    try {
      const f = fakeContext();
      const api = createRenderer(f.context, { css: '', createChart: chartRecorder().factory });
      renderInto(api, 'a', PAYLOAD);
      const viewId = f.posted[0].viewId;
      assert.equal(observers.length, 1);
      observers[0].cb([{ isIntersecting: true }]);
      observers[0].cb([{ isIntersecting: true }]);
      observers[0].cb([{ isIntersecting: false }]);
      assert.deepEqual(
        f.posted.filter((m) => m.type === 'visibility'),
        [
          { type: 'visibility', viewId, visible: true },
          { type: 'visibility', viewId, visible: false },
        ],
      );
      api.disposeOutputItem?.('a');
      assert.equal(observers[0].disconnected, true);
    } finally {
      if (original) {
        Object.defineProperty(win, 'IntersectionObserver', original);
      }
    }
  });
});

describe('PlotView: the not-started gate (opening never runs anything)', () => {
  const notStarted = (over: Partial<Extract<HostToViewMessage, { type: 'not-started' }>> = {}): HostToViewMessage => ({
    type: 'not-started',
    viewId: VIEW,
    state: 'pending',
    message: 'not started — opened from a file: nothing runs until you start it',
    title: 'Saved command',
    sourceKind: 'command',
    actions: ['Runs the program: sh -c "touch /tmp/x"', 'In the folder: /ws/.'],
    ...over,
  });
  function makeOutputView(): Harness & { gate: HTMLElement; start: HTMLElement } {
    const root = doc.createElement('div');
    doc.body.appendChild(root);
    const posted: ViewToHostMessage[] = [];
    const { factory, charts } = chartRecorder();
    const view = new PlotView(root, (m) => posted.push(m), { viewId: VIEW, closeLabel: 'Stop', createChart: factory, output: 'uuid-1' });
    const q = <T extends HTMLElement>(sel: string) => {
      const el = root.querySelector(sel);
      assert.ok(el, `missing ${sel}`);
      return el as T;
    };
    return { root, view, posted, charts, ds: root.dataset, q, gate: q('.lp-gate'), start: q('.lp-gate .lp-start') };
  }

  it('shows the title, kind, what starting would do, and a Start button; the status line stays short', () => {
    const h = makeOutputView();
    assert.equal(h.gate.hidden, true, 'hidden until the host says the output has no session');
    h.view.handle(notStarted());
    assert.equal(h.gate.hidden, false);
    assert.equal(h.ds.state, 'not-started');
    assert.match(h.gate.textContent ?? '', /Not started: Saved command \(command\)/);
    const actions = [...h.gate.querySelectorAll('.lp-gate-actions li')].map((li) => li.textContent);
    assert.deepEqual(actions, ['Runs the program: sh -c "touch /tmp/x"', 'In the folder: /ws/.']);
    assert.equal(h.start.textContent, 'Start');
    assert.equal(h.start.hasAttribute('disabled'), false);
    assert.equal(h.q('.lp-state').textContent, 'not started');
    h.view.dispose();
  });

  it('a synthetic click or key press (a script in the page) posts no start', () => {
    const h = makeOutputView();
    h.view.handle(notStarted());
    h.start.click();
    h.start.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }) as unknown as Event);
    assert.deepEqual(h.posted.filter((m) => m.type === 'start'), []);
    h.view.dispose();
  });

  it('a blocked output (restricted mode) says why and disables Start; a snapshot hides the gate and brings the chart', () => {
    const h = makeOutputView();
    h.view.handle(notStarted({ blocked: 'The command source needs a trusted workspace.' }));
    assert.equal(h.start.hasAttribute('disabled'), true);
    assert.match(h.q('.lp-gate-blocked').textContent ?? '', /trusted workspace/);
    h.view.handle(snapshot(5));
    assert.equal(h.gate.hidden, true);
    assert.equal(h.ds.state, 'running');
    assert.equal(h.ds.points, '5');
    h.view.dispose();
  });

  it('stopped after running: keeps the last frame and "ended", and offers Start again', () => {
    const h = makeOutputView();
    h.view.handle(snapshot(5));
    h.view.handle({ type: 'ended', viewId: VIEW, reason: 'user-closed' });
    h.view.handle(notStarted({ state: 'stopped', message: 'stopped — start it again, or run its cell' }));
    assert.equal(h.ds.state, 'ended');
    assert.equal(h.ds.points, '5', 'the last frame stays');
    assert.equal(h.gate.hidden, false);
    assert.equal(h.start.textContent, 'Start again');
    h.view.dispose();
  });

  it('hostile text in the message is shown as text, never as markup', () => {
    const h = makeOutputView();
    h.view.handle(notStarted({ title: '<img src=x onerror=alert(1)>', actions: ['<script>alert(1)</script>'] }));
    assert.equal(h.gate.querySelector('img, script'), null);
    assert.match(h.gate.textContent ?? '', /<script>alert\(1\)<\/script>/);
    h.view.dispose();
  });
});
