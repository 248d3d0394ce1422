import {median} from '../calibration/median.js';
import type {Catalog} from '../../data/catalog.js';
import type {Hardware} from '../../data/schemas/hardware.js';
import type {Model} from '../../data/schemas/model.js';
import {
  fitModelError,
  fitModelErrorByFfn,
  setupCorrelation,
  setupErrors,
  type ModelError,
} from '../calibration/model-error.js';
import {isInferenceReference, type InferenceReference} from '../../data/schemas/reference.js';
import {profileModel} from '../model-profile.js';
import {byKey} from '../../tool/compare.js';
import {
  SERVING_CONSTANT_VALUES,
  servingConstant,
  type ServingConstantId,
  type ServingConstantValues,
} from './serving-constants.js';
import {estimateServing, type ServingEstimate} from './serving-estimate.js';
import {servingProfile, type ServingProfile} from './serving-profile.js';

/** The figures a serving result may report, with their units. */
export const SERVING_METRICS = {
  outputTokensPerSecondPerGpu: {label: 'output tokens/s per GPU', unit: 'tokens/s'},
  inputTokensPerSecondPerGpu: {label: 'input tokens/s per GPU', unit: 'tokens/s'},
  tokensPerSecondPerUser: {label: 'tokens/s per user', unit: 'tokens/s'},
  ttftSeconds: {label: 'time to first token', unit: 's'},
  itlSeconds: {label: 'inter-token latency', unit: 's'},
} as const;
export type ServingMetric = keyof typeof SERVING_METRICS;

/** One reported figure of a published serving result against its prediction. */
export interface ServingCalibrationRow {
  readonly referenceId: string;
  readonly name: string;
  readonly published: string;
  readonly modelId: string;
  readonly hardwareId: string;
  /** The precision of the weights (a chip may have no measured matmul rate in it: the rate is then extrapolated). */
  readonly weights: 'bf16' | 'fp8' | 'fp4';
  /** The serving software, as published (`SGLang main (May 2025)`). */
  readonly engine: string;
  readonly metric: ServingMetric;
  readonly reported: number;
  /** With the constants as the registry states them (the fit to every reference, rounded): what the site prints. */
  readonly predicted: number | undefined;
  /** (predicted − reported) / reported. */
  readonly relativeError: number | undefined;
  /** With the fitted constants refitted without this reference (leave-one-out). */
  readonly leaveOneOutPredicted: number | undefined;
  readonly leaveOneOutError: number | undefined;
  readonly source: string;
}

/** A fitted constant: its value refitted to every reference, and with each reference left out. */
export interface FittedConstant {
  readonly id: ServingConstantId;
  /** The refit to every reference (the registry states it rounded). */
  readonly value: number;
  /** The value the registry states, which the estimates use. */
  readonly registryValue: number;
  readonly unit: string;
  /** The value refitted without each reference, by reference id. */
  readonly leaveOneOut: Readonly<Record<string, number>>;
}

export interface ServingCalibration {
  readonly rows: readonly ServingCalibrationRow[];
  readonly fitted: readonly FittedConstant[];
  /** Median and largest absolute relative errors, in sample and leave-one-out. */
  readonly medianError: number | undefined;
  readonly largestError: number | undefined;
  readonly medianLeaveOneOutError: number | undefined;
  readonly largestLeaveOneOutError: number | undefined;
  /**
   * The serving model's own error, for ranges: a log-normal fitted to the leave-one-out ratios of
   * predicted over reported speed (throughputs as they are, latencies inverted: a step predicted too
   * fast gives too high a throughput and too low a latency alike).
   */
  readonly modelError: ModelError | undefined;
}

/** The constants fitted to the serving references (their status is `fitted` in serving-constants.ts). */
/**
 * The serving model's accuracy target (issue #15, on leave-one-out errors):
 * every published figure within 25%. `tradeoffs calibrate` says whether it
 * is met and the calibration page draws and counts against it.
 */
export const SERVING_CALIBRATION_TARGET = {everyFigureLeaveOneOut: 0.25} as const;

/** The serving figures not within the target left out (one with no prediction is not), worst first. */
export function servingFiguresBeyondTarget(calibration: ServingCalibration): ServingCalibrationRow[] {
  const miss = (row: ServingCalibrationRow) => Math.abs(row.leaveOneOutError ?? Number.POSITIVE_INFINITY);
  return calibration.rows
    .filter((row) => !(miss(row) < SERVING_CALIBRATION_TARGET.everyFigureLeaveOneOut))
    .sort((a, b) => miss(b) - miss(a));
}

export const FITTED_SERVING_CONSTANTS: readonly ServingConstantId[] = ['overlapEfficiency'];

/** A reference made ready to predict: its model's profiles and chip, resolved once. */
interface Prepared {
  readonly reference: InferenceReference;
  readonly model: Model;
  readonly hardware: Hardware;
  readonly profile: ServingProfile;
  readonly figures: ReadonlyArray<readonly [ServingMetric, number]>;
}

/**
 * Predict every published serving result of data/references.yaml from its
 * model, chip and published settings, never from what it reported, with the
 * constants as the registry states them; fit the `fitted` constants to all
 * of them (least squares on the log of predicted over reported), which the
 * registry's values should match, and again without each reference in
 * turn to predict it out of sample (leave-one-out).
 */
export function calibrateServing(
  catalog: Pick<Catalog, 'references' | 'models' | 'hardware'>,
  fittedIds: readonly ServingConstantId[] = FITTED_SERVING_CONSTANTS,
): ServingCalibration {
  const prepared = prepareReferences(catalog);
  const all = fitConstants(prepared, fittedIds);
  const rows: ServingCalibrationRow[] = [];
  const leaveOneOut: Record<string, Record<string, number>> = Object.fromEntries(fittedIds.map((id) => [id, {}]));
  for (const item of prepared) {
    const others = prepared.filter((other) => other !== item);
    const without = fitConstants(others, fittedIds);
    for (const id of fittedIds) (leaveOneOut[id] as Record<string, number>)[item.reference.id] = without[id];
    const inSample = predictFigures(item, SERVING_CONSTANT_VALUES);
    const outOfSample = predictFigures(item, without);
    const {reference} = item;
    const engine = reference.engine ? [reference.engine.name, reference.engine.version].filter(Boolean).join(' ') : '–';
    item.figures.forEach(([metric, reported], index) => {
      const predicted = inSample[index];
      const left = outOfSample[index];
      rows.push({
        referenceId: reference.id,
        name: reference.name,
        published: reference.published,
        modelId: reference.model,
        hardwareId: reference.hardware,
        weights: reference.precision.weights,
        engine,
        metric,
        reported,
        predicted,
        relativeError: predicted === undefined ? undefined : predicted / reported - 1,
        leaveOneOutPredicted: left,
        leaveOneOutError: left === undefined ? undefined : left / reported - 1,
        source: reference.reported.source,
      });
    });
  }
  const errors = (pick: (row: ServingCalibrationRow) => number | undefined) =>
    rows.flatMap((row) => {
      const error = pick(row);
      return error === undefined ? [] : [Math.abs(error)];
    });
  const inSampleErrors = errors((row) => row.relativeError);
  const outOfSampleErrors = errors((row) => row.leaveOneOutError);
  return {
    rows,
    fitted: fittedIds.map((id) => ({
      id,
      value: all[id],
      registryValue: SERVING_CONSTANT_VALUES[id],
      unit: servingConstant(id).unit,
      leaveOneOut: leaveOneOut[id] as Record<string, number>,
    })),
    medianError: median(inSampleErrors),
    largestError: inSampleErrors.length > 0 ? Math.max(...inSampleErrors) : undefined,
    medianLeaveOneOutError: median(outOfSampleErrors),
    largestLeaveOneOutError: outOfSampleErrors.length > 0 ? Math.max(...outOfSampleErrors) : undefined,
    modelError: withByFfn(
      fitModelError(
        rows.flatMap((row) =>
          row.leaveOneOutPredicted === undefined
            ? []
            : [speedRatio(row.metric, row.leaveOneOutPredicted, row.reported)],
        ),
        outOfSampleErrors,
      ),
      rows,
      catalog,
    ),
  };
}

/** The serving model error with its fits over the figures of dense models and of mixtures of experts apart, and the correlation of its errors on runs of one model on one chip. */
function withByFfn(
  error: ModelError | undefined,
  rows: readonly ServingCalibrationRow[],
  catalog: Pick<Catalog, 'models'>,
): ModelError | undefined {
  if (!error) return undefined;
  const predictions = rows.flatMap((row) =>
    row.leaveOneOutPredicted === undefined || row.leaveOneOutError === undefined
      ? []
      : [
          {
            ffn: catalog.models.get(row.modelId)?.ffn.kind,
            ratio: speedRatio(row.metric, row.leaveOneOutPredicted, row.reported),
            quotedError: row.leaveOneOutError,
          },
        ],
  );
  const withKinds = {...error, byFfn: fitModelErrorByFfn(predictions)};
  // Figures of one reference are one run: only figures of different runs of one model on one chip pair up.
  const runs = rows.flatMap((row) =>
    row.leaveOneOutPredicted === undefined
      ? []
      : [
          {
            run: row.referenceId,
            model: row.modelId,
            chip: row.hardwareId,
            ffn: catalog.models.get(row.modelId)?.ffn.kind,
            ratio: speedRatio(row.metric, row.leaveOneOutPredicted, row.reported),
          },
        ],
  );
  const correlation = setupCorrelation(runs, withKinds);
  return correlation === undefined
    ? withKinds
    : {...withKinds, setupCorrelation: correlation, setups: setupErrors(runs)};
}

/** Predicted over reported speed: a throughput's ratio, a latency's inverse. */
function speedRatio(metric: ServingMetric, predicted: number, reported: number): number {
  return metric === 'ttftSeconds' || metric === 'itlSeconds' ? reported / predicted : predicted / reported;
}

/** The serving model's own leave-one-out error on the serving references, for ranges (undefined with fewer than two). */
export function servingModelError(
  catalog: Pick<Catalog, 'references' | 'models' | 'hardware'>,
): ModelError | undefined {
  return calibrateServing(catalog).modelError;
}

/** The serving references of a catalog, in id order, with what each reports. */
function prepareReferences(catalog: Pick<Catalog, 'references' | 'models' | 'hardware'>): Prepared[] {
  return [...catalog.references.values()]
    .filter(isInferenceReference)
    .sort(byKey((reference) => reference.id))
    .flatMap((reference) => {
      const model = catalog.models.get(reference.model);
      const hardware = catalog.hardware.get(reference.hardware);
      if (!model || !hardware) return [];
      return [
        {
          reference,
          model,
          hardware,
          profile: servingProfile(model, profileModel(model)),
          figures: figuresOf(reference),
        },
      ];
    });
}

/** What a reference reports, per GPU. */
function figuresOf(reference: InferenceReference): Array<readonly [ServingMetric, number]> {
  const reported = reference.reported;
  const perNode = reported.gpus_per_node ?? 1;
  const figures: Array<readonly [ServingMetric, number]> = [];
  const output =
    reported.output_tokens_per_second_per_gpu ??
    (reported.output_tokens_per_second_per_node === undefined
      ? undefined
      : reported.output_tokens_per_second_per_node / perNode);
  const input =
    reported.input_tokens_per_second_per_gpu ??
    (reported.input_tokens_per_second_per_node === undefined
      ? undefined
      : reported.input_tokens_per_second_per_node / perNode);
  if (output !== undefined) figures.push(['outputTokensPerSecondPerGpu', output]);
  if (input !== undefined) figures.push(['inputTokensPerSecondPerGpu', input]);
  if (reported.tokens_per_second_per_user !== undefined)
    figures.push(['tokensPerSecondPerUser', reported.tokens_per_second_per_user]);
  if (reported.ttft_seconds !== undefined) figures.push(['ttftSeconds', reported.ttft_seconds]);
  if (reported.itl_seconds !== undefined) figures.push(['itlSeconds', reported.itl_seconds]);
  return figures;
}

/** Predict each figure of a reference with the given constants (undefined where the setup does not fit). */
function predictFigures(item: Prepared, constants: ServingConstantValues): Array<number | undefined> {
  const estimate = estimateServing(item.reference, {
    profile: item.profile,
    hardware: item.hardware,
    model: item.model,
    constants,
    curves: false,
  });
  return item.figures.map(([metric]) =>
    estimate.infeasible ? undefined : readMetric(estimate, metric, item.reference.reported.saturated),
  );
}

/**
 * A figure of an estimate as the source measured it: throughput at the
 * day's load (the peak where none is stated), prefill at its capacity for
 * a saturated benchmark.
 */
export function readMetric(estimate: ServingEstimate, metric: ServingMetric, saturated: boolean): number {
  const point = estimate.average;
  switch (metric) {
    case 'outputTokensPerSecondPerGpu':
      return point.outputTokensPerSecondPerGpu;
    case 'inputTokensPerSecondPerGpu':
      return saturated && estimate.disaggregated
        ? estimate.prefill.inputTokensPerSecondPerGpu
        : point.inputTokensPerSecondPerGpu;
    case 'tokensPerSecondPerUser':
      return point.tokensPerSecondPerUser;
    case 'ttftSeconds':
      return point.ttft.meanSeconds;
    case 'itlSeconds':
      return point.itl.meanSeconds;
  }
}

/**
 * The values of `ids` that minimise the sum of squared log errors over the
 * references' figures, each within its range (serving-constants.ts), by
 * coordinate descent with golden-section searches; the other constants
 * keep their registry values.
 */
export function fitConstants(prepared: readonly Prepared[], ids: readonly ServingConstantId[]): ServingConstantValues {
  const values: Record<ServingConstantId, number> = {...SERVING_CONSTANT_VALUES};
  if (ids.length === 0 || prepared.length === 0) return values;
  const loss = (): number => {
    let sum = 0;
    for (const item of prepared) {
      const predicted = predictFigures(item, values);
      item.figures.forEach(([, reported], index) => {
        const value = predicted[index];
        // A setup that no longer fits counts as a large miss, so the fit keeps every reference feasible.
        sum += value === undefined || !(value > 0) ? 25 : Math.log(value / reported) ** 2;
      });
    }
    return sum;
  };
  for (let round = 0; round < FIT_ROUNDS; round++) {
    for (const id of ids) {
      const {low, high} = servingConstant(id).fitInterval ?? servingConstant(id).range;
      values[id] = goldenSection(
        (x) => {
          values[id] = x;
          return loss();
        },
        low,
        high,
      );
    }
  }
  return values;
}

const FIT_ROUNDS = 2;
const GOLDEN_STEPS = 14;

/** The minimum of a unimodal function on [low, high] by golden-section search (to about 1% of the interval). */
function goldenSection(f: (x: number) => number, low: number, high: number): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = low;
  let b = high;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let step = 0; step < GOLDEN_STEPS; step++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}
