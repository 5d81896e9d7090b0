// The layering rules, checked on every source file's imports (`npm run test:unit`):
//
// - src/core never imports `vscode`, src/vscode or webview (it runs, and is tested, in plain Node);
// - src/shared imports nothing outside itself (the pages and the host both use it);
// - webview imports only its own files, src/shared, and packages (never `vscode` or Node's modules).
//
// tsconfig.core.json enforces the first rule for `vscode` at compile time as well.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');

/** Module specifiers imported by a TypeScript source (static, dynamic, re-exports, require). */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, // import x from '…', export { x } from '…'
    /\bimport\s*['"]([^'"]+)['"]/g, // import '…' (side effects)
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, // import('…')
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g, // require('…')
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]!);
  return out;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Where an import lands: a repository path (for relative ones) or the package name. */
function target(fromFile: string, spec: string): { kind: 'file'; path: string } | { kind: 'package'; name: string } {
  if (spec.startsWith('.')) return { kind: 'file', path: path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec)) };
  return { kind: 'package', name: spec };
}

const inside = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

/** The broken rules of one file (its path relative to the repository root, with `/`), as messages. */
export function violations(file: string, text: string): string[] {
  const out: string[] = [];
  for (const spec of importsOf(text)) {
    const t = target(file, spec);
    const say = (rule: string) => out.push(`${file} imports '${spec}': ${rule}`);
    if (inside(file, 'src/core')) {
      if (t.kind === 'package' && t.name === 'vscode') say('src/core never imports vscode');
      if (t.kind === 'file' && inside(t.path, 'src/vscode')) say('src/core never imports src/vscode');
      if (t.kind === 'file' && inside(t.path, 'webview')) say('src/core never imports webview');
    } else if (inside(file, 'src/shared')) {
      if (t.kind === 'package' || !inside(t.path, 'src/shared')) say('src/shared imports nothing outside itself');
    } else if (inside(file, 'webview')) {
      if (t.kind === 'file' && !inside(t.path, 'webview') && !inside(t.path, 'src/shared')) say('webview imports only its own files, src/shared and packages');
      if (t.kind === 'package' && (t.name === 'vscode' || NODE_BUILTINS.has(t.name))) say('webview runs in a browser: no vscode, no Node modules');
    }
  }
  return out;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, d), { withFileTypes: true })) {
      const rel = `${d}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (/\.(ts|mts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  walk(dir);
  return out;
}

describe('architecture: import rules', () => {
  it('every file under src/core, src/shared and webview keeps the rules', () => {
    const files = [...sources('src/core'), ...sources('src/shared'), ...sources('webview')];
    assert.ok(files.length > 30, `found the sources (${files.length})`);
    const broken = files.flatMap((f) => violations(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
    assert.deepEqual(broken, []);
  });

  it('the rules catch each kind of violation (and let the allowed imports through)', () => {
    const cases: [string, string, number][] = [
      ['src/core/x.ts', "import * as vscode from 'vscode';", 1],
      ['src/core/x.ts', "import type { Uri } from 'vscode';", 1],
      ['src/core/sub/x.ts', "import { a } from '../../vscode/app';", 1],
      ['src/core/x.ts', "export { b } from '../../webview/plot/plotView';", 1],
      ['src/core/x.ts', "const m = await import('../vscode/api');", 1],
      ['src/core/x.ts', "const v = require('vscode');", 1],
      ['src/core/x.ts', "import {\n  a,\n  b,\n} from '../vscode/ids';", 1],
      ['src/core/x.ts', "import { Emitter } from '../shared/event';\nimport * as fs from 'node:fs';\nimport { c } from './session/types';", 0],
      ['src/core/x.ts', "// import * as vscode from 'vscode' (a comment)\n/* import 'vscode' */", 0],
      ['src/shared/x.ts', "import { a } from './event';", 0],
      ['src/shared/x.ts', "import { a } from '../core/spec';", 1],
      ['src/shared/x.ts', "import * as fs from 'node:fs';", 1],
      ['src/shared/x.ts', "import uPlot from 'uplot';", 1],
      ['webview/plot/x.ts', "import { a } from '../../src/shared/protocol';\nimport { b } from './chart';\nimport uPlot from 'uplot';\nimport './plot.css';", 0],
      ['webview/x.ts', "import { a } from '../src/core/session';", 1],
      ['webview/x.ts', "import { a } from '../src/vscode/ids';", 1],
      ['webview/x.ts', "import * as vscode from 'vscode';", 1],
      ['webview/x.ts', "import * as fs from 'fs';", 1],
      ['webview/x.ts', "import { a } from '../test/helpers/random';", 1],
      ['src/vscode/x.ts', "import * as vscode from 'vscode';\nimport { s } from '../core/sessionManager';", 0],
    ];
    for (const [file, text, n] of cases) assert.equal(violations(file, text).length, n, `${file}: ${text}`);
  });
});
