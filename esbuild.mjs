// One build script for the three bundles (extension host, panel page, notebook
// renderer) and, with --tests, the integration suite that runs inside VS Code.
// Usage: node esbuild.mjs [--watch] [--production] [--tests]
import * as esbuild from 'esbuild';

const args = new Set(process.argv.slice(2));
const watch = args.has('--watch');
const production = args.has('--production');
const tests = args.has('--tests');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { panel: 'webview/panel.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
  {
    ...common,
    entryPoints: { renderer: 'webview/renderer.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    // The renderer runs inside VS Code's notebook webview: it injects its CSS itself.
    loader: { '.css': 'text' },
  },
];

if (tests) {
  builds.push({
    ...common,
    sourcemap: true,
    minify: false,
    entryPoints: { index: 'test/integration/index.ts' },
    outdir: 'out/test/integration',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  });
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
