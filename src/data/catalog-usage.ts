import {z} from 'zod';
import type {Catalog} from './catalog.js';
import {DelegatingMap} from './delegating-map.js';

/** The record collections of a catalog, named as in usage keys (`hardware:h100`, `scenarios:*`). */
export const RECORD_KINDS = ['hardware', 'models', 'scenarios', 'references', 'sources'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * `hardware:h100` for one record (or its absence), `hardware:*` for the whole collection,
 * `file:data/cars.json` for an input file read as it is (a chart's `data.url`).
 */
export type UsageKey = `${RecordKind}:${string}` | `file:${string}`;

/** The usage key of an input file read as it is (by its path relative to the project root). */
export function fileUsageKey(path: string): UsageKey {
  return `file:${path}`;
}

/** Usage key → the hash of what it named, as manifests, shards and cached reports keep them. */
export const usageHashesSchema = z.record(
  z.templateLiteral([z.enum([...RECORD_KINDS, 'file']), ':', z.string()], {
    error: `expected \`<kind>:<id>\` with a kind of ${RECORD_KINDS.join(', ')}, or \`file:<path>\``,
  }),
  z.string(),
);

/**
 * Records which catalog records a piece of work reads, so an incremental
 * build can tell which reports a data change touches. Work runs inside
 * `collect`; frames nest, and a key read in an inner frame counts for every
 * open frame. Memoised results carry their own usage (`memo`), so a report
 * that reuses an estimate another report computed still depends on the
 * records behind it.
 */
export class UsageRecorder {
  readonly #frames: Array<Set<UsageKey>> = [];

  record(key: UsageKey): void {
    for (const frame of this.#frames) frame.add(key);
  }

  recordAll(keys: Iterable<UsageKey>): void {
    for (const key of keys) this.record(key);
  }

  /** Run `work` (synchronous or not) and return what it read. Frames must not interleave: builds render one report at a time. */
  async collect<T>(work: () => Promise<T> | T): Promise<{value: T; used: Set<UsageKey>}> {
    const used = new Set<UsageKey>();
    this.#frames.push(used);
    try {
      return {value: await work(), used};
    } finally {
      this.#frames.splice(this.#frames.indexOf(used), 1);
    }
  }

  /** The memoised value under `key`, computed (and its usage recorded with it) on first use. */
  memo<T>(cache: Map<string, {value: T; used: Set<UsageKey>}>, key: string, compute: () => T): T {
    const hit = cache.get(key);
    if (hit) {
      this.recordAll(hit.used);
      return hit.value;
    }
    const used = new Set<UsageKey>();
    this.#frames.push(used);
    try {
      const value = compute();
      cache.set(key, {value, used});
      return value;
    } finally {
      this.#frames.splice(this.#frames.indexOf(used), 1);
    }
  }
}

/**
 * A view of `catalog` whose record maps tell `recorder` what is read: a
 * lookup by id records that record (found or not), anything that walks a
 * whole collection records the collection.
 */
export function trackCatalog(catalog: Catalog, recorder: UsageRecorder): Catalog {
  return {
    ...catalog,
    hardware: new TrackedMap('hardware', catalog.hardware, recorder),
    models: new TrackedMap('models', catalog.models, recorder),
    scenarios: new TrackedMap('scenarios', catalog.scenarios, recorder),
    references: new TrackedMap('references', catalog.references, recorder),
    sources: new TrackedMap('sources', catalog.sources, recorder),
  };
}

class TrackedMap<V> extends DelegatingMap<V> {
  constructor(
    private readonly kind: RecordKind,
    private readonly inner: ReadonlyMap<string, V>,
    private readonly recorder: UsageRecorder,
  ) {
    super();
  }

  get(id: string): V | undefined {
    this.recorder.record(`${this.kind}:${id}`);
    return this.inner.get(id);
  }

  has(id: string): boolean {
    this.recorder.record(`${this.kind}:${id}`);
    return this.inner.has(id);
  }

  protected whole(): ReadonlyMap<string, V> {
    this.recorder.record(`${this.kind}:*`);
    return this.inner;
  }
}
