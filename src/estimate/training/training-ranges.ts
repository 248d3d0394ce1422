import type {TrainingScenario} from '../../data/schemas/scenario.js';
import type {UncertainLeaf} from '../../data/split-uncertain.js';
import {Distribution} from '../../uncertain/distribution.js';
import {errorDraw} from '../calibration/error-draws.js';
import {
  extrapolatedModelError,
  modelErrorForFfn,
  modelErrorForSetup,
  stepFactor,
  type ModelError,
} from '../calibration/model-error.js';
import {MODEL_CONSTANTS, NOMINAL_CONSTANTS, type ConstantValues, type ModelConstantName} from '../model-constants.js';
import {profileModel} from '../model-profile.js';
import {isOutputOf} from '../outputs.js';
import {
  DEFAULT_SAMPLING,
  rangesOfDraws,
  type Range,
  type SamplingOptions,
  type UncertainRecord,
} from '../uncertainty/monte-carlo.js';
import {drawsOf, sensitivityOf, type Slice, type UncertaintyCatalog} from '../uncertainty/scenario-ranges.js';
import type {SensitivityRow} from '../uncertainty/sensitivity.js';
import {TRAINING_OUTPUTS, type TrainingOutputName} from './training-outputs.js';
import {techniqueLimits} from './availability.js';
import type {Layout} from './layout.js';
import {layoutUnderMemoryError, memoryErrorDraw, memoryErrorSigma} from './memory-frontier.js';
import {
  estimateTraining,
  type TrainingOptions,
  type TrainingEstimate,
  type TrainingOverrides,
} from './training-scenario.js';

/** A training estimate with the p5–p95 range of every output, when any input is uncertain. */
export interface RangedTrainingEstimate extends TrainingEstimate {
  readonly ranges: Readonly<Partial<Record<TrainingOutputName, Range>>> | undefined;
  /** The model error the ranges include (predicted estimates only). */
  readonly modelError: ModelError | undefined;
}

/** What a training estimate may share with others of the same build: the memoised search, the model's error. */
export interface TrainingContext {
  readonly search?: TrainingOptions['search'];
  /** The model's leave-one-out error on the calibration set (src/estimate/calibration/), computed once per build. */
  readonly modelError?: () => ModelError | undefined;
}

/**
 * Every model constant as an uncertain input: triangular over its range
 * with its tabled value as the mode (model-constants.ts).
 */
export const CONSTANT_DRAWS: UncertainRecord<ConstantValues> = {
  nominal: NOMINAL_CONSTANTS,
  leaves: (Object.keys(MODEL_CONSTANTS) as ModelConstantName[]).flatMap((name): UncertainLeaf[] => {
    const {value, range} = MODEL_CONSTANTS[name];
    if (!(range.low < range.high)) return [];
    return [
      {
        path: [name],
        distribution: new Distribution({kind: 'triangular', low: range.low, mode: value, high: range.high}),
      },
    ];
  }),
};

/**
 * Estimate a training scenario point and run a seeded Monte Carlo over its
 * uncertain inputs: every output gets its 5th, 50th and 95th percentiles.
 * When the efficiency is predicted, the model itself is uncertain too:
 * every draw takes the model constants from their ranges
 * (model-constants.ts) and multiplies the predicted step by a draw of the
 * model's leave-one-out error (a log-normal, calibration/model-error.ts),
 * so the ranges include what the model gets wrong on published runs.
 */
export function trainingWithRanges(
  catalog: UncertaintyCatalog,
  scenario: TrainingScenario,
  overrides: TrainingOverrides = {},
  sampling: SamplingOptions = DEFAULT_SAMPLING,
  context: TrainingContext = {},
): RangedTrainingEstimate {
  const {estimate, modelError, evaluate, extras} = sampledTraining(catalog, scenario, overrides, context);
  const draws = drawsOf(catalog, scenario, estimate.hardwareId, evaluate, TRAINING_OUTPUTS, sampling, extras);
  const ranges = draws && rangesOfDraws(draws);
  // The goodput is an input passed through: its range is its distribution's exact percentiles, the ones the pages
  // print for it, not the Monte Carlo's order statistics of its draws (which differ from them in the third digit).
  const goodput = ranges && estimate.goodput !== undefined ? goodputRange(catalog, scenario, estimate) : undefined;
  return {
    ...estimate,
    ranges: (goodput ? {...ranges, goodput} : ranges) as RangedTrainingEstimate['ranges'],
    modelError,
  };
}

/**
 * The 5th–95th percentiles of the goodput a predicted run includes: the scenario's own (exact, when it is a
 * distribution), else the default's, drawn like every model constant (CONSTANT_DRAWS).
 */
function goodputRange(catalog: UncertaintyCatalog, scenario: TrainingScenario, estimate: TrainingEstimate): Range {
  const value = estimate.goodput ?? Number.NaN;
  const leaf =
    estimate.goodputSource === 'scenario'
      ? catalog.uncertainty.get(scenario)?.find((each) => each.path.join('.') === 'goodput.value')
      : CONSTANT_DRAWS.leaves.find((each) => each.path.join('.') === 'goodput');
  return leaf ? leaf.distribution.percentiles : {p5: value, p50: value, p95: value};
}

/**
 * Every output of a training scenario point on each draw of the Monte Carlo
 * `trainingWithRanges` runs, in draw order (drawsOf); undefined when no
 * input is uncertain. Two points' draws compare draw by draw (drawRatio).
 */
export function trainingDraws(
  catalog: UncertaintyCatalog,
  scenario: TrainingScenario,
  overrides: TrainingOverrides = {},
  sampling: SamplingOptions = DEFAULT_SAMPLING,
  context: TrainingContext = {},
): Readonly<Record<string, Float64Array>> | undefined {
  const {estimate, evaluate, extras} = sampledTraining(catalog, scenario, overrides, context);
  return drawsOf(catalog, scenario, estimate.hardwareId, evaluate, TRAINING_OUTPUTS, sampling, extras);
}

/** The nominal estimate of a training point, and how each Monte Carlo draw re-estimates it. */
function sampledTraining(
  catalog: UncertaintyCatalog,
  scenario: TrainingScenario,
  overrides: TrainingOverrides,
  context: TrainingContext,
): {
  readonly estimate: TrainingEstimate;
  readonly modelError: ModelError | undefined;
  readonly evaluate: (slice: Slice, sampled: TrainingScenario, drawn: readonly unknown[]) => TrainingEstimate;
  readonly extras: ReadonlyArray<UncertainRecord<unknown>>;
} {
  const predicts = scenarioPredicts(scenario);
  const model = catalog.models.get(scenario.model);
  const ffn = model?.ffn.kind ?? 'dense';
  // The model's error on published runs of the same FFN kind (dense or mixture of experts).
  const pooledError = predicts ? context.modelError?.() : undefined;
  const calibratedError = pooledError && model ? modelErrorForFfn(pooledError, ffn) : pooledError;
  const estimate = estimateTraining(catalog, scenario, overrides, {
    search: context.search,
    modelError: calibratedError,
  });
  // Centred on what the calibration's runs of this model on this chip show, as far as they go; a chip without a
  // measured matmul rate is one the model was never checked on: its error is wider.
  const setupError =
    pooledError && model ? modelErrorForSetup(pooledError, ffn, scenario.model, estimate.hardwareId) : pooledError;
  const modelError = setupError && estimate.extrapolated ? extrapolatedModelError(setupError) : setupError;
  // Sampling needs the outputs only: with a stated efficiency they do not depend on the predicted step,
  // and the runners-up of a prediction are never read. The model is not sampled, so neither is its profile.
  // A search's choice of layout is kept from the nominal estimate: samples re-predict those layouts, not search again.
  const options: TrainingOptions = {
    limits: techniqueLimits(catalog.techniques?.values(), scenario.available),
    predict: predicts,
    alternatives: false,
    profile: model ? profileModel(model) : undefined,
    layouts: estimate.stages.map((stage) => stage.prediction?.step.layout),
  };
  // The run, as the model's error tells runs of one setup apart: its precision and each stage's size and layout.
  const runKey = JSON.stringify([
    estimate.precision,
    estimate.stages.map((stage) => [
      stage.gpus,
      stage.seqLen,
      stage.prediction?.step.microBatches,
      stage.prediction?.step.layout,
    ]),
  ]);
  const error = errorDraw(scenario.model, estimate.hardwareId, runKey, modelError?.setupCorrelation);
  // The memory model's error: a stage whose search had layouts near the edge of the memory takes, in each draw,
  // the fastest of them that fits once the memory is scaled by a draw of that error (memory-frontier.ts).
  const frontiers = estimate.stages.map((stage) => stage.prediction?.frontier ?? []);
  const memory = frontiers.some((frontier) => frontier.length > 1) ? memoryErrorDraw(scenario.model) : undefined;
  const extras: Array<UncertainRecord<unknown>> = predicts ? [CONSTANT_DRAWS] : [];
  const errorIndex = predicts && modelError ? extras.push(error) - 1 : undefined;
  const memoryIndex = predicts && memory ? extras.push(memory) - 1 : undefined;
  const layoutsOf = (drawn: readonly unknown[]): ReadonlyArray<Layout | undefined> | undefined => {
    if (!memory || memoryIndex === undefined) return options.layouts;
    // The error's spread is itself a drawn constant (its 95th percentile, model-constants.ts).
    const constants = (drawn[0] as ConstantValues | undefined) ?? NOMINAL_CONSTANTS;
    const sigma = memoryErrorSigma(constants.memoryErrorRatio);
    const factor = Math.exp(sigma * memory.z(drawn[memoryIndex] as Readonly<Record<string, number>>));
    return frontiers.map((frontier, index) =>
      frontier.length > 1 ? layoutUnderMemoryError(frontier, factor) : options.layouts?.[index],
    );
  };
  const evaluate = (slice: Slice, sampled: TrainingScenario, drawn: readonly unknown[]) => {
    const constants = drawn[0] as ConstantValues | undefined;
    const z = errorIndex === undefined ? undefined : (drawn[errorIndex] as Readonly<Record<string, number>>);
    // A literal, not a spread of `options`: a spread followed by more properties takes a slow path in V8.
    return estimateTraining(slice, sampled, overrides, {
      limits: options.limits,
      predict: options.predict,
      alternatives: false,
      profile: options.profile,
      layouts: layoutsOf(drawn),
      constants,
      stepFactor: modelError && z ? stepFactor(modelError, error.z(z)) : 1,
    });
  };
  return {estimate, modelError, evaluate, extras};
}

/** Whether any stage of the scenario predicts its efficiency (states none). */
function scenarioPredicts(scenario: TrainingScenario): boolean {
  if (!scenario.stages) return !scenario.efficiency;
  return scenario.stages.some((stage) => !(stage.efficiency ?? scenario.efficiency));
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
    read(estimateTraining(slice, varied, overrides, {predict: scenarioPredicts(scenario)})),
  );
}
