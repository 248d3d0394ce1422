import type {UncertainLeaf} from '../../data/split-uncertain.js';
import {byKey} from '../../tool/compare.js';
import {seededRandom} from '../../uncertain/random.js';

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
export function withLeafValues<T>(
  record: T,
  leaves: readonly UncertainLeaf[],
  valueOf: (leaf: UncertainLeaf, index: number) => number,
): T {
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
 * finite are left out of that output's percentiles. The sampled records
 * are reused from one draw to the next: `evaluate` must not keep them.
 */
export function monteCarlo<Records extends readonly unknown[]>(
  records: {readonly [K in keyof Records]: UncertainRecord<Records[K]>},
  evaluate: (...sampled: Records) => Readonly<Record<string, number | undefined>>,
  options: SamplingOptions = DEFAULT_SAMPLING,
): Record<string, Range> {
  const values = new Map<string, number[]>();
  forEachSample(records, options, (sampled) => {
    const outputs = evaluate(...sampled);
    for (const [name, value] of Object.entries(outputs)) {
      if (value === undefined || !Number.isFinite(value)) continue;
      let column = values.get(name);
      if (!column) values.set(name, (column = []));
      column.push(value);
    }
  });
  const ranges: Record<string, Range> = {};
  for (const [name, column] of [...values].sort(byKey(([key]) => key))) ranges[name] = percentiles(column);
  return ranges;
}

/**
 * The same for a fixed set of outputs, each read from what `evaluate`
 * returns by its own function: `monteCarlo` with an `evaluate` that returns
 * `{[name]: read(result)}`, without the record of each draw.
 */
export function monteCarloOutputs<Records extends readonly unknown[], Result>(
  records: {readonly [K in keyof Records]: UncertainRecord<Records[K]>},
  evaluate: (...sampled: Records) => Result,
  outputs: Readonly<Record<string, (result: Result) => number | undefined>>,
  options: SamplingOptions = DEFAULT_SAMPLING,
): Record<string, Range> {
  return rangesOfDraws(monteCarloDraws(records, evaluate, outputs, options));
}

/**
 * Each output's value on every draw, in draw order, NaN where it is
 * undefined or not finite: what `monteCarloOutputs` takes percentiles of.
 * Every leaf draws from a generator seeded by the seed, its record's place
 * and its path (forEachSample), so two estimates whose records hold the same
 * input at the same place draw it alike, draw by draw: their outputs can be
 * compared draw by draw (drawRatio).
 */
export function monteCarloDraws<Records extends readonly unknown[], Result>(
  records: {readonly [K in keyof Records]: UncertainRecord<Records[K]>},
  evaluate: (...sampled: Records) => Result,
  outputs: Readonly<Record<string, (result: Result) => number | undefined>>,
  options: SamplingOptions = DEFAULT_SAMPLING,
): Record<string, Float64Array> {
  const names = Object.keys(outputs);
  const reads = names.map((name) => outputs[name] as (result: Result) => number | undefined);
  const columns = names.map(() => new Float64Array(Math.max(0, options.samples)).fill(Number.NaN));
  let sample = 0;
  forEachSample(records, options, (sampled) => {
    const result = evaluate(...sampled);
    for (let index = 0; index < reads.length; index++) {
      const value = (reads[index] as (result: Result) => number | undefined)(result);
      if (value !== undefined && Number.isFinite(value)) (columns[index] as Float64Array)[sample] = value;
    }
    sample++;
  });
  const draws: Record<string, Float64Array> = {};
  names.forEach((name, index) => (draws[name] = columns[index] as Float64Array));
  return draws;
}

/** The percentiles of each output's finite draws (monteCarloDraws), by name in order; an output with none is left out. */
export function rangesOfDraws(draws: Readonly<Record<string, Float64Array>>): Record<string, Range> {
  const ranges: Record<string, Range> = {};
  for (const name of Object.keys(draws).sort(byKey((key) => key))) {
    const finite = finiteValues(draws[name] as Float64Array);
    if (finite.length > 0) ranges[name] = columnPercentiles(finite);
  }
  return ranges;
}

/** The finite values of a column, in order, in a new column (percentiles reorder what they are given). */
function finiteValues(column: Float64Array): Float64Array {
  const finite = new Float64Array(column.length);
  let count = 0;
  for (let index = 0; index < column.length; index++) {
    const value = column[index] as number;
    if (Number.isFinite(value)) finite[count++] = value;
  }
  return finite.subarray(0, count);
}

/**
 * The 5th, 50th and 95th percentiles of `numerator / denominator` taken draw
 * by draw, over the draws where both are finite and the denominator is not
 * zero; undefined when there are none. Inputs both estimates share move
 * both sides of a draw together and so cancel, as they do in the real
 * comparison; the ratio of two ranges' medians would leave the spread out.
 */
export function drawRatio(numerator: Float64Array, denominator: Float64Array): Range | undefined {
  const ratios: number[] = [];
  const count = Math.min(numerator.length, denominator.length);
  for (let index = 0; index < count; index++) {
    const ratio = (numerator[index] as number) / (denominator[index] as number);
    if (Number.isFinite(ratio) && (denominator[index] as number) !== 0) ratios.push(ratio);
  }
  return ratios.length === 0 ? undefined : percentiles(ratios);
}

/**
 * Draw every record's uncertain leaves `samples` times and call `visit`
 * with the sampled records. Each leaf draws from its own generator, seeded
 * by the seed, the record's place in `records` and the leaf's path: adding
 * an uncertain input (a variant that makes its price a range) leaves the
 * draws of every other input as they were, so the outputs that do not
 * depend on it keep their values to the digit. Each record is copied once
 * along its leaves' paths (as withLeafValues copies it) and each draw writes
 * its values into that copy, so the records passed to `visit` are the same
 * objects every time, and a record without leaves is the nominal one.
 */
export function forEachSample<Records extends readonly unknown[]>(
  records: {readonly [K in keyof Records]: UncertainRecord<Records[K]>},
  options: SamplingOptions,
  visit: (sampled: Records) => void,
): void {
  const list = records as unknown as ReadonlyArray<UncertainRecord<unknown>>;
  const sampled = list.map((record) => withLeafValues(record.nominal, record.leaves, () => Number.NaN));
  // Where each leaf's value goes in the copies: the object holding it, its key, and the leaf's own generator.
  const targets: Array<{
    node: Record<string | number, unknown>;
    key: string | number;
    leaf: UncertainLeaf;
    random: () => number;
  }> = [];
  list.forEach((record, index) => {
    for (const leaf of record.leaves) {
      let node = sampled[index] as Record<string | number, unknown>;
      for (let depth = 0; depth < leaf.path.length - 1; depth++)
        node = node[leaf.path[depth] as string | number] as Record<string | number, unknown>;
      const random = seededRandom(leafSeed(options.seed, index, leaf.path));
      targets.push({node, key: leaf.path[leaf.path.length - 1] as string | number, leaf, random});
    }
  });
  for (let sample = 0; sample < options.samples; sample++) {
    for (const {node, key, leaf, random} of targets) node[key] = leaf.distribution.sample(random);
    visit(sampled as unknown as Records);
  }
}

/** The seed of one leaf's generator: FNV-1a over the record's place and the leaf's path, mixed with the seed. */
export function leafSeed(seed: number, record: number, path: ReadonlyArray<string | number>): number {
  let hash = 0x811c9dc5;
  for (const char of `${record}\u0000${path.join('\u0000')}`) {
    hash ^= char.codePointAt(0) as number;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // One round of mulberry32's output mix over seed ⊕ hash, so nearby seeds give unrelated streams.
  let t = (seed ^ hash) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Percentiles by linear interpolation between order statistics (Hyndman & Fan type 7, as numpy's default). */
export function percentiles(values: readonly number[]): Range {
  return columnPercentiles(Float64Array.from(values));
}

/**
 * `percentiles` of a column, which it reorders: the few order statistics
 * the percentiles need are selected (quickselect) instead of sorting the
 * whole column, with the same values as a sort would put there. A column
 * holding a zero or NaN is sorted: `<` cannot tell −0 from +0 as the sort
 * does, nor order NaN.
 */
function columnPercentiles(column: Float64Array): Range {
  let select = true;
  let constant = true;
  const first = column[0] as number;
  for (let index = 0; index < column.length; index++) {
    const value = column[index] as number;
    if (value === 0 || value !== value) {
      select = false;
      break;
    }
    if (value !== first) constant = false;
  }
  if (!select) {
    column.sort();
    return percentilesAt(column.length, (index) => column[index] as number);
  }
  // Equal non-zero doubles are the same double: every order statistic is the first value.
  if (constant) return percentilesAt(column.length, () => first);
  // The order statistics the percentiles read, each selected in ascending order among the elements above the last.
  const wanted: number[] = [];
  percentilesAt(column.length, (index) => {
    wanted.push(index);
    return 0;
  });
  let from = 0;
  for (const index of wanted.sort((a, b) => a - b)) {
    if (index < from) continue;
    selectInPlace(column, from, column.length - 1, index);
    from = index + 1;
  }
  return percentilesAt(column.length, (index) => column[index] as number);
}

/** The percentiles of `count` values from their order statistics, `orderStatistic(i)` the i-th smallest (from 0). */
function percentilesAt(count: number, orderStatistic: (index: number) => number): Range {
  const at = (p: number) => {
    if (count === 0) return Number.NaN;
    const position = p * (count - 1);
    const lower = Math.floor(position);
    const upper = Math.min(count - 1, lower + 1);
    const weight = position - lower;
    const a = orderStatistic(lower);
    const b = orderStatistic(upper);
    const difference = b - a;
    // a + w·(b − a) stays between a and b; only when b − a overflows (values near the largest double) use the weighted sum.
    return Number.isFinite(difference) ? a + weight * difference : (1 - weight) * a + weight * b;
  };
  return {p5: at(0.05), p50: at(0.5), p95: at(0.95)};
}

/**
 * Rearrange `values[low..high]` so that `values[k]` holds the value a sort
 * would put there, with no greater value before it and no smaller after it
 * (Hoare's selection, as in Wirth's Algorithms + Data Structures: the
 * median of three as the pivot, equal values split between both sides).
 */
function selectInPlace(values: Float64Array, low: number, high: number, k: number): void {
  while (high > low) {
    const x = values[low] as number;
    const y = values[(low + high) >>> 1] as number;
    const z = values[high] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let left = low;
    let right = high;
    while (left <= right) {
      while ((values[left] as number) < pivot) left++;
      while ((values[right] as number) > pivot) right--;
      if (left <= right) {
        const swap = values[left] as number;
        values[left] = values[right] as number;
        values[right] = swap;
        left++;
        right--;
      }
    }
    if (k <= right) high = right;
    else if (k >= left) low = left;
    else return;
  }
}
