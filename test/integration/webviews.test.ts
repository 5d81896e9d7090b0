// Strict webviews (issue 6), checked in the real extension host: the panel
// page's Content-Security-Policy and the folders a page may load from. The
// live pages are checked in Chromium by test/e2e/security.e2e.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { localRoots, panelHtml } from '../../src/vscode/webviewHtml';
import { EXTENSION_ID } from './util';

function extensionUri(): vscode.Uri {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext);
  return ext.extensionUri;
}

/** The CSP of a page, as directive → sources. */
function cspOf(html: string): Map<string, string[]> {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'the page has a CSP meta tag');
  const map = new Map<string, string[]>();
  for (const part of m[1]!.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name, sources);
  }
  return map;
}

describe('strict webviews', () => {
  let panel: vscode.WebviewPanel;
  before(() => {
    panel = vscode.window.createWebviewPanel('livePlot.cspProbe', 'CSP probe', { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: localRoots(extensionUri()),
    });
  });
  after(() => panel.dispose());

  it('the panel page: default-src none, scripts only with a fresh nonce, styles and fonts only from the extension, no remote content', () => {
    const webview = panel.webview;
    // The extension's own origin, as VS Code names it (e.g. "'self' https://*.vscode-cdn.net",
    // which the webview's service worker serves from the extension's folders).
    const own = webview.cspSource.split(/\s+/);
    const html = panelHtml(webview, extensionUri(), 'T', '0123456789abcdef0123456789abcdef');
    const csp = cspOf(html);
    assert.deepEqual([...csp.keys()].sort(), ['default-src', 'font-src', 'img-src', 'script-src', 'style-src']);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    const script = csp.get('script-src')!;
    assert.equal(script.length, 1);
    const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(script[0]!)?.[1];
    assert.ok(nonce, `script-src is one nonce: ${script}`);
    assert.deepEqual(csp.get('style-src'), own, 'no inline styles, no other origin');
    assert.deepEqual(csp.get('font-src'), own);
    assert.deepEqual(csp.get('img-src'), [...own, 'data:', 'blob:'], 'images: the extension, and the chart rendered locally');
    for (const sources of csp.values()) {
      for (const s of sources) assert.ok(!/^(https?:|\*|'unsafe-inline'|'unsafe-eval')/.test(s) || own.includes(s), `no remote or unsafe source: ${s}`);
    }
    // Every script carries the nonce; there is no inline script.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]![1]!, new RegExp(`nonce="${nonce!.replace(/[+/=]/g, (c) => `\\${c}`)}"`));
    assert.equal(scripts[0]![2]!.trim(), '', 'no inline script body');
    // Every loaded URL is a webview URI of dist/webview.
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(urls.length >= 2);
    for (const u of urls) {
      const local = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri(), 'dist', 'webview')).toString();
      assert.ok(u.startsWith(local), `${u} is inside dist/webview`);
    }
    // A fresh nonce per page load.
    const again = cspOf(panelHtml(webview, extensionUri(), 'T', '0123456789abcdef0123456789abcdef')).get('script-src')![0];
    assert.notEqual(again, script[0]);
  });

  it('the title and the panel key cannot inject markup into the page', () => {
    const evil = '</title><script>alert(1)</script><img src=x onerror=alert(2)>';
    const html = panelHtml(panel.webview, extensionUri(), evil, `"${evil}`);
    assert.equal([...html.matchAll(/<script\b/g)].length, 1, 'still one script');
    assert.ok(!html.includes('<img'), 'no injected element');
    assert.ok(html.includes('&lt;/title&gt;&lt;script&gt;'));
  });

  it('localResourceRoots: only the built pages and media/', () => {
    const roots = localRoots(extensionUri()).map((u) => u.toString());
    assert.deepEqual(roots, [vscode.Uri.joinPath(extensionUri(), 'dist', 'webview').toString(), vscode.Uri.joinPath(extensionUri(), 'media').toString()]);
  });
});
