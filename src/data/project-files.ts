import {constants, lstatSync, type Stats} from 'node:fs';
import {lstat, open, readdir, realpath, stat} from 'node:fs/promises';
import path from 'node:path';

/**
 * Reading a project's inputs from disk, as untrusted as their contents: a
 * symbolic link is followed only to a file or folder inside the project
 * (and is then read, and hashed, as what it points to); a link out of the
 * project, a link to nothing, and anything that is not a regular file (a
 * named pipe would block the build, a device could be endless) is refused
 * with a FileRefusal naming what it is, never read.
 */

/** A file the project may not be read from, with why, in words for a message at its path. */
export class FileRefusal extends Error {
  override name = 'FileRefusal';
  readonly code = 'EREFUSED';
}

/** Why a read failed, for a message at the file: the refusal, else the errno (`ENOENT`, `EACCES`). */
export function readFailure(error: unknown): string {
  if (error instanceof FileRefusal) return error.message;
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/** What a folder entry is, as a build takes it: an input file or folder, or something it does not read. */
export type EntryKind = 'file' | 'folder' | 'other';

/** The files of the project at `root` on disk, by path relative to it (with `/`). */
export function projectFiles(root: string) {
  let realRoot: Promise<string> | undefined;
  const rootOf = () => (realRoot ??= realpath(root));

  /** The real path of a project path, when it stays inside the project. */
  const inside = async (relative: string): Promise<string> => {
    const full = path.join(root, relative);
    let real: string;
    try {
      real = await realpath(full);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && (await isLink(full)))
        throw new FileRefusal('a symbolic link to nothing (its target does not exist), expected a file');
      throw error;
    }
    const within = path.relative(await rootOf(), real);
    if (within === '..' || within.startsWith(`..${path.sep}`) || path.isAbsolute(within))
      throw new FileRefusal(
        'a symbolic link out of the project, expected a file inside it (links are followed only within the project)',
      );
    return real;
  };

  const readBytes = async (relative: string): Promise<Buffer> => {
    const real = await inside(relative);
    const before = await stat(real);
    if (!before.isFile()) throw new FileRefusal(`${describe(before)}, expected a regular file`);
    // Non-blocking: should it have become a pipe since, opening it does not wait for a writer.
    const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const opened = await handle.stat();
      if (!opened.isFile()) throw new FileRefusal(`${describe(opened)}, expected a regular file`);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  };

  return {
    readBytes,
    readText: async (relative: string) => (await readBytes(relative)).toString('utf8'),
    list: async (folder: string) => readdir(await inside(folder)),
    /** Whether a path exists as an input: a link to nothing, or out of the project, is there to be refused. */
    exists: (relative: string) => {
      try {
        lstatSync(path.join(root, relative));
        return true;
      } catch {
        return false;
      }
    },
    /** A folder's entries with what each is; a link counts as what it points to inside the project, else `other`. */
    entries: async (folder: string): Promise<Array<{name: string; kind: EntryKind}>> => {
      const real = await inside(folder);
      const entries = await readdir(real, {withFileTypes: true});
      return Promise.all(
        entries.map(async (entry) => {
          if (entry.isDirectory()) return {name: entry.name, kind: 'folder' as const};
          if (entry.isFile()) return {name: entry.name, kind: 'file' as const};
          if (!entry.isSymbolicLink()) return {name: entry.name, kind: 'other' as const};
          try {
            const target = await stat(await inside(`${folder}/${entry.name}`));
            return {name: entry.name, kind: target.isDirectory() ? 'folder' : target.isFile() ? 'file' : 'other'};
          } catch {
            return {name: entry.name, kind: 'other' as const};
          }
        }),
      );
    },
  };
}

async function isLink(file: string): Promise<boolean> {
  try {
    return (await lstat(file)).isSymbolicLink();
  } catch {
    return false;
  }
}

/** What a file that is not a regular one is, in words. */
function describe(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isDirectory()) return 'a folder';
  return 'not a regular file';
}
