// Image checks for the e2e tier: decode a PNG in the browser (no image library
// needed in Node) and tell whether it shows something rather than a blank area.
import type { Page } from 'playwright-core';

/** What a picture holds, roughly. */
export interface ImageStats {
  width: number;
  height: number;
  /** Distinct colours after quantising each channel to 32 levels. */
  colours: number;
  /** Share of pixels that differ clearly from the most common colour (the background). */
  inked: number;
  /** Standard deviation of the luminance (0–255). */
  lumaStdDev: number;
}

/** Decodes `png` in `page` and measures it. */
export async function imageStats(page: Page, png: Buffer): Promise<ImageStats> {
  return page.evaluate(async (b64: string) => {
    // Runs in the page (the Node project has no DOM types).
    const { Image, document } = globalThis as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const counts = new Map<number, number>();
    let sum = 0;
    let sum2 = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const key = ((data[i]! >> 3) << 10) | ((data[i + 1]! >> 3) << 5) | (data[i + 2]! >> 3);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const l = 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
      sum += l;
      sum2 += l * l;
    }
    let bg = 0;
    let bgCount = -1;
    for (const [k, c] of counts) if (c > bgCount) [bg, bgCount] = [k, c];
    const br = (bg >> 10) << 3;
    const bgG = ((bg >> 5) & 31) << 3;
    const bb = (bg & 31) << 3;
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i]! - br) + Math.abs(data[i + 1]! - bgG) + Math.abs(data[i + 2]! - bb) > 48) inked++;
    }
    const mean = sum / n;
    return {
      width: canvas.width,
      height: canvas.height,
      colours: counts.size,
      inked: inked / n,
      lumaStdDev: Math.sqrt(Math.max(0, sum2 / n - mean * mean)),
    };
  }, png.toString('base64'));
}

/** Throws unless `stats` look like a real picture of the UI, not a blank or single-colour area. */
export function assertNotBlank(stats: ImageStats, what: string, { minColours = 20, minInked = 0.01 } = {}): void {
  const problems: string[] = [];
  if (stats.width < 100 || stats.height < 100) problems.push(`too small (${stats.width}×${stats.height})`);
  if (stats.colours < minColours) problems.push(`only ${stats.colours} colours`);
  if (stats.inked < minInked) problems.push(`only ${(stats.inked * 100).toFixed(2)}% of pixels differ from the background`);
  if (stats.lumaStdDev < 3) problems.push(`flat (luminance σ ${stats.lumaStdDev.toFixed(1)})`);
  if (problems.length) throw new Error(`${what} looks blank: ${problems.join('; ')} ${JSON.stringify(stats)}`);
}
