import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import {positiveNumber} from '../../../src/data/schemas/common.js';
import type {InferenceScenario, TrainingScenario} from '../../../src/data/schemas/scenario.js';
import {uncertain} from '../../../src/data/schemas/uncertain.js';
import type {UncertainLeaf} from '../../../src/data/split-uncertain.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {Distribution, type DistributionSpec} from '../../../src/uncertain/distribution.js';
import {monteCarlo, percentiles, withLeafValues, type Range} from '../../../src/estimate/uncertainty/monte-carlo.js';
import {TRAINING_OUTPUTS} from '../../../src/estimate/training/training-outputs.js';
import {seededRandom} from '../../../src/uncertain/random.js';
import {trainingWithRanges} from '../../../src/estimate/training/training-ranges.js';
import {MODEL_CONSTANTS} from '../../../src/estimate/model-constants.js';
import {inferenceWithRanges} from '../../../src/estimate/inference/inference-ranges.js';
import {scenarioSensitivity} from '../../../src/estimate/kinds.js';
import {REPO_ROOT} from '../../helpers/project.js';

/**
 * Uncertain inputs (src/estimate/distribution.ts, random.ts, monte-carlo.ts,
 * sensitivity.ts, scenario-uncertainty.ts, src/data/schemas/uncertain.ts); through
 * the CLI in test/e2e/uncertainty-cli.test.ts.
 */

const RUNS = {numRuns: 100};
const PRICE_INPUT = 'deepseek-v3-pretraining.cost.usd_per_gpu_hour';
const Z95 = 1.6448536269514722;

let catalog: Catalog;
beforeAll(async () => {
  const diagnostics = new Diagnostics();
  catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  expect(diagnostics.hasErrors).toBe(false);
});

const trainingScenario = (id: string): TrainingScenario => {
  const scenario = catalog.scenarios.get(id);
  if (!scenario || scenario.kind !== 'training') throw new Error(`${id} is not a training scenario`);
  return scenario;
};
const inferenceScenario = (id: string): InferenceScenario => {
  const scenario = catalog.scenarios.get(id);
  if (!scenario || scenario.kind !== 'inference') throw new Error(`${id} is not an inference scenario`);
  return scenario;
};

// ---------------------------------------------------------------------------
// Distributions

describe('Distribution', () => {
  it('triangular: nominal is the mode; quantiles by the inverse CDF', () => {
    const price = new Distribution({kind: 'triangular', low: 1.5, mode: 2, high: 3});
    expect(price.nominal).toBe(2);
    expect(price.quantile(0)).toBe(1.5);
    expect(price.quantile(1)).toBe(3);
    // The mode sits at F(mode) = (mode − low) / (high − low) = 1/3.
    expect(price.quantile(1 / 3)).toBeCloseTo(2, 12);
    expect(price.quantile(0.05)).toBeCloseTo(1.5 + Math.sqrt(0.05 * 1.5 * 0.5), 12); // 1.6936
    expect(price.quantile(0.5)).toBeCloseTo(3 - Math.sqrt(0.5 * 1.5 * 1), 12); // 2.1340
    expect(price.quantile(0.95)).toBeCloseTo(3 - Math.sqrt(0.05 * 1.5 * 1), 12); // 2.7261
    // Symmetric: the median is the mode.
    expect(new Distribution({kind: 'triangular', low: 0, mode: 5, high: 10}).quantile(0.5)).toBeCloseTo(5, 12);
    // Degenerate: a point.
    expect(new Distribution({kind: 'triangular', low: 4, mode: 4, high: 4}).quantile(0.3)).toBe(4);
  });

  it('uniform: nominal is the centre; quantiles are linear', () => {
    const share = new Distribution({kind: 'uniform', low: 0.2, high: 0.6});
    expect(share.nominal).toBeCloseTo(0.4, 15);
    expect(share.quantile(0)).toBe(0.2);
    expect(share.quantile(0.05)).toBeCloseTo(0.22, 15);
    expect(share.quantile(0.5)).toBeCloseTo(0.4, 15);
    expect(share.quantile(0.95)).toBeCloseTo(0.58, 15);
    expect(share.quantile(1)).toBeCloseTo(0.6, 15);
  });

  it('normal: nominal is the mean; p5 and p95 at ±1.645 sd, other quantiles to 1e-8', () => {
    const normal = new Distribution({kind: 'normal', mean: 10, sd: 2});
    expect(normal.nominal).toBe(10);
    expect(normal.quantile(0.5)).toBe(10);
    expect(normal.quantile(0.05)).toBeCloseTo(10 - 2 * Z95, 12);
    expect(normal.quantile(0.95)).toBeCloseTo(10 + 2 * Z95, 12);
    expect(normal.quantile(0.975)).toBeCloseTo(10 + 2 * 1.959963984540054, 8);
    expect(normal.quantile(0.01)).toBeCloseTo(10 - 2 * 2.3263478740408408, 8);
    expect(normal.quantile(0.99)).toBeCloseTo(10 + 2 * 2.3263478740408408, 8);
    expect(normal.quantile(0.8413447460685429)).toBeCloseTo(12, 7);
  });

  it('lognormal: nominal is the median; quantiles are median·exp(σ·z)', () => {
    const lognormal = new Distribution({kind: 'lognormal', median: 3, sigma: 0.25});
    expect(lognormal.nominal).toBe(3);
    expect(lognormal.quantile(0.5)).toBe(3);
    expect(lognormal.quantile(0.05)).toBeCloseTo(3 * Math.exp(-0.25 * Z95), 12);
    expect(lognormal.quantile(0.95)).toBeCloseTo(3 * Math.exp(0.25 * Z95), 12);
    // p5 · p95 = median².
    expect(lognormal.quantile(0.05) * lognormal.quantile(0.95)).toBeCloseTo(9, 12);
  });

  it('serialises to its spec', () => {
    expect(JSON.parse(JSON.stringify({x: new Distribution({kind: 'uniform', low: 1, high: 2})}))).toEqual({
      x: {kind: 'uniform', low: 1, high: 2},
    });
  });

  // Values on a 1e-6 grid: with subnormal spreads (low −1.6e-162, mode = high = 0) the triangular
  // inverse CDF underflows and a sample lands 6.5e-163 above `high`, a floating-point artefact only.
  const gridded = fc.integer({min: -1e12, max: 1e12}).map((micro) => micro / 1e6);
  const triangularArbitrary = fc
    .tuple(gridded, gridded, gridded)
    .map((values) => values.sort((a, b) => a - b))
    .map(([low, mode, high]) => ({kind: 'triangular' as const, low: low!, mode: mode!, high: high!}));
  const uniformArbitrary = fc
    .tuple(gridded, gridded)
    .map(([a, b]) => ({kind: 'uniform' as const, low: Math.min(a, b), high: Math.max(a, b)}));

  it('triangular and uniform samples stay within [low, high]', () => {
    fc.assert(
      fc.property(fc.oneof(triangularArbitrary, uniformArbitrary), fc.nat(), (spec, seed) => {
        const distribution = new Distribution(spec);
        const random = seededRandom(seed);
        for (let draw = 0; draw < 200; draw++) {
          const value = distribution.sample(random);
          expect(value).toBeGreaterThanOrEqual(spec.low);
          expect(value).toBeLessThanOrEqual(spec.high);
        }
      }),
      RUNS,
    );
  });

  it('quantiles never decrease with p, for every kind', () => {
    const anyArbitrary: fc.Arbitrary<DistributionSpec> = fc.oneof(
      triangularArbitrary,
      uniformArbitrary,
      fc.record({
        kind: fc.constant('normal' as const),
        mean: fc.double({min: -1e3, max: 1e3, noNaN: true}),
        sd: fc.double({min: 1e-3, max: 1e3, noNaN: true}),
      }),
      fc.record({
        kind: fc.constant('lognormal' as const),
        median: fc.double({min: 1e-3, max: 1e3, noNaN: true}),
        sigma: fc.double({min: 1e-3, max: 2, noNaN: true}),
      }),
    );
    fc.assert(
      fc.property(
        anyArbitrary,
        fc.double({min: 0.001, max: 0.999, noNaN: true}),
        fc.double({min: 0.001, max: 0.999, noNaN: true}),
        (spec, a, b) => {
          const distribution = new Distribution(spec);
          const [p, q] = a <= b ? [a, b] : [b, a];
          const scale = Math.max(1, Math.abs(distribution.quantile(p)), Math.abs(distribution.quantile(q)));
          expect(distribution.quantile(p)).toBeLessThanOrEqual(distribution.quantile(q) + 1e-9 * scale);
        },
      ),
      RUNS,
    );
  });

  it('normal samples are clipped to three standard deviations', () => {
    const normal = new Distribution({kind: 'normal', mean: 1, sd: 0.25});
    const random = seededRandom(3);
    for (let draw = 0; draw < 20_000; draw++) {
      const value = normal.sample(random);
      expect(value).toBeGreaterThanOrEqual(0.25);
      expect(value).toBeLessThanOrEqual(1.75);
    }
  });

  it('samples match the quantiles (20,000 draws, seeded)', () => {
    const specs: DistributionSpec[] = [
      {kind: 'triangular', low: 1.5, mode: 2, high: 3},
      {kind: 'uniform', low: 10, high: 20},
      {kind: 'normal', mean: 5, sd: 1},
      {kind: 'lognormal', median: 2, sigma: 0.5},
    ];
    for (const spec of specs) {
      const distribution = new Distribution(spec);
      const random = seededRandom(11);
      const range = percentiles(Array.from({length: 20_000}, () => distribution.sample(random)));
      const spread = distribution.quantile(0.95) - distribution.quantile(0.05);
      expect(Math.abs(range.p5 - distribution.quantile(0.05)), spec.kind).toBeLessThan(0.03 * spread);
      expect(Math.abs(range.p50 - distribution.quantile(0.5)), spec.kind).toBeLessThan(0.03 * spread);
      expect(Math.abs(range.p95 - distribution.quantile(0.95)), spec.kind).toBeLessThan(0.03 * spread);
    }
  });
});

describe('seededRandom', () => {
  it('is uniform in [0, 1) and the same for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    for (let draw = 0; draw < 1000; draw++) {
      const value = a();
      expect(value).toBe(b());
      expect(value >= 0 && value < 1).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------
// Monte Carlo

describe('percentiles and withLeafValues', () => {
  it('interpolates between order statistics like numpy (type 7)', () => {
    expect(percentiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])).toEqual({p5: 1.5, p50: 6, p95: 10.5});
    expect(percentiles([5])).toEqual({p5: 5, p50: 5, p95: 5});
    const empty = percentiles([]);
    expect(Number.isNaN(empty.p50)).toBe(true);
  });

  it('orders p5 <= p50 <= p95 for any list of numbers', () => {
    fc.assert(
      // Within ±1e300: interpolating between −2.1e293 and 1.8e308 overflows (upper − lower is infinite), so p95 = Infinity.
      fc.property(
        fc.array(fc.double({min: -1e300, max: 1e300, noNaN: true}), {minLength: 1, maxLength: 200}),
        (values) => {
          const {p5, p50, p95} = percentiles(values);
          expect(p5).toBeLessThanOrEqual(p50);
          expect(p50).toBeLessThanOrEqual(p95);
          expect(p5).toBeGreaterThanOrEqual(Math.min(...values));
          expect(p95).toBeLessThanOrEqual(Math.max(...values));
        },
      ),
      RUNS,
    );
  });

  it("copies only the objects on the leaves' paths and leaves the record untouched", () => {
    const record = {a: {b: [1, 2, 3], c: {d: 4}}, e: {f: 5}};
    const leaves: UncertainLeaf[] = [
      {path: ['a', 'b', 1], distribution: new Distribution({kind: 'uniform', low: 0, high: 1})},
    ];
    const copy = withLeafValues(record, leaves, () => 9);
    expect(copy.a.b).toEqual([1, 9, 3]);
    expect(record.a.b).toEqual([1, 2, 3]);
    expect(copy.e).toBe(record.e);
    expect(copy.a.c).toBe(record.a.c);
    expect(withLeafValues(record, [], () => 9)).toBe(record);
  });
});

/** A record of numbers, some uncertain: `values[i]` holds each leaf's nominal value. */
interface Numbers {
  readonly values: readonly number[];
  readonly fixed: number;
}

const specArbitrary: fc.Arbitrary<DistributionSpec> = fc.oneof(
  fc
    .tuple(
      fc.double({min: 0.1, max: 100, noNaN: true}),
      fc.double({min: 0, max: 1, noNaN: true}),
      fc.double({min: 0.01, max: 100, noNaN: true}),
    )
    .map(([low, at, width]) => ({kind: 'triangular' as const, low, mode: low + at * width, high: low + width})),
  fc
    .tuple(fc.double({min: 0.1, max: 100, noNaN: true}), fc.double({min: 0.01, max: 100, noNaN: true}))
    .map(([low, width]) => ({kind: 'uniform' as const, low, high: low + width})),
  fc.record({
    kind: fc.constant('normal' as const),
    mean: fc.double({min: 10, max: 100, noNaN: true}),
    sd: fc.double({min: 0.01, max: 3, noNaN: true}),
  }),
  fc.record({
    kind: fc.constant('lognormal' as const),
    median: fc.double({min: 0.1, max: 100, noNaN: true}),
    sigma: fc.double({min: 0.01, max: 1, noNaN: true}),
  }),
);

const uncertainRecordArbitrary = fc.array(specArbitrary, {minLength: 1, maxLength: 5}).map((specs) => {
  const distributions = specs.map((spec) => new Distribution(spec));
  const nominal: Numbers = {values: distributions.map((distribution) => distribution.nominal), fixed: 7};
  const leaves: UncertainLeaf[] = distributions.map((distribution, index) => ({path: ['values', index], distribution}));
  return {nominal, leaves};
});

/** Outputs of every shape: monotone and not, sometimes undefined or not finite. */
const evaluateNumbers = (record: Numbers): Record<string, number | undefined> => {
  const [first = 0, ...rest] = record.values;
  const sum = record.values.reduce((total, value) => total + value, 0);
  return {
    sum,
    product: record.values.reduce((total, value) => total * value, 1),
    difference: rest.reduce((total, value) => total - value, first),
    wave: Math.sin(sum),
    ratio: first / (sum - first),
    fixed: record.fixed,
    sometimes:
      first > record.values.reduce((total, value) => total + value, 0) / record.values.length ? first : undefined,
  };
};

describe('monteCarlo', () => {
  it('gives p5 <= p50 <= p95 for every output', () => {
    fc.assert(
      fc.property(uncertainRecordArbitrary, fc.nat(), fc.integer({min: 1, max: 300}), (record, seed, samples) => {
        const ranges = monteCarlo<[Numbers]>([record], evaluateNumbers, {samples, seed});
        expect(Object.keys(ranges).length).toBeGreaterThan(0);
        for (const [name, range] of Object.entries(ranges)) {
          expect(range.p5, name).toBeLessThanOrEqual(range.p50);
          expect(range.p50, name).toBeLessThanOrEqual(range.p95);
        }
        expect(ranges.fixed).toEqual({p5: 7, p50: 7, p95: 7});
      }),
      RUNS,
    );
  });

  it('reproduces identical ranges for the same seed', () => {
    fc.assert(
      fc.property(uncertainRecordArbitrary, fc.nat(), fc.integer({min: 1, max: 200}), (record, seed, samples) => {
        const first = monteCarlo<[Numbers]>([record], evaluateNumbers, {samples, seed});
        const second = monteCarlo<[Numbers]>([record], evaluateNumbers, {samples, seed});
        expect(second).toEqual(first);
      }),
      RUNS,
    );
  });

  it('gives different ranges for different seeds when an input is uncertain', () => {
    fc.assert(
      fc.property(
        uncertainRecordArbitrary,
        fc.integer({min: 0, max: 2 ** 32 - 1}),
        fc.integer({min: 0, max: 2 ** 32 - 1}),
        fc.integer({min: 20, max: 200}),
        (record, a, b, samples) => {
          fc.pre(a !== b);
          const first = monteCarlo<[Numbers]>([record], evaluateNumbers, {samples, seed: a});
          const second = monteCarlo<[Numbers]>([record], evaluateNumbers, {samples, seed: b});
          expect(second.sum).not.toEqual(first.sum);
        },
      ),
      RUNS,
    );
  });

  it('leaves undefined and non-finite outputs out, and samples several records together', () => {
    const one = {
      nominal: {x: 1},
      leaves: [{path: ['x'], distribution: new Distribution({kind: 'uniform', low: 0, high: 1})}],
    };
    const two = {nominal: {y: 5}, leaves: [] as UncertainLeaf[]};
    const ranges = monteCarlo<[{x: number}, {y: number}]>(
      [one, two],
      (a, b) => ({x: a.x, y: b.y, never: undefined, infinite: 1 / 0, half: a.x < 0.5 ? a.x : undefined}),
      {samples: 500, seed: 1},
    );
    expect(Object.keys(ranges)).toEqual(['half', 'x', 'y']);
    expect(ranges.y).toEqual({p5: 5, p50: 5, p95: 5});
    expect(ranges.half!.p95).toBeLessThan(0.5);
    expect(ranges.x!.p5).toBeLessThan(0.1);
    expect(ranges.x!.p95).toBeGreaterThan(0.9);
  });
});

// ---------------------------------------------------------------------------
// Scenarios

describe('trainingWithRanges on deepseek-v3-pretraining', () => {
  it('gives the cost a range, p5 < p50 < p95, and outputs that do not depend on the price a single value', () => {
    const scenario = trainingScenario('deepseek-v3-pretraining');
    const estimate = trainingWithRanges(catalog, scenario, {}, {samples: 2000, seed: 1});
    const ranges = estimate.ranges;
    expect(ranges).toBeDefined();
    const cost = ranges!.costUsd as Range;
    expect(cost.p5).toBeLessThan(cost.p50);
    expect(cost.p50).toBeLessThan(cost.p95);
    // The price is triangular(1.5, 2, 3) $/GPU-hour; the cost is the GPU-hours times it.
    expect(cost.p5 / estimate.gpuHours).toBeCloseTo(1.5 + Math.sqrt(0.05 * 1.5 * 0.5), 1);
    expect(cost.p50 / estimate.gpuHours).toBeCloseTo(3 - Math.sqrt(0.5 * 1.5), 1);
    expect(cost.p95 / estimate.gpuHours).toBeCloseTo(3 - Math.sqrt(0.05 * 1.5), 1);
    // The nominal estimate uses the mode.
    expect(estimate.costUsd).toBeCloseTo(estimate.gpuHours * 2, 0);
    for (const name of Object.keys(TRAINING_OUTPUTS) as Array<keyof typeof TRAINING_OUTPUTS>) {
      if (name === 'costUsd') continue;
      // An output the estimate does not have (the goodput of a stated-MFU run) has no range either.
      if (TRAINING_OUTPUTS[name].read(estimate) === undefined) {
        expect(ranges![name], name).toBeUndefined();
        continue;
      }
      const range = ranges![name] as Range;
      expect(range, name).toBeDefined();
      expect(range.p5, name).toBe(range.p95);
      expect(range.p50, name).toBeCloseTo(TRAINING_OUTPUTS[name].read(estimate) as number, 6);
    }
    expect(ranges!.gpuHours!.p50).toBe(estimate.gpuHours);
  });

  it('has no ranges for a point with no uncertain input (its scenario’s or its chip’s), or with no samples', () => {
    // The GB200's price is a single quote; the H100's is a range, which makes every H100 cost uncertain.
    expect(
      trainingWithRanges(catalog, trainingScenario('llama-3.1-405b-pretraining'), {hardware: 'gb200'}).ranges,
    ).toBeUndefined();
    expect(
      trainingWithRanges(catalog, trainingScenario('deepseek-v3-pretraining'), {}, {samples: 0, seed: 1}).ranges,
    ).toBeUndefined();
  });
});

describe('the goodput range of a predicted run', () => {
  // The goodput is an input passed through: the CLI's range and the pages' (inputRange) are one figure.
  it("is its distribution's exact 5th–95th percentiles, not the Monte Carlo's order statistics", () => {
    const scenario = trainingScenario('deepseek-v3-pretraining-predicted');
    const goodput = catalog.uncertainty.get(scenario)?.find((leaf) => leaf.path.join('.') === 'goodput.value');
    expect(goodput).toBeDefined();
    const estimate = trainingWithRanges(catalog, scenario, {}, {samples: 300, seed: 1});
    expect(estimate.ranges?.goodput).toEqual(goodput!.distribution.percentiles);
    // Triangular {low 0.9, mode 1, high 1}: p = ((x − 0.9) / 0.1)², so the 5th percentile is 0.9 + 0.1·√0.05.
    expect(estimate.ranges?.goodput?.p5).toBeCloseTo(0.9 + 0.1 * Math.sqrt(0.05), 12);
    expect(estimate.ranges?.goodput?.p95).toBeCloseTo(0.9 + 0.1 * Math.sqrt(0.95), 12);
  });

  it("is the default's exact percentiles when the scenario gives none, and a point when it gives one number", () => {
    const stages = trainingScenario('llama-3.1-405b-stages');
    const withDefault = trainingWithRanges(catalog, stages, {}, {samples: 300, seed: 1});
    expect(withDefault.goodputSource).toBe('default');
    const {value, range} = MODEL_CONSTANTS.goodput;
    expect(withDefault.ranges?.goodput).toEqual(
      new Distribution({kind: 'triangular', low: range.low, mode: value, high: range.high}).percentiles,
    );
    const fixed = trainingWithRanges(
      catalog,
      trainingScenario('deepseek-v3-pretraining-predicted-no-lost-time'),
      {},
      {samples: 300, seed: 1},
    );
    expect(fixed.ranges?.goodput).toEqual({p5: 1, p50: 1, p95: 1});
  });
});

describe('inferenceWithRanges on the serving scenarios', () => {
  for (const id of ['deepseek-v3-serving', 'llama-3.1-405b-serving']) {
    it(`${id}: ordered finite ranges, the KV cache per token a single value`, () => {
      const estimate = inferenceWithRanges(catalog, inferenceScenario(id), {}, {samples: 300, seed: 1});
      expect(estimate.ranges).toBeDefined();
      for (const [name, range] of Object.entries(estimate.ranges!) as Array<[string, Range]>) {
        expect(Number.isFinite(range.p5) && Number.isFinite(range.p95), name).toBe(true);
        expect(range.p5, name).toBeLessThanOrEqual(range.p50);
        expect(range.p50, name).toBeLessThanOrEqual(range.p95);
      }
      const perToken = estimate.ranges!.kvCacheBytesPerToken as Range;
      expect(perToken.p5).toBe(perToken.p95);
      expect(perToken.p50).toBe(estimate.kvCacheBytesPerToken);
      const cost = estimate.ranges!.usdPerMillionOutputTokens as Range;
      expect(cost.p5).toBeLessThan(cost.p95);
    });
  }
});

describe('scenarioSensitivity', () => {
  it('ranks the ranged price first for the cost of deepseek-v3-pretraining', () => {
    const rows = scenarioSensitivity(catalog, trainingScenario('deepseek-v3-pretraining'), 'costUsd');
    expect(rows[0]).toMatchObject({input: PRICE_INPUT, ranged: true});
    expect(rows[0]!.inputLow).toBeCloseTo(1.5 + Math.sqrt(0.05 * 1.5 * 0.5), 12);
    expect(rows[0]!.inputHigh).toBeCloseTo(3 - Math.sqrt(0.05 * 1.5), 12);
    expect(rows[0]!.outputAtHigh).toBeGreaterThan(rows[0]!.outputAtLow);
    expect(rows.filter((row) => row.ranged).map((row) => row.input)).toEqual([PRICE_INPUT]);
  });

  const cases: Array<[string, string]> = [
    ['deepseek-v3-pretraining', 'costUsd'],
    ['deepseek-v3-pretraining', 'gpuHours'],
    ['llama-3.1-405b-pretraining', 'energyMegawattHours'],
    ['deepseek-v3-serving', 'usdPerMillionOutputTokens'],
    ['llama-3.1-405b-serving', 'tpotSeconds'],
  ];
  for (const [id, output] of cases) {
    it(`${id} / ${output}: swings sorted descending, each |output at high − output at low|`, () => {
      const rows = scenarioSensitivity(
        catalog,
        catalog.scenarios.get(id) as TrainingScenario | InferenceScenario,
        output,
      );
      expect(rows.length).toBeGreaterThan(1);
      for (let index = 1; index < rows.length; index++)
        expect(rows[index]!.swing).toBeLessThanOrEqual(rows[index - 1]!.swing);
      for (const row of rows) {
        expect(row.swing).toBe(Math.abs(row.outputAtHigh - row.outputAtLow));
        expect(row.inputLow).toBeLessThanOrEqual(row.inputHigh);
      }
    });
  }

  it('does not list the price among what moves the GPU-hours', () => {
    const rows = scenarioSensitivity(catalog, trainingScenario('deepseek-v3-pretraining'), 'gpuHours');
    expect(rows.find((row) => row.input === PRICE_INPUT)?.swing ?? 0).toBe(0);
    expect(rows[0]!.swing).toBeGreaterThan(0);
  });

  it("varies the memory the estimate reads when it varies a chip's capacity (the device-reported MiB move with it)", () => {
    // DeepSeek-V3's predicted layout uses 79 of the H800's 85.5 GB: 10% less memory cannot leave it as it is.
    const scenario = trainingScenario('deepseek-v3-pretraining-predicted');
    expect(catalog.hardware.get(scenario.cluster.hardware)?.memory.reported_mib).toBeDefined();
    const rows = scenarioSensitivity(catalog, scenario, 'gpuHours');
    const memory = rows.find((row) => row.input === `${scenario.cluster.hardware}.memory.capacity_gb`);
    expect(memory?.outputAtLow).toBeGreaterThan(memory?.outputAtNominal ?? Infinity);
  });

  it('refuses an unknown output', () => {
    expect(() =>
      scenarioSensitivity(catalog, trainingScenario('deepseek-v3-pretraining'), 'usdPerMillionOutputTokens'),
    ).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------
// Schema

describe('uncertain numbers in data', () => {
  const positive = uncertain(positiveNumber);

  it('accepts numbers, ranges and named distributions, as Distribution objects', () => {
    expect(positive.parse(2)).toBe(2);
    expect(positive.parse({low: 1, mode: 2, high: 3})).toBeInstanceOf(Distribution);
    expect((positive.parse({dist: 'uniform', low: 1, high: 3}) as Distribution).nominal).toBe(2);
    expect((positive.parse({dist: 'normal', mean: 2, sd: 0.5}) as Distribution).spec).toEqual({
      kind: 'normal',
      mean: 2,
      sd: 0.5,
    });
    expect((positive.parse({dist: 'lognormal', median: 2, sigma: 0.3}) as Distribution).nominal).toBe(2);
  });

  it('rejects a range out of order, a normal that can go negative, and bad spreads', () => {
    expect(positive.safeParse({low: 2.5, mode: 2, high: 3}).success).toBe(false);
    expect(positive.safeParse({low: 1, mode: 3.5, high: 3}).success).toBe(false);
    expect(positive.safeParse({dist: 'uniform', low: 3, high: 1}).success).toBe(false);
    expect(positive.safeParse({dist: 'normal', mean: 2, sd: 1}).success).toBe(false); // 2 − 3 = −1
    expect(positive.safeParse({dist: 'normal', mean: 2, sd: 2 / 3}).success).toBe(false); // exactly 0: not positive
    expect(positive.safeParse({dist: 'normal', mean: 2, sd: 0}).success).toBe(false);
    expect(positive.safeParse({dist: 'lognormal', median: 0, sigma: 1}).success).toBe(false);
    expect(positive.safeParse({low: -1, mode: 2, high: 3}).success).toBe(false);
    expect(positive.safeParse({low: 1, mode: 2, high: 3, extra: 4}).success).toBe(false);
  });
});
