/**
 * Chart colours taken from the VS Code theme's CSS variables. The canvas cannot
 * use `var(--…)`, so the values are read once and re-read when the theme changes.
 */

/** Colours and fonts the chart needs, resolved to concrete CSS values. */
export interface ChartTheme {
  /** `light`, `dark`, `high-contrast` or `high-contrast-light` (from the body class). */
  readonly kind: string;
  readonly foreground: string;
  /** Behind the chart (exported PNGs are painted on it). */
  readonly background: string;
  /** Axis tick labels. */
  readonly axis: string;
  /** Grid lines and ticks. */
  readonly grid: string;
  /** Cursor crosshair. */
  readonly cursor: string;
  /** One colour per series slot; reused cyclically. */
  readonly series: readonly string[];
  /** Canvas font shorthand for axis labels, e.g. `12px "Segoe UI"`. */
  readonly font: string;
  /** Line width of series in CSS pixels. */
  readonly lineWidth: number;
}

const DARK = {
  foreground: '#cccccc',
  background: '#1f1f1f',
  grid: 'rgba(204, 204, 204, 0.15)',
  series: ['#3794ff', '#f14c4c', '#89d185', '#cca700', '#d18616', '#b180d7'],
};
const LIGHT = {
  foreground: '#3b3b3b',
  background: '#ffffff',
  grid: 'rgba(59, 59, 59, 0.15)',
  series: ['#1a85ff', '#e51400', '#388a34', '#bf8803', '#d18616', '#652d90'],
};

const SERIES_VARS = [
  '--vscode-charts-blue',
  '--vscode-charts-red',
  '--vscode-charts-green',
  '--vscode-charts-yellow',
  '--vscode-charts-orange',
  '--vscode-charts-purple',
];

/** The theme kind from VS Code's body classes. */
export function themeKind(doc: Document): string {
  const cl = doc.body?.classList;
  if (!cl) {
    return 'dark';
  }
  if (cl.contains('vscode-high-contrast-light')) {
    return 'high-contrast-light';
  }
  if (cl.contains('vscode-high-contrast')) {
    return 'high-contrast';
  }
  return cl.contains('vscode-light') ? 'light' : 'dark';
}

/** Reads the chart theme from the CSS variables visible at `el`. */
export function readTheme(el: Element): ChartTheme {
  const doc = el.ownerDocument;
  const win = doc.defaultView;
  const cs = win ? win.getComputedStyle(el) : undefined;
  const v = (name: string): string => (cs ? cs.getPropertyValue(name).trim() : '');
  const kind = themeKind(doc);
  const light = kind === 'light' || kind === 'high-contrast-light';
  const hc = kind.startsWith('high-contrast');
  const base = light ? LIGHT : DARK;

  const foreground = v('--vscode-editor-foreground') || v('--vscode-foreground') || base.foreground;
  const axis = v('--vscode-descriptionForeground') || foreground;
  // High contrast: the theme's border colour, toned down so that grid lines never compete with the data.
  const grid = hc
    ? withAlpha(v('--vscode-contrastBorder') || foreground, 0.5)
    : v('--vscode-editorWidget-border') || v('--vscode-panel-border') || base.grid;
  const series = SERIES_VARS.map((name, i) => v(name) || base.series[i]);
  const family = v('--vscode-font-family') || 'system-ui, sans-serif';
  const size = parseFloat(v('--vscode-font-size')) || 13;
  // Axis labels a notch smaller than the UI font, like VS Code's own charts.
  const font = `${Math.max(10, Math.round(size * 0.85))}px ${family}`;
  const background = v('--vscode-editor-background') || (kind === 'high-contrast' ? '#000000' : base.background);
  return {
    kind,
    foreground,
    background,
    axis,
    grid,
    cursor: v('--vscode-editorCursor-foreground') || foreground,
    series,
    font,
    lineWidth: hc ? 2 : 1.5,
  };
}

/** `#rgb` / `#rrggbb` with an alpha, as `rgba(…)`; other colours as they are. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m) {
    return color;
  }
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** A string that changes exactly when the chart must be rebuilt for a theme change. */
export function themeKey(t: ChartTheme): string {
  return [t.kind, t.foreground, t.background, t.axis, t.grid, t.cursor, t.font, t.lineWidth, ...t.series].join('|');
}
