/**
 * The chart's legend (uPlot mounts it into the view's legend host): each series
 * entry becomes a keyboard-reachable toggle with its checked state.
 */

/** Turns the series entries into toggles (uPlot toggles a series on click); `names` as in the data. */
export function enhanceLegend(host: HTMLElement, names: readonly string[], isShown: (index: number) => boolean): void {
  const rows = host.querySelectorAll<HTMLElement>('.u-series');
  rows.forEach((row, i) => {
    if (i === 0) {
      return; // the x entry
    }
    const th = row.querySelector('th');
    if (!th || th.hasAttribute('role')) {
      return;
    }
    th.tabIndex = 0;
    th.setAttribute('role', 'checkbox');
    th.setAttribute('aria-label', `Show ${names[i - 1] ?? `series ${i}`}`);
    th.title = 'Show or hide this series (Ctrl+click: only this one)';
    th.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        th.click();
      }
    });
  });
  syncLegend(host, isShown);
}

/** aria-checked of each legend toggle from `isShown` (uPlot's series index: 0 is x). */
export function syncLegend(host: HTMLElement, isShown: (index: number) => boolean): void {
  host.querySelectorAll<HTMLElement>('.u-series').forEach((row, i) => {
    const th = row.querySelector('th');
    if (i > 0 && th) {
      th.setAttribute('aria-checked', String(isShown(i)));
    }
  });
}
