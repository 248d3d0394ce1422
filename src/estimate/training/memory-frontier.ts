import {Distribution} from '../../uncertain/distribution.js';
import type {UncertainRecord} from '../uncertainty/monte-carlo.js';
import type {Layout} from './layout.js';

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
 * The layouts no other beats on both step time and memory, fastest first
 * (each needs less memory than every faster one): whatever the memory
 * model's error, the fastest layout that fits is one of them. Ties in step
 * time keep the order found, as the search's ranking does.
 */
export function memoryFrontier(candidates: readonly FrontierLayout[]): FrontierLayout[] {
  const byStep = [...candidates].sort((a, b) => a.stepSeconds - b.stepSeconds);
  const frontier: FrontierLayout[] = [];
  for (const candidate of byStep) {
    const last = frontier.at(-1);
    if (!last || candidate.memoryRatio < last.memoryRatio) frontier.push(candidate);
  }
  return frontier;
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
