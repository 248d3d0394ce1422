import {exp, log} from './portable-math.js';
import {standardNormal} from './random.js';

/** z of the normal distribution's 5th and 95th percentiles. */
/** The standard normal's 95th percentile: a 5th–95th percentile range is ±Z95 standard deviations. */
export const Z95 = 1.6448536269514722;

export type DistributionSpec =
  | {readonly kind: 'triangular'; readonly low: number; readonly mode: number; readonly high: number}
  | {readonly kind: 'uniform'; readonly low: number; readonly high: number}
  | {readonly kind: 'normal'; readonly mean: number; readonly sd: number}
  | {readonly kind: 'lognormal'; readonly median: number; readonly sigma: number};

/**
 * An uncertain input: its nominal value (the mode, centre, mean or median),
 * its percentiles, and samples. Normal samples are clipped to three standard
 * deviations so a positive quantity stays positive.
 */
export class Distribution {
  constructor(readonly spec: DistributionSpec) {}

  /** The value used when uncertainty is ignored. */
  get nominal(): number {
    const spec = this.spec;
    switch (spec.kind) {
      case 'triangular':
        return spec.mode;
      case 'uniform':
        return (spec.low + spec.high) / 2;
      case 'normal':
        return spec.mean;
      case 'lognormal':
        return spec.median;
    }
  }

  /** The value below which a share `p` of samples fall. */
  quantile(p: number): number {
    const spec = this.spec;
    switch (spec.kind) {
      case 'triangular': {
        const {low, mode, high} = spec;
        if (high === low) return low;
        const split = (mode - low) / (high - low);
        return p < split
          ? low + Math.sqrt(p * (high - low) * (mode - low))
          : high - Math.sqrt((1 - p) * (high - low) * (high - mode));
      }
      case 'uniform':
        return spec.low + p * (spec.high - spec.low);
      case 'normal':
        return spec.mean + spec.sd * normalQuantile(p);
      case 'lognormal':
        return spec.median * exp(spec.sigma * normalQuantile(p));
    }
  }

  /**
   * Its 5th, 50th and 95th percentiles, exact (the inverse CDF, not a Monte
   * Carlo's order statistics): the one range of an input the pages and the
   * CLI print, and of an output that is that input passed through (a run's goodput).
   */
  get percentiles(): {readonly p5: number; readonly p50: number; readonly p95: number} {
    return {p5: this.quantile(0.05), p50: this.quantile(0.5), p95: this.quantile(0.95)};
  }

  /**
   * The lowest and highest values it stands for, as data checks read them: a
   * range's ends, a normal's clip at three deviations, a lognormal's median
   * divided and multiplied by e^(3σ).
   */
  get ends(): readonly [number, number] {
    const spec = this.spec;
    switch (spec.kind) {
      case 'triangular':
      case 'uniform':
        return [spec.low, spec.high];
      case 'normal':
        return [spec.mean - 3 * spec.sd, spec.mean + 3 * spec.sd];
      case 'lognormal':
        return [spec.median * exp(-3 * spec.sigma), spec.median * exp(3 * spec.sigma)];
    }
  }

  sample(random: () => number): number {
    const spec = this.spec;
    switch (spec.kind) {
      case 'triangular':
      case 'uniform':
        return this.quantile(random());
      case 'normal':
        return spec.mean + spec.sd * Math.max(-3, Math.min(3, standardNormal(random)));
      case 'lognormal':
        return spec.median * exp(spec.sigma * standardNormal(random));
    }
  }

  toJSON(): DistributionSpec {
    return this.spec;
  }
}

/** Normal quantiles for the percentiles the tool uses, else Acklam's rational approximation (error < 1.2e-9). */
function normalQuantile(p: number): number {
  if (p === 0.05) return -Z95;
  if (p === 0.95) return Z95;
  if (p === 0.5) return 0;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/** A number, or a distribution standing for one. */
export type Uncertain = number | Distribution;

/** A record type with every uncertain number replaced by a plain number. */
export type Nominal<T> = T extends Distribution
  ? number
  : T extends ReadonlyArray<infer U>
    ? Array<Nominal<U>>
    : T extends object
      ? {[K in keyof T]: Nominal<T[K]>}
      : T;

/** The lowest and highest values an uncertain number stands for (`Distribution.ends`; a plain number is both). */
export function endsOf(value: Uncertain): readonly [number, number] {
  return typeof value === 'number' ? [value, value] : value.ends;
}

/**
 * The standard normal distribution function Φ(x), by Abramowitz & Stegun 7.1.26 for erf (absolute error
 * below 1.5e-7): the share of draws of a standard normal at or below x.
 */
export function standardNormalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
