/**
 * Writes an export to a local file in chunks, one awaited write at a time (so
 * a window of any size never becomes one string or one buffer), and never
 * into anything but a regular file: a folder, device, pipe or socket is
 * refused, and so is a symlink when `followSymlinks` is false.
 */
import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** Options of {@link writeExportFile}. */
export interface ExportFileOptions {
  /** False for paths nobody picked in a dialog: a symlink in their place is refused, not followed. */
  readonly followSymlinks: boolean;
}

/** The file is there but is not a regular file. */
export class NotRegularFileError extends Error {
  constructor(readonly path: string) {
    super(`will not overwrite ${path}: it is not a regular file (a folder, link, device or pipe)`);
    this.name = 'NotRegularFileError';
  }
}

/**
 * Writes `chunks` to `path` (created, or truncated if it is a regular file)
 * and returns the number of bytes written.
 */
export async function writeExportFile(path: string, chunks: Iterable<string | Uint8Array>, opts: ExportFileOptions): Promise<number> {
  const before = await (opts.followSymlinks ? fsp.stat : fsp.lstat)(path).catch(() => undefined);
  if (before && !before.isFile()) throw new NotRegularFileError(path);
  // O_NONBLOCK: a pipe with no reader fails at once instead of blocking a thread;
  // no O_TRUNC until fstat has said it is a regular file (it may have changed since).
  const flags =
    constants.O_WRONLY | constants.O_CREAT | (constants.O_NONBLOCK ?? 0) | (opts.followSymlinks ? 0 : (constants.O_NOFOLLOW ?? 0));
  let handle: FileHandle;
  try {
    handle = await fsp.open(path, flags, 0o666);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'ENXIO' || code === 'EISDIR') throw new NotRegularFileError(path);
    throw e;
  }
  try {
    if (!(await handle.stat()).isFile()) throw new NotRegularFileError(path);
    await handle.truncate(0);
    let bytes = 0;
    for (const chunk of chunks) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let offset = 0;
      while (offset < buf.length) {
        const { bytesWritten } = await handle.write(buf, offset, buf.length - offset, bytes + offset);
        offset += bytesWritten;
      }
      bytes += buf.length;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
