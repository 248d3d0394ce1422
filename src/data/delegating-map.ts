/**
 * A read-only map over records that a subclass answers lookups for (`get`,
 * `has`) and whose whole-map reads (size, iteration, `forEach`) come from
 * the map `whole()` returns: the ReadonlyMap boilerplate of the catalog's
 * views (a tracked catalog, a catalog with one record swapped).
 */
export abstract class DelegatingMap<V> implements ReadonlyMap<string, V> {
  abstract get(key: string): V | undefined;
  abstract has(key: string): boolean;
  /** Every entry, for the reads that walk the whole map. */
  protected abstract whole(): ReadonlyMap<string, V>;

  get size(): number {
    return this.whole().size;
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    this.whole().forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  keys(): MapIterator<string> {
    return this.whole().keys();
  }

  values(): MapIterator<V> {
    return this.whole().values();
  }

  entries(): MapIterator<[string, V]> {
    return this.whole().entries();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}
