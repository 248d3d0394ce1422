import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {scenarioSchema} from '../../src/data/schemas/scenario.js';
import type {ScenarioKind} from '../../src/data/scenario-kinds.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {
  describePoint,
  estimateFactor,
  estimatePoint,
  pointDraws,
  type FactorSide,
  kindsWith,
  outputRange,
  outputsOf,
  printedNumbers,
  scenarioKind,
  scenarioSensitivity,
  sweepPointsOf,
} from '../../src/estimate/kinds.js';
import {memoizedSearch} from '../../src/estimate/training/search-cache.js';
import {trainingModelError} from '../../src/estimate/training/calibrate-catalog.js';
import {INFERENCE_OUTPUTS} from '../../src/estimate/inference/inference-outputs.js';
import type {OutputTable, OutputUnit} from '../../src/estimate/outputs.js';
import {TRAINING_OUTPUTS} from '../../src/estimate/training/training-outputs.js';
import {REPO_ROOT} from '../helpers/project.js';

/** The kinds the scenario schema accepts (`kind:` in a scenario file). */
const SCHEMA_KINDS: ScenarioKind[] = scenarioSchema.options.map((option) => option.shape.kind.value);

/** Every unit an output may have (the OutputUnit type), so that a new one fails here until it is listed. */
const UNITS: Record<OutputUnit, true> = {
  'GPU-h': true,
  days: true,
  USD: true,
  MWh: true,
  kWh: true,
  tCO2e: true,
  kgCO2e: true,
  FLOP: true,
  'FLOP/s': true,
  'tokens/s': true,
  fraction: true,
  params: true,
  s: true,
  bytes: true,
  tokens: true,
  sequences: true,
};

/** Output names carry their unit (`costUsd`, `ttftSeconds`): the unit a name's ending implies. */
const UNIT_BY_NAME_ENDING: ReadonlyArray<readonly [RegExp, OutputUnit]> = [
  [/MegawattHours$/, 'MWh'],
  [/Seconds$/, 's'],
  [/Days$/, 'days'],
  [/^gpuHours$/, 'GPU-h'],
  [/^usd|Usd$/, 'USD'],
  [/^kilowattHours/, 'kWh'],
  [/Tonnes$/, 'tCO2e'],
  [/^co2Kilograms/, 'kgCO2e'],
  [/Bytes|BytesPerToken$/, 'bytes'],
  [/^tokensPerSecond|TokensPerSecond/, 'tokens/s'],
  [/^achievedFlopsPerSecond/, 'FLOP/s'],
  [/Params$/, 'params'],
];

let catalog: Catalog;

beforeAll(async () => {
  catalog = await loadCheckedCatalog(REPO_ROOT, new Diagnostics());
});

describe('the registry of scenario kinds', () => {
  it('has an entry for every kind the schema accepts, with every part', () => {
    expect(SCHEMA_KINDS).toEqual(['training', 'inference', 'demand']);
    for (const kind of SCHEMA_KINDS) {
      const entry = scenarioKind(kind);
      for (const part of ['estimate', 'sweepPoints', 'ranges', 'describePoint', 'numbers'] as const)
        expect(typeof entry[part], `${kind}.${part}`).toBe('function');
      // A kind prints named outputs, ranks its inputs by them, or does neither and says where its numbers are.
      if (entry.outputs) {
        expect(Object.keys(entry.outputs).length, kind).toBeGreaterThan(0);
        expect(typeof entry.sensitivity, kind).toBe('function');
        expect(entry.numbersAt, kind).toBeUndefined();
      } else {
        expect(entry.sensitivity, kind).toBeUndefined();
        expect(typeof entry.numbersAt, kind).toBe('string');
      }
    }
  });

  it('names the kinds with outputs and with sensitivity, in registry order', () => {
    expect(kindsWith('outputs')).toEqual(['training', 'inference']);
    expect(kindsWith('sensitivity')).toEqual(['training', 'inference']);
  });

  it('gives training and inference their own outputs', () => {
    expect(scenarioKind('training').outputs).toBe(TRAINING_OUTPUTS);
    expect(scenarioKind('inference').outputs).toBe(INFERENCE_OUTPUTS);
    expect(scenarioKind('demand').outputs).toBeUndefined();
  });
});

describe('outputs', () => {
  const tables: Array<[string, OutputTable<never>]> = [
    ['training', TRAINING_OUTPUTS],
    ['inference', INFERENCE_OUTPUTS],
  ];

  it.each(tables)('of %s have a label and a known unit', (_kind, table) => {
    for (const [name, info] of Object.entries(table)) {
      expect(info.label.length, name).toBeGreaterThan(0);
      expect(Object.hasOwn(UNITS, info.unit), `${name}: ${info.unit}`).toBe(true);
    }
    const labels = Object.values(table).map((info) => info.label);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it.each(tables)('of %s are in the unit their name says', (_kind, table) => {
    for (const [name, info] of Object.entries(table)) {
      const implied = UNIT_BY_NAME_ENDING.find(([pattern]) => pattern.test(name))?.[1];
      if (implied) expect(info.unit, name).toBe(implied);
    }
    expect(TRAINING_OUTPUTS.mfu.unit).toBe('fraction');
    expect(INFERENCE_OUTPUTS.batch.unit).toBe('sequences');
    expect(INFERENCE_OUTPUTS.largestContext.unit).toBe('tokens');
  });
});

// Estimating every point of every sweep of the data takes a few seconds, more with coverage on a busy machine.
describe('every scenario of the data, through the registry', {timeout: 60_000}, () => {
  const sampling = {samples: 20, seed: 1};
  // The layout searches recur across sweep points, as in a build.
  const search = memoizedSearch();

  it('estimates each point of its sweep as its own kind, with finite printed numbers (or why it cannot run) and a label', () => {
    for (const scenario of catalog.scenarios.values()) {
      const points = sweepPointsOf(scenario);
      expect(points.length, scenario.id).toBeGreaterThan(0);
      for (const point of points) {
        const estimate = estimatePoint(catalog, scenario, point, sampling, {search});
        expect(estimate.kind).toBe(scenario.kind);
        expect(estimate.scenarioId).toBe(scenario.id);
        expect(describePoint(estimate).length, scenario.id).toBeGreaterThan(0);
        // A point that cannot run (DeepSeek's layout on a chip too small for it) says why instead of giving numbers.
        const infeasible = 'infeasible' in estimate ? estimate.infeasible : undefined;
        if (infeasible !== undefined) {
          expect(infeasible.length, `${scenario.id} ${describePoint(estimate)}`).toBeGreaterThan(0);
          continue;
        }
        for (const [name, value] of printedNumbers(estimate))
          if (value !== undefined) expect(Number.isFinite(value), `${scenario.id} ${name} = ${value}`).toBe(true);
        const outputs = outputsOf(estimate);
        if (!outputs) continue;
        // The printed numbers start with the outputs, in their order.
        const names = printedNumbers(estimate).map(([name]) => name);
        expect(names.slice(0, Object.keys(outputs).length)).toEqual(Object.keys(outputs));
        for (const name of Object.keys(outputs)) {
          const range = outputRange(estimate, name);
          if (range) expect(range.p5, `${scenario.id} ${name}`).toBeLessThanOrEqual(range.p95);
        }
      }
    }
  });

  it('labels a training point by chip, GPUs and precision, and an inference point by chip and batch', () => {
    const training = estimatePoint(catalog, catalog.scenarios.get('deepseek-v3-pretraining')!, {}, sampling);
    expect(describePoint(training)).toBe(`${catalog.hardware.get('h800-sxm')!.name} · 2,048 GPUs · FP8`);
    const inference = estimatePoint(catalog, catalog.scenarios.get('llama-3.1-405b-serving')!, {}, sampling);
    expect(describePoint(inference)).toMatch(/ · [\d,]+ sequences$/);
  });

  it('ranks inputs for kinds with sensitivity and refuses the others', () => {
    const training = catalog.scenarios.get('deepseek-v3-pretraining')!;
    const rows = scenarioSensitivity(catalog, training, 'costUsd');
    expect(rows.length).toBeGreaterThan(0);
    expect(() => scenarioSensitivity(catalog, training, 'ttftSeconds')).toThrow(RangeError);
    const demand = [...catalog.scenarios.values()].find((scenario) => scenario.kind === 'demand')!;
    expect(() => scenarioSensitivity(catalog, demand, 'computeRatio')).toThrow(
      /takes a training or inference scenario, `.*` is a demand scenario/,
    );
  });

  it('sweeps demand scenarios as the scenario itself, and names the estimate property its numbers are in', () => {
    const demand = [...catalog.scenarios.values()].find((scenario) => scenario.kind === 'demand')!;
    expect(sweepPointsOf(demand)).toEqual([{}]);
    const estimate = estimatePoint(catalog, demand, {}, sampling);
    expect(Object.hasOwn(estimate, scenarioKind('demand').numbersAt!)).toBe(true);
    expect(printedNumbers(estimate)[0]?.[0]).toMatch(/^points\[E = [\d.]+\]\.priceRatio$/);
  });
});

describe('a factor between two estimates (estimateFactor)', {timeout: 60_000}, () => {
  const SAMPLING = {samples: 300, seed: 3};
  // One build's context: one memoised search, the model's error computed once.
  let modelError: ReturnType<typeof trainingModelError> | undefined;
  const context = {
    search: memoizedSearch(),
    modelError: () => (modelError ??= trainingModelError(catalog)),
  };
  const side = (scenarioId: string, point = {}): FactorSide => {
    const scenario = catalog.scenarios.get(scenarioId)!;
    return {
      scenario,
      estimate: estimatePoint(catalog, scenario, point, SAMPLING, context),
      draws: pointDraws(catalog, scenario, point, SAMPLING, context),
    };
  };
  const gpuHoursFactor = (a: FactorSide, b: FactorSide) => estimateFactor(a, b, 'gpuHours');
  const spread = (factor: {readonly p5?: number; readonly p95?: number}) => factor.p95! / factor.p5!;
  const STEPS = 'efficiency-deepseek-v3';
  const at = (precision: string, technique: string) => side(STEPS, {precision, technique});

  it('is the ratio of the two medians, and a point against itself is 1 on every draw', () => {
    const a = at('fp8', "DeepSeek's layout with 1F1B");
    const b = at('fp8', "DeepSeek's layout");
    const factor = gpuHoursFactor(a, b);
    expect(factor.value).toBe(outputRange(a.estimate, 'gpuHours')!.p50 / outputRange(b.estimate, 'gpuHours')!.p50);
    expect(gpuHoursFactor(a, a)).toEqual({value: 1, p5: 1, p95: 1});
  });

  it("takes the draw-by-draw median where the medians' ratio falls outside the draw-by-draw range", () => {
    const a = at('fp8', "DeepSeek's layout with 1F1B");
    // Two sides equal on every draw but with medians set 20% apart: the draws say no change, so the value does too.
    const draws = a.draws!['gpuHours']!;
    const range = outputRange(a.estimate, 'gpuHours')!;
    const shifted = {
      ...a,
      estimate: {...a.estimate, ranges: {gpuHours: {...range, p50: range.p50 * 1.2}}},
      draws: {gpuHours: draws},
    } as FactorSide;
    const factor = gpuHoursFactor(shifted, {...a, draws: {gpuHours: draws}});
    expect(factor).toEqual({value: 1, p5: 1, p95: 1});
  });

  it('keeps out what both sides share: two layouts of one setup spread less than two sides drawn apart would', () => {
    const [a, b] = [at('fp8', "DeepSeek's layout with 1F1B"), at('fp8', "DeepSeek's layout")];
    const factor = gpuHoursFactor(a, b);
    // Drawn apart, the logs of two ranges add in quadrature; what both share (the cluster, the goodput, the
    // constants, the setup's error) cancels draw by draw instead.
    const logSpread = (side: FactorSide) => {
      const range = outputRange(side.estimate, 'gpuHours')!;
      return Math.log(range.p95 / range.p5);
    };
    expect(Math.log(spread(factor))).toBeLessThan(0.8 * Math.hypot(logSpread(a), logSpread(b)));
    expect(factor.p5).toBeLessThanOrEqual(factor.value);
    expect(factor.value).toBeLessThanOrEqual(factor.p95!);
  });

  it("keeps the share of the model's error two runs of one setup do not share, and all of it across kinds of model", () => {
    const layouts = gpuHoursFactor(at('bf16', "DeepSeek's layout with 1F1B"), at('bf16', "DeepSeek's layout"));
    const precisions = gpuHoursFactor(at('bf16', "DeepSeek's layout"), at('fp8', "DeepSeek's layout"));
    const kinds = gpuHoursFactor(side('efficiency-dense-baseline'), at('bf16', "DeepSeek's layout"));
    // Two runs of one model on one chip share a correlated error (ModelError.setupCorrelation, under 1 on the
    // calibration's pairs): what they do not share stays in, however alike the two layouts are.
    const {setupCorrelation, sigma} = modelError!.byFfn!.moe
      ? {...modelError!, ...modelError!.byFfn!.moe}
      : modelError!;
    expect(setupCorrelation).toBeLessThan(1);
    const ownSpread = Math.exp(2 * 1.645 * sigma * Math.sqrt(2 * (1 - setupCorrelation!)));
    for (const factor of [layouts, precisions]) {
      expect(spread(factor)).toBeGreaterThan(1 + (ownSpread - 1) / 2);
      expect(spread(factor)).toBeLessThan(ownSpread * 1.5);
    }
    expect(spread(kinds)).toBeGreaterThan(spread(layouts));
  });

  it('takes a side with nothing uncertain at its value on every draw of the other', () => {
    const stated = catalog.scenarios.get('deepseek-v3-pretraining')!;
    if (stated.kind !== 'training') throw new Error('deepseek-v3-pretraining is a training scenario');
    const certain = {...stated, id: 'certain'};
    const hardware = catalog.hardware.get(stated.cluster.hardware)!;
    const uncertainty = new Map(catalog.uncertainty).set(certain, []).set(hardware, []);
    const plain = {...catalog, uncertainty};
    const certainSide: FactorSide = {
      scenario: certain,
      estimate: estimatePoint(plain, certain, {}, SAMPLING),
      draws: pointDraws(plain, certain, {}, SAMPLING, context),
    };
    expect(certainSide.draws).toBeUndefined();
    const other = at('fp8', "DeepSeek's layout");
    const factor = gpuHoursFactor(certainSide, other);
    const range = outputRange(other.estimate, 'gpuHours')!;
    expect(outputRange(certainSide.estimate, 'gpuHours')).toBeUndefined();
    expect(factor.p5! / (factor.value * (range.p50 / range.p95))).toBeCloseTo(1, 2);
    expect(factor.p95! / (factor.value * (range.p50 / range.p5))).toBeCloseTo(1, 2);
  });

  it('is refused for a kind without draws, and for an output the kind does not have', () => {
    const demand = [...catalog.scenarios.values()].find((scenario) => scenario.kind === 'demand')!;
    const demandSide = {scenario: demand, estimate: estimatePoint(catalog, demand, {}, SAMPLING), draws: undefined};
    const training = side(STEPS, {precision: 'fp8', technique: "DeepSeek's layout"});
    expect(() => pointDraws(catalog, demand, {}, SAMPLING)).toThrow(/demand scenario/);
    expect(() => estimateFactor(demandSide, training, 'gpuHours')).toThrow(/demand scenario/);
    expect(() => estimateFactor(training, training, 'nothing')).toThrow(/not an output/);
  });
});
