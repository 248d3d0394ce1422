import {randomBytes} from 'node:crypto';
import type {BigIntStats} from 'node:fs';
import {access, mkdir, readFile, rename, rm, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {z} from 'zod';
import {jsonLine, parseJsonQuietly, toJsonLines} from '../data/json-file.js';
import {OutputError} from '../output/atomic-output.js';
import {INPUT_FOLDERS} from '../project.js';
import {sha256} from '../tool/hash.js';

/** What the cache holds, one folder each. */
export type CacheKind = 'reports' | 'summaries' | 'pages' | 'charts' | 'pdf' | 'model-errors';

/**
 * Work a build can reuse, as JSON files under `<dir>/<kind>/<key>.json`
 * (binary entries as raw files). Entries are written to a temporary name
 * and renamed, so a killed build never leaves a torn entry; an unreadable
 * entry, or one that does not match its schema, is a miss. A cache without a folder keeps nothing.
 * The cache is input (restored in CI, it could hold anything): what is read
 * from it is checked as a shard is, and it holds no code (compiled templates
 * stay in the memory of the process that compiled them).
 */
export class BuildCache {
  constructor(readonly dir: string | undefined) {}

  /** The entry, when there is one and it is what `schema` describes (anything else is a miss). */
  async readJson<Schema extends z.ZodType>(
    kind: CacheKind,
    key: string,
    schema: Schema,
  ): Promise<z.infer<Schema> | undefined> {
    const text = await this.#read(kind, `${key}.json`, 'utf8');
    return text === undefined ? undefined : parseJsonQuietly(text, schema);
  }

  /**
   * The entry as readJson reads it, with the hash of its text (what it was written as: writeJson's
   * answer) and its file's stamp (stampOf) when the file was not changed while it was read.
   */
  async readJsonHashed<Schema extends z.ZodType>(
    kind: CacheKind,
    key: string,
    schema: Schema,
  ): Promise<{value: z.infer<Schema>; hash: string; stamp?: string | undefined} | undefined> {
    const before = await this.stampOf(kind, key);
    const text = await this.#read(kind, `${key}.json`, 'utf8');
    const value = text === undefined ? undefined : parseJsonQuietly(text, schema);
    if (value === undefined) return undefined;
    const stamp = before !== undefined && before === (await this.stampOf(kind, key)) ? before : undefined;
    return {value, hash: sha256(text as string), stamp};
  }

  /**
   * The stamp of an entry's file: its inode, size, and the times of its last write and last change, in
   * nanoseconds; `undefined` when there is none. The file of an entry is always a new one (written under a
   * temporary name and renamed), and the time of a file's last change is set by the system on any write,
   * rename or change of its times, never by a program: an entry with the stamp it had is the file it was,
   * unchanged, but for a change within the same tick of the system's clock (a few milliseconds). So the
   * stamp may stand for the entry's hash (build-plan.ts) where reading the entry is also checked against
   * the hash, never where it is the only check.
   */
  async stampOf(kind: CacheKind, key: string): Promise<string | undefined> {
    if (!this.dir) return undefined;
    try {
      return stampOfStats(await stat(path.join(this.dir, kind, `${key}.json`), {bigint: true}));
    } catch {
      return undefined;
    }
  }

  /** Line `index` (from 0) of an entry written as JSON lines (writeJsonLines), read and checked alone, as readJson reads an entry. */
  async readJsonLine<Schema extends z.ZodType>(
    kind: CacheKind,
    key: string,
    index: number,
    schema: Schema,
  ): Promise<z.infer<Schema> | undefined> {
    const bytes = await this.#read(kind, `${key}.json`);
    const text = bytes === undefined ? undefined : jsonLine(bytes, index);
    return text === undefined ? undefined : parseJsonQuietly(text, schema);
  }

  /** Keep an entry of several values, one JSON line each, each to be read alone (readJsonLine). */
  async writeJsonLines(kind: CacheKind, key: string, values: readonly unknown[]): Promise<void> {
    await this.#write(kind, `${key}.json`, toJsonLines(values));
  }

  /** The hash of an entry's text (readJsonHashed's), without reading it as JSON; `undefined` when there is none. */
  async hashOf(kind: CacheKind, key: string): Promise<string | undefined> {
    const bytes = await this.#read(kind, `${key}.json`);
    return bytes === undefined ? undefined : sha256(bytes);
  }

  /** Whether there is an entry (of any content: reading it says whether it is one). */
  async hasJson(kind: CacheKind, key: string): Promise<boolean> {
    if (!this.dir) return false;
    return access(path.join(this.dir, kind, `${key}.json`)).then(
      () => true,
      () => false,
    );
  }

  /** Keep an entry; resolves to the hash of its text (readJsonHashed's). */
  async writeJson(kind: CacheKind, key: string, value: unknown): Promise<string> {
    return (await this.writeJsonStamped(kind, key, value)).hash;
  }

  /** Keep an entry; resolves to the hash of its text and, when the file in place is the one written, its stamp (stampOf). */
  async writeJsonStamped(
    kind: CacheKind,
    key: string,
    value: unknown,
  ): Promise<{hash: string; stamp?: string | undefined}> {
    const text = JSON.stringify(value);
    const stamp = await this.#write(kind, `${key}.json`, text);
    return {hash: sha256(text), stamp};
  }

  async readBytes(kind: CacheKind, name: string): Promise<Buffer | undefined> {
    return this.#read(kind, name);
  }

  async writeBytes(kind: CacheKind, name: string, contents: Uint8Array): Promise<void> {
    await this.#write(kind, name, contents);
  }

  async #read(kind: CacheKind, name: string): Promise<Buffer | undefined>;
  async #read(kind: CacheKind, name: string, encoding: 'utf8'): Promise<string | undefined>;
  async #read(kind: CacheKind, name: string, encoding?: 'utf8'): Promise<Buffer | string | undefined> {
    if (!this.dir) return undefined;
    try {
      return await readFile(path.join(this.dir, kind, name), encoding);
    } catch {
      return undefined;
    }
  }

  /** Write an entry's file; resolves to its stamp (stampOf) when the file in place is the one written. */
  async #write(kind: CacheKind, name: string, contents: string | Uint8Array): Promise<string | undefined> {
    if (!this.dir) return undefined;
    const folder = path.join(this.dir, kind);
    const temporary = path.join(folder, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(folder, {recursive: true});
      await writeFile(temporary, contents);
      // Its inode, while the file is this build's alone: no other file has it as long as this one exists.
      const {ino} = await stat(temporary, {bigint: true});
      await rename(temporary, path.join(folder, name));
      const written = await stat(path.join(folder, name), {bigint: true});
      // Replaced meanwhile by another build's (sharing the cache): no stamp.
      return written.ino === ino ? stampOfStats(written) : undefined;
    } catch {
      // A cache that cannot be written (read-only, full) only makes the next build slower.
      await rm(temporary, {force: true}).catch(() => undefined);
      return undefined;
    }
  }
}

/** A file's stamp (BuildCache.stampOf) from its stats. */
function stampOfStats({ino, size, mtimeNs, ctimeNs}: BigIntStats): string {
  return `${ino}:${size}:${mtimeNs}:${ctimeNs}`;
}

/**
 * The cache writes folders of its own (`reports/`, `charts/`, `pdf/`) into
 * its folder: never the project's folder or one above it, its inputs
 * (`--cache data` would make every next build stale, `--cache .` would
 * write `reports/` where the site goes), or the output folder, which the
 * build replaces whole. Refused as an <environment> problem naming the folder.
 */
export function checkCacheFolder(cacheDir: string, root: string | undefined, outDir: string | undefined): void {
  const cache = path.resolve(cacheDir);
  const within = (folder: string, outer: string) => {
    const from = path.relative(outer, folder);
    return from === '' || (!from.startsWith('..') && !path.isAbsolute(from));
  };
  const project = root === undefined ? undefined : path.resolve(root);
  const clash =
    (project !== undefined && within(project, cache)) ||
    (project !== undefined && INPUT_FOLDERS.some((folder) => within(cache, path.join(project, folder)))) ||
    (outDir !== undefined && (within(cache, path.resolve(outDir)) || within(path.resolve(outDir), cache)));
  if (clash)
    throw new OutputError(
      `Refusing to keep the build cache in ${cache}: it would write its folders into the project, its inputs (${INPUT_FOLDERS.join(', ')}) or the site's folder; choose a folder of its own, such as .tradeoffs/cache`,
      'unsafe',
    );
}
