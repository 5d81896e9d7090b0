import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createHttpSource, HttpSource, parsePath, pick } from '../../src/core/sources/http';
import { createBuiltinRegistry } from '../../src/core/sources/registry';
import { makeManager, TestOwner } from './helpers/fixtures';
import { realContext, RecordingSink, waitFor } from '../helpers-sources/util';

/** What the test server answers now. */
let mode: 'ok' | 'slow' | 'garbage' | 'error' | 'missing' = 'ok';
let requests = 0;
let inFlight = 0;
let maxInFlight = 0;
const openSockets = new Set<import('node:net').Socket>();
let server: http.Server;
let base = '';

const BODY = JSON.stringify({ temperature: 21.5, pumps: [{ pressure: 2.5 }, { pressure: '3.5' }], ok: true, 'a.b': 7, name: 'x' });

before(async () => {
  server = http.createServer((_req, res) => {
    requests++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    switch (mode) {
      case 'ok':
        return send(200, BODY);
      case 'slow':
        return void setTimeout(() => (res.destroyed ? undefined : send(200, BODY)), 400);
      case 'garbage':
        return send(200, '{"temperature": 21.5,, oops');
      case 'error':
        return send(503, '{}');
      case 'missing':
        return send(200, JSON.stringify({ temperature: 'n/a' }));
    }
  });
  server.on('connection', (s) => {
    openSockets.add(s);
    s.on('close', () => openSockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

function poller(spec: Record<string, unknown>) {
  const ctx = realContext();
  const src = createHttpSource({ kind: 'http', url: `${base}/data`, paths: ['temperature'], ...spec }, ctx) as HttpSource;
  const sink = new RecordingSink();
  src.start(sink);
  let t = 1_000_000;
  /** A tick (the session period is simulated as 1 s), awaited until its poll is over. */
  const poll = async () => {
    const before = sink.samples.length + sink.errors.length;
    src.tick((t += 1000));
    await waitFor(() => sink.samples.length + sink.errors.length > before && ctx.resources.sockets === 0, 'the poll');
  };
  return { src, sink, poll, resources: ctx.resources };
}

describe('http source (a real local server)', () => {
  it('picks numbers by paths (object form), all at the tick time', async () => {
    mode = 'ok';
    const { src, sink, poll, resources } = poller({ paths: { temp: 'temperature', p1: 'pumps[0].pressure', p2: 'pumps.1.pressure', ab: '["a.b"]', ok: 'ok' } });
    await poll();
    assert.deepEqual(sink.samples.map((s) => `${s.name}=${s.y}`), ['temp=21.5', 'p1=2.5', 'p2=3.5', 'ab=7', 'ok=1']);
    assert.ok(sink.samples.every((s) => s.x === 1_001_000));
    assert.equal(sink.lastError, undefined);
    src.dispose();
    assert.equal(resources.sockets, 0);
  });

  it('array form: the path is the series name', async () => {
    mode = 'ok';
    const { src, sink, poll } = poller({ paths: ['temperature', 'pumps[1].pressure'] });
    await poll();
    assert.deepEqual(sink.samples.map((s) => `${s.name}=${s.y}`), ['temperature=21.5', 'pumps[1].pressure=3.5']);
    src.dispose();
  });

  it('slow server: timeout → error; the next good poll clears it', async () => {
    mode = 'slow';
    const { src, sink, poll, resources } = poller({ timeoutMs: 100 });
    await poll();
    assert.match(sink.lastError ?? '', /^no response from http:\/\/127\.0\.0\.1:\d+\/data within 100 ms$/);
    assert.equal(resources.sockets, 0);
    mode = 'ok';
    await poll();
    assert.equal(sink.lastError, undefined, 'cleared');
    assert.deepEqual(sink.values('temperature'), [21.5]);
    src.dispose();
  });

  it('never two polls at once: a tick during a poll is skipped', async () => {
    mode = 'slow';
    maxInFlight = 0;
    const r0 = requests;
    const { src, sink, resources } = poller({});
    src.tick(1000);
    src.tick(2000);
    src.tick(3000);
    assert.equal(src.stats.polls, 1);
    assert.equal(src.stats.skipped, 2);
    assert.equal(resources.sockets, 1, 'one request in flight');
    await waitFor(() => sink.samples.length === 1 && resources.sockets === 0, 'the slow answer');
    assert.equal(requests - r0, 1);
    assert.equal(maxInFlight, 1);
    src.dispose();
  });

  it('the timeout is capped below the period measured between ticks', () => {
    const { src, sink } = poller({ timeoutMs: 5000 });
    assert.equal(src.timeoutMs, 5000, 'before two ticks: as given');
    src.dispose(); // no polls from here; the interval bookkeeping still runs
    src.tick(10_000);
    src.tick(10_250);
    assert.equal(src.timeoutMs, 200, '80 % of a 250 ms period');
    assert.equal(sink.samples.length, 0);
  });

  it('server down (connection refused) → error; comes back → cleared', async () => {
    // A port that was just free: nothing listens there.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const ctx = realContext();
    const src = createHttpSource({ kind: 'http', url: `http://127.0.0.1:${port}/x`, paths: ['v'] }, ctx) as HttpSource;
    const sink = new RecordingSink();
    src.start(sink);
    src.tick(1000);
    await waitFor(() => sink.lastError !== undefined && ctx.resources.sockets === 0, 'the connection error');
    assert.match(sink.lastError!, /^cannot reach http:\/\/127\.0\.0\.1:\d+\/x: connection refused/);
    const back = http.createServer((_q, res) => res.end('{"v": 1}'));
    await new Promise<void>((r) => back.listen(port, '127.0.0.1', () => r()));
    try {
      src.tick(2000); // a 1 s period: timeout 800 ms
      await waitFor(() => sink.samples.length === 1 && ctx.resources.sockets === 0, 'the server back');
      assert.equal(sink.lastError, undefined);
    } finally {
      src.dispose();
      await new Promise<void>((r) => back.close(() => r()));
    }
  });

  it('garbage (invalid JSON) and non-2xx → errors, never thrown', async () => {
    const { src, sink, poll, resources } = poller({});
    mode = 'garbage';
    await poll();
    assert.match(sink.lastError ?? '', /^invalid JSON from http:\/\/127\.0\.0\.1:\d+\/data: /);
    mode = 'error';
    await poll();
    assert.match(sink.lastError ?? '', /^HTTP 503 Service Unavailable from http:\/\/127\.0\.0\.1:\d+\/data$/);
    mode = 'ok';
    await poll();
    assert.equal(sink.lastError, undefined);
    src.dispose();
    assert.equal(resources.sockets, 0);
  });

  it('a path without a number is counted malformed and named in the status', async () => {
    mode = 'missing';
    const { src, sink, poll } = poller({ paths: { t: 'temperature', p: 'pumps[0].pressure' } });
    src.tick(0);
    await waitFor(() => sink.malformedCount === 2, 'the poll');
    assert.equal(sink.lastStatus, 'no number at t (temperature), p (pumps[0].pressure)');
    mode = 'ok';
    await poll();
    assert.equal(sink.lastStatus, undefined);
    src.dispose();
  });

  it('dispose aborts a request in flight; the socket count falls to 0; no connection stays open', async () => {
    mode = 'slow';
    const { manager, clock } = makeManager({ registry: createBuiltinRegistry() });
    const s = manager.create({ source: { kind: 'http', url: `${base}/data`, paths: ['temperature'] } }, new TestOwner());
    clock.advance(0);
    assert.equal(manager.diagnostics().sockets, 1);
    await waitFor(() => inFlight === 1, 'the request at the server');
    s.dispose('user-closed');
    await waitFor(() => manager.diagnostics().sockets === 0, 'the socket count');
    await waitFor(() => openSockets.size === 0, 'the server to see the connection closed');
    manager.dispose();
    mode = 'ok';
  });

  it('only http and https URLs; paths are checked', () => {
    const ctx = realContext();
    assert.throws(() => createHttpSource({ kind: 'http', url: 'file:///etc/passwd', paths: ['a'] }, ctx), /must be an http:\/\/ or https:\/\/ URL/);
    assert.throws(() => createHttpSource({ kind: 'http', url: 'not a url', paths: ['a'] }, ctx), /not a valid URL/);
    assert.throws(() => createHttpSource({ kind: 'http', url: base }, ctx), /source\.paths must name/);
    assert.throws(() => createHttpSource({ kind: 'http', url: base, paths: ['a..b'] }, ctx), /invalid path "a\.\.b"/);
    assert.throws(() => createHttpSource({ kind: 'http', url: base, paths: ['a[x]'] }, ctx), /not an array index/);
    assert.deepEqual(parsePath('pumps[0].pressure'), ['pumps', 0, 'pressure']);
    assert.deepEqual(parsePath('[2]["a.b"].c'), [2, 'a.b', 'c']);
    assert.equal(pick({ a: [{ b: 1 }] }, parsePath('a[0].b')), 1);
    assert.equal(pick({ a: [] }, parsePath('a[0].b')), undefined);
    assert.equal(pick({ a: 1 }, parsePath('toString')), undefined, 'own keys only');
    createHttpSource({ kind: 'http', url: base, paths: ['a'] }, ctx).dispose();
    assert.equal(ctx.resources.sockets, 0, 'creating a source connects nowhere');
  });
});

describe('http source against a hostile server (issue 12)', () => {
  let hostile: http.Server;
  let hbase = '';
  const seen: { url: string; authorization?: string; apiKey?: string }[] = [];
  const conns = new Set<import('node:net').Socket>();
  const BODY_SECRET = 'BODY-SECRET-9f8e7d';

  before(async () => {
    hostile = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization, apiKey: req.headers['x-api-key'] as string | undefined });
      const path = (req.url ?? '').split('?')[0];
      if (path === '/hang503') {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.write(`partial ${BODY_SECRET}`); // and never ends
      } else if (path === '/hang200') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"t": '); // and never ends
      } else if (path === '/html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<html><body>${BODY_SECRET}</body></html>`);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"t": 1}');
      }
    });
    hostile.on('connection', (s) => {
      conns.add(s);
      s.on('close', () => conns.delete(s));
    });
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', () => r()));
    hbase = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  });
  after(() => {
    for (const s of conns) s.destroy();
    return new Promise<void>((r) => hostile.close(() => r()));
  });

  function start(url: string, extra: Record<string, unknown> = {}) {
    const ctx = realContext();
    const src = createHttpSource({ kind: 'http', url, paths: ['t'], ...extra }, ctx) as HttpSource;
    const sink = new RecordingSink();
    src.start(sink);
    return { src, sink, resources: ctx.resources };
  }

  for (const [path, status, message] of [
    ['/hang503', 503, /^HTTP 503 Service Unavailable from http:\/\/127\.0\.0\.1:\d+\/hang503$/],
    ['/hang200', 200, /^the response from http:\/\/127\.0\.0\.1:\d+\/hang200 did not end within 150 ms$/],
  ] as const) {
    it(`a ${status} whose body never ends: the deadline ends the request and polling goes on`, async () => {
      const r0 = seen.length;
      const { src, sink, resources } = start(`${hbase}${path}`, { timeoutMs: 150 });
      try {
        let t = 0;
        for (let i = 1; i <= 3; i++) {
          src.tick((t += 1000));
          await waitFor(() => seen.length - r0 === i, `request ${i} at the server`);
          await waitFor(() => resources.sockets === 0, `request ${i} to be over`, 1500);
        }
        assert.equal(src.stats.polls, 3);
        assert.equal(src.stats.skipped, 0, 'no tick found the previous poll still running');
        assert.match(sink.lastError ?? '', message);
        assert.ok(!JSON.stringify(sink).includes(BODY_SECRET), 'the body never shows');
        await waitFor(() => conns.size === 0, 'the server to see every connection closed');
      } finally {
        src.dispose();
      }
    });
  }

  it('a non-JSON body: "response is not JSON (N bytes, content-type …)", never a snippet of the body', async () => {
    const { src, sink, resources } = start(`${hbase}/html`);
    src.tick(1000);
    await waitFor(() => sink.lastError !== undefined && resources.sockets === 0, 'the poll');
    const body = `<html><body>${BODY_SECRET}</body></html>`;
    assert.match(sink.lastError!, /^invalid JSON from http:\/\/127\.0\.0\.1:\d+\/html: response is not JSON \((\d+) bytes, content-type text\/html; charset=utf-8\)$/);
    assert.equal(Number(/\((\d+) bytes/.exec(sink.lastError!)![1]), Buffer.byteLength(body));
    assert.ok(!JSON.stringify(sink).includes(BODY_SECRET) && !JSON.stringify(sink).includes('<html'), 'no part of the body');
    src.dispose();
  });

  it('secrets in the URL and headers reach the server but never the status, the log or the endpoint', async () => {
    const SECRETS = ['pa55word', 'TOK-123', 'SIG-456', 'HDR-789', 'KEY-000'];
    const port = (hostile.address() as AddressInfo).port;
    const url = `http://user:pa55word@127.0.0.1:${port}/ok?token=TOK-123&X-Amz-Signature=SIG-456&window=5`;
    const registry = createBuiltinRegistry();
    const { manager, log, clock } = makeManager({ registry });
    const r0 = seen.length;
    const s = manager.create({ source: { kind: 'http', url, paths: ['t', 'missing'], headers: { Authorization: 'Bearer HDR-789', 'x-api-key': 'KEY-000' } } }, new TestOwner());
    try {
      clock.advance(0);
      await waitFor(() => seen.length > r0 && manager.diagnostics().sockets === 0, 'the poll');
      await waitFor(() => s.info().malformed > 0, 'the result recorded');
      // The server got them (so the test would notice if they were dropped rather than hidden).
      const got = seen[seen.length - 1]!;
      assert.equal(got.authorization, 'Bearer HDR-789');
      assert.equal(got.apiKey, 'KEY-000');
      assert.match(got.url, /token=TOK-123/);
      const shown = JSON.stringify({ info: s.info(), view: s.viewInfo(), endpoint: s.source.endpoint, log });
      for (const secret of SECRETS) assert.ok(!shown.includes(secret), `${secret} shown: ${shown}`);
      assert.match(s.source.endpoint, new RegExp(`^GET http://\\*\\*\\*@127\\.0\\.0\\.1:${port}/ok\\?token=\\*\\*\\*&X-Amz-Signature=\\*\\*\\*&window=5 → t, missing$`));
    } finally {
      manager.dispose();
    }
    // Errors name the redacted URL too.
    const { src, sink, resources } = start(`http://user:pa55word@127.0.0.1:${port}/hang503?token=TOK-123`, { timeoutMs: 150 });
    src.tick(1000);
    await waitFor(() => sink.lastError !== undefined && resources.sockets === 0, 'the error');
    assert.match(sink.lastError!, /^HTTP 503 Service Unavailable from http:\/\/\*\*\*@127\.0\.0\.1:\d+\/hang503\?token=\*\*\*$/);
    src.dispose();
  });

  it('a header value Node would quote in its error is refused without showing it', () => {
    assert.throws(
      () => createHttpSource({ kind: 'http', url: hbase, paths: ['t'], headers: { 'x-token': 'KEY-000\r\nX-Evil: 1' } }, realContext()),
      (e: unknown) => /source\.headers\.x-token has characters a header value cannot hold/.test(String(e)) && !String(e).includes('KEY-000'),
    );
  });

  it('refused in an untrusted workspace, with how to trust it; nothing is requested', async () => {
    const r0 = seen.length;
    assert.throws(
      () => createHttpSource({ kind: 'http', url: `${hbase}/ok`, paths: ['t'] }, realContext({ workspaceTrusted: false })),
      /^Error: The http source makes network requests, which needs a trusted workspace\. Trust this workspace with the command "Workspaces: Manage Workspace Trust", then try again\.$/,
    );
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(seen.length, r0);
  });
});
