import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import type {Catalog} from '../../../src/data/catalog.js';
import {modelErrorSchema} from '../../../src/data/catalog-json.js';
import type {TrainingScenario} from '../../../src/data/schemas/scenario.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {
  MIN_FFN_RUNS,
  modelErrorForFfn,
  modelErrorForSetup,
  type ModelError,
} from '../../../src/estimate/calibration/model-error.js';
import {calibrateCatalog, calibrationCoverage} from '../../../src/estimate/training/calibrate-catalog.js';
import {trainingWithRanges} from '../../../src/estimate/training/training-ranges.js';
import {calibrateServing} from '../../../src/estimate/inference/calibration.js';
import {inferenceWithRanges} from '../../../src/estimate/inference/inference-ranges.js';
import type {InferenceScenario} from '../../../src/data/schemas/scenario.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const POOLED: ModelError = {
  mu: 0.05,
  sigma: 0.2,
  medianAbsolute: 0.07,
  runs: 40,
  betweenChips: 0.06,
  byFfn: {
    dense: {mu: -0.01, sigma: 0.07, medianAbsolute: 0.04, runs: 30},
    moe: {mu: 0.16, sigma: 0.28, medianAbsolute: 0.17, runs: MIN_FFN_RUNS - 1},
  },
};

describe('modelErrorForFfn', () => {
  it("takes the fit over the runs of the model's FFN kind, keeping the pooled spread between chips", () => {
    expect(modelErrorForFfn(POOLED, 'dense')).toEqual({
      mu: -0.01,
      sigma: 0.07,
      medianAbsolute: 0.04,
      runs: 30,
      betweenChips: 0.06,
    });
  });

  it(`falls back to the pooled fit for a kind with fewer than ${MIN_FFN_RUNS} runs, or none`, () => {
    expect(modelErrorForFfn(POOLED, 'moe')).toBe(POOLED);
    expect(modelErrorForFfn({...POOLED, byFfn: undefined}, 'dense').sigma).toBe(0.2);
  });
});

describe('the calibration fits the model error per FFN kind', () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await loadCheckedCatalog(REPO_ROOT, new Diagnostics());
  });

  it('fits the dense and the MoE runs apart, the two together being every run, and writes through the schema', () => {
    const error = calibrateCatalog(catalog).modelError!;
    const {dense, moe} = error.byFfn ?? {};
    expect(dense && moe).toBeTruthy();
    expect(dense!.runs + moe!.runs).toBe(error.runs);
    // The calibration set has enough of each for its own fit.
    expect(dense!.runs).toBeGreaterThanOrEqual(MIN_FFN_RUNS);
    expect(moe!.runs).toBeGreaterThanOrEqual(MIN_FFN_RUNS);
    expect(modelErrorSchema.parse(JSON.parse(JSON.stringify(error)))).toEqual(error);
  });

  it("gives a predicted estimate the error of its model's kind: a dense model's range is not an MoE model's", () => {
    const modelError = calibrateCatalog(catalog).modelError!;
    const ranged = (scenarioId: string) => {
      const scenario = catalog.scenarios.get(scenarioId) as TrainingScenario;
      return trainingWithRanges(
        catalog,
        {...scenario, sweep: undefined},
        {},
        {samples: 50, seed: 1},
        {
          modelError: () => modelError,
        },
      );
    };
    // The error of the model's kind, centred on the calibration's runs of the same model on the same chip.
    const moe = ranged('deepseek-v3-pretraining-predicted');
    expect(moe.modelError).toEqual(modelErrorForSetup(modelError, 'moe', moe.modelId, moe.hardwareId));
    const denseScenario = [...catalog.scenarios.values()].find(
      (scenario) =>
        scenario.kind === 'training' &&
        scenario.efficiency === undefined &&
        catalog.models.get(scenario.model)?.ffn.kind === 'dense',
    );
    expect(denseScenario).toBeDefined();
    const dense = ranged(denseScenario!.id);
    expect(dense.modelError).toEqual(modelErrorForSetup(modelError, 'dense', dense.modelId, dense.hardwareId));
    expect(modelErrorForFfn(modelError, 'dense').sigma).not.toBe(modelErrorForFfn(modelError, 'moe').sigma);
  });

  it('misses about one run in ten of each kind with its p5–p95 range, not the tail of one kind only', () => {
    const calibration = calibrateCatalog(catalog);
    const coverage = calibrationCoverage(catalog, calibration, {samples: 100, seed: 1});
    const kindOf = (id: string) => catalog.models.get(catalog.references.get(id)!.model)!.ffn.kind;
    // A 90% range misses one run in ten when its error is the model's own on such runs. One fit pooled over
    // both kinds missed a quarter of the MoE runs (their heavier tail) and none of the dense ones.
    for (const kind of ['dense', 'moe'] as const) {
      const rows = coverage.filter((row) => kindOf(row.id) === kind);
      expect(rows.filter((row) => !row.covered).length / rows.length, kind).toBeLessThanOrEqual(0.2);
    }
  });

  it("gives a serving estimate the serving error of its model's kind", () => {
    const servingError = calibrateServing(catalog).modelError!;
    expect(servingError.byFfn?.dense && servingError.byFfn.moe).toBeTruthy();
    const ranged = (scenarioId: string) => {
      const scenario = catalog.scenarios.get(scenarioId) as InferenceScenario;
      return inferenceWithRanges(
        catalog,
        {...scenario, sweep: undefined},
        {},
        {samples: 20, seed: 1},
        {
          servingModelError: () => servingError,
        },
      );
    };
    for (const [id, kind] of [
      ['deepseek-v3-serving', 'moe'],
      ['llama-3.1-405b-serving', 'dense'],
    ] as const) {
      const estimate = ranged(id);
      expect(estimate.modelError).toEqual(
        modelErrorForSetup(servingError, kind, estimate.modelId, estimate.hardwareId),
      );
    }
    expect(modelErrorForFfn(servingError, 'moe').sigma).not.toBe(modelErrorForFfn(servingError, 'dense').sigma);
  });
});
