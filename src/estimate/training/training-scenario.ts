import type {Catalog} from '../../data/catalog.js';
import type {Precision} from '../../data/schemas/common.js';
import type {Hardware} from '../../data/schemas/hardware.js';
import type {TrainingScenario} from '../../data/schemas/scenario.js';
import type {Parallelism, Recipe} from '../../data/schemas/training.js';
import {chipRates} from '../chip-rates.js';
import {priceFor} from '../cost.js';
import {energyAssumptions} from '../energy.js';
import {profileModel, type ModelProfile} from '../model-profile.js';
import type {Layout, TrainingSetup} from './layout.js';
import {techniqueLimits, type TechniqueLimits} from './availability.js';
import {searchLayouts, type LayoutConstraints} from './search.js';
import type {StepBreakdown, StepEstimate} from './step-time.js';
import {layoutConstraints, trainingSetup} from './inputs.js';
import {estimateTrainingRun, type TrainingRunEstimate} from './run.js';

/** The records a training estimate reads: hardware, models, and when each technique appeared. */
export type TrainingCatalog = Pick<Catalog, 'hardware' | 'models'> & Partial<Pick<Catalog, 'techniques'>>;

/** How much of an estimate to compute (Monte Carlo sampling needs only the outputs). */
export interface TrainingOptions {
  /** Predict the step (default true); with a stated efficiency the outputs do not depend on it. */
  readonly predict?: boolean;
  /** Rank and explain the runners-up (default true). */
  readonly alternatives?: boolean;
  /** The model's profile, when the caller already has it (it depends on the model alone). */
  readonly profile?: ModelProfile;
  /** Predict this layout only, instead of searching the scenario's (Monte Carlo samples keep the nominal choice). */
  readonly layout?: Layout;
  /** Use this prediction as it is (samples whose sampled inputs cannot change the step). */
  readonly prediction?: TrainingPrediction;
  /** The layout search to use: a caller may pass a memoised one, as the same search recurs across sweeps. */
  readonly search?: typeof searchLayouts;
}

/** One point of a scenario's sweep; every field left out keeps the scenario's own value. */
export interface TrainingOverrides {
  readonly hardware?: string;
  readonly gpus?: number;
  readonly precision?: Precision;
  /** The name of one of the sweep's technique sets. */
  readonly technique?: string;
}

/** A layout that lost to the best one, and where it loses the time. */
export interface LosingLayout {
  readonly step: StepEstimate;
  /** Its step time over the best one's, minus one. */
  readonly slowerBy: number;
  readonly reason: string;
}

/** The predicted step of a scenario: the fastest layout that fits, and the next best. */
export interface TrainingPrediction {
  readonly step: StepEstimate;
  /** The run as the step was predicted for it: batch, precision and the recipe's flags. */
  readonly setup: TrainingSetup;
  readonly layoutsConsidered: number;
  readonly layoutsFeasible: number;
  readonly alternatives: readonly LosingLayout[];
}

/** A scenario's estimate, with what it was computed for. */
export interface TrainingEstimate extends TrainingRunEstimate {
  readonly kind: 'training';
  readonly scenarioId: string;
  readonly modelId: string;
  readonly hardwareId: string;
  readonly hardwareName: string;
  readonly gpus: number;
  readonly tokens: number;
  /** The precision the GEMMs run in: the scenario's, or BF16 on a chip that lacks it. */
  readonly precision: Precision;
  readonly technique: string | undefined;
  /** MFU (causal attention, BF16 peak when predicted) used for time and cost. */
  readonly mfu: number;
  readonly mfuSource: 'stated' | 'predicted';
  readonly usdPerGpuHour: number | undefined;
  readonly prediction: TrainingPrediction | undefined;
  /** Set when the point cannot run: why (for example, no layout fits in memory). */
  readonly infeasible: string | undefined;
}

/**
 * Estimate a training scenario. With a stated efficiency, time follows from
 * it (and a layout, if given, is predicted alongside for comparison);
 * without one, the efficiency is the predicted step's MFU times the goodput.
 * Overrides move the scenario to another point of its sweep: other
 * hardware (same GPU count), GPU count, precision or technique set.
 */
export function estimateTraining(
  catalog: TrainingCatalog,
  scenario: TrainingScenario,
  overrides: TrainingOverrides = {},
  options: TrainingOptions = {},
): TrainingEstimate {
  const hardware = lookUp(catalog.hardware, overrides.hardware ?? scenario.cluster.hardware, 'hardware');
  const model = lookUp(catalog.models, scenario.model, 'model');
  const gpus = overrides.gpus ?? scenario.cluster.gpus;
  const wanted = overrides.precision ?? scenario.precision;
  const precision: Precision = hardware.peak_tflops[wanted] === undefined ? 'bf16' : wanted;
  const technique =
    overrides.technique === undefined
      ? undefined
      : scenario.sweep?.techniques?.find((set) => set.name === overrides.technique);
  if (overrides.technique !== undefined && !technique)
    throw new RangeError(`unknown technique set \`${overrides.technique}\``);
  const limits = techniqueLimits(catalog.techniques?.values(), scenario.available);
  // With a stated efficiency the prediction is for comparison only, and callers that only need the outputs may skip it.
  const prediction =
    options.prediction ??
    (scenario.parallelism && (options.predict ?? true)
      ? predictTraining(
          scenario,
          hardware,
          catalog,
          gpus,
          precision,
          options.layout ?? layoutConstraints(mergeParallelism(scenario.parallelism, technique?.parallelism), limits),
          {...scenario.recipe, ...technique?.recipe} as Recipe,
          limits,
          options.alternatives === false ? 1 : 4,
          options.profile,
          options.search,
        )
      : undefined);
  const goodput = scenario.goodput?.value ?? 1;
  const stated = scenario.efficiency;
  const energy = energyAssumptions(scenario.energy);
  const usdPerGpuHour = priceFor(scenario.cost, scenario.cluster.hardware, hardware, energy);
  const infeasible = !stated && !prediction ? 'no layout fits in memory' : undefined;
  const mfu = stated ? stated.mfu : prediction ? prediction.step.mfu * goodput : Number.NaN;
  const estimate = estimateTrainingRun(
    {
      model,
      hardware,
      gpus,
      tokens: scenario.workload.tokens,
      seqLen: scenario.workload.seq_len,
      mfu,
      mfuAttention: stated ? stated.attention : 'causal',
      peakPrecision: stated ? stated.peak_precision : 'bf16',
      usdPerGpuHour,
      energy,
    },
    options.profile,
  );
  // One literal with every property, the run's first, in the order a spread of it would give: a spread
  // followed by many properties takes a slow path in V8 (about 20 µs a call on Node 20), and
  // Object.assign copies twice, both costly when Monte Carlo samples call this a thousand times a point.
  return {
    parameters: estimate.parameters,
    flopsPerToken: estimate.flopsPerToken,
    trainingFlops: estimate.trainingFlops,
    mfuFlopsPerToken: estimate.mfuFlopsPerToken,
    peakFlopsPerSecondPerGpu: estimate.peakFlopsPerSecondPerGpu,
    achievedFlopsPerSecondPerGpu: estimate.achievedFlopsPerSecondPerGpu,
    tokensPerSecondPerGpu: estimate.tokensPerSecondPerGpu,
    gpuHours: estimate.gpuHours,
    wallClockSeconds: estimate.wallClockSeconds,
    wallClockDays: estimate.wallClockDays,
    costUsd: estimate.costUsd,
    energyJoules: estimate.energyJoules,
    energyMegawattHours: estimate.energyMegawattHours,
    co2Tonnes: estimate.co2Tonnes,
    kind: 'training' as const,
    scenarioId: scenario.id,
    modelId: model.id,
    hardwareId: hardware.id,
    hardwareName: hardware.name,
    gpus,
    tokens: scenario.workload.tokens,
    precision,
    technique: overrides.technique,
    mfu,
    mfuSource: stated ? ('stated' as const) : ('predicted' as const),
    usdPerGpuHour,
    prediction,
    infeasible,
  };
}

/** Every point of a scenario's sweep (the product of its axes), or the scenario itself when it has none. */
export function trainingSweepPoints(scenario: TrainingScenario): TrainingOverrides[] {
  const sweep = scenario.sweep ?? {};
  let points: TrainingOverrides[] = [{}];
  const axis = <K extends keyof TrainingOverrides>(key: K, values: ReadonlyArray<TrainingOverrides[K]> | undefined) => {
    if (!values) return;
    points = points.flatMap((point) => values.map((value) => ({...point, [key]: value})));
  };
  axis('hardware', sweep.hardware);
  axis('gpus', sweep.gpus);
  axis('precision', sweep.precision);
  axis(
    'technique',
    sweep.techniques?.map((set) => set.name),
  );
  return points;
}

/** One estimate per point of the scenario's sweep. */
export function sweepTraining(catalog: TrainingCatalog, scenario: TrainingScenario): TrainingEstimate[] {
  return trainingSweepPoints(scenario).map((point) => estimateTraining(catalog, scenario, point));
}

/**
 * Search every layout for a scenario's point, ignoring the knobs it fixes
 * (only its permission for uneven stages is kept): `estimate --search`.
 */
export function searchTraining(
  catalog: TrainingCatalog,
  scenario: TrainingScenario,
  overrides: Pick<TrainingOverrides, 'hardware' | 'gpus'> = {},
  keep = 5,
): TrainingPrediction | undefined {
  const hardware = lookUp(catalog.hardware, overrides.hardware ?? scenario.cluster.hardware, 'hardware');
  const precision: Precision = hardware.peak_tflops[scenario.precision] === undefined ? 'bf16' : scenario.precision;
  const limits = techniqueLimits(catalog.techniques?.values(), scenario.available);
  const uneven =
    scenario.parallelism !== undefined &&
    scenario.parallelism !== 'search' &&
    scenario.parallelism.uneven_stages === true;
  return predictTraining(
    scenario,
    hardware,
    catalog,
    overrides.gpus ?? scenario.cluster.gpus,
    precision,
    {...layoutConstraints('search', limits), unevenStages: uneven},
    scenario.recipe,
    limits,
    keep,
  );
}

/** Search the layouts the constraints allow and explain why the runners-up lose. */
function predictTraining(
  scenario: TrainingScenario,
  hardware: Hardware,
  catalog: TrainingCatalog,
  gpus: number,
  precision: Precision,
  constraints: LayoutConstraints,
  recipe: Recipe | undefined,
  limits: TechniqueLimits,
  keep = 4,
  profile?: ModelProfile,
  search: typeof searchLayouts = searchLayouts,
): TrainingPrediction | undefined {
  const model = lookUp(catalog.models, scenario.model, 'model');
  const setup = trainingSetup({
    gpus,
    seqLen: scenario.workload.seq_len,
    globalBatchTokens: scenario.workload.global_batch_tokens ?? scenario.workload.seq_len,
    precision,
    recipe,
    goodput: scenario.goodput?.value,
    limits,
  });
  const result = search(profile ?? profileModel(model), setup, chipRates(hardware), constraints, keep);
  const [best, ...rest] = result.ranked;
  if (!best) return undefined;
  return {
    step: best,
    setup,
    layoutsConsidered: result.considered,
    layoutsFeasible: result.feasible,
    alternatives: rest.map((step) => ({
      step,
      slowerBy: step.stepSeconds / best.stepSeconds - 1,
      reason: whyItLoses(best, step),
    })),
  };
}

const BREAKDOWN_LABELS: Record<keyof StepBreakdown, string> = {
  computeSeconds: 'compute',
  tensorParallelSeconds: 'tensor-parallel all-reduces',
  contextParallelSeconds: 'context-parallel exchange',
  expertParallelSeconds: 'expert-parallel all-to-all',
  pipelineTransferSeconds: 'pipeline transfers',
  pipelineBubbleSeconds: 'pipeline bubble',
  dataParallelSeconds: 'data-parallel gradient exchange',
  optimizerSeconds: 'optimizer step',
};

/** The part of the step where a layout loses the most time to the best one, and how its layout differs. */
export function whyItLoses(best: StepEstimate, other: StepEstimate): string {
  const parts = Object.keys(BREAKDOWN_LABELS) as Array<keyof StepBreakdown>;
  const worst = parts.reduce((a, b) =>
    other.breakdown[b] - best.breakdown[b] > other.breakdown[a] - best.breakdown[a] ? b : a,
  );
  const seconds = other.breakdown[worst] - best.breakdown[worst];
  const differences = (Object.keys(best.layout) as Array<keyof StepEstimate['layout']>)
    .filter((key) => best.layout[key] !== other.layout[key])
    .map((key) => `${key} ${String(other.layout[key])} (not ${String(best.layout[key])})`);
  return `${differences.join(', ') || 'same layout'}: ${seconds.toFixed(2)} s more ${BREAKDOWN_LABELS[worst]}`;
}

function mergeParallelism(
  base: Parallelism | 'search',
  override: Partial<Parallelism> | undefined,
): Parallelism | 'search' {
  if (!override) return base;
  return {...(base === 'search' ? {} : base), ...override};
}

function lookUp<T>(records: ReadonlyMap<string, T>, id: string, kind: string): T {
  const record = records.get(id);
  if (record === undefined) throw new RangeError(`unknown ${kind} id \`${id}\``);
  return record;
}
