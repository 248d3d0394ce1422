import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import type {Catalog} from '../../../src/data/catalog.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {chipRates} from '../../../src/estimate/chip-rates.js';
import {profileModel, type ModelProfile} from '../../../src/estimate/model-profile.js';
import {trainingSetup} from '../../../src/estimate/training/inputs.js';
import {microBatches, type Layout, type TrainingSetup} from '../../../src/estimate/training/layout.js';
import {
  busiestStage,
  computeTimes,
  dualPipeUnpairedMicroBatches,
  expertParallelSeconds,
  pairedMicroBatch,
  pipelineStages,
  pipelineTransferSeconds,
  predictStep,
} from '../../../src/estimate/training/step-time.js';
import {REPO_ROOT} from '../../helpers/project.js';

/**
 * The step model on mixture-of-experts runs and on the pipeline schedules
 * they use (issue #14, the held-out runs): every test here failed on main
 * before its fix.
 */

describe('DualPipe runs as many micro-batches unpaired as its schedule does (deepseek-ai/DualPipe, DualPipe.step)', () => {
  it('counts the fill and drain of each rank: 3p/2 − 1 at the edges, p in the middle', () => {
    // Steps 1–3 of dualpipe.py on 16 ranks: half-rank 0 runs 14 + 2 + 7 forwards alone, half-rank 7 runs 0 + 16 + 0.
    expect(dualPipeUnpairedMicroBatches(16, 120, 0)).toBe(23);
    expect(dualPipeUnpairedMicroBatches(16, 120, 1)).toBe(22);
    expect(dualPipeUnpairedMicroBatches(16, 120, 7)).toBe(16);
    expect(dualPipeUnpairedMicroBatches(2, 4, 0)).toBe(2);
    expect(dualPipeUnpairedMicroBatches(8, 8, 0)).toBe(8);
  });

  it('stays between p and 3p/2 − 1, never above the step’s micro-batches (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 32}),
        fc.integer({min: 0, max: 64}),
        fc.integer({min: 1, max: 512}),
        (half, rank, m) => {
          const pp = 2 * half;
          const unpaired = dualPipeUnpairedMicroBatches(pp, m, rank);
          expect(unpaired).toBeLessThanOrEqual(m);
          expect(unpaired).toBeLessThanOrEqual(3 * half - 1);
          expect(unpaired).toBeGreaterThanOrEqual(Math.min(m, pp));
          expect(Number.isInteger(unpaired)).toBe(true);
        },
      ),
    );
  });

  describe('on DeepSeek-V3 as published (2,048 H800, PP16 DualPipe, EP64, selective recomputation)', () => {
    let catalog: Catalog;
    let profile: ModelProfile;
    let setup: TrainingSetup;
    const layout: Layout = {
      tp: 1,
      pp: 16,
      dp: 128,
      ep: 64,
      etp: 1,
      cp: 1,
      zero: 1,
      microBatchSize: 1,
      recompute: 'selective',
      schedule: 'dualpipe',
      virtualStages: 1,
      unevenStages: true,
    };
    beforeAll(async () => {
      catalog = await loadCheckedCatalog(REPO_ROOT, new Diagnostics());
      profile = profileModel(catalog.models.get('deepseek-v3')!);
      setup = trainingSetup({
        gpus: 2048,
        seqLen: 4096,
        globalBatchTokens: 62_914_560,
        precision: 'fp8',
        recipe: {flash_attention: true, moment_bytes: 2, overlap_data_parallel: true},
      });
    });

    it('charges the busiest rank its unpaired micro-batches alone, the rest paired', () => {
      const rates = chipRates(catalog.hardware.get('h800-sxm')!);
      const step = predictStep(profile, setup, layout, rates);
      const stage = busiestStage(profile, setup, layout, rates);
      const m = microBatches(setup, layout);
      expect(m).toBe(120);
      const compute = computeTimes(profile, setup, layout, rates, stage);
      const ep = expertParallelSeconds(profile, setup, layout, rates, stage);
      const pp = pipelineTransferSeconds(profile, layout, rates, stage);
      const paired = pairedMicroBatch(layout, rates.constants.overlapSmShare, compute.microBatchSeconds, ep, pp, 0);
      // The stages without the head are the fullest (uneven stages): their busiest rank is the edge's neighbour.
      expect(stage.headShare).toBe(0);
      const unpaired = 22;
      expect(step.breakdown.computeSeconds).toBeCloseTo(
        (m - unpaired) * paired.computeSeconds + unpaired * compute.microBatchSeconds,
        9,
      );
      expect(step.breakdown.expertParallelSeconds).toBeCloseTo(
        (m - unpaired) * paired.expertParallelSeconds + unpaired * ep,
        9,
      );
    });

    it('puts the three dense layers on the first stage: the busiest stage past it holds MoE layers only', () => {
      const rates = chipRates(catalog.hardware.get('h800-sxm')!);
      expect(profile.layers - profile.moeLayers).toBe(3);
      const [head, other] = pipelineStages(profile, setup, layout);
      expect(other!.layers).toBe(4);
      expect(other!.moeLayers).toBe(4);
      // The edge rank holds the last stage (its layers all MoE) and the first (embedding, then the dense layers).
      expect(head!.moeLayers).toBeLessThan(head!.layers);
      // The all-to-all and the expert GEMMs of the busiest stage count its 4 MoE layers, not 4 · 58/61 of one.
      const averaged = {...other!, moeLayers: (profile.moeLayers * other!.layers) / profile.layers};
      expect(expertParallelSeconds(profile, setup, layout, rates, other!)).toBeCloseTo(
        (expertParallelSeconds(profile, setup, layout, rates, averaged) * 61) / 58,
        12,
      );
      expect(computeTimes(profile, setup, layout, rates, other!).forwardSeconds).toBeGreaterThan(
        computeTimes(profile, setup, layout, rates, averaged).forwardSeconds,
      );
    });

    it('counts every layer of a one-stage run as the model has them, dense and MoE', () => {
      const rates = chipRates(catalog.hardware.get('h800-sxm')!);
      const single = {...layout, pp: 1, dp: 2048, schedule: '1f1b' as const, unevenStages: false};
      const [stage] = pipelineStages(profile, setup, single);
      expect(stage!.moeLayers).toBe(profile.moeLayers);
      expect(busiestStage(profile, setup, single, rates)).toEqual(stage);
    });
  });
});
