// One build script for the three bundles (extension host, panel page, notebook
// renderer) and, with --tests, the integration suite that runs inside VS Code.
// Usage: node esbuild.mjs [--watch] [--production] [--tests]
//
// The options are exported (`bundleOptions`, `testBundleOptions`) so that the
// benchmarks (bench/) build exactly what ships instead of copying them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** Options every bundle shares; `production` minifies and drops source maps. */
function commonOptions(production) {
  /** @type {esbuild.BuildOptions} */
  const common = {
    absWorkingDir: ROOT,
    bundle: true,
    sourcemap: !production,
    minify: production,
    logLevel: 'info',
    legalComments: 'none',
  };
  return common;
}

/**
 * The three shipped bundles, by name: `extension` (dist/extension.js), `panel` and
 * `renderer` (dist/webview/). Entry points and output folders are relative to the
 * repository root.
 * @param {{ production?: boolean }} [options]
 * @returns {{ extension: esbuild.BuildOptions, panel: esbuild.BuildOptions, renderer: esbuild.BuildOptions }}
 */
export function bundleOptions({ production = false } = {}) {
  const common = commonOptions(production);
  /** What the two pages (panel and notebook renderer) share. */
  const page = { ...common, outdir: 'dist/webview', platform: 'browser', format: 'esm', target: 'es2022' };
  return {
    extension: {
      ...common,
      entryPoints: { extension: 'src/extension.ts' },
      outdir: 'dist',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
    },
    panel: {
      ...page,
      entryPoints: { panel: 'webview/panel.ts' },
      loader: { '.css': 'css' },
    },
    renderer: {
      ...page,
      entryPoints: { renderer: 'webview/renderer.ts' },
      // The renderer runs inside VS Code's notebook webview: it injects its CSS itself.
      loader: { '.css': 'text' },
    },
  };
}

/**
 * The integration suite that runs inside VS Code (out/test/integration/index.js).
 * @returns {esbuild.BuildOptions}
 */
export function testBundleOptions() {
  return {
    ...commonOptions(false),
    sourcemap: true,
    minify: false,
    entryPoints: { index: 'test/integration/index.ts' },
    outdir: 'out/test/integration',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  };
}

async function main(argv) {
  const args = new Set(argv);
  const watch = args.has('--watch');
  const production = args.has('--production');
  const tests = args.has('--tests');
  const b = bundleOptions({ production });
  const builds = [b.extension, b.panel, b.renderer];
  if (tests) builds.push(testBundleOptions());
  if (watch) {
    const contexts = await Promise.all(builds.map((o) => esbuild.context(o)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching…');
  } else {
    await Promise.all(builds.map((o) => esbuild.build(o)));
  }
}

// Built when run (`node esbuild.mjs …`), not when imported.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
