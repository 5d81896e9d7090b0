/**
 * What starting a notebook output's session would do, in words a user can
 * check before pressing Start: the program and its arguments, the file, the
 * URL, the UDP address. Shown by the renderer's "not started" state and the
 * tree. The text comes from the output itself (the file), so it is shown as it
 * is (quoted, cut to a readable length), never interpreted. Plain TypeScript.
 */
import { isLoopback, type UdpAddress } from './sources/udp';

/** What the host knows that changes the preview. */
export interface PreviewContext {
  /** The workspace folder commands run in and relative paths resolve against. */
  readonly cwd?: string;
  /** The UDP address from settings (the spec may choose another in a trusted workspace). */
  readonly udp: UdpAddress;
  readonly trusted: boolean;
  /** Whether a source kind needs a trusted workspace (unknown kinds do). */
  readonly needsTrust: (kind: string) => boolean;
  readonly knownKinds: readonly string[];
}

export interface StartPreview {
  readonly title: string;
  readonly sourceKind: string;
  /** One line per effect, e.g. `Runs the program: python3 -u sensor.py`. */
  readonly actions: readonly string[];
  /** `undefined` if Start can work; else why not (restricted mode, unknown kind). */
  readonly blocked?: string;
}

const MAX_LINE = 400;

function cut(s: string): string {
  return s.length > MAX_LINE ? `${s.slice(0, MAX_LINE)}… (${s.length} characters)` : s;
}

/** A word for a command line: bare if safe, else in double quotes with escapes. */
export function shellWord(v: unknown): string {
  const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v);
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : JSON.stringify(s);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function joinPath(cwd: string | undefined, p: string): string {
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || !cwd) return p;
  return `${cwd.replace(/[\\/]+$/, '')}/${p}`;
}

function previewActions(source: Record<string, unknown>, kind: string, ctx: PreviewContext): string[] {
  switch (kind) {
    case 'random':
    case 'sine':
      return ['Generates demo data (no program, file or network).'];
    case 'api':
      return ['Waits for samples that another extension pushes through the Live Plot API.'];
    case 'udp': {
      const asked = str(source.address);
      const loopbackOnly = asked !== undefined && !ctx.trusted && !isLoopback(asked);
      const address = loopbackOnly ? `127.0.0.1 (not ${asked.slice(0, 100)}: restricted mode listens on loopback only)` : asked ?? ctx.udp.address;
      const port = typeof source.port === 'number' ? source.port : ctx.udp.port;
      const match = source.match === undefined ? 'every series' : `series matching ${cut(JSON.stringify(source.match))}`;
      return loopbackOnly
        ? [`Listens for UDP telemetry on port ${port} of ${address} (${match}).`]
        : [`Listens for UDP telemetry on ${address}:${port} (${match}).`];
    }
    case 'command': {
      const args = Array.isArray(source.args) ? source.args : [];
      const line = [source.command, ...args].map(shellWord).join(' ');
      const out = [`Runs the program: ${cut(line)}${source.shell === true ? ' (through the shell)' : ''}`];
      out.push(`In the folder: ${cut(joinPath(ctx.cwd, str(source.cwd) ?? '.'))}`);
      if (source.env && typeof source.env === 'object' && !Array.isArray(source.env)) {
        const env = Object.entries(source.env as Record<string, unknown>).map(([k, v]) => `${k}=${shellWord(v)}`);
        if (env.length) out.push(`With the environment: ${cut(env.join(' '))}`);
      }
      return out;
    }
    case 'file':
      return [`Reads the file: ${cut(joinPath(ctx.cwd, str(source.path) ?? '(no path)'))}`];
    case 'http': {
      const out = [`Polls the URL once a period: ${cut(str(source.url) ?? '(no url)')}`];
      if (source.headers && typeof source.headers === 'object' && !Array.isArray(source.headers)) {
        const names = Object.keys(source.headers as object);
        if (names.length) out.push(`With the headers: ${cut(names.join(', '))}`);
      }
      return out;
    }
    default: {
      const { kind: _k, ...options } = source;
      const opts = Object.keys(options).length ? ` with the options ${cut(JSON.stringify(options))}` : '';
      return [`Starts the source "${kind}", provided by another extension${opts}.`];
    }
  }
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
