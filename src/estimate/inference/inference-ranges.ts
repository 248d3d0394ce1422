import type {Hardware} from '../../data/schemas/hardware.js';
import type {InferenceScenario} from '../../data/schemas/scenario.js';
import {chipRates} from '../chip-rates.js';
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
import {INFERENCE_OUTPUTS, type InferenceOutputName} from './inference-outputs.js';
import {estimateInference, type InferenceEstimate, type InferenceOverrides} from './inference-scenario.js';

/** An inference estimate with the p5–p95 range of every output, when any input is uncertain. */
export interface RangedInferenceEstimate extends InferenceEstimate {
  readonly ranges: Readonly<Partial<Record<InferenceOutputName, Range>>> | undefined;
}

/** Estimate an inference scenario point, with the p5–p95 range of every output when any input is uncertain. */
export function inferenceWithRanges(
  catalog: UncertaintyCatalog,
  scenario: InferenceScenario,
  overrides: InferenceOverrides = {},
  sampling: SamplingOptions = DEFAULT_SAMPLING,
): RangedInferenceEstimate {
  const estimate = estimateInference(catalog, scenario, overrides);
  // The model is not sampled, so neither is its profile; the chip's rates are shared unless the hardware is uncertain.
  const model = catalog.models.get(scenario.model);
  const hardware = catalog.hardware.get(estimate.hardwareId) as Hardware;
  const hardwareUncertain = ratesUncertain(catalog, hardware.id);
  const options = {
    curve: false,
    profile: model ? profileModel(model) : undefined,
    rates: hardwareUncertain ? undefined : chipRates(hardware),
  };
  const evaluate = (slice: Slice, sampled: InferenceScenario) => estimateInference(slice, sampled, overrides, options);
  const ranges = rangesOf(catalog, scenario, estimate.hardwareId, evaluate, INFERENCE_OUTPUTS, sampling);
  return {...estimate, ranges: ranges as RangedInferenceEstimate['ranges']};
}

/** Rank the inputs of an inference scenario point by how far they move one of its outputs (sensitivityOf). */
export function inferenceSensitivity(
  catalog: UncertaintyCatalog,
  scenario: InferenceScenario,
  output: string,
  overrides: InferenceOverrides = {},
): SensitivityRow[] {
  if (!isOutputOf(INFERENCE_OUTPUTS, output)) throw new RangeError(`unknown output \`${output}\``);
  const read = INFERENCE_OUTPUTS[output].read;
  return sensitivityOf(
    catalog,
    scenario,
    overrides.hardware ?? scenario.hardware,
    (slice: Slice, varied: InferenceScenario) => read(estimateInference(slice, varied, overrides, {curve: false})),
  );
}
