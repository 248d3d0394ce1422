import type {Catalog} from '../../data/catalog.js';
import type {Precision} from '../../data/schemas/common.js';
import type {Hardware} from '../../data/schemas/hardware.js';
import type {TrainingScenario} from '../../data/schemas/scenario.js';
import type {Parallelism, Recipe} from '../../data/schemas/training.js';
import {differenceSpread, type ModelError} from '../calibration/model-error.js';
import {chipRates, deviceMemoryBytes, type ChipRates, type ClusterNetwork, type RateBasis} from '../chip-rates.js';
import {priceFor} from '../cost.js';
import {energyAssumptions} from '../energy.js';
import {NOMINAL_CONSTANTS, type ConstantValues} from '../model-constants.js';
import {profileModel, type ModelProfile} from '../model-profile.js';
import {SECONDS_PER_DAY, SECONDS_PER_HOUR} from '../units.js';
import type {Layout, TrainingSetup} from './layout.js';
import {techniqueLimits, type TechniqueLimits} from './availability.js';
import {CHOICE_KNOBS, searchLayouts, type ChoiceKnob, type LayoutConstraints, type SearchResult} from './search.js';
import type {FrontierLayout} from './memory-frontier.js';
import {predictStep, type StepBreakdown, type StepEstimate} from './step-time.js';
import {stagesBeyondCalibration} from './calibrated-span.js';
import {isPublishedLayout, isPublishedSource, layoutConstraints, trainingSetup} from './inputs.js';
import {estimateTrainingRun, type TrainingRunEstimate} from './run.js';
import {stepOrder} from './step-order.js';

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
  /** Predict these layouts only, one per stage, instead of searching (Monte Carlo samples keep the nominal choice). */
  readonly layouts?: ReadonlyArray<Layout | undefined>;
  /** The layout search to use: a caller may pass a memoised one, as the same search recurs across sweeps. */
  readonly search?: typeof searchLayouts;
  /** The model constants (a Monte Carlo draw); the tabled ones by default. */
  readonly constants?: ConstantValues;
  /** Multiply every predicted step by this (a draw of the model's own error); 1 by default. */
  readonly stepFactor?: number;
  /** The model's leave-one-out error, to say whether the search's choices are further apart than it. */
  readonly modelError?: ModelError;
  /** The techniques available to the scenario, when the caller already has them (Monte Carlo samples). */
  readonly limits?: TechniqueLimits;
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

/**
 * A knob the search chose, against the best layout with another value of
 * it: whether the step model can tell the two apart at all. The gap is
 * compared with the model's median leave-one-out error: a gap below it is
 * within what the model gets wrong on published runs.
 */
export interface ChoiceGap {
  readonly knob: ChoiceKnob;
  readonly best: number | string;
  readonly runnerUp: number | string;
  /** The runner-up's step time over the best one's, minus one. */
  readonly gap: number;
  /** The runner-up's fastest layout. */
  readonly runnerUpStep: StepEstimate;
  /**
   * The 95th percentile of the model's error on a change between two layouts of one setup, when known
   * (differenceSpread): a gap within it is one the model cannot tell from none.
   */
  readonly differenceSpread: number | undefined;
  /** Whether the gap exceeds that spread (undefined without a model error). */
  readonly exceedsModelError: boolean | undefined;
}

/** The predicted step of a scenario: the fastest layout that fits, and the next best. */
export interface TrainingPrediction {
  readonly step: StepEstimate;
  /** The run as the step was predicted for it: batch, precision and the recipe's flags. */
  readonly setup: TrainingSetup;
  readonly layoutsConsidered: number;
  readonly layoutsFeasible: number;
  readonly alternatives: readonly LosingLayout[];
  /** Each knob the search chose among several values, against its best other value (empty for a fixed layout). */
  readonly choices: readonly ChoiceGap[];
  /** Where the matmul rate in the GEMM precision came from: anything but `measured` is an extrapolation. */
  readonly rateBasis: RateBasis;
  /** The layouts a draw of the memory model's error picks among (SearchResult.frontier); empty for a fixed layout. */
  readonly frontier: readonly FrontierLayout[];
}

/** One stage of a scenario as it runs: the scenario's fields, with the stage's own on top. */
export interface TrainingStage {
  /** The stage's name; undefined for a single-stage scenario. */
  readonly name: string | undefined;
  readonly tokens: number;
  readonly seqLen: number;
  readonly globalBatchTokens: number | undefined;
  readonly gpus: number;
  readonly efficiency: TrainingScenario['efficiency'];
  readonly parallelism: Parallelism | 'search' | undefined;
  readonly recipe: Recipe | undefined;
}

/** A stage's estimate. */
export interface StageEstimate extends TrainingRunEstimate {
  readonly name: string | undefined;
  readonly gpus: number;
  readonly tokens: number;
  readonly seqLen: number;
  readonly mfu: number;
  readonly mfuSource: 'stated' | 'predicted';
  readonly prediction: TrainingPrediction | undefined;
}

/** A scenario's estimate, with what it was computed for. */
export interface TrainingEstimate extends TrainingRunEstimate {
  readonly kind: 'training';
  readonly scenarioId: string;
  readonly modelId: string;
  readonly hardwareId: string;
  readonly hardwareName: string;
  /** GPUs of the run (of its first stage, when stages differ). */
  readonly gpus: number;
  /** Tokens over every stage. */
  readonly tokens: number;
  /** The precision the GEMMs run in: the scenario's, or BF16 (FP16) on a chip that lacks it. */
  readonly precision: Precision;
  readonly technique: string | undefined;
  /**
   * MFU used for time and cost: the stated one (in its own convention), or
   * the predicted step's (causal attention, 16-bit peak) times the goodput;
   * over several stages, the run's causal model FLOPs over its GPU-time at the 16-bit peak.
   */
  readonly mfu: number;
  readonly mfuSource: 'stated' | 'predicted';
  /**
   * The share of time spent on useful steps that predicted stages count
   * (their GPU-hours, days, cost and energy include it): the scenario's, or
   * the sourced default (model-constants.ts); undefined when every stage states its efficiency.
   */
  readonly goodput: number | undefined;
  readonly goodputSource: 'scenario' | 'default' | undefined;
  /** True when a predicted stage's matmul rate was not measured on the chip (see TrainingPrediction.rateBasis): its ranges are wider. */
  readonly extrapolated: boolean;
  /** Why a predicted stage extrapolates a fitted constant beyond the layouts it was fitted on (calibrated-span.ts); empty when none does. */
  readonly beyondCalibration: readonly string[];
  readonly usdPerGpuHour: number | undefined;
  /** The prediction of the stage with the most GPU-hours (the only stage, usually). */
  readonly prediction: TrainingPrediction | undefined;
  /** Every stage, in order (one for a single-stage scenario). */
  readonly stages: readonly StageEstimate[];
  /** Set when the point cannot run: why (for example, no layout fits in memory). */
  readonly infeasible: string | undefined;
}

/** The stages of a scenario, each with the scenario's fields under its own (one stage without `stages`). */
export function trainingStages(scenario: TrainingScenario): TrainingStage[] {
  if (!scenario.stages) {
    const workload = scenario.workload as NonNullable<TrainingScenario['workload']>;
    return [
      {
        name: undefined,
        tokens: workload.tokens,
        seqLen: workload.seq_len,
        globalBatchTokens: workload.global_batch_tokens,
        gpus: scenario.cluster.gpus,
        efficiency: scenario.efficiency,
        parallelism: scenario.parallelism,
        recipe: scenario.recipe,
      },
    ];
  }
  return scenario.stages.map((stage) => ({
    name: stage.name,
    tokens: stage.workload.tokens,
    seqLen: stage.workload.seq_len,
    globalBatchTokens: stage.workload.global_batch_tokens,
    gpus: stage.gpus ?? scenario.cluster.gpus,
    efficiency: stage.efficiency ?? scenario.efficiency,
    parallelism: stage.parallelism ?? scenario.parallelism,
    recipe: stage.recipe || scenario.recipe ? {...scenario.recipe, ...stage.recipe} : undefined,
  }));
}

/**
 * Estimate a training scenario. With a stated efficiency, time follows from
 * it (and a layout, if given, is predicted alongside for comparison);
 * without one, the efficiency is the predicted step's MFU times the goodput
 * (the scenario's, or a sourced default). A multi-stage scenario is
 * estimated stage by stage, and its GPU-hours, time, cost, energy and
 * FLOPs add up. Overrides move the scenario to another point of its sweep:
 * other hardware (same GPU count), GPU count, precision or technique set.
 */
export function estimateTraining(
  catalog: TrainingCatalog,
  scenario: TrainingScenario,
  overrides: TrainingOverrides = {},
  options: TrainingOptions = {},
): TrainingEstimate {
  const hardware = lookUp(catalog.hardware, overrides.hardware ?? scenario.cluster.hardware, 'hardware');
  const ownHardware = lookUp(catalog.hardware, scenario.cluster.hardware, 'hardware');
  const model = lookUp(catalog.models, scenario.model, 'model');
  const precision = runnablePrecision(hardware, overrides.precision ?? scenario.precision);
  const technique =
    overrides.technique === undefined
      ? undefined
      : scenario.sweep?.techniques?.find((set) => set.name === overrides.technique);
  if (overrides.technique !== undefined && !technique)
    throw new RangeError(`unknown technique set \`${overrides.technique}\``);
  const limits = options.limits ?? techniqueLimits(catalog.techniques?.values(), scenario.available);
  const constants = options.constants ?? NOMINAL_CONSTANTS;
  // The chip's rates, only when a stage predicts its step (a stated efficiency needs none).
  let chip: ChipRates | undefined;
  const rates = () => (chip ??= chipRates(hardware, constants, clusterNetwork(scenario.cluster.network)));
  const profile = options.profile ?? profileModel(model);
  const goodputSource = scenario.goodput ? ('scenario' as const) : ('default' as const);
  const goodput = scenario.goodput?.value ?? constants.goodput;
  const energy = energyAssumptions(scenario.energy);
  const usdPerGpuHour = priceFor(scenario.cost, scenario.cluster.hardware, hardware, energy);
  const stages = trainingStages(scenario).map((stage, index): StageEstimate => {
    const gpus = overrides.gpus ?? stage.gpus;
    const stated = stage.efficiency;
    const parallelism = stage.parallelism && mergeParallelism(stage.parallelism, technique?.parallelism);
    // The stage's layout as published is evidence that it fitted in the memory of the run's own chip:
    // so on the same GPUs in the same precision, on any chip with at least that much memory. A technique
    // set keeps that evidence when it changes none of the layout's knobs, or is itself a published layout
    // (its own [A] or [T] source) that changes no recipe.
    const publishedKnobs = technique
      ? (keepsLayout(stage.parallelism, technique) && isPublishedLayout(stage.parallelism)) ||
        (technique.recipe === undefined && isPublishedSource(technique.source))
      : isPublishedLayout(stage.parallelism);
    const published =
      gpus === stage.gpus &&
      precision === runnablePrecision(ownHardware, scenario.precision) &&
      deviceMemoryBytes(hardware) >= deviceMemoryBytes(ownHardware) &&
      publishedKnobs;
    const recipe = stage.recipe || technique?.recipe ? ({...stage.recipe, ...technique?.recipe} as Recipe) : undefined;
    // With a stated efficiency the prediction is for comparison only, and callers that only need the outputs may skip it.
    const prediction =
      parallelism && (options.predict ?? true)
        ? predictStage(scenario, stage, profile, rates(), gpus, precision, recipe, limits, {
            parallelism,
            published,
            layout: options.layouts?.[index],
            keep: options.alternatives === false ? 1 : 4,
            search: options.search,
            modelError: options.modelError,
          })
        : undefined;
    const factor = options.stepFactor ?? 1;
    const mfu = stated ? stated.mfu : prediction ? (prediction.step.mfu * goodput) / factor : Number.NaN;
    const run = estimateTrainingRun(
      {
        model,
        hardware,
        gpus,
        tokens: stage.tokens,
        seqLen: stage.seqLen,
        mfu,
        mfuAttention: stated ? stated.attention : 'causal',
        peakPrecision: stated ? stated.peak_precision : sixteenBitPrecision(hardware),
        usdPerGpuHour,
        energy,
      },
      profile,
    );
    // A literal, not a spread of `run`: a spread followed by more properties takes a slow path in V8.
    return {
      parameters: run.parameters,
      flopsPerToken: run.flopsPerToken,
      trainingFlops: run.trainingFlops,
      mfuFlopsPerToken: run.mfuFlopsPerToken,
      peakFlopsPerSecondPerGpu: run.peakFlopsPerSecondPerGpu,
      achievedFlopsPerSecondPerGpu: run.achievedFlopsPerSecondPerGpu,
      tokensPerSecondPerGpu: run.tokensPerSecondPerGpu,
      gpuHours: run.gpuHours,
      wallClockSeconds: run.wallClockSeconds,
      wallClockDays: run.wallClockDays,
      costUsd: run.costUsd,
      energyJoules: run.energyJoules,
      energyMegawattHours: run.energyMegawattHours,
      co2Tonnes: run.co2Tonnes,
      name: stage.name,
      gpus,
      tokens: stage.tokens,
      seqLen: stage.seqLen,
      mfu,
      mfuSource: stated ? 'stated' : 'predicted',
      prediction,
    };
  });
  const first = stages[0] as StageEstimate;
  const predicted = stages.filter((stage) => stage.mfuSource === 'predicted');
  const infeasible = stages.some((stage) => Number.isNaN(stage.mfu)) ? 'no layout fits in memory' : undefined;
  const total = stages.length === 1 ? first : sumStages(stages, rates().peakBf16FlopsPerSecond);
  const main = stages.reduce((a, b) => (b.gpuHours > a.gpuHours ? b : a));
  // One literal with every property, the run's first, in the order a spread of it would give: a spread
  // followed by many properties takes a slow path in V8 (about 20 µs a call on Node 20), and
  // Object.assign copies twice, both costly when Monte Carlo samples call this a thousand times a point.
  return {
    parameters: total.parameters,
    flopsPerToken: total.flopsPerToken,
    trainingFlops: total.trainingFlops,
    mfuFlopsPerToken: total.mfuFlopsPerToken,
    peakFlopsPerSecondPerGpu: total.peakFlopsPerSecondPerGpu,
    achievedFlopsPerSecondPerGpu: total.achievedFlopsPerSecondPerGpu,
    tokensPerSecondPerGpu: total.tokensPerSecondPerGpu,
    gpuHours: total.gpuHours,
    wallClockSeconds: total.wallClockSeconds,
    wallClockDays: total.wallClockDays,
    costUsd: total.costUsd,
    energyJoules: total.energyJoules,
    energyMegawattHours: total.energyMegawattHours,
    co2Tonnes: total.co2Tonnes,
    kind: 'training' as const,
    scenarioId: scenario.id,
    modelId: model.id,
    hardwareId: hardware.id,
    hardwareName: hardware.name,
    gpus: first.gpus,
    tokens: stages.length === 1 ? first.tokens : stages.reduce((sum, stage) => sum + stage.tokens, 0),
    precision,
    technique: overrides.technique,
    mfu: stages.length === 1 ? first.mfu : total.achievedFlopsPerSecondPerGpu / total.peakFlopsPerSecondPerGpu,
    mfuSource: predicted.length > 0 ? ('predicted' as const) : ('stated' as const),
    goodput: predicted.length > 0 ? goodput : undefined,
    goodputSource: predicted.length > 0 ? goodputSource : undefined,
    extrapolated: predicted.some(
      (stage) => stage.prediction !== undefined && stage.prediction.rateBasis !== 'measured',
    ),
    beyondCalibration: stagesBeyondCalibration(profile.experts, predicted),
    usdPerGpuHour,
    prediction: main.prediction ?? first.prediction,
    stages,
    infeasible,
  };
}

/** The totals of several stages: GPU-hours, time, cost, energy and FLOPs add up; rates are over the whole run. */
function sumStages(stages: readonly StageEstimate[], peakFlopsPerSecondPerGpu: number): TrainingRunEstimate {
  const add = (read: (stage: StageEstimate) => number) => stages.reduce((sum, stage) => sum + read(stage), 0);
  const addKnown = (read: (stage: StageEstimate) => number | undefined) =>
    stages.some((stage) => read(stage) === undefined) ? undefined : add((stage) => read(stage) as number);
  const gpuSeconds = add((stage) => stage.gpuHours) * SECONDS_PER_HOUR;
  const tokens = add((stage) => stage.tokens);
  const trainingFlops = add((stage) => stage.trainingFlops);
  const wallClockSeconds = add((stage) => stage.wallClockSeconds);
  const costs = stages.map((stage) => stage.costUsd);
  const first = stages[0] as StageEstimate;
  return {
    parameters: first.parameters,
    flopsPerToken: first.flopsPerToken,
    trainingFlops,
    mfuFlopsPerToken: trainingFlops / tokens,
    peakFlopsPerSecondPerGpu,
    achievedFlopsPerSecondPerGpu: trainingFlops / gpuSeconds,
    tokensPerSecondPerGpu: tokens / gpuSeconds,
    gpuHours: gpuSeconds / SECONDS_PER_HOUR,
    wallClockSeconds,
    wallClockDays: wallClockSeconds / SECONDS_PER_DAY,
    costUsd: costs.some((cost) => cost === undefined) ? undefined : add((stage) => stage.costUsd as number),
    // Energy is unknown for a chip whose power is not published: then for the whole run too.
    energyJoules: addKnown((stage) => stage.energyJoules),
    energyMegawattHours: addKnown((stage) => stage.energyMegawattHours),
    co2Tonnes: addKnown((stage) => stage.co2Tonnes),
  };
}

/** The precision a chip runs the GEMMs in: the one asked for, else its 16-bit one (BF16, or FP16 without BF16). */
export function runnablePrecision(hardware: Hardware, wanted: Precision): Precision {
  return hardware.peak_tflops[wanted] === undefined ? sixteenBitPrecision(hardware) : wanted;
}

/** The chip's 16-bit precision: BF16, or FP16 on a chip without BF16. */
export function sixteenBitPrecision(hardware: Hardware): 'bf16' | 'fp16' {
  return hardware.peak_tflops.bf16 === undefined ? 'fp16' : 'bf16';
}

/** A scenario's cluster network as the chip rates take it. */
export function clusterNetwork(
  network: NonNullable<TrainingScenario['cluster']['network']> | undefined,
): ClusterNetwork {
  if (!network) return {};
  return {
    scaleOutGbPerSecond: network.scale_out_gb_per_s,
    scaleOutLatencySeconds: network.latency_us === undefined ? undefined : network.latency_us * 1e-6,
    achievableFraction: network.achievable_fraction,
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
 * Search every layout for a scenario's point (its first stage), ignoring
 * the knobs it fixes (only its permission for uneven stages and its
 * available techniques are kept): `estimate --search`.
 */
export function searchTraining(
  catalog: TrainingCatalog,
  scenario: TrainingScenario,
  overrides: Pick<TrainingOverrides, 'hardware' | 'gpus'> = {},
  keep = 5,
  modelError?: ModelError,
): TrainingPrediction | undefined {
  const hardware = lookUp(catalog.hardware, overrides.hardware ?? scenario.cluster.hardware, 'hardware');
  const model = lookUp(catalog.models, scenario.model, 'model');
  const precision = runnablePrecision(hardware, scenario.precision);
  const limits = techniqueLimits(catalog.techniques?.values(), scenario.available);
  const stage = trainingStages(scenario)[0] as TrainingStage;
  const uneven =
    stage.parallelism !== undefined && stage.parallelism !== 'search' && stage.parallelism.uneven_stages === true;
  return predictStage(
    scenario,
    stage,
    profileModel(model),
    chipRates(hardware, NOMINAL_CONSTANTS, clusterNetwork(scenario.cluster.network)),
    overrides.gpus ?? stage.gpus,
    precision,
    stage.recipe,
    limits,
    {constraints: {...layoutConstraints('search', limits), unevenStages: uneven}, keep, modelError},
  );
}

/**
 * Predict a stage's step: the fastest layout the constraints allow (or the
 * one given), why the runners-up lose, and how far apart the search's
 * choices are.
 */
function predictStage(
  scenario: TrainingScenario,
  stage: TrainingStage,
  profile: ModelProfile,
  rates: ChipRates,
  gpus: number,
  precision: Precision,
  recipe: Recipe | undefined,
  limits: TechniqueLimits,
  how: {
    /** The stage's parallelism (its fixed knobs), made into constraints only when the search runs. */
    readonly parallelism?: Parallelism | 'search';
    /** Whether that parallelism is the layout the run was published with (LayoutConstraints.published). */
    readonly published?: boolean;
    /** Or the constraints themselves. */
    readonly constraints?: LayoutConstraints;
    readonly layout?: Layout | undefined;
    readonly keep: number;
    readonly search?: typeof searchLayouts | undefined;
    readonly modelError?: ModelError | undefined;
  },
): TrainingPrediction | undefined {
  const setup = trainingSetup({
    gpus,
    seqLen: stage.seqLen,
    globalBatchTokens: stage.globalBatchTokens ?? stage.seqLen,
    precision,
    recipe,
    goodput: scenario.goodput?.value,
    limits,
  });
  const rateBasis = rates.gemmRateBasis[setup.gemmPrecision] ?? 'cross-chip';
  if (how.layout) {
    // A fixed layout (a Monte Carlo draw of the nominal choice): its step, no search.
    return {
      step: predictStep(profile, setup, how.layout, rates),
      setup,
      layoutsConsidered: 1,
      layoutsFeasible: 1,
      alternatives: [],
      choices: [],
      rateBasis,
      frontier: [],
    };
  }
  const constraints = how.constraints ?? layoutConstraints(how.parallelism, limits, how.published);
  const result = (how.search ?? searchLayouts)(profile, setup, rates, constraints, how.keep);
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
    choices: choiceGaps(best, result.bestByKnob, how.modelError),
    rateBasis,
    // A layout published for this chip and precision trained, so the memory model's error moves no choice of it.
    frontier: how.published === true ? [] : result.frontier,
  };
}

/** For each knob the search had several values of that change the step: the best layout's value against the best other one. */
export function choiceGaps(
  best: StepEstimate,
  bestByKnob: SearchResult['bestByKnob'],
  modelError: ModelError | undefined,
): ChoiceGap[] {
  const gaps: ChoiceGap[] = [];
  for (const knob of CHOICE_KNOBS) {
    let runnerUp: StepEstimate | undefined;
    for (const [value, step] of bestByKnob[knob]) {
      if (value === best.layout[knob]) continue;
      if (!runnerUp || stepOrder(step.stepSeconds) < stepOrder(runnerUp.stepSeconds)) runnerUp = step;
    }
    // A knob whose other value gives the same step is no choice (ZeRO stages at one data-parallel rank).
    if (!runnerUp || stepOrder(runnerUp.stepSeconds) === stepOrder(best.stepSeconds)) continue;
    const gap = runnerUp.stepSeconds / best.stepSeconds - 1;
    const spread = modelError && differenceSpread(modelError)[1];
    gaps.push({
      knob,
      best: best.layout[knob],
      runnerUp: runnerUp.layout[knob],
      gap,
      runnerUpStep: runnerUp,
      differenceSpread: spread,
      exceedsModelError: spread === undefined ? undefined : gap > spread,
    });
  }
  return gaps;
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

/** Whether a technique leaves a layout as it is: no recipe of its own, and every knob it sets already so. */
function keepsLayout(
  parallelism: Parallelism | 'search' | undefined,
  technique: {readonly parallelism?: Partial<Parallelism>; readonly recipe?: unknown} | undefined,
): boolean {
  if (!technique) return true;
  if (technique.recipe !== undefined || parallelism === undefined || parallelism === 'search') return false;
  const own = new Map<string, unknown>(Object.entries(parallelism));
  return Object.entries(technique.parallelism ?? {}).every(([knob, value]) => own.get(knob) === value);
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
