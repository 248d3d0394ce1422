import type {TrainingScenario} from '../../data/schemas/scenario.js';
import {profileModel} from '../model-profile.js';
import {isOutputOf} from '../outputs.js';
import {DEFAULT_SAMPLING, type Range, type SamplingOptions} from '../uncertainty/monte-carlo.js';
import {
  rangesOf,
  ratesUncertain,
  sensitivityOf,
  type Slice,
  type UncertaintyCatalog,
} from '../uncertainty/scenario-ranges.js';
import type {SensitivityRow} from '../uncertainty/sensitivity.js';
import {TRAINING_OUTPUTS, type TrainingOutputName} from './training-outputs.js';
import {
  estimateTraining,
  type TrainingOptions,
  type TrainingEstimate,
  type TrainingOverrides,
} from './training-scenario.js';

/** A training estimate with the p5–p95 range of every output, when any input is uncertain. */
export interface RangedTrainingEstimate extends TrainingEstimate {
  readonly ranges: Readonly<Partial<Record<TrainingOutputName, Range>>> | undefined;
}

/**
 * Estimate a training scenario point and, when the scenario or its hardware
 * has uncertain inputs, run a seeded Monte Carlo over them: every output
 * gets its 5th, 50th and 95th percentiles.
 */
export function trainingWithRanges(
  catalog: UncertaintyCatalog,
  scenario: TrainingScenario,
  overrides: TrainingOverrides = {},
  sampling: SamplingOptions = DEFAULT_SAMPLING,
  search?: TrainingOptions['search'],
): RangedTrainingEstimate {
  const estimate = estimateTraining(catalog, scenario, overrides, {search});
  // Sampling needs the outputs only: with a stated efficiency they do not depend on the predicted step,
  // and the runners-up of a prediction are never read. The model is not sampled, so neither is its profile.
  const model = catalog.models.get(scenario.model);
  // A search's choice of layout is kept from the nominal estimate: samples re-predict that layout, not search again.
  // The step depends on the hardware's rates and the layout, not on a price, a scenario's tokens, goodput or
  // energy factors: unless the chip's rates are uncertain, every sample shares the nominal prediction.
  const hardwareUncertain = ratesUncertain(catalog, estimate.hardwareId);
  const options = {
    predict: !scenario.efficiency,
    alternatives: false,
    profile: model ? profileModel(model) : undefined,
    layout: estimate.prediction?.step.layout,
    prediction: hardwareUncertain ? undefined : estimate.prediction,
    // Sampled chips never repeat, so their searches would only fill the build's cache with keys that never hit.
    search: hardwareUncertain ? undefined : search,
  };
  const evaluate = (slice: Slice, sampled: TrainingScenario) => estimateTraining(slice, sampled, overrides, options);
  const ranges = rangesOf(catalog, scenario, estimate.hardwareId, evaluate, TRAINING_OUTPUTS, sampling);
  return {...estimate, ranges: ranges as RangedTrainingEstimate['ranges']};
}

/** Rank the inputs of a training scenario point by how far they move one of its outputs (sensitivityOf). */
export function trainingSensitivity(
  catalog: UncertaintyCatalog,
  scenario: TrainingScenario,
  output: string,
  overrides: TrainingOverrides = {},
): SensitivityRow[] {
  if (!isOutputOf(TRAINING_OUTPUTS, output)) throw new RangeError(`unknown output \`${output}\``);
  const read = TRAINING_OUTPUTS[output].read;
  const hardwareId = overrides.hardware ?? scenario.cluster.hardware;
  return sensitivityOf(catalog, scenario, hardwareId, (slice: Slice, varied: TrainingScenario) =>
    read(estimateTraining(slice, varied, overrides, {predict: !scenario.efficiency})),
  );
}
