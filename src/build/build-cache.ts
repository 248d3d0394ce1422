import {randomBytes} from 'node:crypto';
import {mkdir, readFile, rename, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {z} from 'zod';
import {parseJsonQuietly} from '../data/json-file.js';

/** Where a project's cache goes unless told otherwise (git-ignored, restorable in CI). */

/** What the cache holds, one folder each. */
export type CacheKind = 'reports' | 'mdx' | 'charts' | 'pdf';

/**
 * Work a build can reuse, as JSON files under `<dir>/<kind>/<key>.json`
 * (binary entries as raw files). Entries are written to a temporary name
 * and renamed, so a killed build never leaves a torn entry; an unreadable
 * entry, or one that does not match its schema, is a miss. A cache without a folder keeps nothing.
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

  async writeJson(kind: CacheKind, key: string, value: unknown): Promise<void> {
    await this.#write(kind, `${key}.json`, JSON.stringify(value));
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

  async #write(kind: CacheKind, name: string, contents: string | Uint8Array): Promise<void> {
    if (!this.dir) return;
    const folder = path.join(this.dir, kind);
    const temporary = path.join(folder, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(folder, {recursive: true});
      await writeFile(temporary, contents);
      await rename(temporary, path.join(folder, name));
    } catch {
      // A cache that cannot be written (read-only, full) only makes the next build slower.
      await rm(temporary, {force: true}).catch(() => undefined);
    }
  }
}
