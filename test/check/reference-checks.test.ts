import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import type {TrainingScenario} from '../../src/data/schemas/scenario.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {countParameters} from '../../src/estimate/parameters.js';
import {estimateTraining} from '../../src/estimate/training/training-scenario.js';
import {REPO_ROOT} from '../helpers/project.js';

/** The validation checks of ../shared/reference/estimation.md §5, from the bundled data. */
let catalog: Catalog;
let diagnostics: Diagnostics;

beforeAll(async () => {
  diagnostics = new Diagnostics();
  catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
});

const scenario = (id: string) => catalog.scenarios.get(id) as TrainingScenario;

describe('the bundled data', () => {
  it('loads with no error and no warning', () => {
    expect(diagnostics.files.flatMap((file) => file.messages.map(String))).toEqual([]);
  });

  it('has the accelerators and models the reports need', () => {
    expect([...catalog.hardware.keys()]).toEqual(
      expect.arrayContaining(['a100-sxm', 'h100-sxm', 'h800-sxm', 'h200-sxm', 'h20', 'b200-sxm', 'mi300x']),
    );
    expect([...catalog.models.keys()]).toEqual(expect.arrayContaining(['deepseek-v3', 'llama-3.1-405b']));
  });
});

describe('parameter counts computed from the architecture', () => {
  it.each([
    ['deepseek-v3', 671e9, 37e9],
    ['llama-3.1-405b', 405e9, undefined],
    ['gpt-3-175b', 174.6e9, undefined],
  ])('are within 2%% of the declared counts for %s', (id, total, active) => {
    const counts = countParameters(catalog.models.get(id)!);
    expect(Math.abs(counts.totalParams / total - 1)).toBeLessThan(0.02);
    if (active) expect(Math.abs(counts.activeParams / active - 1)).toBeLessThan(0.02);
  });

  it('gives DeepSeek-V3 its 256 routed + 1 shared experts on 58 MoE layers', () => {
    // 58 × 257 experts × 3 × 7168 × 2048 = 656.4B of the 671B.
    const counts = countParameters(catalog.models.get('deepseek-v3')!);
    expect(counts.totalParams).toBeGreaterThan(656.4e9);
    expect(counts.totalParams - 656.4e9).toBeLessThan(16e9);
  });
});

describe('reference §5 checks with the reported MFU', () => {
  it('check 1: DeepSeek-V3 pre-training takes about 54.2 days and 2.66M GPU-hours, $5.33M at $2/h', () => {
    const estimate = estimateTraining(catalog, scenario('deepseek-v3-pretraining'));
    expect(estimate.tokensPerSecondPerGpu).toBeCloseTo(1542, -1);
    expect(Math.abs(estimate.wallClockDays / 54.2 - 1)).toBeLessThan(0.01);
    expect(Math.abs(estimate.gpuHours / 2.664e6 - 1)).toBeLessThan(0.01);
    expect(Math.abs(estimate.costUsd! / 5.33e6 - 1)).toBeLessThan(0.01);
  });

  it('check 2: DeepSeek-V3 costs 250 GFLOP per token (causal) and runs at 385 TFLOP/s, 38.9% of the BF16 peak', () => {
    const estimate = estimateTraining(catalog, scenario('deepseek-v3-pretraining'));
    expect(Math.abs(estimate.mfuFlopsPerToken / 250e9 - 1)).toBeLessThan(0.005);
    // The non-causal convention gives DeepSeek's other figure, 280 GFLOP per token.
    const nonCausal = estimate.flopsPerToken.matmul + estimate.flopsPerToken.attentionNonCausal;
    expect(Math.abs(nonCausal / 280e9 - 1)).toBeLessThan(0.01);
    expect(estimate.achievedFlopsPerSecondPerGpu / 1e12).toBeCloseTo(385, 0);
    expect(estimate.achievedFlopsPerSecondPerGpu / estimate.peakFlopsPerSecondPerGpu).toBeCloseTo(0.389, 3);
  });

  it('check 3: Llama 3.1 405B needs 3.8e25 FLOPs, 30.84M H100-hours at 342 TFLOP/s (34.6%)', () => {
    const estimate = estimateTraining(catalog, scenario('llama-3.1-405b-pretraining'));
    expect(Math.abs((estimate.mfuFlopsPerToken * estimate.tokens) / 3.8e25 - 1)).toBeLessThan(0.01);
    expect(estimate.achievedFlopsPerSecondPerGpu / 1e12).toBeCloseTo(342, 0);
    expect(Math.abs(estimate.gpuHours / 30.84e6 - 1)).toBeLessThan(0.01);
  });
});
