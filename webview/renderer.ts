/**
 * The notebook renderer for live-plot outputs (entry point of dist/webview/renderer.js).
 * The logic is in rendererCore.ts; this file adds what only a browser can load:
 * the web components and the CSS, which the bundler hands over as text and the
 * renderer injects itself (notebook outputs have no <link> of their own).
 */
import type { ActivationFunction } from 'vscode-notebook-renderer';
import uplotCss from 'uplot/dist/uPlot.min.css';
import plotCss from './plot/plot.css';
import './elements';
import { createRenderer } from './rendererCore';

/** VS Code's entry point for the renderer. */
export const activate: ActivationFunction = (context) =>
  createRenderer(context, { css: `${uplotCss}\n${plotCss}` });
