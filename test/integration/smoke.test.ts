// Placeholder integration suite: proves the suite runs inside a real extension
// host with our extension loaded.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'liveplot.live-plot-sessions';

describe('smoke', () => {
  it('runs in a real VS Code extension host', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const api = require('vscode') as typeof vscode;
    assert.equal(typeof api.version, 'string');
    assert.match(api.version, /^\d+\.\d+\.\d+/);
  });

  it('finds and activates the extension', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});
