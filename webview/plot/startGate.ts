/**
 * The "not started" block of a notebook output's view: what starting its
 * session would do (program and arguments, file, URL, UDP address) and a Start
 * button. Opening a notebook never starts a session; this is where the user
 * decides. Only a real click or key press starts it: synthetic events (e.g. a
 * script in another output of the same notebook calling `click()`) are ignored.
 */
import { MAX_TITLE_LENGTH } from '../../src/shared/limits';
import type { NotStartedMessage } from '../../src/shared/protocol';
import type { IDisposable } from '../lifecycle';

const HEADINGS: Record<NotStartedMessage['state'], string> = {
  pending: 'Not started',
  stopped: 'Stopped',
  error: 'Could not start',
};

export class StartGate implements IDisposable {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly message: HTMLElement;
  private readonly intro: HTMLElement;
  private readonly list: HTMLElement;
  private readonly blocked: HTMLElement;
  private readonly button: HTMLElement & { disabled?: boolean };
  private readonly onClick = (e: Event): void => {
    if (e.isTrusted) this.fire();
  };
  /** The button turns Enter/Space into a synthetic click (untrusted): take the real key press instead. */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.isTrusted && (e.key === 'Enter' || e.key === ' ')) this.fire();
  };

  constructor(doc: Document, private readonly onStart: () => void) {
    const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, parent: Element): HTMLElementTagNameMap[K] => {
      const e = doc.createElement(tag);
      e.className = cls;
      parent.appendChild(e);
      return e;
    };
    this.element = doc.createElement('div');
    this.element.className = 'lp-gate';
    this.element.hidden = true;
    this.element.setAttribute('role', 'region');
    this.heading = el('div', 'lp-gate-heading', this.element);
    this.element.setAttribute('aria-label', 'Live plot not started');
    this.message = el('div', 'lp-gate-message', this.element);
    this.intro = el('div', 'lp-gate-intro', this.element);
    this.intro.textContent = 'Starting it will:';
    this.list = el('ul', 'lp-gate-actions', this.element);
    this.blocked = el('div', 'lp-gate-blocked', this.element);
    this.blocked.setAttribute('role', 'note');
    this.button = el('vscode-button', 'lp-start', this.element);
    this.button.textContent = 'Start';
    this.button.setAttribute('aria-label', 'Start this live plot session');
    this.button.addEventListener('click', this.onClick);
    this.button.addEventListener('keydown', this.onKey);
  }

  private fire(): void {
    if (this.button.hasAttribute('disabled')) return;
    this.button.setAttribute('disabled', '');
    this.onStart();
  }

  get visible(): boolean {
    return !this.element.hidden;
  }

  /** Shows what starting would do; the Start button is enabled unless the host says it is blocked. */
  show(msg: NotStartedMessage): void {
    const text = (v: unknown, max = 2000): string => (typeof v === 'string' ? v.slice(0, max) : '');
    const state = msg.state === 'stopped' || msg.state === 'error' ? msg.state : 'pending';
    this.heading.textContent = `${HEADINGS[state]}: ${text(msg.title, MAX_TITLE_LENGTH) || 'live plot'} (${text(msg.sourceKind, 64) || '?'})`;
    this.message.textContent = text(msg.message);
    const actions = Array.isArray(msg.actions) ? msg.actions.filter((a): a is string => typeof a === 'string').slice(0, 20) : [];
    this.list.replaceChildren(
      ...actions.map((a) => {
        const li = this.element.ownerDocument.createElement('li');
        const code = this.element.ownerDocument.createElement('code');
        code.textContent = a.slice(0, 2000);
        li.appendChild(code);
        return li;
      }),
    );
    this.intro.hidden = actions.length === 0;
    const blocked = text(msg.blocked);
    this.blocked.textContent = blocked;
    this.blocked.hidden = !blocked;
    this.button.textContent = state === 'pending' ? 'Start' : 'Start again';
    this.button.toggleAttribute('disabled', !!blocked);
    this.element.dataset.state = state;
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }

  dispose(): void {
    this.button.removeEventListener('click', this.onClick);
    this.button.removeEventListener('keydown', this.onKey);
    this.element.remove();
  }
}
