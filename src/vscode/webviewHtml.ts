import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

/** Folders a plot page may load from: the built pages and media/. */
export function localRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/**
 * The panel page: a strict CSP (`default-src 'none'`), scripts only with a
 * per-load nonce, styles and fonts only from the extension. The page gets the
 * title and the opaque key of the host's record of its spec (see panelStore.ts),
 * never the spec itself: its source may hold `env`, `headers` or URL credentials.
 */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string, panelKey: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data: blob:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'webview', 'panel.css')}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="root" class="lp-panel" data-panel-key="${escapeHtml(panelKey)}"></div>
<script type="module" nonce="${nonce}" src="${asset('dist', 'webview', 'panel.js')}"></script>
</body>
</html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
