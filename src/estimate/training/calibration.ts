import {median} from '../calibration/median.js';
import type {Hardware} from '../../data/schemas/hardware.js';
import type {Model} from '../../data/schemas/model.js';
import {referenceStages, type ReferenceRun, type ReferenceStage} from '../../data/schemas/reference.js';
import type {Technique} from '../../data/schemas/technique.js';
import {chipRates, type RateBasis} from '../chip-rates.js';
import {energyAssumptions, energyJoules, megawattHours} from '../energy.js';
import {flopsPerTokenFor, trainingFlopsPerToken} from '../flops.js';
import {NOMINAL_CONSTANTS, type ConstantValues} from '../model-constants.js';
import {profileModel, type ModelProfile} from '../model-profile.js';
import {SECONDS_PER_DAY, SECONDS_PER_HOUR, unitToTera} from '../units.js';
import {techniqueLimits} from './availability.js';
import {isPublishedLayout, layoutConstraints, trainingSetup} from './inputs.js';
import type {Layout} from './layout.js';
import {CHOICE_KNOBS, searchLayouts, type ChoiceKnob} from './search.js';
import type {StepEstimate} from './step-time.js';
import {clusterNetwork, runnablePrecision} from './training-scenario.js';

/** One published run against its prediction. */
export interface CalibrationRow {
  readonly id: string;
  readonly name: string;
  readonly modelId: string;
  readonly hardwareId: string | undefined;
  readonly precision: ReferenceRun['precision'];
  /** What is compared: `mfu (causal)`, `hfu`, `step (s)`, `tokens/s per GPU`, `GPU-hours`, `energy (MWh)`, `training FLOPs (none)`. */
  readonly metric: string;
  readonly reported: number;
  /** In sample: with the constants of model-constants.ts (fitted to every run). `undefined` when no layout fits. */
  readonly predicted: number | undefined;
  /** (predicted − reported) / reported, in the metric's own terms. */
  readonly relativeError: number | undefined;
  /** Predicted over reported throughput (the inverse for times, energy and GPU-hours); undefined for FLOP counts. */
  readonly throughputRatio: number | undefined;
  /** Leave-one-out: predicted with the fitted constants refitted without this run (filled by calibrateCatalog). */
  readonly looPredicted: number | undefined;
  readonly looRelativeError: number | undefined;
  readonly looThroughputRatio: number | undefined;
  /** The layout the prediction used: the published degrees, the rest chosen by the search (of a multi-stage run, its longest stage's). */
  readonly layout: Layout | undefined;
  /** Each stage's layout, in the run's order (one for a single-stage run). */
  readonly layouts: readonly Layout[] | undefined;
  /** Whether the paper gives any of the layout; without it the prediction is the search's fastest layout alone. */
  readonly layoutPublished: boolean;
  /** The knobs of `layout` the search chose, the paper giving none of them (tp, pp, recompute, microBatchSize…). */
  readonly searchedKnobs: readonly ChoiceKnob[];
  readonly layoutsConsidered: number;
  /** Where the chip's matmul rate came from (anything but `measured` is an extrapolation). */
  readonly rateBasis: RateBasis | undefined;
  /** A run added after the estimator was built (issue #14's held-out runs). */
  readonly heldOut: boolean;
  readonly source: string;
}

/** A run's prediction at given constants. */
export interface RunPrediction {
  readonly predicted: number | undefined;
  readonly throughputRatio: number | undefined;
  /** The layout of the stage that takes the most GPU-hours (the run's own for a single-stage run). */
  readonly layout: Layout | undefined;
  /** Each stage's layout, in the run's order. */
  readonly layouts: readonly Layout[] | undefined;
  /** The knobs of `layout` the search chose (its stage's published layout fixing none of them). */
  readonly searchedKnobs: readonly ChoiceKnob[];
  readonly layoutsConsidered: number;
  readonly rateBasis: RateBasis | undefined;
}

const LABELS: Record<ReferenceRun['reported']['metric'], string> = {
  mfu: 'mfu',
  hfu: 'hfu',
  tflops_per_gpu: 'TFLOP/s per GPU',
  step_seconds: 'step (s)',
  tokens_per_second_per_gpu: 'tokens/s per GPU',
  gpu_hours: 'GPU-hours',
  wall_clock_days: 'days',
  energy_mwh: 'energy (MWh)',
  training_flops: 'training FLOPs',
};

/** The label of a run's reported metric, with its attention convention where it has one. */
export function metricLabel(reported: ReferenceRun['reported']): string {
  // HFU keeps its bare label (the calibration page and the CLI key on it); its attention convention is in the data.
  if (reported.metric === 'tflops_per_gpu')
    return `${LABELS[reported.metric]} (${reported.counts}, ${reported.attention})`;
  return 'attention' in reported && reported.attention !== undefined && reported.metric !== 'hfu'
    ? `${LABELS[reported.metric]} (${reported.attention})`
    : LABELS[reported.metric];
}

/** Whether a metric grows with throughput (utilisation, tokens/s) rather than with time (step, GPU-hours, energy). */
export function growsWithThroughput(metric: ReferenceRun['reported']['metric']): boolean {
  return metric === 'mfu' || metric === 'hfu' || metric === 'tflops_per_gpu' || metric === 'tokens_per_second_per_gpu';
}

/**
 * Predict a published run from its architecture, hardware and published
 * layout, without its efficiency, at the given model constants: knobs the
 * paper leaves out are chosen by the layout search (the fastest layout that
 * fits, within the techniques available to it, as a lab would tune), and
 * the reported figure is read off the predicted step in the paper's own
 * terms. A multi-stage run predicts each stage's step and sums the whole
 * run's figure over them. GPU-hours, days and energy count the default
 * goodput (model-constants.ts).
 */
export function predictRun(
  run: ReferenceRun,
  model: Model,
  hardware: Hardware | undefined,
  techniques?: Iterable<Technique>,
  constants: ConstantValues = NOMINAL_CONSTANTS,
  profile: ModelProfile = profileModel(model),
  layouts?: readonly Layout[],
): RunPrediction {
  const stages = referenceStages(run);
  const none = {
    predicted: undefined,
    throughputRatio: undefined,
    layout: undefined,
    layouts: undefined,
    searchedKnobs: [] as const,
  };
  if (run.reported.metric === 'training_flops') {
    const {attention} = run.reported;
    const flops = stages.reduce(
      (sum, stage) =>
        sum +
        flopsPerTokenFor(trainingFlopsPerToken(model, stage.workload.seq_len), attention) *
          (stage.workload.tokens ?? 0),
      0,
    );
    return {...none, predicted: flops, layoutsConsidered: 0, rateBasis: undefined};
  }
  if (!hardware || !run.cluster) return {...none, layoutsConsidered: 0, rateBasis: undefined};
  const predictedStages: PredictedStage[] = [];
  let considered = 0;
  let rateBasis: RateBasis | undefined;
  for (const [index, stage] of stages.entries()) {
    const inputs = predictableStage(stage);
    if (!inputs) return {...none, layoutsConsidered: considered, rateBasis};
    const {limits, setup, rates} = referenceRunInputs(run, inputs, hardware, techniques, constants);
    rateBasis ??= rates.gemmRateBasis[setup.gemmPrecision];
    // A given layout (a Monte Carlo draw of the nominal choice) is predicted as it is; else the search chooses.
    // A reference's layout is what the run was published with: evidence that it fitted (search.ts).
    const published = isPublishedLayout(stage.parallelism);
    const given = layouts?.[index];
    const search = searchLayouts(
      profile,
      setup,
      rates,
      given ? {...given, published} : layoutConstraints(stage.parallelism, limits, published),
      1,
      // A published run's prediction draws no memory error: the search's best layout is all it needs.
      false,
    );
    considered += search.considered;
    const best = search.ranked[0];
    if (!best) return {...none, layoutsConsidered: considered, rateBasis};
    const step = splitSearched(stage.parallelism) ? slowerBy(best, constants.tuningGap) : best;
    predictedStages.push({stage, step, gpus: setup.gpus, peakFlopsPerSecond: rates.peakBf16FlopsPerSecond});
  }
  const predicted = readMetric(run, model, predictedStages, hardware, constants);
  const longest = predictedStages.reduce((most, each) => (gpuSecondsOf(each, 1) > gpuSecondsOf(most, 1) ? each : most));
  return {
    predicted,
    throughputRatio: growsWithThroughput(run.reported.metric)
      ? predicted / run.reported.value
      : run.reported.value / predicted,
    layout: longest.step.layout,
    layouts: predictedStages.map((each) => each.step.layout),
    searchedKnobs: searchedKnobsOf(longest.stage.parallelism),
    layoutsConsidered: considered,
    rateBasis,
  };
}

/** The layout knobs a published layout leaves to the search (all of them without one). */
function searchedKnobsOf(parallelism: ReferenceStage['parallelism']): ChoiceKnob[] {
  const fixed = new Map<string, unknown>(Object.entries(parallelism ?? {}));
  return CHOICE_KNOBS.filter((knob) => fixed.get(knob === 'microBatchSize' ? 'micro_batch_size' : knob) === undefined);
}

/**
 * Whether a stage's published layout leaves the model's split to the search: it fixes neither the tensor nor the
 * pipeline degree. Such a run is predicted at the search's fastest split, a bound (model-constants.ts tuningGap).
 */
export function splitSearched(parallelism: ReferenceStage['parallelism']): boolean {
  return parallelism?.tp === undefined && parallelism?.pp === undefined;
}

/** A step `factor` times longer: its throughput and utilisation divided by it, its breakdown as the search found it. */
function slowerBy(step: StepEstimate, factor: number): StepEstimate {
  if (factor === 1) return step;
  return {
    ...step,
    stepSeconds: step.stepSeconds * factor,
    tokensPerSecond: step.tokensPerSecond / factor,
    tokensPerSecondPerGpu: step.tokensPerSecondPerGpu / factor,
    mfu: step.mfu / factor,
    mfuNonCausal: step.mfuNonCausal / factor,
    hfu: step.hfu / factor,
    hfuNonCausal: step.hfuNonCausal / factor,
  };
}

/** A stage of a run with its predicted step. */
interface PredictedStage {
  readonly stage: ReferenceStage;
  readonly step: StepEstimate;
  readonly gpus: number;
  readonly peakFlopsPerSecond: number;
}

/** GPU-seconds of a stage's tokens at its predicted throughput and a goodput. */
function gpuSecondsOf({stage, step}: PredictedStage, goodput: number): number {
  return (stage.workload.tokens ?? 0) / (step.tokensPerSecondPerGpu * goodput);
}

/**
 * The reported metric, read off the predicted steps: a figure of the whole run summed over its stages, a
 * figure of a step off its one stage (the schema allows no other).
 */
function readMetric(
  run: ReferenceRun,
  model: Model,
  stages: readonly PredictedStage[],
  hardware: Hardware,
  constants: ConstantValues,
): number {
  const reported = run.reported;
  const gpuSeconds = () => stages.reduce((sum, each) => sum + gpuSecondsOf(each, constants.goodput), 0);
  const [{stage, step, gpus, peakFlopsPerSecond}] = stages as [PredictedStage];
  // Model FLOPs per second over the peak in an attention convention (MFU), or executed FLOPs (HFU).
  const modelUtilisation = (attention: 'none' | 'causal' | 'non-causal') =>
    attention === 'causal'
      ? step.mfu
      : attention === 'non-causal'
        ? step.mfuNonCausal
        : (step.tokensPerSecond * trainingFlopsPerToken(model, stage.workload.seq_len).matmul) /
          (gpus * peakFlopsPerSecond);
  const hardwareUtilisation = (attention: 'causal' | 'non-causal' | undefined) =>
    attention === 'non-causal' ? step.hfuNonCausal : step.hfu;
  switch (reported.metric) {
    case 'mfu':
      return modelUtilisation(reported.attention);
    case 'hfu':
      return hardwareUtilisation(reported.attention);
    case 'tflops_per_gpu': {
      const {counts, attention} = reported;
      const utilisation =
        counts === 'model' || attention === 'none' ? modelUtilisation(attention) : hardwareUtilisation(attention);
      return unitToTera(utilisation * peakFlopsPerSecond);
    }
    case 'step_seconds':
      return step.stepSeconds;
    case 'tokens_per_second_per_gpu':
      return step.tokensPerSecondPerGpu;
    case 'gpu_hours':
      return gpuSeconds() / SECONDS_PER_HOUR;
    case 'wall_clock_days':
      return stages.reduce((sum, each) => sum + gpuSecondsOf(each, constants.goodput) / each.gpus, 0) / SECONDS_PER_DAY;
    case 'energy_mwh':
      // No published power, no energy to compare with.
      return hardware.power.tdp_w === undefined
        ? Number.NaN
        : megawattHours(energyJoules(gpuSeconds(), hardware.power.tdp_w, energyAssumptions(undefined)));
    case 'training_flops':
      return Number.NaN;
  }
}

/** A row for a run from its in-sample prediction (the leave-one-out fields empty until calibrateCatalog fills them). */
export function calibrationRow(run: ReferenceRun, prediction: RunPrediction): CalibrationRow {
  return {
    id: run.id,
    name: run.name,
    modelId: run.model,
    hardwareId: run.cluster?.hardware,
    precision: run.precision,
    metric: metricLabel(run.reported),
    reported: run.reported.value,
    predicted: prediction.predicted,
    relativeError: prediction.predicted === undefined ? undefined : prediction.predicted / run.reported.value - 1,
    throughputRatio: prediction.throughputRatio,
    looPredicted: undefined,
    looRelativeError: undefined,
    looThroughputRatio: undefined,
    layout: prediction.layout,
    layouts: prediction.layouts,
    searchedKnobs: prediction.searchedKnobs,
    layoutPublished: referenceStages(run).some((stage) => stage.parallelism !== undefined),
    layoutsConsidered: prediction.layoutsConsidered,
    rateBasis: prediction.rateBasis,
    heldOut: run.held_out,
    source: run.reported.source,
  };
}

/** Median of the absolute relative errors of the rows that could be predicted (in sample, or leave-one-out). */
export function medianAbsoluteError(
  rows: readonly CalibrationRow[],
  which: 'relativeError' | 'looRelativeError' = 'relativeError',
): number | undefined {
  return median(
    rows.flatMap((row) => {
      const error = row[which];
      return error === undefined ? [] : [Math.abs(error)];
    }),
  );
}

/**
 * What a published run is predicted from: the techniques its date allows, its training set-up (the
 * precision its chip runs), and its chip's rates on its cluster's network; calibration and the
 * memory evidence read a run the same way.
 */
export function referenceRunInputs(
  run: ReferenceRun,
  stage: PredictableStage,
  hardware: Hardware,
  techniques: Iterable<Technique> | undefined,
  constants?: ConstantValues,
) {
  const limits = techniqueLimits(techniques, run.available);
  const setup = trainingSetup({
    gpus: stage.gpus,
    seqLen: stage.seqLen,
    globalBatchTokens: stage.globalBatchTokens,
    precision: runnablePrecision(hardware, run.precision),
    recipe: stage.recipe,
    limits,
  });
  return {limits, setup, rates: chipRates(hardware, constants, clusterNetwork(run.cluster?.network))};
}

/** What a stage of a published run needs to be predicted: its GPUs, sequence length, batch and recipe. */
export interface PredictableStage {
  readonly gpus: number;
  readonly seqLen: number;
  readonly globalBatchTokens: number;
  readonly recipe: ReferenceRun['recipe'];
}

/** A stage's inputs, or `undefined` when it lacks a GPU count or a batch (a FLOP-count reference needs neither). */
export function predictableStage(stage: ReferenceStage): PredictableStage | undefined {
  const {gpus, recipe} = stage;
  const globalBatchTokens = stage.workload.global_batch_tokens;
  if (gpus === undefined || globalBatchTokens === undefined) return undefined;
  return {gpus, seqLen: stage.workload.seq_len, globalBatchTokens, recipe};
}
