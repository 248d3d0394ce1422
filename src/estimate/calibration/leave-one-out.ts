import {MODEL_CONSTANTS, type ConstantValues, type ModelConstant, type ModelConstantName} from '../model-constants.js';

/**
 * Fitting the estimator's fitted constants to a calibration set, and
 * leave-one-out: refit without each run, then predict it. Generic over the
 * runs (training references, serving measurements…): a case only says how
 * far off its prediction is for given constants.
 */

/** One calibration run: predicted over reported throughput for given constants (undefined when it cannot be predicted). */
export interface CalibrationCase {
  readonly id: string;
  ratio(constants: ConstantValues): number | undefined;
}

/** Fitted constants and what they achieve. */
export interface ConstantFit {
  readonly values: Readonly<Partial<Record<ModelConstantName, number>>>;
  /** The objective at the fit: the sum over runs of |ln(predicted / reported)|. */
  readonly objective: number;
}

/** A run predicted by constants fitted without it. */
export interface LeftOut {
  readonly id: string;
  readonly fit: ConstantFit;
  readonly ratio: number | undefined;
}

export interface LeaveOneOut {
  /** The constants fitted to every run (what model-constants.ts must hold). */
  readonly inSample: ConstantFit;
  /** Each run's own in-sample ratio at `inSample`. */
  readonly inSampleRatios: ReadonlyMap<string, number | undefined>;
  readonly folds: readonly LeftOut[];
}

/** Coarse grid points per constant, then two refinements of a fifth of the step around the best. */
const COARSE_POINTS = 26;
const REFINEMENTS = 2;
const REFINE_POINTS = 11;
/** Passes of coordinate descent when several constants are fitted. */
const PASSES = 3;

/**
 * Cache each case's ratio by the values of the constants it depends on: the folds of a leave-one-out search
 * mostly the same grid, so each prediction is made once. A case reads the same at both ends of a constant's
 * fit interval only if that constant does not act on it (a dense run and the host's dispatch time, a graphed
 * run and the ungraphed launch time): the fitted constants act monotonically on a step (a rate, or a time
 * inside a max), so such a case's key leaves the constant out, and varying it re-predicts only the cases it
 * moves.
 */
function memoised(
  cases: readonly CalibrationCase[],
  fitted: readonly ModelConstantName[],
  base: ConstantValues,
): CalibrationCase[] {
  return cases.map((each) => {
    const cache = new Map<string, number | undefined>();
    const atBase = each.ratio(base);
    const acting = fitted.filter((name) => {
      const constant: ModelConstant = MODEL_CONSTANTS[name];
      const interval = constant.fitInterval ?? constant.range;
      return (
        each.ratio({...base, [name]: interval.low}) !== atBase ||
        each.ratio({...base, [name]: interval.high}) !== atBase
      );
    });
    return {
      id: each.id,
      ratio: (constants) => {
        const key = acting.map((name) => constants[name]).join(',');
        if (cache.has(key)) return cache.get(key);
        const ratio = each.ratio(constants);
        cache.set(key, ratio);
        return ratio;
      },
    };
  });
}

/**
 * Sum of absolute log errors over the cases: least absolute deviations, so
 * that one run the model cannot capture (an implementation far from the
 * others) does not drag the fit as squares would. A run that cannot be
 * predicted counts as a factor-of-e miss.
 */
function objective(cases: readonly CalibrationCase[], constants: ConstantValues, skip: string | undefined): number {
  let sum = 0;
  for (const each of cases) {
    if (each.id === skip) continue;
    const ratio = each.ratio(constants);
    sum += ratio === undefined || !(ratio > 0) ? 1 : Math.abs(Math.log(ratio));
  }
  return sum;
}

/** The values of `low..high` in `points` even steps. */
function grid(low: number, high: number, points: number): number[] {
  return Array.from({length: points}, (_, index) => low + ((high - low) * index) / (points - 1));
}

/**
 * Fit the named constants to the cases (all but `skip`) by a deterministic
 * search: for each constant in turn, a grid over its fit interval
 * (model-constants.ts), refined twice around the best point; coordinate
 * descent over the constants. Ties go to the smaller value.
 */
export function fitConstants(
  cases: readonly CalibrationCase[],
  fitted: readonly ModelConstantName[],
  base: ConstantValues,
  skip?: string,
): ConstantFit {
  let current: ConstantValues = base;
  let best = objective(cases, current, skip);
  for (let pass = 0; pass < (fitted.length > 1 ? PASSES : 1); pass++) {
    // A pass that moves no constant leaves the next one the same grids from the same point: the fit is done.
    const before = current;
    for (const name of fitted) {
      const constant: ModelConstant = MODEL_CONSTANTS[name];
      const interval = constant.fitInterval ?? constant.range;
      let step = (interval.high - interval.low) / (COARSE_POINTS - 1);
      let candidates = grid(interval.low, interval.high, COARSE_POINTS);
      for (let round = 0; round <= REFINEMENTS; round++) {
        for (const value of candidates) {
          const trial = {...current, [name]: value};
          const score = objective(cases, trial, skip);
          if (score < best || (score === best && value < current[name])) {
            best = score;
            current = trial;
          }
        }
        const centre = current[name];
        const low = Math.max(interval.low, centre - step);
        const high = Math.min(interval.high, centre + step);
        step = (high - low) / (REFINE_POINTS - 1);
        candidates = grid(low, high, REFINE_POINTS);
      }
    }
    if (current === before) break;
  }
  const values: Partial<Record<ModelConstantName, number>> = {};
  for (const name of fitted) values[name] = current[name];
  return {values, objective: best};
}

/**
 * Fit the constants to every case, then refit without each case and
 * predict it with the refit: the leave-one-out errors say how the model
 * does on a run it was not fitted to.
 */
export function leaveOneOut(
  cases: readonly CalibrationCase[],
  fitted: readonly ModelConstantName[],
  base: ConstantValues,
): LeaveOneOut {
  const cached = memoised(cases, fitted, base);
  const inSample = fitConstants(cached, fitted, base);
  const atFit = {...base, ...inSample.values};
  const inSampleRatios = new Map(cached.map((each) => [each.id, each.ratio(atFit)] as const));
  const folds = cached.map((each) => {
    const fit = fitConstants(cached, fitted, base, each.id);
    return {id: each.id, fit, ratio: each.ratio({...base, ...fit.values})};
  });
  return {inSample, inSampleRatios, folds};
}
