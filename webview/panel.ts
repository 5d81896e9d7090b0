/**
 * The webview panel page: one PlotView filling the page. The host's HTML has
 * `<div id="root"></div>`, loads this module with a nonce and panel.css with a
 * <link>; the page asks for its session's snapshot by attaching on load.
 */
import 'uplot/dist/uPlot.min.css';
import './plot/plot.css';
import './elements';
import { decodeMessage } from '../src/shared/codec';
import type { HostToViewMessage, PanelState, ViewToHostMessage } from '../src/shared/protocol';
import { newViewId } from './ids';
import { PlotView } from './plot/plotView';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

function main(): void {
  const vscode = acquireVsCodeApi();
  let root = document.getElementById('root');
  if (!root) {
    root = document.createElement('div');
    root.id = 'root';
    document.body.appendChild(root);
  }
  // A new id per page load: a reloaded page is a new view of the same session.
  const viewId = newViewId();
  const post = (msg: ViewToHostMessage): void => vscode.postMessage(msg);
  const view = new PlotView(root, post, { viewId, closeLabel: 'Close', layout: 'fill' });

  // What the panel serializer needs to bring this panel back after a reload:
  // only the opaque key of the host's own record of the session spec.
  const panelKey = root.dataset.panelKey;
  if (panelKey) vscode.setState({ panelKey } satisfies PanelState);

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data;
    // From the host, so trusted; the shape check only keeps stray messages out.
    if (data && typeof data === 'object' && typeof (data as { type?: unknown }).type === 'string') {
      // Panels receive Float64Array columns as they are; decoding is a no-op then.
      const msg = decodeMessage(data as HostToViewMessage);
      view.handle(msg);
    }
  });
  window.addEventListener(
    'pagehide',
    () => {
      // Best effort: the host also drops views when the panel is hidden or closed.
      post({ type: 'detach', viewId });
      view.dispose();
    },
    { once: true },
  );
  post({ type: 'attach', viewId });
}

main();
