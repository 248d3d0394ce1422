import {log} from '../../uncertain/portable-math.js';

/**
 * Waiting for prefill, as a single-server queue with Poisson arrivals and
 * deterministic service (M/D/1): prompts of one length arrive at random and
 * each takes the same share of the prefill server's time.
 *
 * - Mean wait: the Pollaczek–Khinchine formula, W = λ·E[S²] / (2(1 − ρ)),
 *   which for deterministic service S is ρ·S / (2(1 − ρ)) (Kleinrock,
 *   Queueing Systems Vol. 1, 1975, §5.6).
 * - Its distribution: an arrival waits with probability ρ, and a waiting
 *   time beyond zero is taken as exponential with the mean that gives W
 *   (the exponential tail of Kingman's heavy-traffic approximation, exact
 *   for M/M/1): P(wait > t) = ρ·exp(−ρ·t / W).
 */
export interface Wait {
  readonly meanSeconds: number;
  /** The waiting time at a percentile (0 < p < 1). */
  readonly atSeconds: (percentile: number) => number;
}

/** The wait of an M/D/1 queue at utilisation `utilization` (0 ≤ ρ < 1) and service time `serviceSeconds`. */
export function deterministicServiceWait(utilization: number, serviceSeconds: number): Wait {
  const rho = Math.min(Math.max(utilization, 0), MAX_UTILIZATION);
  const meanSeconds = rho <= 0 ? 0 : (rho * serviceSeconds) / (2 * (1 - rho));
  return {
    meanSeconds,
    atSeconds: (percentile) =>
      rho <= 0 || percentile <= 1 - rho ? 0 : (meanSeconds / rho) * log(rho / (1 - percentile)),
  };
}

/** The highest utilisation the queue is evaluated at: beyond it waits grow without bound. */
export const MAX_UTILIZATION = 0.99;

/**
 * The highest utilisation at which a latency (increasing with utilisation)
 * stays within a target, by bisection; zero when even an idle queue misses it.
 */
export function utilizationForTarget(latencyAt: (utilization: number) => number, targetSeconds: number): number {
  if (latencyAt(0) > targetSeconds) return 0;
  if (latencyAt(MAX_UTILIZATION) <= targetSeconds) return MAX_UTILIZATION;
  let low = 0;
  let high = MAX_UTILIZATION;
  for (let step = 0; step < 40; step++) {
    const middle = (low + high) / 2;
    if (latencyAt(middle) <= targetSeconds) low = middle;
    else high = middle;
  }
  return low;
}
