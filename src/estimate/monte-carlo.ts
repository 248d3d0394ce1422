import type {UncertainLeaf} from '../data/split-uncertain.js';
import {seededRandom} from './random.js';

/** How to run a Monte Carlo: the number of samples and the seed (the same seed gives the same numbers). */
export interface SamplingOptions {
  readonly samples: number;
  readonly seed: number;
}

export const DEFAULT_SAMPLING: SamplingOptions = {samples: 1000, seed: 1};

/** The 5th, 50th and 95th percentiles of an output. */
export interface Range {
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
}

/** A record with uncertain numbers: its nominal form and where its distributions are. */
export interface UncertainRecord<T> {
  readonly nominal: T;
  readonly leaves: readonly UncertainLeaf[];
}

/** A copy of `record` with each uncertain leaf replaced by `valueOf(leaf)`, copying only the objects on the leaves' paths. */
export function withLeafValues<T>(record: T, leaves: readonly UncertainLeaf[], valueOf: (leaf: UncertainLeaf, index: number) => number): T {
  if (leaves.length === 0) return record;
  const root = shallowCopy(record) as Record<string | number, unknown>;
  leaves.forEach((leaf, index) => {
    let node = root;
    for (let depth = 0; depth < leaf.path.length - 1; depth++) {
      const key = leaf.path[depth] as string | number;
      const child = shallowCopy(node[key]) as Record<string | number, unknown>;
      node[key] = child;
      node = child;
    }
    node[leaf.path[leaf.path.length - 1] as string | number] = valueOf(leaf, index);
  });
  return root as T;
}

function shallowCopy(value: unknown): unknown {
  return Array.isArray(value) ? [...value] : {...(value as object)};
}

/**
 * Sample every uncertain record together `samples` times with a seeded
 * generator, evaluate the outputs on each draw, and return each output's
 * 5th, 50th and 95th percentiles. Draws where an output is undefined or not
 * finite are left out of that output's percentiles.
 */
export function monteCarlo<Records extends readonly unknown[]>(
  records: {readonly [K in keyof Records]: UncertainRecord<Records[K]>},
  evaluate: (...sampled: Records) => Readonly<Record<string, number | undefined>>,
  options: SamplingOptions = DEFAULT_SAMPLING,
): Record<string, Range> {
  const random = seededRandom(options.seed);
  const values = new Map<string, number[]>();
  const list = records as unknown as ReadonlyArray<UncertainRecord<unknown>>;
  for (let sample = 0; sample < options.samples; sample++) {
    const sampled = list.map((record) => withLeafValues(record.nominal, record.leaves, (leaf) => leaf.distribution.sample(random)));
    const outputs = evaluate(...(sampled as unknown as Records));
    for (const [name, value] of Object.entries(outputs)) {
      if (value === undefined || !Number.isFinite(value)) continue;
      let column = values.get(name);
      if (!column) values.set(name, (column = []));
      column.push(value);
    }
  }
  const ranges: Record<string, Range> = {};
  for (const [name, column] of [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) ranges[name] = percentiles(column);
  return ranges;
}

/** Percentiles by linear interpolation between order statistics (Hyndman & Fan type 7, as numpy's default). */
export function percentiles(values: readonly number[]): Range {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => {
    if (sorted.length === 0) return Number.NaN;
    const position = p * (sorted.length - 1);
    const lower = Math.floor(position);
    const upper = Math.min(sorted.length - 1, lower + 1);
    const weight = position - lower;
    const a = sorted[lower] as number;
    const b = sorted[upper] as number;
    const difference = b - a;
    // a + w·(b − a) stays between a and b; only when b − a overflows (values near the largest double) use the weighted sum.
    return Number.isFinite(difference) ? a + weight * difference : (1 - weight) * a + weight * b;
  };
  return {p5: at(0.05), p50: at(0.5), p95: at(0.95)};
}
