import type { Source, SourceFactory, SourceKindDescriptor, SourceSink } from '../source';
import type { SourceSpec } from '../spec';

/** Values a random source generates per tick, at most (each tick builds and sends a whole frame). */
export const RANDOM_MAX_POINTS = 100_000;

/** Options of the `random` source: values uniform in [min, max). */
interface RandomOptions {
  min: number;
  max: number;
}

function readOptions(spec: SourceSpec): RandomOptions {
  const min = spec.min ?? 0;
  const max = spec.max ?? 1;
  if (typeof min !== 'number' || !Number.isFinite(min)) throw new Error('source.min must be a finite number');
  if (typeof max !== 'number' || !Number.isFinite(max)) throw new Error('source.max must be a finite number');
  if (max <= min) throw new Error('source.max must be greater than source.min');
  return { min, max };
}

/**
 * The seed's demo: every period a fresh frame of `points` uniform random
 * values over x = 1..points (replace mode).
 */
export class RandomSource implements Source {
  readonly mode = 'replace' as const;
  readonly endpoint = 'random values (generated)';
  private sink: SourceSink | undefined;
  private x = new Float64Array(0);
  private y = new Float64Array(0);

  constructor(private readonly opts: RandomOptions, private readonly random: () => number = Math.random) {}

  start(sink: SourceSink): void {
    this.sink = sink;
  }

  tick(_now: number, window: number): void {
    if (!this.sink) return;
    // The manager refuses larger windows; a window changed later is capped here.
    const points = Math.min(window, RANDOM_MAX_POINTS);
    if (this.x.length !== points) {
      this.x = new Float64Array(points);
      this.y = new Float64Array(points);
      for (let i = 0; i < points; i++) this.x[i] = i + 1;
    }
    const span = this.opts.max - this.opts.min;
    for (let i = 0; i < points; i++) this.y[i] = this.opts.min + this.random() * span;
    this.sink.frame(this.x, [{ name: 'random', values: this.y }]);
  }

  dispose(): void {
    this.sink = undefined;
  }
}

export const createRandomSource: SourceFactory = (spec) => new RandomSource(readOptions(spec));

/** The `random` kind: the seed's demo. */
export const randomSourceKind: SourceKindDescriptor = {
  kind: 'random',
  label: 'random',
  description: "the seed's demo: a fresh frame of random values every period",
  needsTrust: false,
  factory: createRandomSource,
  inNewSession: true,
  seriesBound: () => 1,
  capRefusal: (spec) =>
    spec.points > RANDOM_MAX_POINTS
      ? `Live Plot: a random source generates every point of its window each period; at most ${RANDOM_MAX_POINTS} points (got ${spec.points}).`
      : undefined,
  preview: () => ['Generates demo data (no program, file or network).'],
  schema: {
    markdownDescription: 'The classic demo: every period a fresh frame of `points` uniform random values over x = 1..points. Options: `min`, `max`.',
    properties: {
      min: { type: 'number', default: 0, markdownDescription: 'Smallest value (default 0).' },
      max: { type: 'number', default: 1, markdownDescription: 'Values stay below this (default 1); must be greater than `min`.' },
    },
  },
};
