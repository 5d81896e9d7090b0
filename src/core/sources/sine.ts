import type { Source, SourceFactory, SourceKindDescriptor, SourceSink } from '../source';
import type { SourceSpec } from '../spec';

/** Samples a second a sine source may generate (`sampleRateHz × waves`). */
export const SINE_MAX_SAMPLES_PER_SECOND = 200_000;

interface SineOptions {
  waves: number;
  frequencyHz: number;
  sampleRateHz: number;
}

function readOptions(spec: SourceSpec): SineOptions {
  const waves = spec.waves ?? 3;
  const frequencyHz = spec.frequencyHz ?? 0.2;
  const sampleRateHz = spec.sampleRateHz ?? 20;
  if (typeof waves !== 'number' || !Number.isInteger(waves) || waves < 1 || waves > 16) {
    throw new Error('source.waves must be a whole number from 1 to 16');
  }
  if (typeof frequencyHz !== 'number' || !(frequencyHz > 0) || frequencyHz > 1000) {
    throw new Error('source.frequencyHz must be a number in (0, 1000]');
  }
  if (typeof sampleRateHz !== 'number' || !(sampleRateHz > 0) || sampleRateHz > 100_000) {
    throw new Error('source.sampleRateHz must be a number in (0, 100000]');
  }
  if (sampleRateHz * waves > SINE_MAX_SAMPLES_PER_SECOND) {
    throw new Error(
      `source.sampleRateHz × source.waves must be at most ${SINE_MAX_SAMPLES_PER_SECOND} samples a second (got ${sampleRateHz} × ${waves} = ${sampleRateHz * waves})`,
    );
  }
  return { waves, frequencyHz, sampleRateHz };
}

/**
 * A few synthetic waves sampled over time at `sampleRateHz`, appended (streaming
 * mode). Samples between two ticks are generated at the tick, with their own
 * timestamps, so the curve does not depend on the refresh period.
 */
export class SineSource implements Source {
  readonly mode = 'append' as const;
  readonly endpoint: string;
  private sink: SourceSink | undefined;
  private nextT: number | undefined;
  private readonly names: string[];
  private readonly row: Float64Array;

  constructor(private readonly opts: SineOptions) {
    this.endpoint = `${opts.waves} sine wave(s) at ${opts.frequencyHz} Hz, ${opts.sampleRateHz} samples/s (generated)`;
    this.names = Array.from({ length: opts.waves }, (_, i) => `sine${i + 1}`);
    this.row = new Float64Array(opts.waves);
  }

  start(sink: SourceSink): void {
    this.sink = sink;
  }

  tick(now: number, points: number): void {
    const sink = this.sink;
    if (!sink) return;
    const dt = 1000 / this.opts.sampleRateHz;
    // Never generate more than a window's worth at once (e.g. after a long pause of the host).
    let t = this.nextT ?? now;
    if (now - t > dt * points) t = now - dt * (points - 1);
    for (; t <= now; t += dt) {
      const s = t / 1000;
      for (let w = 0; w < this.opts.waves; w++) {
        const f = this.opts.frequencyHz * (w + 1);
        this.row[w] = Math.sin(2 * Math.PI * f * s + w) / (w + 1);
        sink.sample(this.names[w]!, t, this.row[w]!);
      }
    }
    this.nextT = t;
  }

  dispose(): void {
    this.sink = undefined;
  }
}

export const createSineSource: SourceFactory = (spec) => new SineSource(readOptions(spec));

/** The `sine` kind: a streaming demo. */
export const sineSourceKind: SourceKindDescriptor = {
  kind: 'sine',
  label: 'sine',
  description: 'a few sine waves, streaming',
  needsTrust: false,
  factory: createSineSource,
  inNewSession: true,
  seriesBound: (s) => (typeof s.waves === 'number' && Number.isInteger(s.waves) && s.waves >= 1 ? s.waves : 3),
  preview: () => ['Generates demo data (no program, file or network).'],
  schema: {
    markdownDescription: 'A few synthetic sine waves, streaming. Options: `waves`, `frequencyHz`, `sampleRateHz`.',
    properties: {
      waves: { type: 'integer', minimum: 1, maximum: 16, default: 3, markdownDescription: 'Number of waves (series), 1–16.' },
      frequencyHz: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1000,
        default: 0.2,
        markdownDescription: 'Frequency of the first wave in Hz; wave n has n × this.',
      },
      sampleRateHz: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 100000,
        default: 20,
        markdownDescription: 'Samples per second; `sampleRateHz × waves` is at most 200000.',
      },
    },
  },
};
