import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
  deterministicServiceWait,
  MAX_UTILIZATION,
  utilizationForTarget,
} from '../../../src/estimate/inference/queueing.js';

/** The prefill queue (src/estimate/inference/queueing.ts): M/D/1 with an exponential tail. */

const RUNS = {numRuns: 200};

describe('the M/D/1 wait', () => {
  it('has the Pollaczek–Khinchine mean ρS/(2(1−ρ)): half a service at ρ = 0.5, twice one at ρ = 0.8', () => {
    expect(deterministicServiceWait(0.5, 1).meanSeconds).toBeCloseTo(0.5, 12);
    expect(deterministicServiceWait(0.8, 1).meanSeconds).toBeCloseTo(2, 12);
    expect(deterministicServiceWait(0, 1).meanSeconds).toBe(0);
  });

  it('is zero for the share 1 − ρ of arrivals that find the server idle', () => {
    const wait = deterministicServiceWait(0.3, 2);
    expect(wait.atSeconds(0.5)).toBe(0);
    expect(wait.atSeconds(0.69)).toBe(0);
    expect(wait.atSeconds(0.9)).toBeGreaterThan(0);
  });

  it('has an exponential tail whose mean is the Pollaczek–Khinchine mean (numerical integral of the quantiles)', () => {
    const wait = deterministicServiceWait(0.7, 1);
    const steps = 200_000;
    let sum = 0;
    for (let index = 0; index < steps; index++) sum += wait.atSeconds((index + 0.5) / steps);
    expect(sum / steps).toBeCloseTo(wait.meanSeconds, 2);
  });

  it('grows with the utilisation and the percentile', () => {
    fc.assert(
      fc.property(
        fc.double({min: 0, max: 0.98, noNaN: true}),
        fc.double({min: 0, max: 0.01, noNaN: true}),
        fc.double({min: 0.01, max: 0.98, noNaN: true}),
        fc.double({min: 1e-3, max: 10, noNaN: true}),
        (rho, step, percentile, service) => {
          const lower = deterministicServiceWait(rho, service);
          const higher = deterministicServiceWait(rho + step, service);
          expect(higher.meanSeconds).toBeGreaterThanOrEqual(lower.meanSeconds);
          expect(higher.atSeconds(percentile)).toBeGreaterThanOrEqual(lower.atSeconds(percentile) - 1e-12);
          expect(lower.atSeconds(percentile + 0.01)).toBeGreaterThanOrEqual(lower.atSeconds(percentile));
        },
      ),
      RUNS,
    );
  });
});

describe('the utilisation a latency target allows', () => {
  it('meets the target, and a little more load would not', () => {
    fc.assert(
      fc.property(
        fc.double({min: 0.01, max: 2, noNaN: true}),
        fc.double({min: 0.01, max: 2, noNaN: true}),
        fc.double({min: 1.05, max: 20, noNaN: true}),
        (fixed, service, slack) => {
          const latency = (rho: number) => fixed + deterministicServiceWait(rho, service).atSeconds(0.9);
          const target = fixed * slack;
          const rho = utilizationForTarget(latency, target);
          expect(latency(rho)).toBeLessThanOrEqual(target * (1 + 1e-9));
          if (rho < MAX_UTILIZATION)
            expect(latency(Math.min(MAX_UTILIZATION, rho + 1e-6))).toBeGreaterThan(target * (1 - 1e-6));
        },
      ),
      RUNS,
    );
  });

  it('is zero when even an idle server misses the target', () => {
    expect(utilizationForTarget(() => 2, 1)).toBe(0);
  });
});
