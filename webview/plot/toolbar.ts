/**
 * The toolbar above the chart: title and source, then the controls (period,
 * points, y axis, follow) and the buttons (CSV, PNG, pause, close). It builds
 * and wires their DOM, turns what the user enters into requests to the host,
 * and shows what the host reports (a request shows until the host answers).
 */
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { formatPeriod } from '../../src/shared/format';
import { isPeriodRequest } from '../../src/shared/limits';
import type { ViewSessionInfo, ViewToHostMessage, YRange } from '../../src/shared/protocol';
import { readYRange, sameYRange, saneYRange } from '../../src/shared/yRange';
import { DisposableStore, listen, type IDisposable } from '../lifecycle';
import { elementMaker, setDisabled, setText } from './dom';
import { parseNumber, roundBound } from './format';
import { periodBounds, periodChoices } from './periods';

/** What the toolbar needs from the view. */
export interface ToolbarHost {
  /** The session as the host last reported it. */
  info(): ViewSessionInfo | undefined;
  /** Period, points, pause and y axis can be used (running or paused). */
  controlsEnabled(): boolean;
  /** Close and the exports can be used (the session is live here). */
  closeEnabled(): boolean;
  /** The y scale the chart shows now, if any (a fixed range starts from it). */
  shownY(): { readonly min?: number | null; readonly max?: number | null } | undefined;
  send(msg: ViewToHostMessage): void;
  /** The Follow box changed. */
  follow(on: boolean): void;
  /** The PNG button: render the chart and send it. */
  exportPng(): void;
  /** A short message for the status line, or undefined to clear it. */
  setNotice(text: string | undefined): void;
  /** The y range in force changed: re-range the chart. */
  rescale(): void;
  /** Re-render controls and status. */
  render(): void;
}

/** Labels of the toolbar's fixed texts. */
export interface ToolbarOptions {
  /** Shown until the host's first info arrives. */
  readonly title: string;
  /** 'Close' in panels, 'Stop' in notebooks. */
  readonly closeLabel: 'Close' | 'Stop';
  /** Prefix of element ids (unique per view). */
  readonly uid: string;
  readonly viewId: string;
}

/** What the controls show besides the session info. */
export interface ToolbarState {
  readonly info: ViewSessionInfo | undefined;
  readonly controlsEnabled: boolean;
  readonly closeEnabled: boolean;
  readonly hasChart: boolean;
  readonly following: boolean;
}

/** The toolbar of one plot view. */
export class Toolbar implements IDisposable {
  private readonly store = new DisposableStore();
  private readonly doc: Document;
  private readonly titleEl: HTMLElement;
  private readonly sourceEl: HTMLElement;
  private readonly periodSelect: VscodeSingleSelect;
  private readonly pointsField: VscodeTextfield;
  private readonly yModeSelect: VscodeSingleSelect;
  private readonly yFixedGroup: HTMLElement;
  private readonly yMinField: VscodeTextfield;
  private readonly yMaxField: VscodeTextfield;
  private readonly followBox: VscodeCheckbox;
  private readonly csvButton: VscodeButton;
  private readonly pngButton: VscodeButton;
  private readonly pauseButton: VscodeButton;
  private readonly closeButton: VscodeButton;

  // Requests sent and not answered yet (the next info clears them).
  private requestedPeriod: number | undefined;
  private requestedPoints: number | undefined;
  private requestedYRange: YRange | undefined;
  private periodOptionsKey = '';

  /** Builds the toolbar as the first child of `root`. */
  constructor(
    root: HTMLElement,
    private readonly host: ToolbarHost,
    private readonly opts: ToolbarOptions,
  ) {
    this.doc = root.ownerDocument;
    const el = elementMaker(this.doc);
    const uid = opts.uid;

    const toolbar = el('div', 'lp-toolbar', root);
    const heading = el('div', 'lp-heading', toolbar);
    this.titleEl = el('span', 'lp-title', heading);
    this.titleEl.textContent = opts.title;
    this.sourceEl = el('span', 'lp-source', heading);

    const controls = el('div', 'lp-controls', toolbar);
    controls.setAttribute('role', 'group');
    controls.setAttribute('aria-label', 'Plot controls');

    const periodGroup = el('div', 'lp-field', controls);
    const periodLabel = el('vscode-label', undefined, periodGroup);
    el('span', 'normal', periodLabel).textContent = 'Period';
    periodLabel.setAttribute('for', `${uid}-period`);
    this.periodSelect = el('vscode-single-select', 'lp-period', periodGroup);
    this.periodSelect.id = `${uid}-period`;
    this.periodSelect.setAttribute('aria-label', 'Refresh period');
    this.periodSelect.label = 'Refresh period';

    const pointsGroup = el('div', 'lp-field', controls);
    const pointsLabel = el('vscode-label', undefined, pointsGroup);
    el('span', 'normal', pointsLabel).textContent = 'Points';
    pointsLabel.setAttribute('for', `${uid}-points`);
    this.pointsField = el('vscode-textfield', 'lp-points', pointsGroup);
    this.pointsField.id = `${uid}-points`;
    this.pointsField.setAttribute('type', 'number');
    this.pointsField.setAttribute('min', '1');
    this.pointsField.setAttribute('aria-label', 'Number of points');

    // Y axis: auto, or fixed with min and max fields.
    const yGroup = el('div', 'lp-field lp-y', controls);
    const yLabel = el('vscode-label', undefined, yGroup);
    el('span', 'normal', yLabel).textContent = 'Y axis';
    yLabel.setAttribute('for', `${uid}-ymode`);
    this.yModeSelect = el('vscode-single-select', 'lp-ymode', yGroup);
    this.yModeSelect.id = `${uid}-ymode`;
    this.yModeSelect.setAttribute('aria-label', 'Y axis range');
    this.yModeSelect.label = 'Y axis range';
    for (const [value, text] of [['auto', 'Auto'], ['fixed', 'Fixed']] as const) {
      const o = el('vscode-option', undefined, this.yModeSelect);
      o.setAttribute('value', value);
      o.textContent = text;
    }
    this.yModeSelect.value = 'auto';
    this.yFixedGroup = el('span', 'lp-yfixed', yGroup);
    this.yFixedGroup.hidden = true;
    this.yMinField = el('vscode-textfield', 'lp-ymin', this.yFixedGroup);
    this.yMaxField = el('vscode-textfield', 'lp-ymax', this.yFixedGroup);
    for (const [f, name] of [[this.yMinField, 'minimum'], [this.yMaxField, 'maximum']] as const) {
      f.setAttribute('type', 'number');
      f.setAttribute('aria-label', `Y axis ${name}`);
      f.setAttribute('placeholder', name === 'minimum' ? 'min' : 'max');
    }

    const follow = el('div', 'lp-field lp-follow-field', controls);
    this.followBox = el('vscode-checkbox', 'lp-follow', follow);
    this.followBox.setAttribute('label', 'Follow');
    this.followBox.textContent = 'Follow';
    this.followBox.checked = true;
    this.followBox.setAttribute('checked', '');
    this.followBox.setAttribute('aria-label', 'Follow live data (off while zoomed or panned)');
    this.followBox.title = 'Follow live data; zooming or panning turns it off';

    // The buttons wrap as one group in narrow views.
    const buttons = el('div', 'lp-buttons', controls);
    this.csvButton = el('vscode-button', 'lp-export-csv', buttons);
    this.csvButton.setAttribute('secondary', '');
    this.csvButton.textContent = 'CSV';
    this.csvButton.setAttribute('aria-label', 'Export the data in the window as CSV');
    this.csvButton.title = 'Export the data in the window as CSV…';
    this.pngButton = el('vscode-button', 'lp-export-png', buttons);
    this.pngButton.setAttribute('secondary', '');
    this.pngButton.textContent = 'PNG';
    this.pngButton.setAttribute('aria-label', 'Save the chart as a PNG image');
    this.pngButton.title = 'Save the chart as a PNG image…';

    this.pauseButton = el('vscode-button', 'lp-pause', buttons);
    this.pauseButton.setAttribute('secondary', '');
    this.pauseButton.textContent = 'Pause';
    this.pauseButton.setAttribute('aria-label', 'Pause updates');
    this.pauseButton.setAttribute('aria-pressed', 'false');

    this.closeButton = el('vscode-button', 'lp-close', buttons);
    this.closeButton.setAttribute('secondary', '');
    this.closeButton.textContent = opts.closeLabel;
    this.closeButton.setAttribute(
      'aria-label',
      opts.closeLabel === 'Stop' ? 'Stop the live plot session' : 'Close the live plot session',
    );
    this.wire();
  }

  /** The title shown now. */
  get title(): string {
    return this.titleEl.textContent ?? '';
  }

  /** The y range in force: what was asked for until the host answers, else the host's. */
  yRange(): YRange {
    return this.requestedYRange ?? saneYRange(this.host.info()?.yRange);
  }

  /** The host answered (a new info): show what it reports, not what was asked. */
  clearRequests(): void {
    this.requestedPeriod = undefined;
    this.requestedPoints = undefined;
    this.requestedYRange = undefined;
  }

  /** Shows `s` in the controls; a field being edited keeps what the user typed. */
  update(s: ToolbarState): void {
    const info = s.info;
    const focused = this.doc.activeElement;
    if (info) {
      this.titleEl.textContent = info.title || 'Live plot';
      this.sourceEl.textContent = info.sourceKind;
      this.renderPeriodOptions(info);
      if (focused !== this.periodSelect) {
        const value = String(this.requestedPeriod ?? info.periodMs);
        if (this.periodSelect.value !== value) {
          this.periodSelect.value = value;
        }
      }
      const max = String(Math.max(1, info.maxPoints));
      if (this.pointsField.getAttribute('max') !== max) {
        this.pointsField.setAttribute('max', max);
      }
      if (focused !== this.pointsField) {
        const value = String(this.requestedPoints ?? info.points);
        if (this.pointsField.value !== value) {
          this.pointsField.value = value;
        }
      }
      const paused = info.paused || info.state === 'paused';
      setText(this.pauseButton, paused ? 'Resume' : 'Pause');
      this.pauseButton.setAttribute('aria-label', paused ? 'Resume updates' : 'Pause updates');
      this.pauseButton.setAttribute('aria-pressed', String(paused));
    }
    const y = this.yRange();
    const yMode = y === 'auto' ? 'auto' : 'fixed';
    if (focused !== this.yModeSelect && this.yModeSelect.value !== yMode) {
      this.yModeSelect.value = yMode;
    }
    this.yFixedGroup.hidden = y === 'auto';
    if (y !== 'auto') {
      if (focused !== this.yMinField && parseNumber(this.yMinField.value) !== y[0]) {
        this.yMinField.value = String(y[0]);
      }
      if (focused !== this.yMaxField && parseNumber(this.yMaxField.value) !== y[1]) {
        this.yMaxField.value = String(y[1]);
      }
    }
    if (this.followBox.checked !== s.following) {
      this.followBox.checked = s.following;
    }
    this.followBox.toggleAttribute('checked', s.following);
    const enabled = s.controlsEnabled;
    setDisabled(this.periodSelect, !enabled);
    setDisabled(this.pointsField, !enabled);
    setDisabled(this.pauseButton, !enabled);
    setDisabled(this.closeButton, !s.closeEnabled);
    setDisabled(this.yModeSelect, !enabled);
    setDisabled(this.yMinField, !enabled);
    setDisabled(this.yMaxField, !enabled);
    setDisabled(this.followBox, !s.hasChart);
    // Exports are written by the host from the live session: not once it has ended.
    setDisabled(this.csvButton, !s.closeEnabled);
    setDisabled(this.pngButton, !s.closeEnabled || !s.hasChart);
  }

  dispose(): void {
    this.store.dispose();
  }

  private send(msg: ViewToHostMessage): void {
    this.host.send(msg);
  }

  private wire(): void {
    const viewId = this.opts.viewId;
    const onEnter = (target: HTMLElement, action: () => void): void => {
      this.store.add(
        listen<'keydown'>(target, 'keydown', (e) => {
          if (e.key === 'Enter') {
            action();
          }
        }),
      );
    };
    this.store.add(listen(this.periodSelect, 'change', () => this.applyPeriod()));
    this.store.add(listen(this.pointsField, 'change', () => this.applyPoints()));
    onEnter(this.pointsField, () => this.applyPoints());
    this.store.add(
      listen(this.pauseButton, 'click', () => {
        const info = this.host.info();
        if (this.host.controlsEnabled() && info) {
          this.send({ type: info.paused ? 'resume' : 'pause', viewId });
        }
      }),
    );
    this.store.add(
      listen(this.closeButton, 'click', () => {
        if (this.host.closeEnabled()) {
          this.send({ type: 'close', viewId });
        }
      }),
    );
    this.store.add(listen(this.yModeSelect, 'change', () => this.applyYMode()));
    for (const f of [this.yMinField, this.yMaxField]) {
      this.store.add(listen(f, 'change', () => this.applyYFixed()));
      onEnter(f, () => this.applyYFixed());
    }
    this.store.add(listen(this.followBox, 'change', () => this.host.follow(!!this.followBox.checked)));
    this.store.add(
      listen(this.csvButton, 'click', () => {
        if (this.host.closeEnabled()) {
          this.send({ type: 'exportCsv', viewId });
        }
      }),
    );
    this.store.add(
      listen(this.pngButton, 'click', () => {
        if (this.host.closeEnabled()) {
          this.host.exportPng();
        }
      }),
    );
  }

  private applyPeriod(): void {
    const info = this.host.info();
    if (!info || !this.host.controlsEnabled()) {
      return;
    }
    const v = Number(this.periodSelect.value);
    if (!isPeriodRequest(v)) {
      return;
    }
    const { min, max } = periodBounds(info);
    const periodMs = Math.min(max, Math.max(min, Math.round(v)));
    if (periodMs === (this.requestedPeriod ?? info.periodMs)) {
      return;
    }
    this.requestedPeriod = periodMs;
    this.send({ type: 'setPeriod', viewId: this.opts.viewId, periodMs });
  }

  private applyPoints(): void {
    const info = this.host.info();
    if (!info || !this.host.controlsEnabled()) {
      return;
    }
    const raw = Number(String(this.pointsField.value ?? '').trim());
    if (!Number.isFinite(raw) || String(this.pointsField.value ?? '').trim() === '') {
      this.pointsField.value = String(this.requestedPoints ?? info.points);
      return;
    }
    const points = Math.min(Math.max(1, info.maxPoints), Math.max(1, Math.round(raw)));
    if (String(points) !== this.pointsField.value) {
      this.pointsField.value = String(points);
    }
    if (points === (this.requestedPoints ?? info.points)) {
      return;
    }
    this.requestedPoints = points;
    this.send({ type: 'setPoints', viewId: this.opts.viewId, points });
  }

  private applyYMode(): void {
    if (!this.host.controlsEnabled()) {
      return;
    }
    if (this.yModeSelect.value === 'auto') {
      this.requestYRange('auto');
      return;
    }
    // Fixed: start from what the chart shows now, so nothing jumps.
    const current = this.yRange();
    const y = this.host.shownY();
    const range: [number, number] =
      current !== 'auto'
        ? [current[0], current[1]]
        : y && typeof y.min === 'number' && typeof y.max === 'number' && y.min < y.max
          ? [roundBound(y.min), roundBound(y.max)]
          : [0, 1];
    this.yMinField.value = String(range[0]);
    this.yMaxField.value = String(range[1]);
    this.requestYRange(range[0] < range[1] ? range : [0, 1]);
  }

  private applyYFixed(): void {
    if (!this.host.controlsEnabled()) {
      return;
    }
    // The host's rule (src/shared/yRange.ts): finite bounds, min below max.
    const range = readYRange([parseNumber(this.yMinField.value), parseNumber(this.yMaxField.value)]);
    const ok = range !== undefined && range !== 'auto';
    this.yMinField.toggleAttribute('invalid', !ok);
    this.yMaxField.toggleAttribute('invalid', !ok);
    if (!ok) {
      this.host.setNotice('Y axis: min must be a number below max');
      this.host.render();
      return;
    }
    this.requestYRange(range);
  }

  private requestYRange(range: YRange): void {
    if (sameYRange(range, this.yRange())) {
      return;
    }
    this.requestedYRange = range;
    this.host.setNotice(undefined);
    this.send({ type: 'setYRange', viewId: this.opts.viewId, yRange: range });
    this.host.rescale();
    this.host.render();
  }

  private renderPeriodOptions(info: ViewSessionInfo): void {
    const values = periodChoices(info);
    const key = values.join(',');
    if (key === this.periodOptionsKey) {
      return;
    }
    this.periodOptionsKey = key;
    const options = values.map((ms) => {
      const o = this.doc.createElement('vscode-option');
      o.setAttribute('value', String(ms));
      o.textContent = formatPeriod(ms);
      return o;
    });
    this.periodSelect.replaceChildren(...options);
  }
}
