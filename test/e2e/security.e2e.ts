// Strict webviews and untrusted messages (issue 6), in the real UI.
//
// 1. The panel page and the notebook renderer's outputs load in Chromium with no
//    CSP violation, no console error and no request outside the workbench's own
//    origin from their frames.
// 2. More than 10,000 random and mutated messages reach the REAL host handlers
//    through the real transports: the panel page's webview channel, and the
//    notebook webview's renderer-messaging channel (what `acquireVsCodeApi()` /
//    `context.postMessage` send, posted from the webview's own frame). The host
//    must not crash, invalid messages change no session, each one is counted
//    (diagnostics `invalidMessages`) and each kind is logged once. Which messages
//    are invalid is decided by the oracle (test/fuzz/viewMessageOracle.ts, a table of
//    the protocol's valid shapes), not by the validator under test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConsoleMessage, Frame, Request } from 'playwright-core';
import { delivered, viewMessageCorpus as corpus } from '../fuzz/viewMessages';
import { expectedVerdict } from '../fuzz/viewMessageOracle';
import type { Diag } from '../helpers/diagnostics';
import { workbenchSuite } from '../helpers/e2eSuite';
import { e2e, findFrame, newSessionFromPalette, runCommand, startFromNothing, waitFor, waitForDiagnostics } from './harness';

type Info = Diag['list'][number];

const PANEL_ROOT = '#root.lp-panel.lp-root[data-session]:not([data-session=""])';
const OUTPUT_ROOT = '.lp-root[data-session]:not([data-session=""]):not(#root)';
const TAG = '[liveplot-frame-report]';
/** Reports CSP violations, errors and console errors of a frame, tagged with its address. A string: the TypeScript loader would add helpers the browser lacks. */
const INSTRUMENT = `(() => {
  // Idempotent: document.open() erases listeners but keeps globals, so re-add them.
  const g = globalThis;
  const tag = ${JSON.stringify(TAG)};
  g.__liveplotError = g.__liveplotError || console.error.bind(console);
  const say = (what, detail) => g.__liveplotError(tag + ' ' + what + ' in ' + location.href + ' :: ' + detail);
  const old = g.__liveplotListeners || [];
  for (const [type, fn] of old) removeEventListener(type, fn, true);
  g.__liveplotListeners = [
    ['securitypolicyviolation', (e) => say('csp', e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' (' + e.sourceFile + ':' + e.lineNumber + ')')],
    ['error', (e) => say('error', e.message || ('failed to load ' + ((e.target && (e.target.src || e.target.href)) || '?')))],
    ['unhandledrejection', (e) => say('error', 'unhandled rejection: ' + ((e.reason && e.reason.stack) || e.reason))],
  ];
  for (const [type, fn] of g.__liveplotListeners) addEventListener(type, fn, true);
  console.error = (...args) => say('console.error', args.map((a) => (a instanceof Error ? a.stack : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
})()`;

/** Adds the reports to a loaded frame and its webview host frame. */
async function instrument(frame: Frame): Promise<void> {
  for (const f of [frame, frame.parentFrame()]) if (f && !f.isDetached()) await f.evaluate(INSTRUMENT).catch(() => undefined);
}
/** Messages per transport; two transports, so more than 10,000 in all. */
const PER_TRANSPORT = Number(process.env.LIVEPLOT_FUZZ_MESSAGES || 5200);
const SEED = process.env.LIVEPLOT_FUZZ_SEED ? Number(process.env.LIVEPLOT_FUZZ_SEED) >>> 0 : (Date.now() & 0x7fffffff) >>> 0;

// ------------------------------------------------------------------ helpers

/** The "Live Plot" log of this extension host (a LogOutputChannel writes a file under the user-data folder). */
function liveplotLogFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/Live Plot\.log$/.test(e.name)) found.push(p);
    }
  };
  walk(path.join(e2e().server.userDataDir, 'logs'));
  return found;
}

function readLog(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** (source|kind) → how many times it was logged as an ignored invalid message. */
function loggedKinds(text: string): Map<string, number> {
  const kinds = new Map<string, number>();
  for (const l of text.split('\n')) {
    const m = /Ignored an invalid message from (a panel|a notebook output) \((.*?)\): /.exec(l);
    if (m) kinds.set(`${m[1]}|${m[2]}`, (kinds.get(`${m[1]}|${m[2]}`) ?? 0) + 1);
  }
  return kinds;
}

/** Posts `messages` to the host from the webview frame `outer` (the one that owns the channel), in batches. */
async function post(outer: Frame, messages: unknown[], wrap: 'panel' | 'renderer'): Promise<void> {
  for (let i = 0; i < messages.length; i += 400) {
    const batch = messages.slice(i, i + 400);
    await outer.evaluate(
      ({ batch, wrap }) => {
        // The webview host page's channel to the workbench (what acquireVsCodeApi().postMessage calls).
        const send = (globalThis as unknown as { __vscode_post_message__?: (c: string, d: unknown) => void }).__vscode_post_message__;
        if (typeof send !== 'function') throw new Error('not a webview host frame');
        for (const message of batch) {
          if (wrap === 'panel') send('onmessage', { message });
          else send('onmessage', { message: { __vscode_notebook_message: true, type: 'customRendererMessage', rendererId: 'live-plot-renderer', message } });
        }
      },
      { batch, wrap },
    );
  }
}

/** The state of a session that no invalid message may change. */
function stateOf(i: Info | undefined) {
  return i && { id: i.id, title: i.title, state: i.state, status: i.status, periodMs: i.periodMs, points: i.points, views: i.views, visibleViews: i.visibleViews };
}

// ------------------------------------------------------------------ tests

describe('strict webviews and untrusted messages (real UI)', function () {
  const wb = workbenchSuite(this, {
    timeoutMs: 240_000,
    fresh: false, // below, once the frames are instrumented
    afterAllCommands: ['Live Plot: Close All Sessions', 'View: Revert and Close Editor'],
  });
  const violations: string[] = [];
  const consoleErrors: { text: string; url: string }[] = [];
  const remote: string[] = [];
  let base: URL;

  /** Frames that hold our pages: webview frames (outer host page and inner content). */
  const isWebviewUrl = (u: string) => /\/webview\/browser\/pre\/|vscode-resource|vscode-cdn|vscode-webview/.test(u);

  before(async () => {
    const { page } = wb;
    base = new URL(e2e().url);
    // In every frame created from now on, before its scripts run: report CSP violations,
    // errors and console errors, tagged with the frame's address. (A webview writes its
    // content with document.open(), which drops these listeners: `instrument` adds them
    // again to our frames once loaded. Chromium's own CSP reports are caught below too.)
    await page.addInitScript({ content: INSTRUMENT });
    page.on('console', (m: ConsoleMessage) => {
      const text = m.text();
      const url = m.location().url ?? '';
      const tagged = new RegExp(`^\\${TAG.slice(0, -1)}\\] (csp|error|console\\.error) in (\\S*) :: `).exec(text);
      if (tagged) {
        if (!isWebviewUrl(tagged[2]!)) return; // the workbench's own frames are not ours to judge
        if (tagged[1] === 'csp') violations.push(text);
        else consoleErrors.push({ text, url: tagged[2]! });
      } else if (/Content[- ]Security[- ]Policy/i.test(text) && isWebviewUrl(url)) {
        violations.push(`${text} @ ${url}`); // the browser's own report
      } else if (m.type() === 'error' && isWebviewUrl(url)) {
        consoleErrors.push({ text, url });
      }
    });
    page.on('pageerror', (e: Error) => {
      if (isWebviewUrl(e.stack ?? '')) consoleErrors.push({ text: `uncaught: ${e.stack}`, url: '' });
    });
    page.on('request', (req: Request) => {
      const frameUrl = (() => {
        try {
          return req.frame().url();
        } catch {
          return '';
        }
      })();
      if (!isWebviewUrl(frameUrl)) return;
      const u = req.url();
      if (/^(data|blob):/.test(u)) return;
      let host = '';
      try {
        host = new URL(u).host;
      } catch {
        return;
      }
      // Webview resources are served by the workbench's own server (or its service worker).
      if (host !== base.host && !/\.vscode-cdn\.net$/.test(host)) remote.push(`${u} (from ${frameUrl})`);
    });
    await startFromNothing(page);
  });

  let panelFrame: Frame;
  let outputFrame: Frame;

  it('the panel page and notebook outputs load with no CSP violation, console error or remote request', async () => {
    const { page } = wb;
    await newSessionFromPalette(page, 'sine', 'CSP panel');
    panelFrame = await findFrame(page, PANEL_ROOT, 30_000);
    await instrument(panelFrame);
    await waitFor(async () => Number(await panelFrame.locator('.lp-root').first().getAttribute('data-updates')) >= 2, 15_000, { message: 'panel data' });
    // The live page's own CSP: default-src 'none', a nonce, and its one script carries it.
    const meta = await panelFrame.evaluate(() => {
      const doc = (globalThis as any).document;
      return {
        csp: String(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? ''),
        scripts: [...doc.querySelectorAll('script')].map((s: any) => ({ src: String(s.getAttribute('src') ?? ''), nonce: String(s.nonce || s.getAttribute('nonce') || '') })),
      };
    });
    assert.match(meta.csp, /^default-src 'none'; script-src 'nonce-[^']+'; style-src [^;]+; font-src [^;]+; img-src [^;]+ data: blob:$/);
    // Our one script (VS Code may add its own inline one, before our CSP applies).
    const ours = meta.scripts.filter((x) => x.src !== '');
    assert.equal(ours.length, 1, JSON.stringify(meta.scripts));
    assert.match(ours[0]!.src, /dist\/webview\/panel\.js/);
    assert.ok(ours[0]!.nonce, 'our script has the nonce');

    await runCommand(page, 'Live Plot: Open Demo Notebook');
    await page.locator('.notebook-editor').first().waitFor({ state: 'visible', timeout: 30_000 });
    try {
      await runCommand(page, 'Notebook: Run All');
    } catch {
      await page.keyboard.press('Escape');
      await page.locator('.notebook-editor .markdown-cell-row').first().click({ force: true });
      await runCommand(page, 'Notebook: Run All');
    }
    await waitForDiagnostics<Diag>(undefined, (d) => d.list.filter((s) => s.ownerKind === 'output' && s.views > 0).length === 2, 45_000);
    outputFrame = await findFrame(page, OUTPUT_ROOT, 30_000);
    await instrument(outputFrame);
    assert.notEqual(outputFrame, panelFrame);
    await waitFor(async () => (await outputFrame.locator('.lp-root[data-updates]').count()) >= 2, 15_000, { message: 'two rendered outputs' });
    // Let a few periods go by (the panel is hidden now; outputs draw).
    await new Promise((r) => setTimeout(r, 2000));

    assert.deepEqual(violations, [], 'no CSP violation in our frames');
    assert.deepEqual(consoleErrors, [], 'no console error from our frames');
    assert.deepEqual(remote, [], 'no request outside the workbench from our frames');

    // The detectors work: a remote image and a console error in the panel page are caught.
    await page.locator('.tabs-container .tab', { hasText: 'CSP panel' }).first().click();
    panelFrame = await findFrame(page, PANEL_ROOT, 30_000);
    await instrument(panelFrame);
    await panelFrame.evaluate(() => {
      const doc = (globalThis as any).document;
      const img = doc.createElement('img');
      img.src = 'https://example.invalid/probe.png';
      doc.body.appendChild(img);
      console.error('probe: a console error');
    });
    // (Read through functions: the deepEqual assertions above narrowed the arrays' types.)
    const seen = () => violations as string[];
    const errors = () => consoleErrors as { text: string }[];
    await waitFor(() => seen().some((v) => /^\[liveplot-frame-report\] csp in .* :: img-src blocked https:\/\/example\.invalid\/probe\.png/.test(v)), 10_000, { message: `the probe's CSP violation to be seen (${seen().join(' | ')})` });
    await waitFor(() => errors().some((c) => c.text.includes('probe: a console error')), 10_000, { message: "the probe's console error to be seen" });
    violations.length = 0;
    consoleErrors.length = 0;
    remote.length = 0;
  });

  it(`${2 * PER_TRANSPORT} random and mutated messages to the real host handlers: no crash, no state change, each counted and each kind logged once`, async function () {
    const { page } = wb;
    assert.ok(panelFrame && outputFrame, 'the pages of the first test');
    console.log(`    [fuzz] seed ${SEED} (LIVEPLOT_FUZZ_SEED=${SEED} reproduces), ${PER_TRANSPORT} messages per transport`);
    // Each window has its own extension host and log; ours is the one that grows.
    const logsBefore = new Map(liveplotLogFiles().map((f) => [f, readLog(f)]));

    // The panel: every invalid message is counted; a valid one from a view that is not
    // attached is counted too (stale view). Valid attaches are left out: a new view id
    // attaching replaces the page's view, which is the protocol working, not a fault.
    const panelMsgs: unknown[] = [];
    const panelKinds = new Set<string>();
    for (const raw of corpus(PER_TRANSPORT * 2, SEED, (i) => `fz-p-${i}`)) {
      if (panelMsgs.length >= PER_TRANSPORT) break;
      const m = delivered(raw);
      const v = expectedVerdict(m);
      if (v.valid && v.type === 'attach') continue;
      panelKinds.add(v.valid ? `${v.type}:stale-view` : v.kind);
      panelMsgs.push(m);
    }
    // Notebook outputs: invalid messages are counted; valid ones name views that do not
    // exist (ignored) or outputs that do not exist (answered "unknown session").
    const outputMsgs: unknown[] = [];
    let outputInvalid = 0;
    const outputKinds = new Set<string>();
    for (const raw of corpus(PER_TRANSPORT, SEED + 1, (i) => `fz-o-${i}`)) {
      const m = delivered(raw);
      const v = expectedVerdict(m);
      if (!v.valid) {
        outputInvalid++;
        outputKinds.add(v.kind);
      } else if (v.type === 'attach' && (m as { output?: unknown }).output === undefined) {
        outputInvalid++;
        outputKinds.add('attach:no-output');
      }
      outputMsgs.push(m);
    }
    assert.equal(panelMsgs.length + outputMsgs.length, 2 * PER_TRANSPORT);

    /**
     * Brings `tab` to the front (hidden webviews are not kept), waits for its views,
     * posts `messages` from its webview frame, and checks that exactly `invalid`
     * were counted and that no session changed.
     */
    const fuzz = async (tab: RegExp, root: string, ready: (d: Diag) => boolean, messages: unknown[], wrap: 'panel' | 'renderer', invalid: number) => {
      await page.locator('.tabs-container .tab', { hasText: tab }).first().click();
      const frame = await findFrame(page, root, 30_000);
      await instrument(frame);
      const before = await waitForDiagnostics<Diag>(undefined, ready, 30_000);
      await new Promise((r) => setTimeout(r, 500)); // settled: no view coming or going
      const stable = await waitForDiagnostics<Diag>(undefined, ready);
      const t0 = Date.now();
      await post(frame.parentFrame()!, messages, wrap);
      const expected = stable.invalidMessages + invalid;
      const after = await waitForDiagnostics<Diag>(undefined, (d) => d.invalidMessages >= expected, 60_000).catch((e) => {
        throw new Error(`${(e as Error).message}\n(expected invalidMessages ${expected})`);
      });
      await new Promise((r) => setTimeout(r, 300)); // anything left in flight
      const last = await waitForDiagnostics<Diag>(undefined);
      console.log(`    [fuzz] ${wrap}: ${messages.length} messages handled in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${invalid} invalid`);
      assert.equal(last.invalidMessages, expected, 'every invalid message was counted, and nothing else');
      // No session changed: same sessions, same state, same views; the timers too.
      assert.equal(last.sessions, before.sessions);
      assert.equal(last.timers, before.timers);
      const byId = new Map(last.list.map((s) => [s.id, s]));
      for (const s of stable.list) assert.deepEqual(stateOf(byId.get(s.id)), stateOf(s), `session "${s.title}" is unchanged`);
      void after;
      return frame;
    };
    const panelReady = (d: Diag) => d.sessions === 3 && d.list.some((s) => s.title === 'CSP panel' && s.visibleViews === 1);
    const outputsReady = (d: Diag) => d.sessions === 3 && d.list.filter((s) => s.ownerKind === 'output' && s.visibleViews === 1).length === 2;
    panelFrame = await fuzz(/CSP panel/, PANEL_ROOT, panelReady, panelMsgs, 'panel', panelMsgs.length);
    outputFrame = await fuzz(/Untitled/, OUTPUT_ROOT, outputsReady, outputMsgs, 'renderer', outputInvalid);

    // Each kind is logged once (per source), up to the log's cap of 100 kinds.
    const expectedKinds = new Set([...[...panelKinds].map((k) => `a panel|${k}`), ...[...outputKinds].map((k) => `a notebook output|${k}`)]);
    const grown = () => liveplotLogFiles().filter((f) => readLog(f).length > (logsBefore.get(f)?.length ?? 0) && readLog(f).includes('Ignored an invalid message'));
    let file = '';
    let want = 0;
    await waitFor(() => {
      for (const f of grown()) {
        const old = loggedKinds(logsBefore.get(f) ?? '');
        want = Math.min([...expectedKinds].filter((k) => !old.has(k)).length, Math.max(0, 100 - old.size));
        const now = loggedKinds(readLog(f));
        if (now.size - old.size >= want) {
          file = f;
          return true;
        }
      }
      return false;
    }, 20_000, { message: `the "Live Plot" log to list the invalid kinds (log files: ${liveplotLogFiles().join(', ') || 'none'})` });
    const old = loggedKinds(logsBefore.get(file) ?? '');
    const now = loggedKinds(readLog(file));
    for (const [kind, n] of now) assert.equal(n, 1, `${kind} logged once`);
    const added = [...now.keys()].filter((k) => !old.has(k));
    assert.equal(added.length, want, `${want} new kinds logged`);
    for (const k of added) assert.ok(expectedKinds.has(k), `logged kind ${k} is one that was sent`);
    assert.ok(now.size <= 100, 'at most 100 kinds are logged');
    console.log(`    [fuzz] ${expectedKinds.size} kinds of invalid message; ${added.length} logged now, once each`);

    // The host still works: the panel keeps updating, and its real controls still act.
    await page.locator('.tabs-container .tab', { hasText: 'CSP panel' }).first().click();
    panelFrame = await findFrame(page, PANEL_ROOT, 30_000);
    const u = Number(await panelFrame.locator('.lp-root').first().getAttribute('data-updates'));
    await waitFor(async () => Number(await panelFrame.locator('.lp-root').first().getAttribute('data-updates')) > u, 15_000, { message: 'the panel to keep updating' });
    await panelFrame.locator('vscode-button.lp-pause').click();
    await waitForDiagnostics<Diag>(undefined, (d) => d.list.some((s) => s.title === 'CSP panel' && s.state === 'paused'));
    await panelFrame.locator('vscode-button.lp-close').click();
    await waitForDiagnostics<Diag>(undefined, (d) => !d.list.some((s) => s.title === 'CSP panel') && d.sessions === 2);

    assert.deepEqual(violations, [], 'still no CSP violation');
    assert.deepEqual(consoleErrors, [], 'still no console error from our frames');
  });
});
