import {Distribution} from '../../uncertain/distribution.js';
import type {UncertainRecord} from '../uncertainty/monte-carlo.js';
import {setupKey} from './model-error.js';

/** A Monte Carlo record of the standard normal draws of the model's own error (stepFactor) for one estimate. */
export interface ErrorDraw extends UncertainRecord<Readonly<Record<string, number>>> {
  /** The standard normal of one sample of the record: the setup's draw and the run's, mixed by the correlation. */
  readonly z: (sampled: Readonly<Record<string, number>>) => number;
}

const STANDARD_NORMAL = new Distribution({kind: 'normal', mean: 0, sd: 1});

/**
 * The model's own error on one estimate as two standard normal streams: one for its setup (its model on its
 * chip), shared by every estimate of that setup, and one for the run itself (its precision and layout, `runKey`),
 * mixed as √ρ·z_setup + √(1 − ρ)·z_run with ρ the correlation the calibration finds between runs of one setup
 * (ModelError.setupCorrelation; 0, independent, without one). Each sample is a standard normal, so an
 * estimate's range is as before; a factor between two runs of one setup keeps the share of the error they
 * share out and the rest in, and a factor between two models or chips carries both errors whole. A Monte
 * Carlo leaf draws from a generator seeded by its record's place and its path (the stream's name), so
 * estimates with the same setup or run draw it alike whichever scenario asks.
 */
export function errorDraw(modelId: string, hardwareId: string, runKey: string, correlation = 0): ErrorDraw {
  const setup = setupKey(modelId, hardwareId);
  const run = `${setup} · ${runKey}`;
  const shared = Math.sqrt(correlation);
  const own = Math.sqrt(1 - correlation);
  return {
    nominal: {[setup]: 0, [run]: 0},
    leaves: [
      {path: [setup], distribution: STANDARD_NORMAL},
      {path: [run], distribution: STANDARD_NORMAL},
    ],
    z: (sampled) => shared * (sampled[setup] as number) + own * (sampled[run] as number),
  };
}
