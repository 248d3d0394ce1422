import type {ScenarioKind, ScenarioOfKind} from '../data/scenario-kinds.js';
import type {Scenario} from '../data/schemas/scenario.js';
import {demandNumbers, estimateDemand, type DemandEstimate} from './demand/demand-scenario.js';
import {INFERENCE_OUTPUTS} from './inference/inference-outputs.js';
import {
  inferenceDraws,
  inferenceSensitivity,
  inferenceWithRanges,
  type InferenceContext,
  type RangedInferenceEstimate,
} from './inference/inference-ranges.js';
import {inferenceSweepPoints, type InferenceOverrides} from './inference/inference-scenario.js';
import {outputNumbers, type OutputTable} from './outputs.js';
import {TRAINING_OUTPUTS} from './training/training-outputs.js';
import {
  trainingDraws,
  trainingWithRanges,
  trainingSensitivity,
  type RangedTrainingEstimate,
  type TrainingContext,
} from './training/training-ranges.js';
import {trainingSweepPoints, type TrainingOptions, type TrainingOverrides} from './training/training-scenario.js';
import {drawRatio, type Range, type SamplingOptions} from './uncertainty/monte-carlo.js';
import type {UncertaintyCatalog} from './uncertainty/scenario-ranges.js';
import type {SensitivityRow} from './uncertainty/sensitivity.js';

/**
 * The kinds of scenario and what the core does for each: one entry per
 * kind, each pointing into the kind's folder (training/, inference/,
 * demand/). The rest of the tool reaches a kind's estimate, sweep, outputs
 * and sensitivity through here; adding a kind is its schema
 * (src/data/schemas/scenario.ts), its folder and its entry below.
 */

/** A kind's estimate of one scenario point, with its Monte Carlo ranges where it has them. */
interface EstimateByKind {
  readonly training: RangedTrainingEstimate;
  readonly inference: RangedInferenceEstimate;
  readonly demand: DemandEstimate;
}
export type EstimateOfKind<K extends ScenarioKind> = EstimateByKind[K];
/** An estimate of any kind, told apart by `kind`. */
export type AnyEstimate = EstimateOfKind<ScenarioKind>;

/** A point of a sweep: a value for any of the axes the kinds sweep over (each kind reads its own). */
export type SweepPoint = TrainingOverrides & InferenceOverrides;

/** The memoised layout search a build shares between estimates (training only; others ignore it). */
export type LayoutSearch = TrainingOptions['search'];

/** What a build shares between estimates: the memoised layout search, and the training and serving models' own errors. */
export type EstimateContext = TrainingContext & InferenceContext;

/** A number a page may print, by name (`costUsd`, `costUsd.p5`). */
export type NamedNumber = readonly [name: string, value: number | undefined];

/** What the core does for one kind of scenario `S`, whose estimates are `E`. */
export interface ScenarioKindEntry<S, E> {
  /** Estimate one point of the scenario's sweep, with p5–p95 ranges when inputs are uncertain (seeded Monte Carlo). */
  readonly estimate: (
    catalog: UncertaintyCatalog,
    scenario: S,
    point: SweepPoint,
    sampling: SamplingOptions,
    context?: EstimateContext,
  ) => E;
  /** Every point of the scenario's sweep (the product of its axes), or `[{}]`, the scenario itself. */
  readonly sweepPoints: (scenario: S) => SweepPoint[];
  /** The outputs templates print by name, with labels and units; undefined for a kind without named outputs. */
  readonly outputs: OutputTable<E> | undefined;
  /** For a kind without named outputs: the property of its estimate that holds its numbers. */
  readonly numbersAt?: string;
  /** The p5–p95 range of each uncertain output, by output name. */
  readonly ranges: (estimate: E) => Readonly<Partial<Record<string, Range>>> | undefined;
  /**
   * Each output's value on every Monte Carlo draw of `estimate`, in draw order (NaN where undefined), for
   * comparing two points draw by draw; undefined for a kind without draws or a point with nothing uncertain.
   */
  readonly draws:
    | ((
        catalog: UncertaintyCatalog,
        scenario: S,
        point: SweepPoint,
        sampling: SamplingOptions,
        context?: EstimateContext,
      ) => Readonly<Record<string, Float64Array>> | undefined)
    | undefined;
  /** Inputs ranked by how far they move one output (tornado charts); undefined for a kind without it. */
  readonly sensitivity:
    ((catalog: UncertaintyCatalog, scenario: S, output: string, point: SweepPoint) => SensitivityRow[]) | undefined;
  /** What tells one point of a sweep from the others, in words (a table row's label). */
  readonly describePoint: (estimate: E) => string;
  /** Every number of an estimate a page may print, by name: a build refuses an estimate with one that is not finite. */
  readonly numbers: (estimate: E) => NamedNumber[];
}

type Registry = {readonly [K in ScenarioKind]: ScenarioKindEntry<ScenarioOfKind<K>, EstimateOfKind<K>>};

const SCENARIO_KINDS: Registry = {
  training: {
    estimate: trainingWithRanges,
    sweepPoints: trainingSweepPoints,
    outputs: TRAINING_OUTPUTS,
    ranges: (estimate) => estimate.ranges,
    draws: trainingDraws,
    sensitivity: trainingSensitivity,
    describePoint: (estimate) =>
      [
        estimate.hardwareName,
        `${estimate.gpus.toLocaleString('en-US')} GPUs`,
        estimate.precision.toUpperCase(),
        estimate.technique,
      ]
        .filter(Boolean)
        .join(' · '),
    numbers: (estimate) => outputNumbers(TRAINING_OUTPUTS, estimate, estimate.ranges),
  },
  inference: {
    estimate: inferenceWithRanges,
    sweepPoints: inferenceSweepPoints,
    outputs: INFERENCE_OUTPUTS,
    ranges: (estimate) => estimate.ranges,
    draws: inferenceDraws,
    sensitivity: inferenceSensitivity,
    describePoint: (estimate) =>
      `${estimate.hardwareName} · ${Math.round(estimate.batch).toLocaleString('en-US')} sequences${estimate.utilization < 1 ? ` · ${Math.round(estimate.utilization * 100)}% load` : ''}`,
    numbers: (estimate) => outputNumbers(INFERENCE_OUTPUTS, estimate, estimate.ranges),
  },
  demand: {
    estimate: (catalog, scenario, _point, sampling) =>
      estimateDemand(scenario, catalog.uncertainty.get(scenario) ?? [], sampling),
    sweepPoints: () => [{}],
    outputs: undefined,
    numbersAt: 'points',
    ranges: () => undefined,
    draws: undefined,
    sensitivity: undefined,
    describePoint: (estimate) => estimate.scenarioId,
    numbers: demandNumbers,
  },
};

/**
 * The entry of one kind. Pass a scenario's or an estimate's own `kind`: the
 * entry is typed for that kind, and for a kind not known until run time
 * (a union), typed to take the scenarios and estimates of every kind.
 */
export function scenarioKind<K extends ScenarioKind>(kind: K): ScenarioKindEntry<ScenarioOfKind<K>, EstimateOfKind<K>> {
  return SCENARIO_KINDS[kind];
}

/** The kinds that have a part (named outputs, sensitivity, draws), in registry order: for messages. */
export function kindsWith(part: 'outputs' | 'sensitivity' | 'draws'): string[] {
  return Object.entries(SCENARIO_KINDS)
    .filter(([, entry]) => entry[part] !== undefined)
    .map(([kind]) => kind);
}

/** Estimate one point of a scenario of any kind (see ScenarioKindEntry.estimate). */
export function estimatePoint(
  catalog: UncertaintyCatalog,
  scenario: Scenario,
  point: SweepPoint,
  sampling: SamplingOptions,
  context?: EstimateContext,
): AnyEstimate {
  return scenarioKind(scenario.kind).estimate(catalog, scenario, point, sampling, context);
}

/**
 * Each output of a scenario point on every draw of its Monte Carlo, in draw order (ScenarioKindEntry.draws):
 * one side of a factor. Throws a RangeError for a kind without draws.
 */
export function pointDraws(
  catalog: UncertaintyCatalog,
  scenario: Scenario,
  point: SweepPoint,
  sampling: SamplingOptions,
  context?: EstimateContext,
): Readonly<Record<string, Float64Array>> | undefined {
  const {draws} = scenarioKind(scenario.kind);
  if (!draws) throw new RangeError(notAFactorSide(scenario));
  return draws(catalog, scenario, point, sampling, context);
}

/** One side of a factor: a scenario point's estimate and its draws (pointDraws). */
export interface FactorSide {
  readonly scenario: Scenario;
  readonly estimate: AnyEstimate;
  readonly draws: Readonly<Record<string, Float64Array>> | undefined;
}

/**
 * How many times one output of a scenario point is another's, as a factor with its spread: the ratio of the
 * two estimates' medians (the figures a page prints, so a factor and the figures it compares agree), with
 * the 5th and 95th percentiles of the ratio taken draw by draw. The two Monte Carlos draw each input they
 * share alike (monteCarloDraws), so what both rest on cancels as it does in the real comparison, and what
 * only one rests on (or the model's error on a different kind of model) widens the factor. Where the ratio
 * of the medians falls outside that spread (two sides that move together in most draws and apart in a few,
 * as the memory model's error can make them), the value is the draw-by-draw median instead, so a factor's
 * value always lies within its own range. Throws a RangeError for a kind without draws; the spread is
 * undefined when neither point has anything uncertain.
 */
export function estimateFactor(numerator: FactorSide, denominator: FactorSide, output: string): Factor {
  const [top, bottom] = [numerator, denominator].map(({scenario, estimate, draws}) => {
    const {outputs} = scenarioKind(scenario.kind);
    if (!outputs || !scenarioKind(scenario.kind).draws) throw new RangeError(notAFactorSide(scenario));
    const named = outputs[output];
    if (!named) throw new RangeError(`\`${output}\` is not an output of ${scenario.kind} scenarios`);
    return {median: outputRange(estimate, output)?.p50 ?? named.read(estimate), draws: draws?.[output]};
  }) as [MedianAndDraws, MedianAndDraws];
  const value = top.median !== undefined && bottom.median !== undefined ? top.median / bottom.median : Number.NaN;
  // A side with nothing uncertain takes its value on every draw of the other.
  const samples = top.draws?.length ?? bottom.draws?.length;
  const drawsOf = (side: MedianAndDraws) =>
    side.draws ??
    (samples !== undefined && side.median !== undefined ? new Float64Array(samples).fill(side.median) : undefined);
  const [topDraws, bottomDraws] = [drawsOf(top), drawsOf(bottom)];
  const spread = topDraws && bottomDraws ? drawRatio(topDraws, bottomDraws) : undefined;
  const within = !spread || (spread.p5 <= value && value <= spread.p95);
  return {value: within ? value : (spread?.p50 ?? value), p5: spread?.p5, p95: spread?.p95};
}

function notAFactorSide(scenario: Scenario): string {
  return `a factor takes ${kindsWith('draws').join(' or ')} scenarios, \`${scenario.id}\` is a ${scenario.kind} scenario`;
}

interface MedianAndDraws {
  readonly median: number | undefined;
  readonly draws: Float64Array | undefined;
}

/**
 * A factor between two estimates (estimateFactor): the ratio of their medians (or, outside the spread, the
 * draw-by-draw median) and the draw-by-draw ratio's 5th and 95th percentiles.
 */
export interface Factor {
  readonly value: number;
  readonly p5: number | undefined;
  readonly p95: number | undefined;
}

/** Every point of a scenario's sweep. */
export function sweepPointsOf(scenario: Scenario): SweepPoint[] {
  return scenarioKind(scenario.kind).sweepPoints(scenario);
}

/**
 * Rank every continuous input of a scenario point (the scenario's and its
 * hardware's) by how far it moves one output across its range: the p5–p95
 * of its distribution where it has one, else ±10%. Throws a RangeError for
 * an unknown output or a kind without sensitivity.
 */
export function scenarioSensitivity(
  catalog: UncertaintyCatalog,
  scenario: Scenario,
  output: string,
  point: SweepPoint = {},
): SensitivityRow[] {
  const {sensitivity} = scenarioKind(scenario.kind);
  if (!sensitivity) {
    throw new RangeError(
      `sensitivity takes a ${kindsWith('sensitivity').join(' or ')} scenario, \`${scenario.id}\` is a ${scenario.kind} scenario`,
    );
  }
  return sensitivity(catalog, scenario, output, point);
}

/** The outputs of an estimate that templates print by name, or undefined when its kind has none. */
export function outputsOf(estimate: AnyEstimate): OutputTable<AnyEstimate> | undefined {
  return scenarioKind(estimate.kind).outputs;
}

/** The p5–p95 range of one output of an estimate, when it is uncertain. */
export function outputRange(estimate: AnyEstimate, output: string): Range | undefined {
  return scenarioKind(estimate.kind).ranges(estimate)?.[output];
}

/** What tells one point of a sweep from the others: its chip, GPU count, precision, technique or batch. */
export function describePoint(estimate: AnyEstimate): string {
  return scenarioKind(estimate.kind).describePoint(estimate);
}

/** Every number of an estimate a page may print, by name. */
export function printedNumbers(estimate: AnyEstimate): NamedNumber[] {
  return scenarioKind(estimate.kind).numbers(estimate);
}
