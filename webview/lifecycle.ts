/**
 * The views use the same lifecycle toolkit as the host (src/shared/lifecycle.ts is
 * plain TypeScript with no Node or vscode import), plus a DOM listener helper.
 */
import { toDisposable, type IDisposable } from '../src/shared/lifecycle';

export { DisposableStore, toDisposable, type IDisposable } from '../src/shared/lifecycle';

/** Adds an event listener (with options: capture, passive) and returns a disposable that removes it. */
export function listen<K extends keyof HTMLElementEventMap>(
  target: EventTarget,
  type: K | string,
  listener: (ev: HTMLElementEventMap[K]) => void,
  options?: boolean | AddEventListenerOptions,
): IDisposable {
  const fn = listener as EventListener;
  target.addEventListener(type, fn, options);
  return toDisposable(() => target.removeEventListener(type, fn, options));
}
