// What the benchmarks build, from esbuild.mjs's own options (never a copy of them):
// the shipped extension into a temporary folder, and the panel page for the
// browser harness. dist/ is left alone.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { bundleOptions } from '../esbuild.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The production options of esbuild.mjs for bundle `name`, quieter, into `outdir`. */
function shipped(name, outdir, extra = {}) {
  return { ...bundleOptions({ production: true })[name], logLevel: 'warning', outdir, ...extra };
}

/** The extension (manifest, media, bundles) in `dir`, built from the working tree as `node esbuild.mjs --production` builds it. */
export async function buildExtension(dir) {
  for (const f of ['package.json', 'LICENSE', 'README.md']) if (fs.existsSync(path.join(ROOT, f))) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  for (const d of ['media', 'schemas']) if (fs.existsSync(path.join(ROOT, d))) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
  const out = path.join(dir, 'dist');
  await Promise.all([
    esbuild.build(shipped('extension', out)),
    esbuild.build(shipped('panel', path.join(out, 'webview'))),
    esbuild.build(shipped('renderer', path.join(out, 'webview'))),
  ]);
}

/**
 * The panel page exactly as shipped (production options) into `outDir` as `panel.js`,
 * and the same page with decimation stubbed out as `panel-nodecimate.js`.
 */
export async function buildPanelPages(outDir) {
  const noDecimation = {
    name: 'no-decimation',
    setup(b) {
      b.onResolve({ filter: /\/decimate$/ }, (a) => (a.importer.includes(`${path.sep}webview${path.sep}`) ? { path: 'decimate', namespace: 'stub' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export const withDecimation = (f) => f;', loader: 'js' }));
    },
  };
  await Promise.all([
    esbuild.build(shipped('panel', outDir)),
    esbuild.build(shipped('panel', outDir, { entryPoints: { 'panel-nodecimate': 'webview/panel.ts' }, plugins: [noDecimation] })),
  ]);
}
