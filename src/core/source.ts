import type { FrameMode } from '../shared/protocol';
import type { Clock } from './clock';
import type { IDisposable } from '../shared/lifecycle';
import type { SourceSpec } from './spec';

/** Where a source delivers data. Every method is safe to call at any time, also after the session ended. */
export interface SourceSink {
  /** Replaces the whole window (replace-mode sources). */
  frame(x: ArrayLike<number>, series: readonly { name: string; values: ArrayLike<number> }[]): void;
  /** Appends one sample of series `name` at `x` (append-mode sources). */
  sample(name: string, x: number, y: number): void;
  /** Reports inputs that could not be parsed (counted and shown, never thrown). */
  malformed(count: number, example?: string): void;
  /** Error state with a message, or `undefined` to clear it. */
  error(message: string | undefined): void;
  /** A state text such as "waiting for /tmp/x.log"; `undefined` clears it. */
  status(message: string | undefined): void;
  /** The source has finished for good (e.g. "exit code 1"); data is kept. */
  ended(message: string): void;
  /** A line for the "Live Plot" output channel. */
  log(message: string): void;
}

/** A data source. One per session, started once, disposed with its session. */
export interface Source extends IDisposable {
  /** `replace`: every tick a fresh frame; `append`: streaming samples. */
  readonly mode: FrameMode;
  /** Human description of where the data comes from (Show Info). */
  readonly endpoint: string;
  /** Starts producing into `sink`. May throw (bad options, refused): the session then shows the error. */
  start(sink: SourceSink): void;
  /** Polling sources produce here, once a period. `points` is the current window. */
  tick?(now: number, points: number): void;
}

/** What a source factory receives besides its spec. */
export interface SourceContext {
  readonly clock: Clock;
  readonly workspaceTrusted: boolean;
  /** Counts of OS resources, shared by all sources, reported in diagnostics. */
  readonly resources: ResourceCounters;
}

/** Live counts of OS resources held by sources. */
export interface ResourceCounters {
  sockets: number;
  processes: number;
  watchers: number;
}

/**
 * Creates a source for a spec; throws an Error with a clear message for bad
 * options. Must not acquire resources (sockets, processes): that is `start`'s job,
 * so that a spec can be checked by creating and disposing a source.
 */
export type SourceFactory = (spec: SourceSpec, ctx: SourceContext) => Source;

/** A JSON-schema fragment: the options of one source kind (besides `kind`). */
export interface SourceOptionsSchema {
  /** The kind in the schema's list of kinds. */
  readonly markdownDescription: string;
  /** Each option's JSON schema, in the order errors list them. */
  readonly properties: { readonly [option: string]: object };
  /** Options a spec must give. */
  readonly required?: readonly string[];
}

/**
 * Everything about one source kind, in its own file: the registry, the New
 * Session picker, the trust gate and the JSON schema of the spec
 * (`schemas/session-spec.schema.json`, checked by a test) all read it.
 */
export interface SourceKindDescriptor {
  readonly kind: string;
  /** Shown in the New Session picker. */
  readonly label: string;
  /** One line for the picker. */
  readonly description: string;
  /** Whether the kind may only run in a trusted workspace (it runs programs, reads files, reaches the network…). */
  readonly needsTrust: boolean;
  /** What the kind does, for the refusal in an untrusted workspace ("runs programs"). */
  readonly untrustedReason?: string;
  readonly factory: SourceFactory;
  /** Its options, as the JSON schema of the spec states them. */
  readonly schema: SourceOptionsSchema;
  /** Offered by New Session: it starts without options. */
  readonly inNewSession?: boolean;
  /**
   * Columns (series) a session of this kind may record, for the memory budget.
   * Default: the session's limit (64), right for push sources.
   */
  readonly seriesBound?: (source: SourceSpec) => number;
  /** A refusal of a spec beyond the kind's own caps (e.g. `random`'s points), else `undefined`. */
  readonly capRefusal?: (spec: { readonly points: number; readonly source: SourceSpec }) => string | undefined;
  /**
   * What starting a session of this kind would do, one line per effect, for the
   * "not started" state of a notebook output (see startPreview.ts). `source` is
   * untrusted (any shape). Default: a line naming the kind and its options.
   */
  readonly preview?: (source: Readonly<Record<string, unknown>>, env: PreviewEnv) => string[];
}

/** What the host knows that changes a preview (settings, workspace, trust). */
export interface PreviewEnv {
  /** The folder commands run in and relative paths resolve against. */
  readonly cwd?: string;
  /** The UDP address from settings. */
  readonly udp: { readonly address: string; readonly port: number };
  readonly trusted: boolean;
}

/** The option names a kind accepts (its schema's properties), for `checkKnownOptions`. */
export function optionNames(schema: SourceOptionsSchema): readonly string[] {
  return Object.keys(schema.properties);
}
