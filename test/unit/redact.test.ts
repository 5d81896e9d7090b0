// The public view of a source spec (issue 12): env and header values, URL
// credentials and secret query values never leave the host's private state
// (info(), the tree, Show Info, pages).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { publicSourceSpec, publicSpec, redactText, redactUrl } from '../../src/core/redact';
import { TestOwner, makeManager } from './helpers/fixtures';

const SECRETS = ['hunter2', 's3cr3t-pw', 'TOKVAL123', 'KEYVAL456', 'SIGVAL789', 'ENVVAL000', 'HDRVAL111', 'FRAGVAL222'];

function assertNoSecret(value: unknown): void {
  const text = JSON.stringify(value);
  for (const s of SECRETS) assert.ok(!text.includes(s), `${s} leaked in ${text}`);
}

describe('redaction', () => {
  it('URLs: credentials, secret query values and fragments go; host, path and other parameters stay', () => {
    const r = redactUrl('https://alice:hunter2@example.test:8443/api/v1/data?token=TOKVAL123&id=42&api_key=KEYVAL456&X-Amz-Signature=SIGVAL789#FRAGVAL222');
    assertNoSecret(r);
    assert.equal(r, 'https://***@example.test:8443/api/v1/data?token=***&id=42&api_key=***&X-Amz-Signature=***#***');
    assert.equal(redactUrl('http://127.0.0.1:8080/metrics?window=5'), 'http://127.0.0.1:8080/metrics?window=5');
    assert.equal(redactUrl(new URL('http://bob@h.test/')), 'http://***@h.test/');
    assert.equal(redactUrl('http://h.test/?Password=hunter2&password2=s3cr3t-pw'), 'http://h.test/?Password=***&password2=***');
  });

  it('text: URL credentials and name=secret pairs go, the rest stays', () => {
    const r = redactText('curl -s https://alice:hunter2@h.test/x?auth=TOKVAL123 --token=KEYVAL456 --rate=10');
    assertNoSecret(r);
    assert.equal(r, 'curl -s https://***@h.test/x?auth=*** --token=*** --rate=10');
  });

  it('source specs: env and header values become *** (names kept), url is redacted, secret-named options go', () => {
    const command = { kind: 'command', command: 'python', args: ['read.py', 'https://u:hunter2@h.test/'], env: { API_TOKEN: 'ENVVAL000', MODE: 'fast' } };
    const pc = publicSourceSpec(command);
    assertNoSecret(pc);
    assert.deepEqual(pc, { kind: 'command', command: 'python', args: ['read.py', 'https://***@h.test/'], env: { API_TOKEN: '***', MODE: '***' } });
    const httpSpec = { kind: 'http', url: 'http://u:s3cr3t-pw@127.0.0.1:9/d?key=KEYVAL456', paths: { token: 'a.token' }, headers: { Authorization: 'Bearer HDRVAL111' }, timeoutMs: 500 };
    const ph = publicSourceSpec(httpSpec);
    assertNoSecret(ph);
    assert.deepEqual(ph, { kind: 'http', url: 'http://***@127.0.0.1:9/d?key=***', paths: { token: 'a.token' }, headers: { Authorization: '***' }, timeoutMs: 500 });
    const third = publicSourceSpec({ kind: 'acme.db', host: 'db.local', password: 'hunter2', options: { apiKey: 'KEYVAL456', retries: 3 } });
    assertNoSecret(third);
    assert.deepEqual(third, { kind: 'acme.db', host: 'db.local', password: '***', options: { apiKey: '***', retries: 3 } });
    // The input is not changed.
    assert.equal(command.env.API_TOKEN, 'ENVVAL000');
    const whole = publicSpec({ title: 't', points: 5, source: command });
    assert.deepEqual(whole, { title: 't', points: 5, source: pc });
    // Odd shapes never throw.
    assert.deepEqual(publicSourceSpec({ kind: 'x', env: 'ENVVAL000', headers: null, url: 42 }), { kind: 'x', env: '***', headers: '***', url: 42 });
  });

  it('Session.info() and the log carry the public spec, never env, header values or URL credentials', () => {
    const { manager, log } = makeManager();
    const s = manager.create(
      { source: { kind: 'http', url: 'http://alice:hunter2@127.0.0.1:1/x?token=TOKVAL123', paths: ['t'], headers: { 'x-api-key': 'HDRVAL111' } } },
      new TestOwner(),
    );
    try {
      const info = s.info();
      assertNoSecret(info);
      assertNoSecret(s.viewInfo());
      assert.equal(info.source.url, 'http://***@127.0.0.1:1/x?token=***');
      assert.deepEqual(info.source.headers, { 'x-api-key': '***' });
      assertNoSecret(manager.list().map((x) => x.info()));
      assertNoSecret(log);
      assert.ok(log.some((l) => l.includes('127.0.0.1:1/x')), 'the log still says where it polls');
    } finally {
      manager.dispose();
    }
    assertNoSecret(log);
  });
});
