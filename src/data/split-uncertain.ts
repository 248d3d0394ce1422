import {Distribution} from '../uncertain/distribution.js';
import type {Nominal} from '../uncertain/distribution.js';

/** An uncertain number inside a record: where it is and its distribution. */
export interface UncertainLeaf {
  readonly path: ReadonlyArray<string | number>;
  readonly distribution: Distribution;
}

/**
 * Split a validated record into its nominal form (every distribution
 * replaced by its nominal value) and the list of its uncertain numbers.
 */
export function splitUncertain<T>(record: T): {nominal: Nominal<T>; leaves: UncertainLeaf[]} {
  const leaves: UncertainLeaf[] = [];
  const walk = (value: unknown, path: Array<string | number>): unknown => {
    if (value instanceof Distribution) {
      leaves.push({path, distribution: value});
      return value.nominal;
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]));
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) copy[key] = walk(child, [...path, key]);
      return copy;
    }
    return value;
  };
  return {nominal: walk(record, []) as Nominal<T>, leaves};
}
