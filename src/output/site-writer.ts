import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {
  claimOutput,
  isStreamedText,
  wholeText,
  writeFiles,
  writeSiteAtomically,
  type ReplaceOptions,
  type SiteFiles,
  type SiteStream,
} from './atomic-output.js';

/**
 * Where a build puts its site (or shard): a folder on disk, swapped in
 * whole, for `tradeoffs build` and `merge`; memory for `tradeoffs check`,
 * the dev server and tests. The build is the same either way.
 */
export interface SiteWriter {
  /** The folder the site goes to, when on disk: a build first asks the site there whether it is up to date. */
  readonly folder: string | undefined;
  /** Take the output for a whole build, before any work (another build writing it is refused at once); resolves to the release. */
  claim(): Promise<() => Promise<void>>;
  /**
   * Put a whole site in place, writing its files as they come. `staged`,
   * when given, works on the site staged in a folder before anyone sees it
   * (PDFs are printed from its pages) and returns files to add to it.
   */
  write(files: SiteStream, staged?: (folder: string) => Promise<SiteFiles>): Promise<void>;
}

/**
 * The site in `outDir` on disk, written atomically (atomic-output.ts): held
 * by this build from `claim()` on, staged beside the previous site and
 * swapped in. With the project's `root`, the folder must not hold the project.
 * It replaces only a folder tradeoffs made, unless `replace.replaceFolder`.
 */
export function folderWriter(outDir: string, root?: string, replace: ReplaceOptions = {}): SiteWriter {
  let claimed = false;
  return {
    folder: path.resolve(outDir),
    claim: async () => {
      const release = await claimOutput(outDir, root, replace);
      claimed = true;
      return async () => {
        claimed = false;
        await release();
      };
    },
    write: (files, staged) => writeSiteAtomically(outDir, files, staged, {claimed}),
  };
}

/** A site kept in memory: `files` holds the last site written, path → contents. */
export interface MemoryWriter extends SiteWriter {
  readonly files: ReadonlyMap<string, string | Uint8Array>;
}

/** A site written to memory; work on a staged copy (PDFs) gets a temporary folder, removed afterwards. */
export function memoryWriter(): MemoryWriter {
  let files: ReadonlyMap<string, string | Uint8Array> = new Map();
  return {
    folder: undefined,
    get files() {
      return files;
    },
    claim: async () => async () => undefined,
    write: async (site, staged) => {
      const all = new Map<string, string | Uint8Array>();
      for await (const [name, contents] of site)
        all.set(name, isStreamedText(contents) ? await wholeText(contents) : contents);
      if (staged) {
        const folder = await mkdtemp(path.join(tmpdir(), 'tradeoffs-site-'));
        try {
          await writeFiles(folder, all);
          for (const [name, contents] of await staged(folder)) all.set(name, contents);
        } finally {
          await rm(folder, {recursive: true, force: true});
        }
      }
      files = all;
    },
  };
}
