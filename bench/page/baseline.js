// The baseline plot page: the straightforward pipeline of popular telemetry plotters.
// One message per sample (a plain array [x, y1, y2, …]), every sample appended to the
// history in JS arrays, and a full setData of the whole history at a fixed 15 fps.
(() => {
  // The harness passes the series count in the URL; a VS Code webview (bench/vscode/runner.mjs) on <body>.
  const S = Number(document.body?.dataset.series || new URLSearchParams(location.search).get('series')) || 1;
  const xs = [];
  const ys = Array.from({ length: S }, () => []);
  const colors = ['#3794ff', '#f14c4c', '#89d185', '#cca700'];
  const el = document.createElement('div');
  document.body.appendChild(el);
  const w = Math.max(200, innerWidth - 32);
  const h = Math.max(100, innerHeight - 120);
  const u = new uPlot(
    { width: w, height: h, series: [{}, ...ys.map((_, i) => ({ label: `s${i + 1}`, stroke: colors[i % 4], width: 1 }))] },
    [xs, ...ys],
    el,
  );
  addEventListener('message', (e) => {
    const d = e.data;
    if (d && d.type === 'ping') return void parent.postMessage({ type: 'ready' }, '*');
    if (!Array.isArray(d)) return;
    xs.push(d[0]);
    for (let s = 0; s < S; s++) ys[s].push(d[s + 1]);
  });
  setInterval(() => u.setData([xs, ...ys]), 1000 / 15);
  window.__benchState = () => ({ updates: xs.length, points: xs.length, last: String(ys[0][ys[0].length - 1] ?? '') });
  parent.postMessage({ type: 'ready' }, '*');
})();
