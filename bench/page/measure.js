// Loaded first by the plot pages of the harness (panel.html, baseline.html): counts
// animation frames, frame intervals, main-thread lag (a 10 ms timer's lateness) and
// the data messages that arrive, between `bench-start` and `bench-stop` from the
// harness host; then posts a `bench-result` to it. Registered before the page's own
// listener, so the counts see every message the page sees.
(() => {
  const m = { measuring: false, t0: 0, frames: 0, intervals: [], lags: [], receivedRows: 0, messages: 0, lastTs: 0, decodeMs: 0 };
  let lagTimer = 0;
  const lagLoop = () => {
    const t = performance.now();
    lagTimer = setTimeout(() => {
      if (!m.measuring) return;
      m.lags.push(performance.now() - t - 10);
      lagLoop();
    }, 10);
  };
  addEventListener('message', (e) => {
    // The first read of `data` deserialises the message (structured clone): timed.
    const t0 = performance.now();
    const d = e.data;
    if (m.measuring) m.decodeMs += performance.now() - t0;
    if (Array.isArray(d)) {
      if (m.measuring) {
        m.messages++;
        m.receivedRows++;
        // A backlog of messages starves the report timer: check the clock here too.
        if (reportAt && performance.now() >= reportAt) report();
      }
      return;
    }
    if (!d || typeof d !== 'object') return;
    if (d.type === 'bench-start') {
      Object.assign(m, { measuring: true, t0: performance.now(), frames: 0, intervals: [], lags: [], receivedRows: 0, messages: 0, lastTs: 0, decodeMs: 0 });
      // Frame counting keeps animation frames coming and the lag timer wakes the page
      // 100 times a second: with many pages, only the ones asked to do it measure.
      if (d.lag !== false) lagLoop();
      if (d.frames !== false) requestAnimationFrame(loop);
      // A page with a backlog of messages would see `bench-stop` only after all of it: it
      // reports on its own clock too, counting what arrived in time (whichever comes first).
      if (d.reportAfterMs > 0) {
        reportAt = performance.now() + d.reportAfterMs;
        reportTimer = setTimeout(report, d.reportAfterMs);
      }
    } else if (d.type === 'bench-stop') {
      report();
    } else if ((d.type === 'delta' || d.type === 'snapshot') && m.measuring && d.x) {
      m.messages++;
      m.receivedRows += d.x.length;
    }
  });
  let reportTimer = 0;
  let reportAt = 0;
  function report() {
    if (!m.measuring) return;
    m.measuring = false;
    reportAt = 0;
    clearTimeout(reportTimer);
    clearTimeout(lagTimer);
    const root = document.getElementById('root');
    const ds = root ? root.dataset : {};
    const extra = window.__benchState ? window.__benchState() : {};
    parent.postMessage(
      {
        type: 'bench-result',
        frames: m.frames,
        durationMs: performance.now() - m.t0,
        intervals: m.intervals,
        lags: m.lags,
        receivedRows: m.receivedRows,
        messages: m.messages,
        decodeMs: m.decodeMs,
        updates: Number(ds.updates || extra.updates || 0),
        points: Number(ds.points || extra.points || 0),
        last: String(ds.last ?? extra.last ?? ''),
      },
      '*',
    );
  }
  function loop(ts) {
    if (!m.measuring) return;
    m.frames++;
    if (m.lastTs) m.intervals.push(ts - m.lastTs);
    m.lastTs = ts;
    requestAnimationFrame(loop);
  }
})();
