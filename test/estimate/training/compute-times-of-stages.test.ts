import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import type {Catalog} from '../../../src/data/catalog.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {chipRates} from '../../../src/estimate/chip-rates.js';
import {atSequenceLength, profileModel} from '../../../src/estimate/model-profile.js';
import {SCHEDULES, type Layout, type TrainingSetup} from '../../../src/estimate/training/layout.js';
import {computeTimes, computeTimesOfStages, pipelineStages} from '../../../src/estimate/training/step-time.js';
import {REPO_ROOT} from '../../helpers/project.js';

/**
 * predictStep times its two candidate stages in one pass over the GEMM
 * kernels (computeTimesOfStages), with the second stage's sums written out
 * beside the first's: each stage must come out exactly as timed alone.
 */
describe('computeTimesOfStages', () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await loadCheckedCatalog(REPO_ROOT, new Diagnostics());
  });

  it('times each of two stages exactly as computeTimes does alone, in either order (property)', () => {
    const models = [...catalog.models.values()];
    const chips = [...catalog.hardware.values()];
    fc.assert(
      fc.property(
        fc.record({
          model: fc.constantFrom(...models),
          chip: fc.constantFrom(...chips),
          seqLen: fc.constantFrom(2048, 4096, 8192, 32_768),
          gemmPrecision: fc.constantFrom('bf16', 'fp8') as fc.Arbitrary<TrainingSetup['gemmPrecision']>,
          flashAttention: fc.boolean(),
          sequenceParallel: fc.boolean(),
          tp: fc.constantFrom(1, 2, 4, 8),
          etpWhole: fc.boolean(),
          pp: fc.constantFrom(2, 3, 4, 8, 16),
          ep: fc.constantFrom(1, 8, 64),
          microBatchSize: fc.constantFrom(1, 2, 4),
          recompute: fc.constantFrom('none', 'selective', 'full') as fc.Arbitrary<Layout['recompute']>,
          schedule: fc.constantFrom(...SCHEDULES),
        }),
        ({model, chip, seqLen, gemmPrecision, flashAttention, sequenceParallel, tp, etpWhole, pp, ep, ...knobs}) => {
          const setup: TrainingSetup = {
            gpus: 1024,
            seqLen,
            globalBatchTokens: 1024 * seqLen,
            gemmPrecision,
            flashAttention,
            sequenceParallel,
            momentBytes: 4,
            overlapDataParallel: true,
            goodput: 1,
          };
          const profile = atSequenceLength(profileModel(model), seqLen);
          const layout: Layout = {
            ...knobs,
            tp,
            pp,
            dp: 1024 / (tp * pp),
            ep: profile.experts > 0 ? ep : 1,
            etp: profile.experts > 0 && etpWhole ? 1 : tp,
            cp: 1,
            zero: 1,
            virtualStages: knobs.schedule === 'interleaved' ? 2 : 1,
            unevenStages: true,
          };
          const rates = chipRates(chip);
          const [first, second] = pipelineStages(profile, setup, layout);
          if (!first || !second) return;
          const alone = [
            computeTimes(profile, setup, layout, rates, first),
            computeTimes(profile, setup, layout, rates, second),
          ];
          expect(computeTimesOfStages(profile, setup, layout, rates, first, second)).toStrictEqual(alone);
          expect(computeTimesOfStages(profile, setup, layout, rates, second, first)).toStrictEqual(
            [...alone].reverse(),
          );
        },
      ),
      {numRuns: 200},
    );
  });
});
