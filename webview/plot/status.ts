/**
 * The status line under the chart: the state (announced to screen readers)
 * and the statistics (period, points, update rate, time window, y range…).
 */
import type { ViewSessionInfo, YRange } from '../../src/shared/protocol';
import { formatPeriod } from '../../src/shared/format';
import { formatNumber, formatRate, formatSeconds } from './format';

/** `data-state` values besides the session states. */
export type ViewState = ViewSessionInfo['state'] | 'connecting' | 'unknown-session' | 'not-started';

/** Span over which the view measures its update rate. */
const RATE_WINDOW_MS = 3000;

/** The update rate this view sees: data messages per second over the last few seconds. */
export class RateMeter {
  /** Times of the data messages of the last few seconds (ms). */
  private readonly times: number[] = [];

  /** Notes a data message at `now` (ms). */
  note(now: number): void {
    this.times.push(now);
    while (this.times.length > 0 && this.times[0]! < now - RATE_WINDOW_MS) {
      this.times.shift();
    }
  }

  /** Messages per second at `now`; 0 once they stopped, undefined until there are two. */
  rate(now: number): number | undefined {
    const t = this.times;
    if (t.length < 2 || now - t[t.length - 1]! > RATE_WINDOW_MS) {
      return t.length && now - t[t.length - 1]! > RATE_WINDOW_MS ? 0 : undefined;
    }
    return ((t.length - 1) * 1000) / Math.max(1, t[t.length - 1]! - t[0]!);
  }
}

/** What the status line is made from. */
export interface StatusFacts {
  readonly info: ViewSessionInfo | undefined;
  readonly state: ViewState;
  /** Replaces the state text (ended, not started, unknown session). */
  readonly override: string | undefined;
  /** The rate this view measured, if it has one. */
  readonly localRate: number | undefined;
  /** The time window shown, in ms, if any. */
  readonly windowMs: number | undefined;
  readonly yRange: YRange;
  /** The user zoomed or panned (not following). */
  readonly zoomed: boolean;
  /** A short message from the last action (e.g. an invalid y range). */
  readonly notice: string | undefined;
}

/** The state part: "running", "paused", "error — …", or the override. */
export function stateText(f: Pick<StatusFacts, 'info' | 'state' | 'override'>): string {
  if (f.override) {
    return f.override;
  }
  if (!f.info) {
    return 'connecting…';
  }
  if (f.state === 'error') {
    return `error${f.info.status ? ` — ${f.info.status}` : ''}`;
  }
  return f.info.paused && f.state === 'running' ? 'paused' : f.state;
}

/** The statistics part, joined with " · "; empty while there is no session to describe. */
export function statsText(f: StatusFacts): string {
  const info = f.info;
  if (!info || f.state === 'unknown-session' || f.state === 'not-started') {
    return '';
  }
  const parts = [`every ${formatPeriod(info.periodMs)}`, `${info.points} points`];
  if (f.state === 'running') {
    parts.push(`${formatRate(f.localRate ?? info.rate)} updates/s`);
  }
  if (info.malformed > 0) {
    parts.push(`${info.malformed} malformed`);
  }
  if (f.windowMs !== undefined) {
    parts.push(`last ${formatSeconds(f.windowMs)}`);
  }
  if (f.yRange !== 'auto') {
    parts.push(`y ${formatNumber(f.yRange[0])} to ${formatNumber(f.yRange[1])}`);
  }
  if (f.zoomed) {
    parts.push('zoomed (double-click or F: follow)');
  }
  if (info.status && f.state !== 'error' && !f.override) {
    parts.push(info.status);
  }
  if (f.notice) {
    parts.push(f.notice);
  }
  return parts.join(' · ');
}
