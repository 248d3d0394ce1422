import type {DataReader} from '../data/load-catalog.js';
import {projectFiles} from '../data/project-files.js';

/**
 * How a build reads a project's inputs (`data/`, `templates/`), by path
 * relative to its root (with `/`): what the data loader reads, plus bytes
 * and folder entries for the input hashes. On disk for the CLI and the dev
 * server; in memory for tests.
 */
export interface InputReader extends DataReader {
  /** A file's bytes; rejects with the errno (`code`) when it cannot be read. */
  readBytes(file: string): Promise<Uint8Array>;
  /** The entries of a folder, with what each is; rejects with the errno when it cannot be read. */
  entries(folder: string): Promise<InputEntry[]>;
}

export interface InputEntry {
  readonly name: string;
  /** A socket, a pipe, a link out of the project or to nothing is `other`: not an input (a link within it is what it points to). */
  readonly kind: 'file' | 'folder' | 'other';
}

/**
 * The inputs of the project at `root`, on disk, as the loader reads them
 * (project-files.ts: links only within the project, regular files only),
 * plus bytes and entries; light to import, for the up-to-date check.
 */
export function diskInputs(root: string): InputReader {
  return projectFiles(root);
}

/** Inputs given in memory: path relative to the root (`data/hardware.yaml`) → contents; folders are implied. */
export function memoryInputs(files: ReadonlyMap<string, string | Uint8Array>): InputReader {
  const bytes = new Map<string, Uint8Array>();
  for (const [file, contents] of files)
    bytes.set(file, typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents);
  const missing = (file: string) =>
    Object.assign(new Error(`ENOENT: no such file or directory, ${file}`), {code: 'ENOENT'});
  const entries = async (folder: string): Promise<InputEntry[]> => {
    const prefix = `${folder}/`;
    const found = new Map<string, InputEntry['kind']>();
    for (const file of bytes.keys()) {
      if (!file.startsWith(prefix)) continue;
      const [name = '', ...rest] = file.slice(prefix.length).split('/');
      found.set(name, rest.length > 0 ? 'folder' : 'file');
    }
    if (found.size === 0) throw missing(folder);
    return [...found].map(([name, kind]) => ({name, kind}));
  };
  const read = async (file: string): Promise<Uint8Array> => {
    const contents = bytes.get(file);
    if (contents === undefined) throw missing(file);
    return contents;
  };
  return {
    readBytes: read,
    readText: async (file) => Buffer.from(await read(file)).toString('utf8'),
    entries,
    list: async (folder) => (await entries(folder)).map(({name}) => name),
    exists: (file) => bytes.has(file) || [...bytes.keys()].some((name) => name.startsWith(`${file}/`)),
  };
}
