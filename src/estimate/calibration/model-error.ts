import {exp} from '../../uncertain/portable-math.js';
import {Z95} from '../../uncertain/distribution.js';
import {median} from './median.js';

/**
 * The estimator's own error on published runs it was not fitted to, as a
 * log-normal distribution of the ratio of predicted to reported throughput
 * (leave-one-out: each run predicted with the fitted constants refitted
 * without it). A log-normal, not the empirical errors resampled: with a
 * few dozen runs the empirical 5th and 95th percentiles rest on one or two
 * runs each, while a fitted log-normal uses them all, keeps the ratio
 * positive, treats over- and under-prediction by the same factor alike, and
 * extrapolates its tails smoothly (a normal fit to ln(ratio) by its mean and
 * standard deviation, the maximum-likelihood fit).
 */
export interface ModelError {
  /** Mean of ln(predicted / reported throughput): the model's bias. */
  readonly mu: number;
  /** Standard deviation of ln(predicted / reported throughput). */
  readonly sigma: number;
  /** Median absolute error, as the calibration quotes it (each figure in its own terms). */
  readonly medianAbsolute: number;
  /** The runs the distribution was fitted to. */
  readonly runs: number;
  /**
   * Standard deviation, across the calibrated chips, of each chip's mean
   * ln(ratio): how far the model's bias moves from one chip to another. A
   * chip without a measured rate takes it on top of `sigma`.
   */
  readonly betweenChips?: number;
  /**
   * The same fit over the runs of each FFN kind alone: dense models and
   * mixtures of experts. The model's error is not one distribution: its
   * MoE terms (all-to-all, host dispatch, expert GEMM shapes) carry errors
   * dense runs do not have, so one pooled fit gives dense estimates too wide
   * a range and MoE estimates too narrow a one (`modelErrorForFfn`).
   */
  readonly byFfn?: {readonly dense?: FfnModelError; readonly moe?: FfnModelError};
  /**
   * The correlation of the model's errors on two runs of one model on one chip (other layouts, batches or
   * precisions), fitted to the calibration's pairs of such runs (setupCorrelation): how much of its error a
   * factor between two such estimates keeps out. Errors on different models or chips are drawn independently.
   */
  readonly setupCorrelation?: number;
  /**
   * The calibration runs of each setup (setupKey: a model on a chip): how many, and the mean of their
   * ln(predicted / reported). An estimate of a setup the calibration has seen centres its error on what
   * those runs show, as far as their number and the correlation allow (modelErrorForSetup).
   */
  readonly setups?: Readonly<Record<string, SetupErrors>>;
}

/** The calibration runs of one setup (ModelError.setups). */
export interface SetupErrors {
  readonly runs: number;
  readonly meanLogRatio: number;
}

/** The name of a setup, a model on a chip: the unit the model's errors cluster by (ModelError.setupCorrelation). */
export function setupKey(modelId: string, hardwareId: string): string {
  return `${modelId} · ${hardwareId}`;
}

/** The model error over the runs of one FFN kind. */
export type FfnModelError = Pick<ModelError, 'mu' | 'sigma' | 'medianAbsolute' | 'runs'>;

/** One leave-one-out prediction: its model's FFN kind, the ratio of predicted to reported speed, the quoted error. */
export interface FfnPrediction {
  readonly ffn: 'dense' | 'moe' | undefined;
  readonly ratio: number;
  readonly quotedError: number;
}

/** The fits over the predictions of dense models and of mixtures of experts apart (a kind with under two, none). */
export function fitModelErrorByFfn(predictions: readonly FfnPrediction[]): NonNullable<ModelError['byFfn']> {
  const fit = (ffn: 'dense' | 'moe') => {
    const own = predictions.filter((prediction) => prediction.ffn === ffn);
    const error = fitModelError(
      own.map((prediction) => prediction.ratio),
      own.map((prediction) => prediction.quotedError),
    );
    return error === undefined
      ? {}
      : {[ffn]: {mu: error.mu, sigma: error.sigma, medianAbsolute: error.medianAbsolute, runs: error.runs}};
  };
  return {...fit('dense'), ...fit('moe')};
}

/**
 * Runs of one FFN kind below which its own fit is not used (the pooled one
 * is): with fewer, its standard deviation rests on too few runs to be read
 * as the model's error on that kind. A default, chosen here [D]: a sample
 * standard deviation over 8 normal draws is within ±25% of the true one
 * about two times in three (its relative spread is 1/√(2·7) = 0.27).
 */
export const MIN_FFN_RUNS = 8;

/**
 * The error an estimate of a model with this FFN kind carries: the fit over
 * the calibration runs of the same kind when there are enough of them,
 * otherwise the pooled one; the spread between chips stays the pooled one.
 */
export function modelErrorForFfn(error: ModelError, ffn: 'dense' | 'moe'): ModelError {
  const own = error.byFfn?.[ffn];
  if (!own || own.runs < MIN_FFN_RUNS) return error;
  return {
    ...own,
    ...(error.betweenChips === undefined ? {} : {betweenChips: error.betweenChips}),
    ...(error.setupCorrelation === undefined ? {} : {setupCorrelation: error.setupCorrelation}),
    ...(error.setups === undefined ? {} : {setups: error.setups}),
  };
}

/**
 * The error an estimate of one model on one chip carries, given the calibration runs of that setup
 * (ModelError.setups): a random-effects reading of the errors, where each setup has its own offset u from
 * its kind's bias μ, u ~ N(0, ρσ²), and each run adds its own, N(0, (1 − ρ)σ²) (ρ the setup correlation).
 * After n runs of the setup with mean error ē, u is known as N(k·(ē − μ), ρσ²·(1 − k)) with the shrinkage
 * k = nρ / (nρ + 1 − ρ) (the normal–normal posterior; Gelman et al., Bayesian Data Analysis, §5.4), so a new
 * run's error is N(μ + k·(ē − μ), σ²·(ρ(1 − k) + 1 − ρ)), and two new runs of the setup still share ρ(1 − k)
 * of that. A setup without calibration runs, or an error without a correlation, keeps the kind's error.
 */
export function modelErrorForSetup(
  error: ModelError,
  ffn: 'dense' | 'moe',
  modelId: string,
  hardwareId: string,
): ModelError {
  const kind = modelErrorForFfn(error, ffn);
  const rho = kind.setupCorrelation;
  const seen = kind.setups?.[setupKey(modelId, hardwareId)];
  if (rho === undefined || seen === undefined || seen.runs < 1) return kind;
  const shrinkage = (seen.runs * rho) / (seen.runs * rho + 1 - rho);
  const shared = rho * (1 - shrinkage);
  const variance = shared + 1 - rho;
  return {
    ...kind,
    mu: kind.mu + shrinkage * (seen.meanLogRatio - kind.mu),
    sigma: kind.sigma * Math.sqrt(variance),
    setupCorrelation: variance > 0 ? shared / variance : 0,
  };
}

/** Each setup's calibration runs (ModelError.setups) from the runs' predictions; a run with several figures counts once. */
export function setupErrors(predictions: readonly SetupPrediction[]): Record<string, SetupErrors> {
  const logsByRun = new Map<string, {key: string; logs: number[]}>();
  for (const prediction of predictions) {
    if (!(prediction.ratio > 0) || !Number.isFinite(prediction.ratio)) continue;
    const entry = logsByRun.get(prediction.run) ?? {key: setupKey(prediction.model, prediction.chip), logs: []};
    entry.logs.push(Math.log(prediction.ratio));
    logsByRun.set(prediction.run, entry);
  }
  const bySetup = new Map<string, number[]>();
  for (const {key, logs} of logsByRun.values()) {
    const runs = bySetup.get(key) ?? [];
    runs.push(logs.reduce((sum, value) => sum + value, 0) / logs.length);
    bySetup.set(key, runs);
  }
  const setups: Record<string, SetupErrors> = {};
  for (const key of [...bySetup.keys()].sort()) {
    const runs = bySetup.get(key) as number[];
    setups[key] = {runs: runs.length, meanLogRatio: runs.reduce((sum, value) => sum + value, 0) / runs.length};
  }
  return setups;
}

/** One leave-one-out prediction of a calibration run: its model, chip and FFN kind, and the ratio of predicted to reported speed. */
export interface SetupPrediction {
  /** The published run (a reference may give several figures: they are one run). */
  readonly run: string;
  readonly model: string;
  readonly chip: string;
  readonly ffn: 'dense' | 'moe' | undefined;
  readonly ratio: number;
}

/**
 * The correlation of the model's errors on two runs of one model on one chip
 * (ModelError.setupCorrelation), from every such pair of calibration runs:
 * for errors e = ln(predicted / reported) with the variance σ² of their kind
 * (modelErrorForFfn), E[(e₁ − e₂)²] / 2 = σ²·(1 − ρ), so ρ is one minus the
 * mean of (e₁ − e₂)² / 2σ² over the pairs, kept within 0 and 1 (the
 * pairwise moment estimator of a random-effects model's intraclass
 * correlation). Undefined without such a pair.
 */
export function setupCorrelation(predictions: readonly SetupPrediction[], error: ModelError): number | undefined {
  const shares: number[] = [];
  for (const [index, first] of predictions.entries()) {
    for (const second of predictions.slice(index + 1)) {
      if (first.run === second.run || first.model !== second.model || first.chip !== second.chip) continue;
      const {sigma} = modelErrorForFfn(error, first.ffn ?? 'dense');
      if (!(sigma > 0) || !(first.ratio > 0) || !(second.ratio > 0)) continue;
      shares.push((Math.log(first.ratio) - Math.log(second.ratio)) ** 2 / (2 * sigma ** 2));
    }
  }
  if (shares.length === 0) return undefined;
  const mean = shares.reduce((sum, share) => sum + share, 0) / shares.length;
  return Math.min(1, Math.max(0, 1 - mean));
}

/** The spread of the per-chip mean ln(ratio) (undefined with fewer than two chips). */
export function betweenChipsSigma(ratiosByChip: ReadonlyMap<string, readonly number[]>): number | undefined {
  const means = [...ratiosByChip.values()]
    .map((ratios) => ratios.filter((ratio) => ratio > 0 && Number.isFinite(ratio)).map(Math.log))
    .filter((logs) => logs.length > 0)
    .map((logs) => logs.reduce((sum, value) => sum + value, 0) / logs.length);
  if (means.length < 2) return undefined;
  const mean = means.reduce((sum, value) => sum + value, 0) / means.length;
  return Math.sqrt(means.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (means.length - 1));
}

/**
 * The error an estimate on a chip without a measured matmul rate carries:
 * the model's own, widened in quadrature by how much its bias moves between
 * chips (the extrapolated rate is one more chip the model was never checked on).
 */
export function extrapolatedModelError(error: ModelError): ModelError {
  const between = error.betweenChips ?? 0;
  return {...error, sigma: Math.sqrt(error.sigma ** 2 + between ** 2)};
}

/**
 * Fit the log-normal to throughput ratios (predicted over reported); undefined for fewer than two.
 * `quotedErrors`, when given, are the absolute errors the calibration quotes for the same
 * predictions (each figure in its own terms: a step time's error is not its throughput's), so
 * that the median error the search and the pages print is the one the calibration prints.
 */
export function fitModelError(ratios: readonly number[], quotedErrors?: readonly number[]): ModelError | undefined {
  const logs = ratios.filter((ratio) => ratio > 0 && Number.isFinite(ratio)).map(Math.log);
  if (logs.length < 2) return undefined;
  const mu = logs.reduce((sum, value) => sum + value, 0) / logs.length;
  const variance = logs.reduce((sum, value) => sum + (value - mu) ** 2, 0) / (logs.length - 1);
  const medianAbsolute = median((quotedErrors ?? ratios.map((ratio) => ratio - 1)).map(Math.abs)) as number;
  return {mu, sigma: Math.sqrt(variance), medianAbsolute, runs: logs.length};
}

/**
 * The factor a predicted step time is multiplied by in one Monte Carlo draw:
 * the reported throughput over the predicted one, drawn from the error
 * distribution (`standardNormal` a standard normal draw).
 */
export function stepFactor(error: ModelError, standardNormal: number): number {
  return exp(error.mu + error.sigma * standardNormal);
}

/**
 * How far apart the model may put two layouts (or batches, or precisions) of one setup and still not tell
 * them apart: the 5th and 95th percentiles of its error on their ratio, exp(±1.645·σ·√(2(1 − ρ))) − 1. The
 * bias μ cancels in a ratio, and the two runs share ρ of the error's variance (setupCorrelation; 0 without one).
 */
export function differenceSpread(error: ModelError): readonly [low: number, high: number] {
  const spread = Z95 * error.sigma * Math.sqrt(2 * (1 - (error.setupCorrelation ?? 0)));
  return [exp(-spread) - 1, exp(spread) - 1];
}
