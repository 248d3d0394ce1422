import {median} from '../calibration/median.js';
import type {Hardware} from '../../data/schemas/hardware.js';
import type {Model} from '../../data/schemas/model.js';
import type {ReferenceRun} from '../../data/schemas/reference.js';
import type {Technique} from '../../data/schemas/technique.js';
import {chipRates, type RateBasis} from '../chip-rates.js';
import {energyAssumptions, energyJoules, megawattHours} from '../energy.js';
import {flopsPerTokenFor, trainingFlopsPerToken} from '../flops.js';
import {NOMINAL_CONSTANTS, type ConstantValues} from '../model-constants.js';
import {profileModel, type ModelProfile} from '../model-profile.js';
import {SECONDS_PER_HOUR} from '../units.js';
import {techniqueLimits} from './availability.js';
import {isPublishedLayout, layoutConstraints, trainingSetup} from './inputs.js';
import type {Layout} from './layout.js';
import {searchLayouts} from './search.js';
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
  /** The layout the prediction used: the published degrees, the rest chosen by the search. */
  readonly layout: Layout | undefined;
  /** Whether the paper gives any of the layout; without it the prediction is the search's fastest layout alone. */
  readonly layoutPublished: boolean;
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
  readonly layout: Layout | undefined;
  readonly layoutsConsidered: number;
  readonly rateBasis: RateBasis | undefined;
}

const LABELS: Record<ReferenceRun['reported']['metric'], string> = {
  mfu: 'mfu',
  hfu: 'hfu',
  step_seconds: 'step (s)',
  tokens_per_second_per_gpu: 'tokens/s per GPU',
  gpu_hours: 'GPU-hours',
  energy_mwh: 'energy (MWh)',
  training_flops: 'training FLOPs',
};

/** The label of a run's reported metric, with its attention convention where it has one. */
export function metricLabel(reported: ReferenceRun['reported']): string {
  // HFU keeps its bare label (the calibration page and the CLI key on it); its attention convention is in the data.
  return 'attention' in reported && reported.attention !== undefined && reported.metric !== 'hfu'
    ? `${LABELS[reported.metric]} (${reported.attention})`
    : LABELS[reported.metric];
}

/** Whether a metric grows with throughput (utilisation, tokens/s) rather than with time (step, GPU-hours, energy). */
function growsWithThroughput(metric: ReferenceRun['reported']['metric']): boolean {
  return metric === 'mfu' || metric === 'hfu' || metric === 'tokens_per_second_per_gpu';
}

/**
 * Predict a published run from its architecture, hardware and published
 * layout, without its efficiency, at the given model constants: knobs the
 * paper leaves out are chosen by the layout search (the fastest layout that
 * fits, within the techniques available to it, as a lab would tune), and
 * the reported figure is read off the predicted step in the paper's own
 * terms. GPU-hours and energy count the default goodput (model-constants.ts).
 */
export function predictRun(
  run: ReferenceRun,
  model: Model,
  hardware: Hardware | undefined,
  techniques?: Iterable<Technique>,
  constants: ConstantValues = NOMINAL_CONSTANTS,
  profile: ModelProfile = profileModel(model),
  layout?: Layout,
): RunPrediction {
  if (run.reported.metric === 'training_flops') {
    const perToken = flopsPerTokenFor(trainingFlopsPerToken(model, run.workload.seq_len), run.reported.attention);
    return {
      predicted: perToken * (run.workload.tokens ?? 0),
      throughputRatio: undefined,
      layout: undefined,
      layoutsConsidered: 0,
      rateBasis: undefined,
    };
  }
  const none = {predicted: undefined, throughputRatio: undefined, layout: undefined, layoutsConsidered: 0};
  if (!hardware || !run.cluster || run.workload.global_batch_tokens === undefined)
    return {...none, rateBasis: undefined};
  const {limits, setup, rates} = referenceRunInputs(
    run,
    run.cluster,
    run.workload.global_batch_tokens,
    hardware,
    techniques,
    constants,
  );
  const rateBasis = rates.gemmRateBasis[setup.gemmPrecision];
  // A given layout (a Monte Carlo draw of the nominal choice) is predicted as it is; else the search chooses.
  // A reference's layout is what the run was published with: evidence that it fitted (search.ts).
  const published = isPublishedLayout(run.parallelism);
  const search = searchLayouts(
    profile,
    setup,
    rates,
    layout ? {...layout, published} : layoutConstraints(run.parallelism, limits, published),
    1,
  );
  const best = search.ranked[0];
  if (!best) return {...none, layoutsConsidered: search.considered, rateBasis};
  const predicted = readMetric(run, model, best, setup.gpus, rates.peakBf16FlopsPerSecond, hardware, constants);
  return {
    predicted,
    throughputRatio: growsWithThroughput(run.reported.metric)
      ? predicted / run.reported.value
      : run.reported.value / predicted,
    layout: best.layout,
    layoutsConsidered: search.considered,
    rateBasis,
  };
}

/** The reported metric, read off a predicted step. */
function readMetric(
  run: ReferenceRun,
  model: Model,
  step: StepEstimate,
  gpus: number,
  peakFlopsPerSecond: number,
  hardware: Hardware,
  constants: ConstantValues,
): number {
  const reported = run.reported;
  const gpuSeconds = () => (run.workload.tokens ?? 0) / (step.tokensPerSecondPerGpu * constants.goodput);
  switch (reported.metric) {
    case 'mfu':
      return reported.attention === 'causal'
        ? step.mfu
        : reported.attention === 'non-causal'
          ? step.mfuNonCausal
          : (step.tokensPerSecond * trainingFlopsPerToken(model, run.workload.seq_len).matmul) /
            (gpus * peakFlopsPerSecond);
    case 'hfu':
      return reported.attention === 'non-causal' ? step.hfuNonCausal : step.hfu;
    case 'step_seconds':
      return step.stepSeconds;
    case 'tokens_per_second_per_gpu':
      return step.tokensPerSecondPerGpu;
    case 'gpu_hours':
      return gpuSeconds() / SECONDS_PER_HOUR;
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
    layoutPublished: run.parallelism !== undefined,
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
  cluster: NonNullable<ReferenceRun['cluster']>,
  globalBatchTokens: number,
  hardware: Hardware,
  techniques: Iterable<Technique> | undefined,
  constants?: ConstantValues,
) {
  const limits = techniqueLimits(techniques, run.available);
  const setup = trainingSetup({
    gpus: cluster.gpus,
    seqLen: run.workload.seq_len,
    globalBatchTokens,
    precision: runnablePrecision(hardware, run.precision),
    recipe: run.recipe,
    limits,
  });
  return {limits, setup, rates: chipRates(hardware, constants, clusterNetwork(cluster.network))};
}
