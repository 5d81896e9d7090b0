/**
 * Small DOM helpers of the plot view: build elements, and write only what
 * changed (the view re-renders on every message; unchanged writes would still
 * cost style work and mutation events).
 */

/** Creates a `tag` element with class `cls`, appended to `parent` if given. */
export type ElementMaker = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, parent?: Element) => HTMLElementTagNameMap[K];

/** An {@link ElementMaker} for `doc`. */
export function elementMaker(doc: Document): ElementMaker {
  return (tag, cls, parent) => {
    const e = doc.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    parent?.appendChild(e);
    return e;
  };
}

export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) {
    el.textContent = text;
  }
}

/** Sets the property (web components read it) and the attribute (CSS and tests read it). */
export function setDisabled(el: HTMLElement & { disabled: boolean }, disabled: boolean): void {
  if (el.disabled !== disabled) {
    el.disabled = disabled;
  }
  el.toggleAttribute('disabled', disabled);
}

export function setData(d: DOMStringMap, key: string, value: string): void {
  if (d[key] !== value) {
    d[key] = value;
  }
}
