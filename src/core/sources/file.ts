import * as fs from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { promisify } from 'node:util';
import { LineSplitter, TextLineParser } from '../parsers/lines';
import { optionNames, type ResourceCounters, type Source, type SourceContext, type SourceFactory, type SourceKindDescriptor, type SourceOptionsSchema, type SourceSink } from '../source';
import type { SourceSpec } from '../spec';
import { checkKnownOptions, errorCode, MalformedReport, stringOption } from './common';
import { errorMessage } from '../errors';
import { untrustedMessage } from './command';
import { cut, joinPath, str } from './previewText';

const stat = promisify(fs.stat);
const fstat = promisify(fs.fstat);
const open = promisify(fs.open);
const read = promisify(fs.read);

/** Most bytes read per tick; a bigger backlog is read over the next ticks. */
export const FILE_MAX_READ_PER_TICK = 8 * 1024 * 1024;
const READ_CHUNK = 64 * 1024;
/** Read-only, and never blocking on a FIFO (POSIX; Windows has no FIFOs at a path). */
const OPEN_FLAGS = fs.constants.O_RDONLY | (process.platform === 'win32' ? 0 : fs.constants.O_NONBLOCK ?? 0);

/** What a non-regular file is, for the refusal message. */
function fileKind(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'a special file';
}

/** The refusal of anything but a regular file. */
export function notRegularMessage(file: string, st: fs.Stats): string {
  return `${file} is ${fileKind(st)}, not a file: the file source reads only regular files`;
}

interface FileOptions {
  readonly path: string;
  readonly from: 'start' | 'end';
}

/**
 * Tails a file of Teleplot lines or rows of numbers (see {@link TextLineParser}).
 *
 * Polled once a period (at the session tick): the data is shown at the tick
 * anyway, so a file system watcher would add no speed, while polling also works
 * on network drives and never misses a rotation. The open file (and the poller)
 * is what `resources.watchers` counts, from `start` until it is closed.
 * - `from: "end"` (default) skips what the file holds when the session starts;
 *   `"start"` reads it all. A file that appears later is read from its start.
 * - Truncation (size below the read position): read again from 0.
 * - Rotation (the path now names another file: inode or device changed):
 *   the rest of the old file is read, then the new one from its start.
 * - Missing (or deleted): status "waiting for <path>" until it exists.
 */
export class FileSource implements Source {
  readonly mode = 'append' as const;
  readonly endpoint: string;
  private sink: SourceSink | undefined;
  private counted = false;
  private disposed = false;
  private busy = false;
  private fd: number | undefined;
  private ino = 0;
  private dev = 0;
  private pos = 0;
  private firstLook = true;
  private errorShown = false;
  private readonly buf = Buffer.allocUnsafe(READ_CHUNK);
  private decoder = new StringDecoder('utf8');
  private now = 0;
  private readonly parser: TextLineParser;
  private readonly splitter: LineSplitter;
  private readonly malformed = new MalformedReport();

  constructor(
    private readonly opts: FileOptions,
    private readonly resources: ResourceCounters,
  ) {
    this.endpoint = `${opts.path} (tail, from ${opts.from})`;
    this.parser = new TextLineParser((name, x, y) => this.sink?.sample(name, x, y));
    this.splitter = new LineSplitter(
      (text, s, e) => this.parser.parseLine(text, s, e, this.now),
      (example) => this.parser.countOverlong(example),
    );
  }

  start(sink: SourceSink): void {
    if (this.disposed || this.sink) return;
    this.sink = sink;
    this.counted = true;
    this.resources.watchers++;
  }

  tick(now: number): void {
    if (!this.sink || this.disposed || this.busy) return;
    this.busy = true;
    this.now = now;
    this.poll()
      .catch((e) => this.showError(`cannot read ${this.opts.path}: ${errorMessage(e)}`))
      .finally(() => {
        this.busy = false;
        if (this.disposed) this.release();
      });
  }

  /** Whether a poll is running (for tests that wait for it). */
  get polling(): boolean {
    return this.busy;
  }

  private async poll(): Promise<void> {
    const file = this.opts.path;
    let st: fs.Stats | undefined;
    try {
      st = await stat(file);
    } catch (e) {
      const code = errorCode(e);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
    }
    if (this.disposed) return;
    if (!st) {
      // Gone (deleted or renamed away): finish what is left of the old file, then wait.
      if (this.fd !== undefined) await this.finishOld();
      if (this.disposed) return;
      this.firstLook = false;
      this.clearError();
      this.sink?.status(`waiting for ${file}`);
      return;
    }
    if (!st.isFile()) {
      // A FIFO would block the open (and a libuv thread) until a writer comes; devices never end.
      this.firstLook = false;
      this.showError(notRegularMessage(file, st));
      return;
    }
    if (this.fd !== undefined && (st.ino !== this.ino || st.dev !== this.dev)) {
      await this.finishOld();
      if (this.disposed) return;
    }
    if (this.fd === undefined) {
      // Non-blocking, in case the path was swapped for a FIFO since the stat: the
      // open then returns at once and the check below refuses it.
      const fd = await open(file, OPEN_FLAGS);
      if (this.disposed) {
        fs.closeSync(fd);
        return;
      }
      const fst = await fstat(fd).catch((e: unknown) => {
        fs.closeSync(fd);
        throw e;
      });
      if (!fst.isFile()) {
        fs.closeSync(fd);
        if (!this.disposed) this.showError(notRegularMessage(file, fst));
        return;
      }
      this.fd = fd;
      if (this.disposed) return;
      this.ino = fst.ino;
      this.dev = fst.dev;
      this.pos = this.firstLook && this.opts.from === 'end' ? fst.size : 0;
      this.firstLook = false;
      this.decoder = new StringDecoder('utf8');
      this.splitter.reset();
      this.sink?.status(undefined);
    }
    const size = (await fstat(this.fd)).size;
    if (this.disposed) return;
    if (size < this.pos) {
      this.sink?.log(`${file} was truncated; reading it from the start`);
      this.pos = 0;
      this.decoder = new StringDecoder('utf8');
      this.splitter.reset();
    }
    await this.readTo(size);
    if (!this.disposed) this.clearError();
  }

  /** Reads from the current position up to `size` (at most {@link FILE_MAX_READ_PER_TICK}). */
  private async readTo(size: number): Promise<void> {
    let budget = FILE_MAX_READ_PER_TICK;
    while (this.pos < size && budget > 0 && this.fd !== undefined && !this.disposed) {
      const want = Math.min(READ_CHUNK, size - this.pos, budget);
      const { bytesRead } = await read(this.fd, this.buf, 0, want, this.pos);
      if (this.disposed || bytesRead === 0) return;
      this.pos += bytesRead;
      budget -= bytesRead;
      this.feed(this.decoder.write(this.buf.subarray(0, bytesRead)));
    }
  }

  private feed(text: string): void {
    if (!this.sink || text.length === 0) return;
    const m0 = this.parser.malformed;
    this.splitter.push(text);
    const n = this.parser.malformed - m0;
    if (n > 0) this.malformed.report(this.sink, n, this.parser.lastMalformed);
  }

  /** Reads the rest of the open (rotated or deleted) file, ends its last line, closes it. */
  private async finishOld(): Promise<void> {
    const fd = this.fd!;
    try {
      const size = (await fstat(fd)).size;
      if (!this.disposed) await this.readTo(size);
      if (!this.disposed) {
        this.feed(this.decoder.end());
        const m0 = this.parser.malformed;
        this.splitter.flush();
        const n = this.parser.malformed - m0;
        if (n > 0) this.malformed.report(this.sink, n, this.parser.lastMalformed);
      }
    } finally {
      if (this.fd === fd && !this.disposed) {
        this.fd = undefined;
        fs.closeSync(fd);
      }
    }
  }

  private showError(message: string): void {
    this.errorShown = true;
    this.sink?.error(message);
  }

  private clearError(): void {
    if (!this.errorShown) return;
    this.errorShown = false;
    this.sink?.error(undefined);
  }

  /** Closes the file and counts the watcher gone, exactly once. */
  private release(): void {
    if (this.fd !== undefined) {
      const fd = this.fd;
      this.fd = undefined;
      try {
        fs.closeSync(fd);
      } catch {
        // Already closed.
      }
    }
    if (this.counted) {
      this.counted = false;
      this.resources.watchers--;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.sink = undefined;
    // A read in flight still uses the file: release when it returns.
    if (!this.busy) this.release();
  }
}

/** What the file source does, in its refusal in an untrusted workspace. */
export const FILE_UNTRUSTED = 'reads files';

/** The kind's options as the JSON schema of the spec states them; the factory accepts exactly these. */
const FILE_SCHEMA: SourceOptionsSchema = {
  markdownDescription: 'Tails a file of such lines. Trusted workspaces only. Options: `path`, `from`.',
  properties: {
    path: { type: 'string', minLength: 1, markdownDescription: 'The file to tail, relative to the workspace folder.' },
    from: {
      enum: ['end', 'start'],
      default: 'end',
      markdownEnumDescriptions: ['Only lines written from now on.', 'The whole file, then new lines.'],
    },
  },
  required: ['path'],
};

/** Factory of `file` sources; relative paths are resolved against `baseCwd` (the workspace folder). */
export function fileSourceFactory(baseCwd: () => string | undefined = () => undefined): SourceFactory {
  return (spec: SourceSpec, ctx: SourceContext) => {
    if (!ctx.workspaceTrusted) throw new Error(untrustedMessage('file', FILE_UNTRUSTED));
    checkKnownOptions(spec, 'file', optionNames(FILE_SCHEMA));
    const p = stringOption(spec, 'path', true);
    const from = spec.from ?? 'end';
    if (from !== 'end' && from !== 'start') throw new Error('source.from must be "end" or "start"');
    const resolved = path.resolve(baseCwd() || process.cwd(), p);
    return new FileSource({ path: resolved, from }, ctx.resources);
  };
}

/** The `file` kind; relative paths resolve against `baseCwd`. It refuses restricted mode in its factory too. */
export function fileSourceKind(baseCwd?: () => string | undefined): SourceKindDescriptor {
  return {
    kind: 'file',
    label: 'file',
    description: 'tails a file of telemetry lines',
    needsTrust: true,
    untrustedReason: FILE_UNTRUSTED,
    preview: (source, env) => [`Reads the file: ${cut(joinPath(env.cwd, str(source.path) ?? '(no path)'))}`],
    factory: fileSourceFactory(baseCwd),
    schema: FILE_SCHEMA,
  };
}
