import {Distribution, standardNormalCdf, Z95} from '../../uncertain/distribution.js';
import type {UncertainRecord} from '../uncertainty/monte-carlo.js';
import type {Layout} from './layout.js';
import {stepOrder} from './step-order.js';

/**
 * A layout the search found, by what its choice depends on when the memory
 * model may be wrong: its step time and its memory over the device's.
 */
export interface FrontierLayout {
  readonly layout: Layout;
  readonly stepSeconds: number;
  /** The memory model's total for the layout over the device's memory: it fits at 1 or below. */
  readonly memoryRatio: number;
}

/**
 * Add a layout to a memory frontier in place: the layouts no other beats on both step time (stepOrder) and memory, fastest
 * first (each needs less memory than every faster one), so whatever the memory model's error, the fastest layout
 * that fits is one of them. The candidate stays out when a member is as fast and needs as little memory (ties in
 * step time keep the order found, as the search's ranking does); the members it beats on both leave. A search adds
 * every layout as it finds it, so the frontier stays a few dozen entries where the layouts are tens of thousands.
 */
export function addToFrontier(frontier: FrontierLayout[], candidate: FrontierLayout): void {
  // The first member slower than the candidate: members before it are as fast or faster (found first on a tie).
  const order = stepOrder(candidate.stepSeconds);
  let low = 0;
  let high = frontier.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (stepOrder((frontier[middle] as FrontierLayout).stepSeconds) <= order) low = middle + 1;
    else high = middle;
  }
  // The fastest member before it needs the least memory of those: if that is no more, the candidate adds nothing.
  const previous = frontier[low - 1];
  if (previous && previous.memoryRatio <= candidate.memoryRatio) return;
  // Members after it that need as much memory or more are beaten on both.
  let end = low;
  while (end < frontier.length && (frontier[end] as FrontierLayout).memoryRatio >= candidate.memoryRatio) end++;
  frontier.splice(low, end - low, candidate);
}

/**
 * The layout a lab would run if the memory model's totals were `factor`
 * times what it says: the fastest on the frontier that then fits, or, when
 * none does, the one needing the least memory (the run as close to fitting
 * as the frontier goes).
 */
export function layoutUnderMemoryError(frontier: readonly FrontierLayout[], factor: number): Layout | undefined {
  for (const entry of frontier) if (entry.memoryRatio * factor <= 1) return entry.layout;
  return frontier.at(-1)?.layout;
}

/**
 * A Monte Carlo record of the standard normal draw of the memory model's error for a model. The stream is the
 * model's (a leaf draws from a generator seeded by its path): the error is in how the model's activations and
 * states are counted, so every estimate of the model draws it alike, on any chip or layout.
 */
export function memoryErrorDraw(modelId: string): UncertainRecord<Readonly<Record<string, number>>> & {
  readonly z: (sampled: Readonly<Record<string, number>>) => number;
} {
  const stream = `memory · ${modelId}`;
  return {
    nominal: {[stream]: 0},
    leaves: [{path: [stream], distribution: new Distribution({kind: 'normal', mean: 0, sd: 1})}],
    z: (sampled) => sampled[stream] as number,
  };
}

/** The standard deviation of the log of the memory model's error, from its 95th percentile exp(Z95 · σ) (model-constants.ts). */
export function memoryErrorSigma(memoryErrorRatio: number): number {
  return Math.log(memoryErrorRatio) / Z95;
}

/**
 * The share of draws of the memory model's error in which a layout needing `memoryRatio` of the device's memory
 * by the model fits: P(ratio · e^(σz) ≤ 1) = Φ(−ln(ratio) / σ).
 */
export function memoryFitShare(memoryRatio: number, memoryErrorRatio: number): number {
  return standardNormalCdf(-Math.log(memoryRatio) / memoryErrorSigma(memoryErrorRatio));
}
