import type {InferenceScenario} from '../../data/schemas/scenario.js';
import {profileModel} from '../model-profile.js';
import {servingProfile} from './serving-profile.js';
import {isOutputOf} from '../outputs.js';
import {DEFAULT_SAMPLING, type Range, type SamplingOptions, type UncertainRecord} from '../uncertainty/monte-carlo.js';
import type {UncertainLeaf} from '../../data/split-uncertain.js';
import {Distribution} from '../../uncertain/distribution.js';
import {
  SERVING_CONSTANT_VALUES,
  servingConstant,
  type ServingConstantId,
  type ServingConstantValues,
} from './serving-constants.js';
import {rangesOf, sensitivityOf, type Slice, type UncertaintyCatalog} from '../uncertainty/scenario-ranges.js';
import type {SensitivityRow} from '../uncertainty/sensitivity.js';
import {INFERENCE_OUTPUTS, type InferenceOutputName} from './inference-outputs.js';
import {estimateInference, type InferenceEstimate, type InferenceOverrides} from './inference-scenario.js';

/** The serving constants an extrapolated GEMM rate reads, each triangular over its range around its value. */
const EXTRAPOLATION_CONSTANTS: readonly ServingConstantId[] = ['fp4ShareRatio'];
const EXTRAPOLATION_DRAWS: UncertainRecord<ServingConstantValues> = {
  nominal: SERVING_CONSTANT_VALUES,
  leaves: EXTRAPOLATION_CONSTANTS.map((id): UncertainLeaf => {
    const {value, range} = servingConstant(id);
    return {
      path: [id],
      distribution: new Distribution({kind: 'triangular', low: range.low, mode: value, high: range.high}),
    };
  }),
};

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
  // The model is not sampled, so neither is its serving profile: every sample shares it.
  const model = catalog.models.get(scenario.model);
  const options = {curve: false, profile: model ? servingProfile(model, profileModel(model)) : undefined};
  // An estimate that extrapolates a GEMM rate rests on the assumptions that extrapolate it: every draw takes them
  // from their ranges, so its ranges are wider (the other estimates' draws are as they were: each input has its
  // own stream).
  const extras = estimate.extrapolated ? [EXTRAPOLATION_DRAWS] : [];
  const evaluate = (slice: Slice, sampled: InferenceScenario, drawn: readonly unknown[]) =>
    estimateInference(slice, sampled, overrides, {
      curve: false,
      profile: options.profile,
      constants: drawn[0] as ServingConstantValues | undefined,
    });
  const ranges = rangesOf(catalog, scenario, estimate.hardwareId, evaluate, INFERENCE_OUTPUTS, sampling, extras);
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
