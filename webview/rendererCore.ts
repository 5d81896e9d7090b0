/**
 * The notebook renderer's logic (the entry point, renderer.ts, adds the CSS and
 * the web components, which cannot load outside a browser).
 *
 * Each rendered live-plot output gets a PlotView with a fresh view id that
 * attaches to the session named in the payload. The renderer never ends a session: disposing a view only detaches it
 * (VS Code disposes outputs that merely scrolled away); the host, watching the
 * notebook document, decides when a session ends.
 */
import type { RendererApi, RendererContext } from 'vscode-notebook-renderer';
import { decodeMessage } from '../src/shared/codec';
import { parsePayload } from '../src/shared/payload';
import type { HostToViewMessage, ViewToHostMessage } from '../src/shared/protocol';
import { newViewId } from './ids';
import { DisposableStore, toDisposable, type IDisposable } from './lifecycle';
import type { ChartFactory } from './plot/chart';
import { PlotView } from './plot/plotView';

/** What the entry point (or a test) supplies. */
export interface RendererOptions {
  /** CSS put once into each document or shadow root that holds an output. */
  readonly css: string;
  /** Chart factory, for tests. */
  readonly createChart?: ChartFactory;
}

const STYLE_ID = 'live-plot-renderer-style';

/** Builds the renderer API for one renderer context. */
export function createRenderer(context: RendererContext<unknown>, options: RendererOptions): RendererApi {
  /** Output item id → what its last render holds. */
  const outputs = new Map<string, IDisposable>();
  /** View id → view, to route the host's messages. */
  const views = new Map<string, PlotView>();

  context.onDidReceiveMessage?.((message: unknown) => {
    const viewId = (message as { viewId?: unknown } | null)?.viewId;
    if (typeof viewId === 'string' && typeof (message as { type?: unknown }).type === 'string') {
      // Renderer messaging goes through JSON: columns arrive base64-encoded (see codec.ts).
      views.get(viewId)?.handle(decodeMessage(message as HostToViewMessage));
    }
  });

  const disposeOutput = (id: string): void => {
    const d = outputs.get(id);
    outputs.delete(id);
    d?.dispose();
  };

  return {
    renderOutputItem(outputItem, element) {
      // VS Code re-renders an id without disposing it first (e.g. on re-execution).
      disposeOutput(outputItem.id);
      injectStyles(element, options.css);
      const parsed = parsePayload(outputItem);
      if ('error' in parsed) {
        const box = element.ownerDocument.createElement('div');
        box.className = 'lp-message lp-invalid';
        box.setAttribute('role', 'alert');
        box.textContent = `Live plot: cannot show this output — ${parsed.error}.`;
        element.replaceChildren(box);
        return;
      }
      const postMessage = context.postMessage?.bind(context);
      if (!postMessage) {
        const box = element.ownerDocument.createElement('div');
        box.className = 'lp-message lp-static';
        const name = parsed.title ? `Live plot ${parsed.title}` : 'Live plot';
        box.textContent =
          `${name} (session ${parsed.session}) — ` +
          'open in VS Code with the Live Plot Sessions extension to see it live';
        element.replaceChildren(box);
        return;
      }

      const store = new DisposableStore();
      const root = element.ownerDocument.createElement('div');
      element.replaceChildren(root);
      const viewId = newViewId();
      const post = (msg: ViewToHostMessage): void => postMessage(msg);
      const view = new PlotView(root, post, {
        viewId,
        closeLabel: 'Stop',
        layout: 'fixed',
        title: parsed.title,
        createChart: options.createChart,
        output: parsed.session,
      });
      views.set(viewId, view);
      // Disposed last-added-first: stop observing, detach, then drop the view.
      store.add(
        toDisposable(() => {
          views.delete(viewId);
          view.dispose();
        }),
      );
      store.add(toDisposable(() => post({ type: 'detach', viewId })));
      post({ type: 'attach', viewId, output: parsed.session });
      store.add(observeVisibility(element, (visible) => post({ type: 'visibility', viewId, visible })));
      outputs.set(outputItem.id, store);
    },

    disposeOutputItem(id) {
      if (id === undefined) {
        for (const key of [...outputs.keys()]) {
          disposeOutput(key);
        }
      } else {
        disposeOutput(id);
      }
    },
  };
}

/** Reports when `element` enters or leaves the viewport (first report at once). */
function observeVisibility(element: HTMLElement, onChange: (visible: boolean) => void): IDisposable {
  const IO = element.ownerDocument.defaultView?.IntersectionObserver;
  if (!IO) {
    return toDisposable(() => undefined);
  }
  let last: boolean | undefined;
  const io = new IO((entries) => {
    const entry = entries[entries.length - 1];
    if (!entry) {
      return;
    }
    const visible = entry.isIntersecting;
    if (visible !== last) {
      last = visible;
      onChange(visible);
    }
  });
  io.observe(element);
  return toDisposable(() => io.disconnect());
}

/** Puts the CSS once into the document (or shadow root) that holds `element`. */
function injectStyles(element: HTMLElement, css: string): void {
  const rootNode = element.getRootNode();
  const doc = element.ownerDocument;
  const container: ParentNode | null =
    rootNode instanceof (doc.defaultView?.ShadowRoot ?? ShadowRoot) ? (rootNode as ShadowRoot) : doc.head;
  if (!container || container.querySelector(`#${STYLE_ID}`)) {
    return;
  }
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = css;
  container.appendChild(style);
}
