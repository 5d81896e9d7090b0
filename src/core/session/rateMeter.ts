/** How far back the rates look. */
export const RATE_WINDOW_MS = 2000;

/** Updates and samples per second over the last {@link RATE_WINDOW_MS}, for Show Info, the tree and the views. */
export class RateMeter {
  private readonly updateTimes: number[] = [];
  private readonly sampleCounts: { t: number; n: number }[] = [];

  /** One update at `now` that recorded `samples` rows. */
  record(now: number, samples: number): void {
    this.updateTimes.push(now);
    this.sampleCounts.push({ t: now, n: samples });
    while (this.updateTimes.length && this.updateTimes[0]! < now - RATE_WINDOW_MS) this.updateTimes.shift();
    while (this.sampleCounts.length && this.sampleCounts[0]!.t < now - RATE_WINDOW_MS) this.sampleCounts.shift();
  }

  /** Updates per second (two decimals). */
  updatesPerSecond(now: number): number {
    const n = this.updateTimes.filter((t) => t >= now - RATE_WINDOW_MS).length;
    return Math.round((n / (RATE_WINDOW_MS / 1000)) * 100) / 100;
  }

  /** Samples (rows) recorded per second, rounded. */
  samplesPerSecond(now: number): number {
    let n = 0;
    for (const s of this.sampleCounts) if (s.t >= now - RATE_WINDOW_MS) n += s.n;
    return Math.round(n / (RATE_WINDOW_MS / 1000));
  }
}
