import type {UncertainLeaf} from '../../data/split-uncertain.js';
import type {DemandScenario} from '../../data/schemas/scenario.js';
import {demandOutcome, type DemandOutcome} from './demand-model.js';
import {
  DEFAULT_SAMPLING,
  forEachSample,
  percentiles,
  type Range,
  type SamplingOptions,
} from '../uncertainty/monte-carlo.js';

/** The demand model at one efficiency factor: nominal outcome and the range over the uncertain elasticity and pass-through. */
export interface DemandPoint {
  readonly efficiencyFactor: number;
  readonly nominal: DemandOutcome;
  readonly computeRatio: Range | undefined;
  readonly capabilityRatio: Range | undefined;
  /** Share of samples in which total compute rises (θε > 1); 0 or 1 without uncertainty. */
  readonly probabilityComputeRises: number;
}

export interface DemandEstimate {
  readonly kind: 'demand';
  readonly scenarioId: string;
  readonly elasticity: number;
  readonly passThrough: number;
  /** The 5th, 50th and 95th percentiles of the elasticity and the pass-through, when uncertain. */
  readonly elasticityRange: Range | undefined;
  readonly passThroughRange: Range | undefined;
  /** ε* = 1/θ: the elasticity above which cheaper capability raises total compute. */
  readonly breakEvenElasticity: number;
  readonly points: readonly DemandPoint[];
}

/** A demand scenario's pass-through, written as a number (or range) or with its own source (`{value, source}`). */
export function passThroughOf(scenario: Pick<DemandScenario, 'pass_through'>): number {
  return typeof scenario.pass_through === 'number' ? scenario.pass_through : scenario.pass_through.value;
}

/**
 * The demand scenario at each of its efficiency factors, with a seeded
 * Monte Carlo over its uncertain elasticity and pass-through: the bands a
 * chart of compute against efficiency shows.
 */
export function estimateDemand(
  scenario: DemandScenario,
  leaves: readonly UncertainLeaf[],
  sampling: SamplingOptions = DEFAULT_SAMPLING,
): DemandEstimate {
  const points = scenario.efficiency_factors.map((efficiencyFactor) => {
    const nominal = demandOutcome({
      efficiencyFactor,
      elasticity: scenario.elasticity,
      passThrough: passThroughOf(scenario),
    });
    if (leaves.length === 0 || sampling.samples <= 0) {
      return {
        efficiencyFactor,
        nominal,
        computeRatio: undefined,
        capabilityRatio: undefined,
        probabilityComputeRises: nominal.direction === 'rises' ? 1 : 0,
      };
    }
    const computeRatios: number[] = [];
    const capabilityRatios: number[] = [];
    let rising = 0;
    forEachSample<[DemandScenario]>([{nominal: scenario, leaves}], sampling, ([drawn]) => {
      const outcome = demandOutcome({
        efficiencyFactor,
        elasticity: drawn.elasticity,
        passThrough: passThroughOf(drawn),
      });
      computeRatios.push(outcome.computeRatio);
      capabilityRatios.push(outcome.capabilityRatio);
      if (outcome.direction === 'rises') rising++;
    });
    return {
      efficiencyFactor,
      nominal,
      computeRatio: percentiles(computeRatios),
      capabilityRatio: percentiles(capabilityRatios),
      probabilityComputeRises: rising / sampling.samples,
    };
  });
  const rangeOf = (...path: string[]): Range | undefined => {
    const leaf = leaves.find((each) => each.path.join('.') === path.join('.'));
    if (!leaf) return undefined;
    const at = (p: number) => leaf.distribution.quantile(p);
    return {p5: at(0.05), p50: at(0.5), p95: at(0.95)};
  };
  const passThrough = passThroughOf(scenario);
  return {
    kind: 'demand',
    scenarioId: scenario.id,
    elasticity: scenario.elasticity,
    passThrough,
    elasticityRange: rangeOf('elasticity'),
    passThroughRange:
      typeof scenario.pass_through === 'number' ? rangeOf('pass_through') : rangeOf('pass_through', 'value'),
    breakEvenElasticity: passThrough > 0 ? 1 / passThrough : Number.POSITIVE_INFINITY,
    points,
  };
}

/**
 * Every number of a demand estimate a page may print, by name: at each
 * efficiency factor the nominal outcome's ratios, then the percentiles of
 * the uncertain ones (`points[E = 2].computeRatio.p5`).
 */
export function demandNumbers(estimate: DemandEstimate): Array<readonly [string, number | undefined]> {
  const numbers: Array<readonly [string, number | undefined]> = [];
  for (const point of estimate.points) {
    const at = `points[E = ${point.efficiencyFactor}]`;
    for (const name of ['priceRatio', 'capabilityRatio', 'computeRatio', 'rebound'] as const)
      numbers.push([`${at}.${name}`, point.nominal[name]]);
    for (const [name, range] of [
      ['computeRatio', point.computeRatio],
      ['capabilityRatio', point.capabilityRatio],
    ] as const) {
      if (range)
        for (const percentile of ['p5', 'p50', 'p95'] as const)
          numbers.push([`${at}.${name}.${percentile}`, range[percentile]]);
    }
  }
  return numbers;
}
