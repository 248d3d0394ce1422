import type {Catalog} from '../data/catalog.js';
import {unknownIdReason} from '../diagnostics/nearest-id.js';
import type {Scenario} from '../data/schemas/scenario.js';
import type {Hardware} from '../data/schemas/hardware.js';
import type {Model} from '../data/schemas/model.js';
import {DEFAULT_SAMPLING, type SamplingOptions} from '../estimate/uncertainty/monte-carlo.js';
import {demandCurve, demandOutcome} from '../estimate/demand/demand-model.js';
import {CAPEX_HELD_WITHIN, capexChange} from '../estimate/demand/capex-change.js';
import {memoizedSearch} from '../estimate/training/search-cache.js';
import {
  estimateFactor,
  pointDraws,
  type FactorSide,
  estimatePoint,
  kindsWith,
  scenarioKind,
  sweepPointsOf,
  type AnyEstimate,
  type Factor,
  type SweepPoint,
} from '../estimate/kinds.js';
import {DEFAULT_SWING, type SensitivityRow} from '../estimate/uncertainty/sensitivity.js';
import {UsageRecorder, type UsageKey} from '../data/catalog-usage.js';
import {
  CALIBRATION_TARGETS,
  calibrateCatalog,
  uncalibratedHardware,
  type Calibration,
} from '../estimate/training/calibrate-catalog.js';
import type {CalibrationRow} from '../estimate/training/calibration.js';
import {
  differenceSpread,
  MIN_FFN_RUNS,
  modelErrorForFfn,
  type ModelError,
} from '../estimate/calibration/model-error.js';
import {nonFiniteOutputs, nonFiniteReason} from '../estimate/non-finite.js';
import {describeLayout, describeParallelism} from '../estimate/training/describe-layout.js';
import {deviceMemoryBytes} from '../estimate/chip-rates.js';
import {countParameters, type ParameterCounts} from '../estimate/parameters.js';
import {figureKey} from '../check/setups.js';
import {calibrationPoints} from '../data/calibration-points.js';
import {precisionSchema} from '../data/schemas/common.js';
import {
  MODEL_CONSTANTS,
  NOMINAL_CONSTANTS,
  type ModelConstant,
  type ModelConstantName,
} from '../estimate/model-constants.js';
import {memoryFitShare} from '../estimate/training/memory-frontier.js';
import {
  calibrateServing,
  SERVING_CALIBRATION_TARGET,
  type ServingCalibration,
  servingFiguresBeyondTarget,
} from '../estimate/inference/calibration.js';
import {SERVING_CONSTANT_LIST} from '../estimate/inference/serving-constants.js';
import {DEFAULT_ENERGY, type EnergyAssumptions} from '../estimate/energy.js';
import {formatQuantity, formatRange} from './format-quantity.js';
import {TemplateError} from './template-error.js';
import {byKey} from '../tool/compare.js';
import {deepFreeze} from './read-only.js';

/** A training, inference or demand estimate, told apart by `kind` (src/estimate/kinds.ts). */
export type {AnyEstimate};

/** Names every template can use without importing them. */
export interface TemplateScope {
  /**
   * Every record of the data, as lists sorted by id, and one record by id
   * (`catalog.chip('h800-sxm')`): prefer the lookups, as a report that reads
   * a whole list is rebuilt whenever any record of it changes.
   */
  readonly catalog: {
    readonly hardware: readonly Hardware[];
    readonly models: readonly Model[];
    readonly scenarios: readonly Scenario[];
    readonly chip: (id: string) => Hardware;
    readonly model: (id: string) => Model;
    readonly scenario: (id: string) => Scenario;
  };
  /**
   * The estimate of a scenario (with p5–p95 ranges when inputs are uncertain), optionally at another
   * point of its sweep: a training estimate, or an inference one for `kind: inference` scenarios.
   */
  readonly estimate: (scenarioId: string, overrides?: SweepPoint) => AnyEstimate;
  /** One estimate per point of a scenario's sweep. */
  readonly sweep: (scenarioId: string) => AnyEstimate[];
  /** Inputs ranked by how far they move an output (p5–p95 of their range, or ±10%), for tornado charts; at a sweep point if given. */
  readonly sensitivity: (scenarioId: string, output: string, point?: SweepPoint) => SensitivityRow[];
  /** The share `sensitivity` moves an input given without a range by, each way (0.1: ±10%). */
  readonly sensitivitySwing: number;
  /**
   * How many times one estimate's output is another's (`factor({scenario: 'a'}, {scenario: 'b', point: {precision:
   * 'fp8'}}, 'gpuHours')`): the ratio of their medians, with the 5th–95th percentiles of the ratio drawn jointly
   * (estimateFactor), so shared inputs cancel and the model's own error stays in.
   */
  readonly factor: (numerator: FactorOperand, denominator: FactorOperand, output: string) => Factor;
  /** A factor as a page prints it: `9.59× (6.2–15×)`. */
  readonly formatFactor: (factor: Factor) => string;
  /** The demand model: does cheaper capability reduce total compute? (src/estimate/demand/demand-model.ts) */
  readonly demandOutcome: typeof demandOutcome;
  /** A buyer's capex change after DeepSeek-R1 at the guidance midpoints, and whether it counts as raised, held or cut. */
  readonly capexChange: typeof capexChange;
  /** The default share within which a capex change counts as held. */
  readonly capexHeldWithin: number;
  readonly demandCurve: typeof demandCurve;
  /** Every published run of data/references.yaml against its prediction (in sample and leave-one-out), in id order. */
  readonly calibration: () => readonly CalibrationRow[];
  /** The whole calibration (rows, fitted constants, errors, the model's error, its groups), and the chips no calibration run checks. */
  readonly calibrationSummary: () => Calibration & {readonly uncalibratedHardware: readonly string[]};
  /**
   * Median absolute leave-one-out error of the calibration rows (each run predicted by constants fitted without
   * it); given a model id, over the runs of models with its FFN kind (dense or MoE), the error that model's
   * ranges and layout choices carry (src/estimate/calibration/model-error.ts, modelErrorForFfn).
   */
  readonly calibrationMedianError: (modelId?: string) => number | undefined;
  /** The calibration's targets (issue #14): the median leave-one-out error, and every run's, as `tradeoffs calibrate` checks them. */
  readonly calibrationTargets: typeof CALIBRATION_TARGETS;
  /** The model error an estimate of a model with this FFN kind carries (modelErrorForFfn): its fit, or the pooled one. */
  readonly calibrationModelError: (ffn: 'dense' | 'moe') => ModelError | undefined;
  /**
   * The 5th and 95th percentiles of that error on a change between two layouts, batches or precisions of one
   * setup (differenceSpread): a change within them is one the model cannot tell from none.
   */
  readonly changeSpread: (ffn: 'dense' | 'moe') => readonly [low: number, high: number] | undefined;
  /**
   * The share of Monte Carlo draws in which a layout that needs `memoryRatio` of its chip's memory by the
   * memory model fits, once the draws scale memory by that model's own error (memory-frontier.ts).
   */
  readonly memoryFitShare: (memoryRatio: number) => number;
  /** Runs of one FFN kind below which its estimates take the model error fitted over every run. */
  readonly minFfnRuns: number;
  /** Every constant of the estimator (src/estimate/model-constants.ts): value, unit, range, source, status. */
  readonly modelConstants: () => ReadonlyArray<ModelConstant & {readonly name: ModelConstantName}>;
  /**
   * Every published serving result of data/references.yaml (`kind: inference`) against its prediction,
   * in sample and leave-one-out, with the constants fitted to them (src/estimate/inference/calibration.ts).
   */
  readonly servingCalibration: () => ServingCalibration;
  /** The serving model's target (issue #15): every figure's leave-one-out error within it, as `tradeoffs calibrate` checks it. */
  readonly servingCalibrationTarget: typeof SERVING_CALIBRATION_TARGET;
  /** The serving figures not within that target left out (one with no prediction is not), worst first. */
  readonly servingFiguresBeyondTarget: () => ServingCalibration['rows'];
  /** The serving model's constants, in the training registry's record shape: value, unit, range, status and source. */
  readonly servingConstants: ReadonlyArray<ModelConstant & {readonly id: string}>;
  /** The energy assumptions a scenario without `energy:` gets (src/estimate/energy.ts): board power, node overhead, PUE, grid. */
  readonly energyDefaults: EnergyAssumptions;
  /** The Monte Carlo this build runs every estimate's ranges with: samples and seed. */
  readonly sampling: SamplingOptions;
  /** What a predicted training estimate's ranges are drawn over, in words for captions (src/estimate/training/training-ranges.ts). */
  readonly trainingDraws: string;
  /** Format a number with its unit as the rest of the site does. */
  readonly format: typeof formatQuantity;
  /** Format a p5/p50/p95 range with its unit: `2.67M GPU-h (2.3–3.1M GPU-h)`. */
  readonly formatRange: typeof formatRange;
  /** `tp 1 · pp 16 · …`: a layout in words. */
  readonly describeLayout: typeof describeLayout;
  /** `no TP, PP 16 with DualPipe, EP 64, ZeRO-1`: what a scenario or run states of its layout (its `parallelism`). */
  readonly describeParallelism: typeof describeParallelism;
  /** Names joined as prose: `a`, `a and b`, `a, b and c`. */
  readonly listOf: (names: readonly string[]) => string;
  /** A chip's memory in bytes as the estimator divides it up (the device-reported MiB where the data gives them, else the marketed GB). */
  readonly deviceMemoryBytes: typeof deviceMemoryBytes;
  /**
   * A model's parameter counts computed from its architecture: the counts every estimate uses, so a page
   * quoting a model's size shows the figure its estimates divide up, not the publisher's rounded one.
   */
  readonly parametersOf: (modelId: string) => ParameterCounts;
  /**
   * The 5th, 50th and 95th percentiles of one input as the data gives it (`inputRange('hardware',
   * 'h100-sxm', 'price.usd_per_gpu_hour')`): its distribution's, or the number three times.
   */
  readonly inputRange: (
    kind: 'hardware' | 'scenario',
    id: string,
    path: string,
  ) => {p5: number; p50: number; p95: number} | undefined;
  /**
   * The published runs that check an estimate on a chip in a precision (src/data/calibration-points.ts):
   * an empty list marks an extrapolation, which every chart showing it marks.
   */
  readonly calibrationPoints: (hardwareId: string, precision: string) => string[];
  /** The key of a figure (a scenario point's output), the same wherever its setup and assumptions are written. */
  readonly figureKey: (scenarioId: string, point: SweepPoint, output: string) => string | undefined;
}

/** What training-ranges.ts draws a predicted training estimate over: one phrase for every caption that says it. */
const TRAINING_DRAWS =
  "goodput, the model's constants, its error on published runs (wider where a chip's matrix-multiply rate is not measured) and, where layouts near the edge of the memory compete, the memory model's error";

/**
 * Where estimates outlive a build (src/build/estimate-cache.ts): a kept
 * estimate under its memo key, with the records it read; `get` answers only
 * when those records are as they were. Estimates are pure, so a kept one is
 * the value computing it would give.
 */
export interface EstimateStore {
  get(key: string): {readonly value: AnyEstimate; readonly used: readonly UsageKey[]} | undefined;
  set(key: string, value: AnyEstimate, used: ReadonlySet<UsageKey>): void;
}

/**
 * Build the scope templates run with. Estimates are memoised, so a number
 * used by several components of a build is computed once, and every lookup
 * by id fails with the nearest known id. Given a catalog tracked by
 * `recorder` (see trackCatalog), memoised estimates keep the records they
 * read, so reusing one still counts them. Given a `store`, an estimate
 * kept there from the same records is taken instead of computed, and one
 * computed is kept.
 */
/** One side of a factor: a scenario, at a point of its sweep if given. */
export interface FactorOperand {
  readonly scenario: string;
  readonly point?: SweepPoint;
}

export function createTemplateScope(
  catalog: Catalog,
  sampling: SamplingOptions = DEFAULT_SAMPLING,
  recorder: UsageRecorder = new UsageRecorder(),
  store?: EstimateStore,
): TemplateScope {
  // What templates are given is shared by every report of the build: read-only (read-only.ts).
  for (const records of [catalog.hardware, catalog.models, catalog.scenarios, catalog.references, catalog.sources])
    for (const record of records.values()) deepFreeze(record);
  const cache = new Map<string, {value: AnyEstimate; used: Set<UsageKey>}>();
  const search = memoizedSearch();
  const byId =
    <T>(kind: string, records: ReadonlyMap<string, T>) =>
    (id: unknown): T => {
      const record = typeof id === 'string' ? records.get(id) : undefined;
      if (!record) throw new TemplateError(unknownIdReason(kind, String(id), records.keys()), undefined, 'unknown-id');
      return record;
    };
  const scenarioById = byId('scenario', catalog.scenarios);
  const modelById = byId('model', catalog.models);
  const modelErrorOfFfn = (ffn: 'dense' | 'moe') => {
    const error = calibrated().modelError;
    return error === undefined ? undefined : modelErrorForFfn(error, ffn);
  };
  // What an estimate reads besides the catalog: one layout search and one calibration for the build.
  const context = {
    search,
    modelError: () => calibrated().modelError,
    servingModelError: () => servingCalibration().modelError,
  };
  const estimate = (scenarioId: string, overrides: SweepPoint = {}): AnyEstimate => {
    const scenario = scenarioById(scenarioId);
    if (overrides.hardware !== undefined && !catalog.hardware.has(overrides.hardware)) {
      throw new TemplateError(
        unknownIdReason('hardware', overrides.hardware, catalog.hardware.keys()),
        undefined,
        'unknown-id',
      );
    }
    const key = pointKey(scenarioId, overrides);
    let computed = false;
    const estimated = recorder.memo(cache, key, () => {
      // The records looked up above are the estimate's too: a kept one depends on them (its scenario, the chip asked for).
      recorder.record(`scenarios:${scenarioId}`);
      if (overrides.hardware !== undefined) recorder.record(`hardware:${overrides.hardware}`);
      const kept = store?.get(key);
      if (kept) {
        recorder.recordAll(kept.used);
        return deepFreeze(kept.value);
      }
      computed = true;
      return deepFreeze(estimatePoint(catalog, scenario, overrides, sampling, context));
    });
    const memo = cache.get(key);
    if (computed && memo) store?.set(key, estimated, memo.used);
    const overflowing = nonFiniteOutputs(estimated);
    if (overflowing.length > 0) {
      const file = catalog.origins.get(scenario)?.source.path ?? 'its data';
      throw new TemplateError(nonFiniteReason(scenarioId, overflowing, file), undefined, 'invalid-value');
    }
    return estimated;
  };
  // A point's draws are drawn once per build, however many factors it is a side of.
  const drawsCache = new Map<string, {value: FactorSide['draws']; used: Set<UsageKey>}>();
  const factorSide = (operand: FactorOperand): FactorSide => {
    const scenario = scenarioById(operand.scenario);
    const point = operand.point ?? {};
    const estimated = estimate(operand.scenario, point);
    const draws = recorder.memo(drawsCache, pointKey(operand.scenario, point), () =>
      pointDraws(catalog, scenario, point, sampling, context),
    );
    return {scenario, estimate: estimated, draws};
  };
  const factorCache = new Map<string, {value: Factor; used: Set<UsageKey>}>();
  const factor = (numerator: FactorOperand, denominator: FactorOperand, output: string): Factor => {
    const key = JSON.stringify([
      pointKey(numerator.scenario, numerator.point ?? {}),
      pointKey(denominator.scenario, denominator.point ?? {}),
      output,
    ]);
    return recorder.memo(factorCache, key, () => {
      try {
        return deepFreeze(estimateFactor(factorSide(numerator), factorSide(denominator), output));
      } catch (error) {
        if (error instanceof TemplateError) throw error;
        throw new TemplateError(`factor(…, '${output}'): ${(error as Error).message}`, undefined);
      }
    });
  };
  const calibrationCache = new Map<string, {value: Calibration; used: Set<UsageKey>}>();
  // The calibration alone: what an estimate's model error needs (not every chip of the catalog).
  const calibrated = () => {
    const summary = recorder.memo(calibrationCache, 'calibration', () => deepFreeze(calibrateCatalog(catalog)));
    const overflowing = summary.rows.filter((row) =>
      [row.predicted, row.relativeError, row.looPredicted].some(
        (value) => value !== undefined && !Number.isFinite(value),
      ),
    );
    if (overflowing.length > 0) {
      const [row] = overflowing as [CalibrationRow];
      const reference = catalog.references.get(row.id);
      const file = (reference && catalog.origins.get(reference)?.source.path) ?? 'its data';
      throw new TemplateError(
        `The calibration of \`${row.id}\` is not a finite number (predicted = ${row.predicted}): an input in ${file}, or of its model or hardware, is far too large or too small, expected realistic magnitudes`,
        undefined,
        'invalid-value',
      );
    }
    return summary;
  };
  const calibrationSummary = () => {
    const summary = calibrated();
    return Object.freeze({...summary, uncalibratedHardware: Object.freeze(uncalibratedHardware(catalog, summary))});
  };
  const servingCache = new Map<string, {value: ServingCalibration; used: Set<UsageKey>}>();
  const servingCalibration = () => {
    const calibrated = recorder.memo(servingCache, 'serving-calibration', () => deepFreeze(calibrateServing(catalog)));
    const overflowing = calibrated.rows.find((row) =>
      [row.predicted, row.leaveOneOutPredicted].some((value) => value !== undefined && !Number.isFinite(value)),
    );
    if (overflowing) {
      const reference = catalog.references.get(overflowing.referenceId);
      const file = (reference && catalog.origins.get(reference)?.source.path) ?? 'its data';
      throw new TemplateError(
        `The calibration of \`${overflowing.referenceId}\` is not a finite number (predicted = ${overflowing.predicted}): an input in ${file}, or of its model or hardware, is far too large or too small, expected realistic magnitudes`,
        undefined,
        'invalid-value',
      );
    }
    return calibrated;
  };
  const sorted = <T extends {id: string}>(records: Iterable<T>) => [...records].sort(byKey((record) => record.id));
  return Object.freeze<TemplateScope>({
    // Getters, so that a template reading a whole collection is recorded as depending on all of it.
    catalog: Object.freeze({
      get hardware() {
        return sorted(catalog.hardware.values());
      },
      get models() {
        return sorted(catalog.models.values());
      },
      get scenarios() {
        return sorted(catalog.scenarios.values());
      },
      chip: byId('hardware', catalog.hardware),
      model: byId('model', catalog.models),
      scenario: scenarioById,
    }),
    estimate,
    sweep: (scenarioId) => {
      return sweepPointsOf(scenarioById(scenarioId)).map((point) => estimate(scenarioId, point));
    },
    factor,
    formatFactor: (value) =>
      value.p5 === undefined || value.p95 === undefined
        ? formatQuantity(value.value, 'times')
        : formatRange({p5: value.p5, p50: value.value, p95: value.p95}, 'times'),
    sensitivitySwing: DEFAULT_SWING,
    sensitivity: (scenarioId, output, point = {}) => {
      const scenario = scenarioById(scenarioId);
      const {sensitivity} = scenarioKind(scenario.kind);
      if (!sensitivity)
        throw new TemplateError(
          `sensitivity() takes a ${kindsWith('sensitivity').join(' or ')} scenario, \`${scenarioId}\` is a ${scenario.kind} scenario`,
          undefined,
        );
      try {
        return sensitivity(catalog, scenario, output, point);
      } catch (error) {
        throw new TemplateError(`sensitivity('${scenarioId}', '${output}'): ${(error as Error).message}`, undefined);
      }
    },
    demandOutcome,
    capexChange,
    capexHeldWithin: CAPEX_HELD_WITHIN,
    demandCurve,
    calibration: () => calibrated().rows,
    calibrationSummary,
    minFfnRuns: MIN_FFN_RUNS,
    calibrationTargets: deepFreeze({...CALIBRATION_TARGETS}),
    calibrationMedianError: (modelId?: string) => {
      if (modelId === undefined) return calibrated().errors.all.medianLeaveOneOut;
      return modelErrorOfFfn(modelById(modelId).ffn.kind)?.medianAbsolute;
    },
    calibrationModelError: (ffn: 'dense' | 'moe') => modelErrorOfFfn(ffn),
    memoryFitShare: (memoryRatio: number) => memoryFitShare(memoryRatio, NOMINAL_CONSTANTS.memoryErrorRatio),
    changeSpread: (ffn: 'dense' | 'moe') => {
      const error = modelErrorOfFfn(ffn);
      return error && differenceSpread(error);
    },
    // Copies, frozen: the registries' own records (and their ranges) are what every estimate reads.
    modelConstants: () =>
      deepFreeze(
        (Object.keys(MODEL_CONSTANTS) as ModelConstantName[]).map((name) =>
          structuredClone({name, ...MODEL_CONSTANTS[name]}),
        ),
      ),
    servingCalibration,
    servingCalibrationTarget: deepFreeze({...SERVING_CALIBRATION_TARGET}),
    servingFiguresBeyondTarget: () => servingFiguresBeyondTarget(servingCalibration()),
    servingConstants: deepFreeze(structuredClone(SERVING_CONSTANT_LIST)),
    energyDefaults: deepFreeze({...DEFAULT_ENERGY}),
    sampling: deepFreeze({samples: sampling.samples, seed: sampling.seed}),
    trainingDraws: TRAINING_DRAWS,
    format: formatQuantity,
    formatRange,
    describeLayout,
    describeParallelism,
    listOf: (names: readonly string[]) =>
      names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`,
    deviceMemoryBytes,
    parametersOf: (modelId) => deepFreeze(countParameters(modelById(modelId))),
    inputRange: (kind, id, path) => {
      const record: object = kind === 'hardware' ? byId('hardware', catalog.hardware)(id) : scenarioById(id);
      const segments = path.split('.');
      const leaf = (catalog.uncertainty.get(record) ?? []).find((each) => each.path.join('.') === path);
      if (leaf) return leaf.distribution.percentiles;
      let value: unknown = record;
      for (const segment of segments) value = (value as Record<string, unknown> | undefined)?.[segment];
      return typeof value === 'number' ? {p5: value, p50: value, p95: value} : undefined;
    },
    calibrationPoints: (hardwareId, precision) => {
      const known = precisionSchema.safeParse(precision);
      if (!known.success)
        throw new TemplateError(
          `calibrationPoints() takes a precision (${precisionSchema.options.join(', ')}), got \`${String(precision)}\``,
          undefined,
        );
      return calibrationPoints(catalog, hardwareId, known.data);
    },
    figureKey: (scenarioId, point, output) => figureKey(catalog, scenarioById(scenarioId), point, output),
  });
}

/** One scenario point's key in the scope's memos (estimates, draws): the same point whatever order its fields were written in. */
function pointKey(scenarioId: string, point: SweepPoint): string {
  return JSON.stringify([
    scenarioId,
    point.hardware,
    point.gpus,
    point.precision,
    point.technique,
    point.concurrency,
    point.utilization,
  ]);
}
