import {randomBytes} from 'node:crypto';
import {mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {deserialize, serialize} from 'node:v8';
import {z} from 'zod';
import {usageHashesSchema, type UsageKey} from '../data/catalog-usage.js';
import {usageHash} from '../data/record-hashes.js';
import type {SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import type {AnyEstimate} from '../estimate/kinds.js';
import type {EstimateStore} from '../render/template-scope.js';
import {sha256} from '../tool/hash.js';

/**
 * The estimates of earlier builds, on disk (`<cache>/estimates/<hash>.bin`):
 * an estimate is pure and deterministic, so one computed from the same
 * records, by the same tool, with the same sampling, is the same value. An
 * entry holds the estimate's memo key, the hash of every record it read
 * (its usage) and the value, as V8's serialisation (the structured clone
 * the template process's answers cross by: `undefined`, −0, NaN and key
 * order survive, which JSON would not keep). It is a hit only when its key
 * is the one asked for and every record it read hashes as it does now; read
 * back, it is input like any cache entry (build-cache.ts): an entry that
 * does not deserialise or is not plain data of an estimate's shape is a
 * miss. Read and written synchronously, for a template's `estimate()` is a
 * synchronous call; a cache that cannot be written only makes the next build slower.
 */

const entrySchema = z.object({
  key: z.string(),
  uses: usageHashesSchema,
  value: z.custom<AnyEstimate>(
    (value) => isPlainData(value, 0) && typeof (value as {kind?: unknown}).kind === 'string',
    'expected an estimate: plain data with a `kind`',
  ),
});

/** Deepest an estimate nests (its batch curves, sweeps' stages, layouts' choices…), far above what one does. */
const MAX_DEPTH = 64;

/** Plain data only: what structured clone gives back as it was (no class instances, no functions). */
function isPlainData(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function' && typeof value !== 'symbol';
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => isPlainData(item, depth + 1));
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((item) => isPlainData(item, depth + 1));
}

export interface EstimateCacheOptions {
  /** The cache folder (the build's `--cache`). */
  readonly dir: string;
  /** The tool's fingerprint: another tool's estimates are another tool's. */
  readonly fingerprint: string;
  readonly sampling: SamplingOptions;
  /** The hash of every record and input file of this build, by usage key. */
  readonly hashes: ReadonlyMap<UsageKey, string>;
}

/** The estimates kept under `options.dir`, as a template scope's store. */
export function estimateCache(options: EstimateCacheOptions): EstimateStore {
  const folder = path.join(options.dir, 'estimates');
  const fileOf = (key: string) =>
    path.join(
      folder,
      `${sha256(`${options.fingerprint}\0${options.sampling.samples}/${options.sampling.seed}\0${key}`)}.bin`,
    );
  return {
    get: (key) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(fileOf(key));
      } catch {
        return undefined;
      }
      let entry: z.infer<typeof entrySchema>;
      try {
        const parsed = entrySchema.safeParse(deserialize(bytes));
        if (!parsed.success) return undefined;
        entry = parsed.data;
      } catch {
        return undefined;
      }
      if (entry.key !== key) return undefined;
      const used = Object.keys(entry.uses) as UsageKey[];
      if (used.some((usage) => entry.uses[usage] !== usageHash(options.hashes, usage))) return undefined;
      return {value: entry.value, used};
    },
    set: (key, value, used) => {
      if (!isPlainData(value, 0)) return;
      const uses: Record<UsageKey, string> = {};
      for (const usage of [...used].sort()) uses[usage] = usageHash(options.hashes, usage);
      const file = fileOf(key);
      const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      try {
        mkdirSync(folder, {recursive: true});
        writeFileSync(temporary, serialize({key, uses, value}));
        renameSync(temporary, file);
      } catch {
        try {
          rmSync(temporary, {force: true});
        } catch {
          // Left for the next build to overwrite: a temporary name no reader asks for.
        }
      }
    },
  };
}
