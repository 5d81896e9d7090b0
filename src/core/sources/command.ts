import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { LineSplitter, TextLineParser } from '../parsers/lines';
import type { Clock } from '../clock';
import { optionNames, type ResourceCounters, type Source, type SourceContext, type SourceFactory, type SourceKindDescriptor, type SourceOptionsSchema, type SourceSink } from '../source';
import type { SourceSpec } from '../spec';
import { redactText } from '../redact';
import { booleanOption, checkKnownOptions, errorCode, integerOption, MalformedReport, stringMapOption, stringOption } from './common';
import { errorMessage } from '../errors';
import { WATCHDOG_SOURCE, WatchdogConfig } from './watchdog';
import { cut, joinPath, keysOf, shellWord, str } from './previewText';

/** Time between SIGTERM and SIGKILL when a session ends. */
export const KILL_GRACE_MS = 1000;
/** How often a dying process group is checked. */
const REAP_POLL_MS = 50;
/** After SIGKILL, give up waiting for the group after this long (and say so in the log). */
const REAP_GIVE_UP_MS = 5000;
/** After the program exited, wait this long for its output to close before showing "ended". */
const CLOSE_WAIT_MS = 300;
/** stderr lines forwarded to the log per second; the rest are counted. */
const STDERR_LINES_PER_SECOND = 100;
/** stdout lines parsed per second when the spec sets no `maxLinesPerSecond`; further lines are dropped and counted. */
export const COMMAND_DEFAULT_MAX_LINES_PER_SECOND = 50_000;
/** Highest `maxLinesPerSecond` a spec may set. */
export const COMMAND_MAX_LINES_PER_SECOND = 1_000_000;
/**
 * Backpressure: stdout is paused once this many lines were parsed since the
 * session's last flush (its tick), and resumed at the next tick; the program then
 * waits on its writes instead of filling the host's memory. The bound is twice
 * the window, within [BACKLOG_MIN_LINES, BACKLOG_MAX_LINES].
 */
export const BACKLOG_MIN_LINES = 4096;
export const BACKLOG_MAX_LINES = 200_000;

/** The message that refuses sources which need a trusted workspace. */
export function untrustedMessage(kind: string, what: string): string {
  return `The ${kind} source ${what}, which needs a trusted workspace. Trust this workspace with the command "Workspaces: Manage Workspace Trust", then try again.`;
}

interface CommandOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly shell: boolean;
  readonly env: Record<string, string> | undefined;
  readonly maxLinesPerSecond: number;
}

/**
 * Runs a program and plots its stdout lines (Teleplot lines, or rows of numbers
 * with an optional header; see {@link TextLineParser}). stderr lines go to the
 * log. The program runs in its own process group (POSIX), so that ending the
 * session ends it and everything it started: SIGTERM to the group, then SIGKILL
 * after {@link KILL_GRACE_MS}. On POSIX it is started through a watchdog (see
 * `watchdog.ts`) that does the same when the extension host ends, even by
 * SIGKILL. `resources.processes` counts it from spawn until the watchdog and
 * the group are gone.
 *
 * stdout is read with backpressure (paused past a backlog of unflushed lines,
 * resumed at the session's tick) and at most `maxLinesPerSecond` lines a second
 * are parsed; the status says how many were dropped.
 */
export class CommandSource implements Source {
  readonly mode = 'append' as const;
  readonly endpoint: string;
  private sink: SourceSink | undefined;
  private child: ChildProcess | undefined;
  /** The program's process id and group (from the watchdog's report, or the child itself without one). */
  private pid: number | undefined;
  /** Whether the program runs under the watchdog (POSIX). */
  private watched = false;
  private watchdogExited = false;
  /** The program's exit was reported (by the watchdog or the child). */
  private exitSeen = false;
  private counted = false;
  private exited = false;
  private exitText: string | undefined;
  private failed = false;
  private endReported = false;
  private disposed = false;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;
  private reapTimer: ReturnType<typeof setInterval> | undefined;
  private now = 0;
  private readonly parser: TextLineParser;
  private readonly out: LineSplitter;
  private readonly err: LineSplitter;
  private readonly malformed = new MalformedReport();
  private stderrWindow = 0;
  private stderrInWindow = 0;
  private stderrSuppressed = 0;
  /** Rate cap: start of the current one-second window, lines in it, lines dropped so far. */
  private rateWindow = -Infinity;
  private linesInWindow = 0;
  private dropped = 0;
  private droppedShown = 0;
  /** Backpressure: lines parsed since the last tick, the bound, whether stdout is paused. */
  private backlog = 0;
  private backlogLimit = BACKLOG_MIN_LINES;
  private outPaused = false;
  private loggedPause = false;

  constructor(
    private readonly opts: CommandOptions,
    private readonly clock: Clock,
    private readonly resources: ResourceCounters,
  ) {
    this.endpoint = redactText(`${[opts.command, ...opts.args].join(' ')}${opts.shell ? ' (shell)' : ''} in ${opts.cwd}`);
    this.parser = new TextLineParser((name, x, y) => this.sink?.sample(name, x, y));
    this.out = new LineSplitter(
      (text, s, e) => this.stdoutLine(text, s, e),
      (example) => this.parser.countOverlong(example),
    );
    this.err = new LineSplitter(
      (text, s, e) => this.stderrLine(text.slice(s, e).replace(/\r$/, '')),
      (example) => this.stderrLine(`${example} (line too long, cut)`),
    );
  }

  /** The program's process id while it runs (for tests and Show Info). */
  get processId(): number | undefined {
    return this.pid;
  }

  start(sink: SourceSink): void {
    if (this.disposed || this.child || this.failed) return;
    this.sink = sink;
    const { command, args, cwd, shell, env } = this.opts;
    try {
      if (!statSync(cwd).isDirectory()) return this.fail(`working directory is not a folder: ${cwd}`);
    } catch {
      return this.fail(`working directory not found: ${cwd}`);
    }
    const posix = process.platform !== 'win32';
    const childEnv = env ? { ...process.env, ...env } : process.env;
    let child: ChildProcess;
    try {
      if (posix) {
        child = spawnWatched({ command, args, shell, graceMs: KILL_GRACE_MS, restoreEnv: {} }, cwd, childEnv);
        this.watched = true;
      } else {
        // Without a shell, arguments reach the program as they are. With one, the
        // line is the command and its arguments joined by spaces (the shell parses it).
        child = spawn(shell ? [command, ...args].join(' ') : command, shell ? [] : args, {
          cwd,
          shell,
          env: childEnv,
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
      }
    } catch (e) {
      return this.fail(`cannot start ${command}: ${errorMessage(e)}`);
    }
    this.child = child;
    if (child.pid !== undefined) {
      this.counted = true;
      this.resources.processes++;
      if (!this.watched) {
        this.pid = child.pid;
        sink.log(`started ${this.endpoint} (pid ${child.pid})`);
      }
    }
    child.on('error', this.onError);
    child.on('exit', this.watched ? this.onWatchdogExit : this.onExit);
    child.on('close', this.onClose);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', this.onStdout);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', this.onStderr);
    if (this.watched) {
      child.stdin!.on('error', () => undefined); // EPIPE once the watchdog is gone
      const reports = new LineSplitter(
        (text, s, e) => this.onWatchdogReport(text.slice(s, e)),
        () => undefined,
      );
      const fd3 = child.stdio[3] as NodeJS.ReadableStream;
      fd3.setEncoding('utf8');
      fd3.on('data', (chunk: string) => reports.push(chunk));
      fd3.on('error', () => undefined);
    }
  }

  /** A line the watchdog wrote on fd 3: `pid N`, `exit {…}` or `error {…}`. */
  private onWatchdogReport(line: string): void {
    const space = line.indexOf(' ');
    const kind = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? '' : line.slice(space + 1);
    if (kind === 'pid') {
      const pid = Number(rest);
      if (!Number.isInteger(pid) || pid <= 0 || this.pid !== undefined) return;
      this.pid = pid;
      this.sink?.log(`started ${this.endpoint} (pid ${pid})`);
      // Ended before the pid was known: the group gets its signals now as well.
      if (this.disposed) this.signalGroup('SIGTERM');
      return;
    }
    let data: { code?: unknown; signal?: unknown; message?: unknown };
    try {
      data = JSON.parse(rest) as typeof data;
    } catch {
      return;
    }
    if (kind === 'exit') {
      this.onExit(typeof data.code === 'number' ? data.code : null, typeof data.signal === 'string' ? (data.signal as NodeJS.Signals) : null);
    } else if (kind === 'error' && this.pid === undefined) {
      this.exited = true;
      this.exitSeen = true;
      this.startFailed(typeof data.code === 'string' ? data.code : undefined, typeof data.message === 'string' ? data.message : 'unknown error');
    }
  }

  /** The watchdog has gone; normally after the program (and its group) ended. */
  private readonly onWatchdogExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    this.watchdogExited = true;
    if (!this.exitSeen) {
      // It died without reporting (killed): the program's fate is unknown; say what is known.
      if (this.pid === undefined) {
        this.exited = true;
        this.exitSeen = true;
        this.fail(`cannot start ${this.opts.command}: its watchdog ended (${code !== null ? `exit code ${code}` : `signal ${signal ?? 'unknown'}`})`);
      } else {
        this.onExit(code, signal);
      }
    }
    if (this.releaseIfGone()) this.stopReaping();
  };

  private fail(message: string): void {
    this.failed = true;
    this.sink?.error(message);
  }

  private readonly onStdout = (chunk: string): void => {
    if (!this.sink) return; // ended: drained and dropped
    this.now = this.clock.now();
    const m0 = this.parser.malformed;
    const d0 = this.dropped;
    this.out.push(chunk);
    this.reportMalformed(m0);
    if (d0 === 0 && this.dropped > 0) {
      this.sink?.log(`output faster than ${this.opts.maxLinesPerSecond} lines/s: further lines of each second are dropped (counted in the status; option maxLinesPerSecond)`);
      this.showDropped();
    }
    if (this.backlog >= this.backlogLimit && !this.outPaused && this.child?.stdout) {
      this.outPaused = true;
      this.child.stdout.pause();
      if (!this.loggedPause) {
        this.loggedPause = true;
        this.sink?.log(`output read more slowly: ${this.backlog} lines wait for the plot's next refresh (the program waits meanwhile)`);
      }
    }
  };

  /** One stdout line: counted against the rate cap, then parsed. */
  private stdoutLine(text: string, start: number, end: number): void {
    if (this.now - this.rateWindow >= 1000) {
      this.rateWindow = this.now;
      this.linesInWindow = 0;
    }
    if (this.linesInWindow >= this.opts.maxLinesPerSecond) {
      this.dropped++;
      return;
    }
    this.linesInWindow++;
    this.backlog++;
    this.parser.parseLine(text, start, end, this.now);
  }

  private showDropped(): void {
    if (this.dropped === this.droppedShown) return;
    this.droppedShown = this.dropped;
    this.sink?.status(`rate capped at ${this.opts.maxLinesPerSecond} lines/s: ${this.dropped} line${this.dropped === 1 ? '' : 's'} dropped`);
  }

  /** The session flushed what was recorded: read on. */
  tick(_now: number, points: number): void {
    this.backlog = 0;
    this.backlogLimit = Math.min(BACKLOG_MAX_LINES, Math.max(BACKLOG_MIN_LINES, 2 * points));
    this.showDropped();
    this.resumeOutput();
  }

  private resumeOutput(): void {
    if (!this.outPaused) return;
    this.outPaused = false;
    this.child?.stdout?.resume();
  }

  private readonly onStderr = (chunk: string): void => {
    if (this.sink) this.err.push(chunk);
  };

  private reportMalformed(before: number): void {
    const n = this.parser.malformed - before;
    if (n > 0) this.malformed.report(this.sink, n, this.parser.lastMalformed);
  }

  private stderrLine(line: string): void {
    const sink = this.sink;
    if (!sink) return;
    const now = this.clock.now();
    if (now - this.stderrWindow >= 1000) {
      if (this.stderrSuppressed > 0) sink.log(`stderr: … ${this.stderrSuppressed} more line(s) not shown`);
      this.stderrWindow = now;
      this.stderrInWindow = 0;
      this.stderrSuppressed = 0;
    }
    if (this.stderrInWindow++ < STDERR_LINES_PER_SECOND) sink.log(`stderr: ${line}`);
    else this.stderrSuppressed++;
  }

  private readonly onError = (e: Error): void => {
    if (this.child?.pid === undefined) {
      // The program (or its watchdog) never started.
      this.startFailed(errorCode(e), e.message);
      return;
    }
    this.sink?.log(`process error: ${e.message}`);
  };

  private startFailed(code: string | undefined, message: string): void {
    const { command } = this.opts;
    if (code === 'ENOENT') this.fail(`command not found: ${command} (is it installed and on the PATH?)`);
    else if (code === 'EACCES') this.fail(`command cannot be run (permission denied): ${command}`);
    else this.fail(`cannot start ${command}: ${message}`);
  }

  private readonly onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    if (this.exitSeen) return;
    this.exitSeen = true;
    this.exited = true;
    this.exitText = code !== null ? `exit code ${code}` : `signal ${signal ?? 'unknown'}`;
    // Children it left behind keep the group counted; notice when they are gone too.
    if (!this.releaseIfGone() && !this.disposed && this.reapTimer === undefined) {
      this.reapTimer = setInterval(() => {
        if (this.disposed || this.releaseIfGone()) this.stopReaping();
      }, 2000);
      this.reapTimer.unref?.();
    }
    // Output normally closes right after exit; a child that inherited it may keep it open.
    this.closeTimer = setTimeout(() => this.reportEnd(), CLOSE_WAIT_MS);
    this.closeTimer.unref?.();
  };

  private readonly onClose = (): void => {
    if (this.sink) {
      this.now = this.clock.now();
      const m0 = this.parser.malformed;
      this.out.flush();
      this.err.flush();
      this.reportMalformed(m0);
    }
    this.reportEnd();
  };

  private reportEnd(): void {
    if (this.closeTimer !== undefined) {
      clearTimeout(this.closeTimer);
      this.closeTimer = undefined;
    }
    if (this.endReported || this.failed || this.exitText === undefined) return;
    this.endReported = true;
    this.showDropped();
    // No more ticks: let the rest of the output drain so that the pipes close.
    this.resumeOutput();
    if (!this.disposed) this.sink?.ended(this.exitText);
  }

  /** Whether anything of the process group still runs. */
  private groupAlive(): boolean {
    if (this.pid === undefined) return false;
    if (process.platform === 'win32') return !this.exited;
    try {
      process.kill(-this.pid, 0);
    } catch (e) {
      return errorCode(e) === 'EPERM';
    }
    // The group exists, but maybe only as zombies (ended processes whose new
    // parent, often PID 1, has not collected them yet): those do not count.
    return process.platform !== 'linux' || liveMembersOnLinux(this.pid);
  }

  /** Counts the process group gone once the program has exited and nothing of the group is left. */
  private releaseIfGone(): boolean {
    if (!this.counted) return true;
    if (!this.exited) return false;
    if (this.watched && !this.watchdogExited) return false;
    // While the session lives, leftovers of a program that exited on its own are
    // still counted (and killed when the session ends).
    if (this.groupAlive()) return false;
    this.counted = false;
    this.resources.processes--;
    return true;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.watched) {
      // The watchdog escalates by itself too; its stdin ending tells it as well.
      const child = this.child;
      if (child && !this.watchdogExited) {
        child.stdin?.end();
        try {
          child.kill(signal);
        } catch {
          // Already gone.
        }
      }
    }
    const pid = this.pid;
    if (pid === undefined) return;
    try {
      if (process.platform === 'win32') {
        if (signal === 'SIGKILL' || !this.exited) {
          const k = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
          k.on('error', () => undefined);
        }
      } else {
        process.kill(-pid, signal);
      }
    } catch {
      // ESRCH: already gone.
    }
  }

  /** Ends the program and its children: SIGTERM, then SIGKILL after the grace period. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.sink = undefined;
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.stopReaping();
    this.resumeOutput(); // drained and dropped from now on
    if (!this.counted || this.releaseIfGone()) return;
    this.signalGroup('SIGTERM');
    const t0 = Date.now();
    let killed = false;
    this.reapTimer = setInterval(() => {
      if (this.releaseIfGone()) return this.stopReaping();
      const waited = Date.now() - t0;
      if (!killed && waited >= KILL_GRACE_MS) {
        killed = true;
        this.signalGroup('SIGKILL');
      } else if (waited >= KILL_GRACE_MS + REAP_GIVE_UP_MS) {
        // Should not happen (SIGKILL cannot be ignored); do not count it forever.
        this.stopReaping();
        if (this.counted) {
          this.counted = false;
          this.resources.processes--;
        }
      }
    }, REAP_POLL_MS);
  }

  private stopReaping(): void {
    if (this.reapTimer !== undefined) clearInterval(this.reapTimer);
    this.reapTimer = undefined;
  }
}

/** Whether a process of group `pgid` exists that is not a zombie (reads /proc; used only while a group ends). */
function liveMembersOnLinux(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const e of entries) {
    const c = e.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${e}/stat`, 'latin1');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3);
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

/** What the command source does, in its refusal in an untrusted workspace. */
export const COMMAND_UNTRUSTED = 'runs programs';

/** The kind's options as the JSON schema of the spec states them; the factory accepts exactly these. */
const COMMAND_SCHEMA: SourceOptionsSchema = {
  markdownDescription: 'Runs a program and plots its stdout (Teleplot lines, CSV or whitespace-separated numbers). Trusted workspaces only. Options: `command`, `args`, `cwd`, `shell`, `env`.',
  properties: {
    command: { type: 'string', minLength: 1, markdownDescription: 'The program to run (no shell unless `shell` is true).' },
    args: { type: 'array', items: { type: ['string', 'number'] }, markdownDescription: 'Its arguments, e.g. `["-u", "sensor.py"]`.' },
    cwd: { type: 'string', minLength: 1, markdownDescription: 'Working folder, relative to the workspace folder.' },
    shell: { type: 'boolean', default: false, markdownDescription: 'Run `command` through the shell.' },
    env: { type: 'object', additionalProperties: { type: 'string' }, markdownDescription: 'Extra environment variables.' },
    maxLinesPerSecond: {
      type: 'integer',
      minimum: 1,
      maximum: COMMAND_MAX_LINES_PER_SECOND,
      default: COMMAND_DEFAULT_MAX_LINES_PER_SECOND,
      markdownDescription: 'Most stdout lines parsed per second; further lines are dropped and counted in the status.',
    },
  },
  required: ['command'],
};

/** Factory of `command` sources; `baseCwd` is the workspace folder (default: the host's cwd). */
export function commandSourceFactory(baseCwd: () => string | undefined = () => undefined): SourceFactory {
  return (spec: SourceSpec, ctx: SourceContext) => {
    if (!ctx.workspaceTrusted) throw new Error(untrustedMessage('command', COMMAND_UNTRUSTED));
    checkKnownOptions(spec, 'command', optionNames(COMMAND_SCHEMA));
    const command = stringOption(spec, 'command', true);
    const rawArgs = spec.args ?? [];
    if (!Array.isArray(rawArgs) || !rawArgs.every((a) => typeof a === 'string' || typeof a === 'number')) {
      throw new Error('source.args must be an array of strings, e.g. ["sensor.py", "--rate", "10"]');
    }
    const args = rawArgs.map(String);
    const base = baseCwd() || process.cwd();
    const cwdOpt = stringOption(spec, 'cwd');
    const cwd = cwdOpt === undefined ? base : path.resolve(base, cwdOpt);
    const shell = booleanOption(spec, 'shell', false);
    const env = stringMapOption(spec, 'env');
    const maxLinesPerSecond = integerOption(spec, 'maxLinesPerSecond', 1, COMMAND_MAX_LINES_PER_SECOND) ?? COMMAND_DEFAULT_MAX_LINES_PER_SECOND;
    return new CommandSource({ command, args, cwd, shell, env, maxLinesPerSecond }, ctx.clock, ctx.resources);
  };
}

/**
 * Starts the watchdog that starts the program (see `watchdog.ts`): stdin a pipe
 * that ends with the host, stdout/stderr the program's, fd 3 its reports.
 */
function spawnWatched(config: WatchdogConfig, cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  // The watchdog must run as plain Node (also under Electron) without the
  // program's NODE_OPTIONS; the program gets its own values back.
  const restoreEnv: Record<string, string | null> = {};
  for (const k of ['ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS']) restoreEnv[k] = env[k] ?? null;
  const watchdogEnv: NodeJS.ProcessEnv = { ...env, ELECTRON_RUN_AS_NODE: '1' };
  delete watchdogEnv.NODE_OPTIONS;
  return spawn(process.execPath, ['-e', WATCHDOG_SOURCE, JSON.stringify({ ...config, restoreEnv })], {
    cwd,
    env: watchdogEnv,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
}

/** The `command` kind; `baseCwd` is the workspace folder. It refuses restricted mode in its factory too, with the same message. */
export function commandSourceKind(baseCwd?: () => string | undefined): SourceKindDescriptor {
  return {
    kind: 'command',
    label: 'command',
    description: 'runs a program and plots its stdout',
    needsTrust: true,
    untrustedReason: COMMAND_UNTRUSTED,
    preview: (source, env) => {
      const args = Array.isArray(source.args) ? source.args : [];
      const line = [source.command, ...args].map(shellWord).join(' ');
      const out = [`Runs the program: ${cut(line)}${source.shell === true ? ' (through the shell)' : ''}`];
      out.push(`In the folder: ${cut(joinPath(env.cwd, str(source.cwd) ?? '.'))}`);
      const env2 = keysOf(source.env).map((k) => `${k}=${shellWord((source.env as Record<string, unknown>)[k])}`);
      if (env2.length) out.push(`With the environment: ${cut(env2.join(' '))}`);
      return out;
    },
    factory: commandSourceFactory(baseCwd),
    schema: COMMAND_SCHEMA,
  };
}
