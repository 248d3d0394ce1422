/**
 * Order text by UTF-16 code units, as `<` does and as `Array#sort` does
 * without a comparator: the same order on every machine and locale (unlike
 * `localeCompare`). For sorting file names, output names and keys where the
 * order reaches bytes on disk or in a hash.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A comparator ordering items by a text key, with `compareText`: `entries.sort(byKey((entry) => entry.name))`. */
export function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => compareText(key(a), key(b));
}
