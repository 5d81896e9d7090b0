/**
 * Big windows: a 1,000,000-point window in an 800×400 uPlot chart, drawn through
 * PlotView's chart factory with decimation (webview/plot/decimate.ts) and without
 * (plain uPlot, which draws every point in view). Measures the redraw (setData to
 * the end of the chart's draw, JS), frames per second while redrawing every frame,
 * a zoom (x range to 10% of the data, re-decimated from the full columns) and a
 * cursor move. Exposed as `window.bigWindow` for bench/run.mjs.
 */
import uPlot from 'uplot';
import { withDecimation } from '../../webview/plot/decimate';
import { median } from '../../test/helpers/stats.mjs';

const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(r));
const macrotask = () => new Promise<void>((r) => setTimeout(r, 0));

export interface BigWindowOptions {
  readonly decimate: boolean;
  readonly series: number;
  readonly points: number;
  readonly reps?: number;
  readonly fpsSeconds?: number;
}

async function run(o: BigWindowOptions) {
  document.body.replaceChildren();
  const el = document.createElement('div');
  document.body.appendChild(el);
  const n = o.points;
  const x = new Float64Array(n);
  const ys = Array.from({ length: o.series }, () => new Float64Array(n));
  let seed = 1;
  const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) {
    x[i] = i;
    for (let s = 0; s < o.series; s++) ys[s]![i] = Math.sin(i / 20_000 + s) * 10 + (rnd() - 0.5) * 2 + s * 5;
  }
  const data = [x, ...ys] as unknown as uPlot.AlignedData;
  let draws: number[] = [];
  const colors = ['#3794ff', '#f14c4c', '#89d185', '#cca700'];
  const opts: uPlot.Options = {
    width: 800,
    height: 400,
    scales: { x: { time: false } },
    series: [{}, ...ys.map((_, s) => ({ label: `s${s + 1}`, stroke: colors[s % 4], width: 1 }))],
    hooks: { draw: [() => void draws.push(performance.now())] },
  };
  const create = (op: uPlot.Options, d: uPlot.AlignedData, t: HTMLElement) => new uPlot(op, d, t);
  const factory = o.decimate ? withDecimation(create) : create;
  const tc = performance.now();
  const chart = factory(opts, data, el);
  await macrotask();
  const createMs = (draws.at(-1) ?? performance.now()) - tc;
  await nextFrame();
  await nextFrame();

  const reps = o.reps ?? 9;
  // Redraw: the window's contents changed (new data), everything is drawn again.
  const redraw: number[] = [];
  for (let r = 0; r < reps; r++) {
    await nextFrame();
    ys[0]![r] += 0.001;
    draws = [];
    const t0 = performance.now();
    chart.setData(data);
    await macrotask();
    redraw.push((draws.at(-1) ?? NaN) - t0);
  }

  // Frames per second while redrawing on every frame.
  let frames = 0;
  const intervals: number[] = [];
  const fpsEnd = performance.now() + (o.fpsSeconds ?? 2) * 1000;
  let last = await nextFrame();
  while (performance.now() < fpsEnd) {
    ys[0]![frames % n] += 0.001;
    chart.setData(data);
    const ts = await nextFrame();
    intervals.push(ts - last);
    last = ts;
    frames++;
  }
  const fps = frames / (intervals.reduce((a, b) => a + b, 0) / 1000);

  // Zoom to 10% of the x range at several places (re-decimated from the full data), then back.
  const zoom: number[] = [];
  const zoomPoints: number[] = [];
  for (let r = 0; r < reps; r++) {
    await nextFrame();
    const a = ((r % 9) / 10) * n;
    draws = [];
    const t0 = performance.now();
    chart.setScale('x', { min: a, max: a + n / 10 });
    await macrotask();
    zoom.push((draws.at(-1) ?? NaN) - t0);
    zoomPoints.push((chart.data[0] as ArrayLike<number>).length);
  }
  draws = [];
  const tu = performance.now();
  chart.setScale('x', { min: 0, max: n - 1 });
  await macrotask();
  const unzoomMs = (draws.at(-1) ?? NaN) - tu;

  // Cursor: a mouse move over the plot (legend values follow).
  const cursor: number[] = [];
  const rect = chart.over.getBoundingClientRect();
  for (let r = 0; r < 40; r++) {
    const ev = new MouseEvent('mousemove', { clientX: rect.left + 20 + ((r * 17) % (rect.width - 40)), clientY: rect.top + rect.height / 2, bubbles: true });
    const t0 = performance.now();
    chart.over.dispatchEvent(ev);
    await macrotask();
    cursor.push(performance.now() - t0);
    await nextFrame();
  }
  const drawnPoints = (chart.data[0] as ArrayLike<number>).length;
  chart.destroy();
  return {
    decimate: o.decimate,
    series: o.series,
    points: n,
    drawnPoints,
    createMs,
    redrawMs: median(redraw),
    redrawAll: redraw,
    fps,
    frameP95: [...intervals].sort((a, b) => a - b)[Math.floor(intervals.length * 0.95)] ?? NaN,
    zoomMs: median(zoom),
    zoomDrawnPoints: median(zoomPoints),
    unzoomMs,
    cursorMs: median(cursor),
  };
}

(window as unknown as { bigWindow: unknown }).bigWindow = { run };
