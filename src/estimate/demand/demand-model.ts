import {expm1, log, pow} from '../../uncertain/portable-math.js';
/**
 * Does cheaper AI capability cut total compute, or raise it? The Jevons
 * paradox (W. S. Jevons, The Coal Question, 1865, ch. VII: more efficient
 * steam engines raised coal consumption) as a constant-elasticity model.
 *
 * Assumptions (all ratios are "after / before"; nothing else changes):
 * - demand for capability has a constant price elasticity ε ≥ 0: Q ∝ p^(−ε),
 *   so ε > 0 means more capability is bought when its price falls;
 * - an efficiency factor E ≥ 1 divides the compute needed per unit of
 *   capability (E = 2: half the FLOPs for the same answer);
 * - a share θ ∈ [0, 1] of the cost saving reaches the price, p1/p0 = E^(−θ)
 *   (θ = 1: the price follows cost; θ = 0: the seller keeps the saving);
 * - the price per FLOP is fixed, so compute spend moves with compute.
 * Then Q1/Q0 = E^(θε) and C1/C0 = (Q1/Q0)/E = E^(θε − 1): compute falls for
 * θε < 1, is unchanged at the break-even elasticity ε* = 1/θ, rises above it.
 */

export interface DemandInputs {
  /** E ≥ 1: compute per unit of capability before over after. */
  readonly efficiencyFactor: number;
  /** ε ≥ 0: price elasticity of demand for capability, Q ∝ p^(−ε). */
  readonly elasticity: number;
  /** θ ∈ [0, 1]: share of the cost saving passed on to the price. */
  readonly passThrough: number;
}

export interface DemandOutcome {
  /** p1/p0 = E^(−θ), price of a unit of capability. */
  readonly priceRatio: number;
  /** Q1/Q0 = E^(θε), capability demanded. */
  readonly capabilityRatio: number;
  /** C1/C0 = E^(θε − 1), total compute (and compute spend at a fixed price per FLOP). */
  readonly computeRatio: number;
  /**
   * Rebound effect as in energy economics (Sorrell & Dimitropoulos 2008,
   * Ecological Economics 65, 636–649):
   * R = 1 − actual saving / potential saving, with potential saving 1 − 1/E and
   * actual saving 1 − C1/C0. R = 0: the full saving is kept; R = 1: none is;
   * R > 1: "backfire", compute rises. At E = 1 (0/0) it is the limit E → 1,
   * which is θε, the same paper's definition by the efficiency elasticity
   * of demand for the service (here ∂ln Q/∂ln E = θε). For E > 1 the two
   * differ: E = 2, θε = 0.5 gives R = √2 − 1 ≈ 0.414; they agree at θε = 0 and 1.
   */
  readonly rebound: number;
  /** ε* = 1/θ, where compute is unchanged; Infinity for θ = 0. */
  readonly breakEvenElasticity: number;
  /** Sign of C1/C0 − 1; always 'unchanged' at E = 1. */
  readonly direction: 'falls' | 'unchanged' | 'rises';
}

export interface DemandCurveRow {
  readonly efficiencyFactor: number;
  readonly elasticity: number;
  readonly computeRatio: number;
  readonly capabilityRatio: number;
}

/**
 * |θε − 1| at or below this counts as break-even: θ·(1/θ) is not exactly 1 in
 * floating point (for about 15% of θ), yet ε = breakEvenElasticity must give
 * 'unchanged'. An exponent error of 1e-12 moves C1/C0 by 1e-12·ln E.
 */
export const BREAK_EVEN_TOLERANCE = 1e-12;

/** The outcome of one efficiency gain. Throws a RangeError on invalid inputs. */
export function demandOutcome(inputs: DemandInputs): DemandOutcome {
  const {efficiencyFactor, elasticity, passThrough} = inputs;
  checkEfficiencyFactor(efficiencyFactor);
  checkElasticity(elasticity);
  checkPassThrough(passThrough);
  const reboundElasticity = passThrough * elasticity;
  const rawExponent = reboundElasticity - 1;
  const computeExponent = Math.abs(rawExponent) <= BREAK_EVEN_TOLERANCE ? 0 : rawExponent;
  const logEfficiency = log(efficiencyFactor);
  // actual / potential = (1 − E^a) / (1 − E^−1); expm1 keeps precision for E near 1.
  const rebound =
    logEfficiency === 0 ? 1 + computeExponent : 1 - expm1(computeExponent * logEfficiency) / expm1(-logEfficiency);
  const logComputeRatio = computeExponent * logEfficiency;
  return {
    priceRatio: pow(efficiencyFactor, -passThrough),
    capabilityRatio: pow(efficiencyFactor, reboundElasticity),
    computeRatio: pow(efficiencyFactor, computeExponent),
    rebound,
    breakEvenElasticity: passThrough === 0 ? Infinity : 1 / passThrough,
    direction: logComputeRatio < 0 ? 'falls' : logComputeRatio > 0 ? 'rises' : 'unchanged',
  };
}

/**
 * One row per (E, ε) pair, for Vega-Lite: efficiency factors outer, elasticities
 * inner, each in the order given (duplicates kept). Throws a RangeError on invalid inputs.
 */
export function demandCurve(
  efficiencyFactors: readonly number[],
  elasticities: readonly number[],
  passThrough: number,
): DemandCurveRow[] {
  checkPassThrough(passThrough);
  return efficiencyFactors.flatMap((efficiencyFactor) =>
    elasticities.map((elasticity) => {
      const {computeRatio, capabilityRatio} = demandOutcome({efficiencyFactor, elasticity, passThrough});
      return {efficiencyFactor, elasticity, computeRatio, capabilityRatio};
    }),
  );
}

function checkEfficiencyFactor(value: number): void {
  if (!Number.isFinite(value) || value < 1) {
    throw new RangeError(
      `efficiencyFactor must be a finite number >= 1 (compute per unit before / after), got ${value}`,
    );
  }
}

function checkElasticity(value: number): void {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`elasticity must be a finite number >= 0, got ${value}`);
}

function checkPassThrough(value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`passThrough must be a finite number in [0, 1], got ${value}`);
  }
}
