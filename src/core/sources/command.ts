import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { LineSplitter, TextLineParser } from '../parsers/lines';
import type { Clock } from '../clock';
import type { ResourceCounters, Source, SourceContext, SourceFactory, SourceSink } from '../source';
import type { SourceSpec } from '../spec';
import { booleanOption, checkKnownOptions, errorCode, MalformedReport, messageOf, stringMapOption, stringOption } from './common';

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
}

/**
 * Runs a program and plots its stdout lines (Teleplot lines, or rows of numbers
 * with an optional header; see {@link TextLineParser}). stderr lines go to the
 * log. The program runs in its own process group (POSIX), so that ending the
 * session ends it and everything it started: SIGTERM to the group, then SIGKILL
 * after {@link KILL_GRACE_MS}. `resources.processes` counts the group from spawn
 * until it is gone.
 */
export class CommandSource implements Source {
  readonly mode = 'append' as const;
  readonly endpoint: string;
  private sink: SourceSink | undefined;
  private child: ChildProcess | undefined;
  private pid: number | undefined;
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

  constructor(
    private readonly opts: CommandOptions,
    private readonly clock: Clock,
    private readonly resources: ResourceCounters,
  ) {
    this.endpoint = `${[opts.command, ...opts.args].join(' ')}${opts.shell ? ' (shell)' : ''} in ${opts.cwd}`;
    this.parser = new TextLineParser((name, x, y) => this.sink?.sample(name, x, y));
    this.out = new LineSplitter(
      (text, s, e) => this.parser.parseLine(text, s, e, this.now),
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
    let child: ChildProcess;
    try {
      // Without a shell, arguments reach the program as they are. With one, the
      // line is the command and its arguments joined by spaces (the shell parses it).
      child = spawn(shell ? [command, ...args].join(' ') : command, shell ? [] : args, {
        cwd,
        shell,
        env: env ? { ...process.env, ...env } : process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: posix, // its own process group, killed as a whole
        windowsHide: true,
      });
    } catch (e) {
      return this.fail(`cannot start ${command}: ${messageOf(e)}`);
    }
    this.child = child;
    if (child.pid !== undefined) {
      this.pid = child.pid;
      this.counted = true;
      this.resources.processes++;
      sink.log(`started ${this.endpoint} (pid ${child.pid})`);
    }
    child.on('error', this.onError);
    child.on('exit', this.onExit);
    child.on('close', this.onClose);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', this.onStdout);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', this.onStderr);
  }

  private fail(message: string): void {
    this.failed = true;
    this.sink?.error(message);
  }

  private readonly onStdout = (chunk: string): void => {
    if (!this.sink) return; // ended: drained and dropped
    this.now = this.clock.now();
    const m0 = this.parser.malformed;
    this.out.push(chunk);
    this.reportMalformed(m0);
  };

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
    if (this.pid === undefined) {
      // The program never started.
      const code = errorCode(e);
      const { command } = this.opts;
      if (code === 'ENOENT') this.fail(`command not found: ${command} (is it installed and on the PATH?)`);
      else if (code === 'EACCES') this.fail(`command cannot be run (permission denied): ${command}`);
      else this.fail(`cannot start ${command}: ${e.message}`);
      return;
    }
    this.sink?.log(`process error: ${e.message}`);
  };

  private readonly onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
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
    // While the session lives, leftovers of a program that exited on its own are
    // still counted (and killed when the session ends).
    if (this.groupAlive()) return false;
    this.counted = false;
    this.resources.processes--;
    return true;
  }

  private signalGroup(signal: NodeJS.Signals): void {
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
    if (this.pid === undefined || this.releaseIfGone()) return;
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

const COMMAND_OPTIONS = ['command', 'args', 'cwd', 'shell', 'env'] as const;

/** Factory of `command` sources; `baseCwd` is the workspace folder (default: the host's cwd). */
export function commandSourceFactory(baseCwd: () => string | undefined = () => undefined): SourceFactory {
  return (spec: SourceSpec, ctx: SourceContext) => {
    if (!ctx.workspaceTrusted) throw new Error(untrustedMessage('command', COMMAND_UNTRUSTED));
    checkKnownOptions(spec, 'command', COMMAND_OPTIONS);
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
    return new CommandSource({ command, args, cwd, shell, env }, ctx.clock, ctx.resources);
  };
}
