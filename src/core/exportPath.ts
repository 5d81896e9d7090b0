/**
 * Where an export may go without asking. A path given as a command argument
 * (by a script, a notebook's `command:` link, another extension) is used only
 * inside a trusted workspace's folders, with the export's own extension;
 * anything else goes through the save dialog. Pure: the file system is reached
 * only through the `realpath` it is given.
 */
import * as nodePath from 'node:path';

/** The answer of {@link checkExportPath}. */
export type ExportPathDecision =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly reason: string };

/** The path functions used (node's own for this platform; tests pass `posix` or `win32`). */
export type PathApi = Pick<typeof nodePath, 'isAbsolute' | 'resolve' | 'dirname' | 'basename' | 'join' | 'relative' | 'sep'>;

/**
 * Decides whether `requested` may be written without a dialog: the workspace
 * is trusted, the path is absolute, its name ends with `.<ext>`, and its
 * parent folder — after `realpath`, so that a symlinked folder cannot lead
 * outside — is one of `folders` (also after `realpath`) or inside one. The
 * returned path is the real parent joined with the file name; a file name
 * that is itself a symlink is the writer's to refuse.
 */
export async function checkExportPath(
  requested: string,
  folders: readonly string[],
  trusted: boolean,
  ext: string,
  realpath: (p: string) => Promise<string>,
  path: PathApi = nodePath,
): Promise<ExportPathDecision> {
  if (!trusted) return { ok: false, reason: 'the workspace is not trusted' };
  if (folders.length === 0) return { ok: false, reason: 'no workspace folder is open' };
  if (requested.includes('\0')) return { ok: false, reason: 'the path is not valid' };
  if (!path.isAbsolute(requested)) return { ok: false, reason: 'the path is not absolute' };
  const full = path.resolve(requested);
  const name = path.basename(full);
  if (!name.toLowerCase().endsWith(`.${ext.toLowerCase()}`) || name.length <= ext.length + 1) {
    return { ok: false, reason: `the file name does not end with .${ext}` };
  }
  let parent: string;
  try {
    parent = await realpath(path.dirname(full));
  } catch {
    return { ok: false, reason: 'its folder does not exist' };
  }
  for (const folder of folders) {
    let root: string;
    try {
      root = await realpath(folder);
    } catch {
      continue;
    }
    if (isInside(parent, root, path)) return { ok: true, path: path.join(parent, name) };
  }
  return { ok: false, reason: 'it is outside the workspace folders' };
}

/** Whether `child` is `root` or below it (both absolute and real). */
export function isInside(child: string, root: string, path: PathApi = nodePath): boolean {
  const rel = path.relative(root, child);
  if (rel === '') return true;
  if (path.isAbsolute(rel)) return false; // another drive on Windows
  return rel.split(path.sep)[0] !== '..';
}
