/**
 * The chart as a PNG image: title, the chart canvas (axes and lines) and a
 * legend of the series, on the theme's background.
 */
import type { ChartTheme } from './theme';

/** What goes into the image. */
export interface PngContent {
  readonly doc: Document;
  readonly devicePixelRatio: number;
  /** The chart's canvas; without one, `placeholder` is written where the chart would be. */
  readonly canvas: HTMLCanvasElement | null;
  /** Width in CSS pixels when there is no canvas. */
  readonly cssWidth: number;
  readonly placeholder: string;
  readonly theme: ChartTheme;
  readonly title: string;
  /** Series names, in data order. */
  readonly series: readonly string[];
  /** Whether data series `i` (0-based, as in `series`) is shown; hidden ones are drawn faded. */
  readonly isShown: (i: number) => boolean;
}

/** A PNG data URL, or undefined if this browser cannot draw (no canvas). */
export function drawPng(c: PngContent): string | undefined {
  const src = c.canvas;
  const dpr = c.devicePixelRatio;
  const canvas = c.doc.createElement('canvas');
  const ctx = canvas.getContext?.('2d');
  if (!ctx) {
    return undefined;
  }
  const t = c.theme;
  const width = src ? src.width : Math.round(c.cssWidth * dpr);
  const chartHeight = src ? src.height : Math.round(120 * dpr);
  const pad = Math.round(12 * dpr);
  const fontPx = (parseFloat(t.font) || 11) * dpr;
  const family = t.font.replace(/^[\d.]+px\s*/, '') || 'sans-serif';
  const titleHeight = Math.round(fontPx * 2.4);
  const names = c.series;
  // Legend items laid out in rows.
  ctx.font = `${fontPx}px ${family}`;
  const swatch = Math.round(fontPx * 0.9);
  const items = names.map((name, i) => ({ name, i, w: swatch + 6 * dpr + ctx.measureText(name).width + 18 * dpr }));
  const lines: (typeof items)[] = [[]];
  let lineWidth = 0;
  for (const it of items) {
    if (lineWidth + it.w > width - 2 * pad && lines[lines.length - 1]!.length) {
      lines.push([]);
      lineWidth = 0;
    }
    lines[lines.length - 1]!.push(it);
    lineWidth += it.w;
  }
  const lineHeight = Math.round(fontPx * 1.8);
  const legendHeight = names.length ? lines.length * lineHeight + pad : 0;
  canvas.width = Math.max(1, width + 2 * pad);
  canvas.height = Math.max(1, titleHeight + chartHeight + legendHeight + pad);

  ctx.fillStyle = t.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = 'middle';
  ctx.fillStyle = t.foreground;
  ctx.font = `600 ${Math.round(fontPx * 1.15)}px ${family}`;
  ctx.fillText(c.title, pad, titleHeight / 2);
  if (src) {
    ctx.drawImage(src, pad, titleHeight);
  } else {
    ctx.font = `${fontPx}px ${family}`;
    ctx.fillStyle = t.axis;
    ctx.fillText(c.placeholder, pad, titleHeight + chartHeight / 2);
  }
  ctx.font = `${fontPx}px ${family}`;
  lines.forEach((line, row) => {
    const total = line.reduce((a, it) => a + it.w, 0);
    let x = Math.max(pad, (canvas.width - total) / 2);
    const y = titleHeight + chartHeight + pad / 2 + row * lineHeight + lineHeight / 2;
    for (const it of line) {
      ctx.globalAlpha = c.isShown(it.i) ? 1 : 0.4;
      ctx.fillStyle = t.series[it.i % t.series.length]!;
      ctx.fillRect(x, y - swatch / 2, swatch, swatch);
      ctx.fillStyle = t.foreground;
      ctx.fillText(it.name, x + swatch + 6 * dpr, y);
      x += it.w;
    }
  });
  ctx.globalAlpha = 1;
  try {
    return canvas.toDataURL('image/png');
  } catch {
    return undefined;
  }
}
