import {modelErrorForSetup, stepFactor, type ModelError} from '../calibration/model-error.js';
import type {InferenceScenario} from '../../data/schemas/scenario.js';
import {profileModel} from '../model-profile.js';
import {servingProfile} from './serving-profile.js';
import {isOutputOf} from '../outputs.js';
import {
  DEFAULT_SAMPLING,
  rangesOfDraws,
  type Range,
  type SamplingOptions,
  type UncertainRecord,
} from '../uncertainty/monte-carlo.js';
import type {UncertainLeaf} from '../../data/split-uncertain.js';
import {Distribution} from '../../uncertain/distribution.js';
import {
  SERVING_CONSTANT_VALUES,
  servingConstant,
  type ServingConstantId,
  type ServingConstantValues,
} from './serving-constants.js';
import {drawsOf, sensitivityOf, type Slice, type UncertaintyCatalog} from '../uncertainty/scenario-ranges.js';
import {errorDraw} from '../calibration/error-draws.js';
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

/** What a build shares between serving estimates: the serving model's leave-one-out error, computed once. */
export interface InferenceContext {
  readonly servingModelError?: () => ModelError | undefined;
}

/** No constant drawn: a place holder keeping the error draw's position (an estimate on measured rates). */
const NO_DRAWS: UncertainRecord<ServingConstantValues> = {nominal: SERVING_CONSTANT_VALUES, leaves: []};

/** An inference estimate with the p5–p95 range of every output, when any input is uncertain. */
export interface RangedInferenceEstimate extends InferenceEstimate {
  readonly ranges: Readonly<Partial<Record<InferenceOutputName, Range>>> | undefined;
  /** The model error the ranges include (leave-one-out on the serving references), when there was one to fit. */
  readonly modelError: ModelError | undefined;
}

/**
 * Estimate an inference scenario point, with the p5–p95 range of every output: over its uncertain inputs,
 * and over the model's own error (every draw's step takes a log-normal factor of the predicted time, fitted
 * to the leave-one-out errors on the serving references), so the ranges include what the model gets wrong.
 */
export function inferenceWithRanges(
  catalog: UncertaintyCatalog,
  scenario: InferenceScenario,
  overrides: InferenceOverrides = {},
  sampling: SamplingOptions = DEFAULT_SAMPLING,
  context: InferenceContext = {},
): RangedInferenceEstimate {
  const {estimate, modelError, evaluate, extras} = sampledInference(catalog, scenario, overrides, context);
  const draws = drawsOf(catalog, scenario, estimate.hardwareId, evaluate, INFERENCE_OUTPUTS, sampling, extras);
  const ranges = draws && rangesOfDraws(draws);
  return {...estimate, ranges: ranges as RangedInferenceEstimate['ranges'], modelError};
}

/**
 * Every output of an inference scenario point on each draw of the Monte Carlo `inferenceWithRanges` runs,
 * in draw order (drawsOf); undefined when no input is uncertain. Two points' draws compare draw by draw
 * (drawRatio).
 */
export function inferenceDraws(
  catalog: UncertaintyCatalog,
  scenario: InferenceScenario,
  overrides: InferenceOverrides = {},
  sampling: SamplingOptions = DEFAULT_SAMPLING,
  context: InferenceContext = {},
): Readonly<Record<string, Float64Array>> | undefined {
  const {estimate, evaluate, extras} = sampledInference(catalog, scenario, overrides, context);
  return drawsOf(catalog, scenario, estimate.hardwareId, evaluate, INFERENCE_OUTPUTS, sampling, extras);
}

/** The nominal estimate of an inference point, and how each Monte Carlo draw re-estimates it. */
function sampledInference(
  catalog: UncertaintyCatalog,
  scenario: InferenceScenario,
  overrides: InferenceOverrides,
  context: InferenceContext,
): {
  readonly estimate: InferenceEstimate;
  readonly modelError: ModelError | undefined;
  readonly evaluate: (slice: Slice, sampled: InferenceScenario, drawn: readonly unknown[]) => InferenceEstimate;
  readonly extras: ReadonlyArray<UncertainRecord<unknown>>;
} {
  const model = catalog.models.get(scenario.model);
  const ffn = model?.ffn.kind ?? 'dense';
  // The model's error on published serving figures of models with the same FFN kind (dense or MoE).
  const pooledError = context.servingModelError?.();
  const estimate = estimateInference(catalog, scenario, overrides);
  // Centred on what the calibration's figures of this model on this chip show, as far as they go.
  const modelError =
    pooledError && model ? modelErrorForSetup(pooledError, ffn, scenario.model, estimate.hardwareId) : pooledError;
  // The model is not sampled, so neither is its serving profile: every sample shares it.
  const options = {curve: false, profile: model ? servingProfile(model, profileModel(model)) : undefined};
  // An estimate that extrapolates a GEMM rate rests on the assumptions that extrapolate it: every draw takes them
  // from their ranges, so its ranges are wider (the other estimates' draws are as they were: each input has its
  // own stream).
  // The serving setup, as the model's error tells setups of one model on one chip apart.
  const runKey = JSON.stringify([
    scenario.precision,
    estimate.engine,
    estimate.prefillGpus,
    estimate.decodeGpus,
    estimate.batch,
  ]);
  const error = errorDraw(scenario.model, estimate.hardwareId, runKey, modelError?.setupCorrelation);
  const extras = [estimate.extrapolated ? EXTRAPOLATION_DRAWS : NO_DRAWS, ...(modelError ? [error] : [])];
  const evaluate = (slice: Slice, sampled: InferenceScenario, drawn: readonly unknown[]) => {
    const z = drawn[1] as Readonly<Record<string, number>> | undefined;
    return estimateInference(slice, sampled, overrides, {
      curve: false,
      profile: options.profile,
      constants: estimate.extrapolated ? (drawn[0] as ServingConstantValues | undefined) : undefined,
      stepFactor: modelError && z ? stepFactor(modelError, error.z(z)) : 1,
    });
  };
  return {estimate, modelError, evaluate, extras};
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
