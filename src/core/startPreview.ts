/**
 * What starting a notebook output's session would do, in words a user can
 * check before pressing Start: the program and its arguments, the file, the
 * URL, the UDP address. Shown by the renderer's "not started" state. Each source
 * kind writes its own lines (its descriptor's `preview`); this module picks the
 * kind, the title and whether Start can work here. The payload comes from a
 * file: any shape, shown as text, never interpreted. Plain TypeScript.
 */
import type { PreviewEnv, SourceKindDescriptor } from './source';
import { cut } from './sources/previewText';

export { shellWord } from './sources/previewText';

/** What the host knows that changes the preview. */
export interface PreviewContext extends PreviewEnv {
  /** Whether a source kind needs a trusted workspace (unknown kinds do). */
  readonly needsTrust: (kind: string) => boolean;
  readonly knownKinds: readonly string[];
  /** The preview of a registered kind, if it has one. */
  readonly previewOf?: (kind: string) => SourceKindDescriptor['preview'];
}

export interface StartPreview {
  readonly title: string;
  readonly sourceKind: string;
  /** One line per effect, e.g. `Runs the program: python3 -u sensor.py`. */
  readonly actions: readonly string[];
  /** `undefined` if Start can work; else why not (restricted mode, unknown kind). */
  readonly blocked?: string;
}

function previewActions(source: Record<string, unknown>, kind: string, ctx: PreviewContext): string[] {
  const own = ctx.previewOf?.(kind);
  if (own) {
    try {
      const lines = own(source, ctx);
      // Kinds cut their own lines (previewText.ts); this only bounds a registered kind's.
      if (Array.isArray(lines)) return lines.filter((l): l is string => typeof l === 'string').slice(0, 20).map((l) => (l.length > 2000 ? `${l.slice(0, 2000)}…` : l));
    } catch {
      // A preview that throws (a registered kind's) falls back to the generic line.
    }
  }
  const { kind: _k, ...options } = source;
  const opts = Object.keys(options).length ? ` with the options ${cut(JSON.stringify(options))}` : '';
  return [`Starts the source "${kind}"${opts}.`];
}

/** The preview of an output's payload (untrusted: any shape). */
export function startPreview(payload: unknown, ctx: PreviewContext): StartPreview {
  const p = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
  const source = p.source && typeof p.source === 'object' && !Array.isArray(p.source) ? (p.source as Record<string, unknown>) : {};
  const kind = typeof source.kind === 'string' && source.kind ? source.kind.slice(0, 64) : '(none)';
  const title = typeof p.title === 'string' && p.title.trim() ? p.title.slice(0, 200) : kind;
  const actions = source.kind === undefined ? [] : previewActions(source, kind, ctx);
  let blocked: string | undefined;
  if (!ctx.knownKinds.includes(kind)) blocked = `No source kind "${kind}" is available (is the extension that provides it installed?).`;
  else if (!ctx.trusted && ctx.needsTrust(kind))
    blocked = `The ${kind} source needs a trusted workspace. Trust this folder ("Workspaces: Manage Workspace Trust") to start it.`;
  return { title, sourceKind: kind, actions, ...(blocked ? { blocked } : {}) };
}
