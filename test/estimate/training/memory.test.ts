import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import type {Catalog} from '../../../src/data/catalog.js';
import type {ReferenceRun} from '../../../src/data/schemas/reference.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {chipRates} from '../../../src/estimate/chip-rates.js';
import {profileModel, type ModelProfile} from '../../../src/estimate/model-profile.js';
import {techniqueLimits} from '../../../src/estimate/training/availability.js';
import {layoutConstraints, trainingSetup} from '../../../src/estimate/training/inputs.js';
import type {Layout, TrainingSetup} from '../../../src/estimate/training/layout.js';
import {inFlightOnRank, layersOnStage, memoryPerGpu} from '../../../src/estimate/training/memory.js';
import {PUBLISHED_MEMORY_TOLERANCE, searchLayouts} from '../../../src/estimate/training/search.js';
import {memoryEvidence} from '../../../src/estimate/training/memory-calibration.js';
import type {ChipRates} from '../../../src/estimate/chip-rates.js';
import {REPO_ROOT} from '../../helpers/project.js';
import {layoutOf} from '../../helpers/training-fixtures.js';

/** The memory model's terms (issue #14: a published run must be writable as published). */
let catalog: Catalog;

beforeAll(async () => {
  catalog = await loadCheckedCatalog(REPO_ROOT, new Diagnostics());
});

/** A reference run's model, setup, chip and the constraints of its layout as published. */
function runOf(id: string, published = true) {
  const run = catalog.references.get(id) as ReferenceRun;
  const limits = techniqueLimits(catalog.techniques.values(), run.available);
  const profile = profileModel(catalog.models.get(run.model)!);
  const setup = trainingSetup({
    gpus: run.cluster!.gpus,
    seqLen: run.workload!.seq_len,
    globalBatchTokens: run.workload!.global_batch_tokens!,
    precision: run.precision,
    recipe: run.recipe,
    limits,
  });
  const rates = chipRates(catalog.hardware.get(run.cluster!.hardware)!);
  const constraints = layoutConstraints(run.parallelism, limits, published);
  return {profile, setup, rates, constraints};
}

const layout = (overrides: Partial<Layout>): Layout => layoutOf({dp: 1, ...overrides});

describe('pipeline ranks', () => {
  it('splits uneven layers so the first and last stages are the light ones (Llama 3: one layer fewer on each, Herd §3.3.2)', () => {
    const split = Array.from({length: 16}, (_, stage) => layersOnStage(126, {pp: 16, unevenStages: true}, stage));
    expect(split).toEqual([7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 7]);
    // DeepSeek-V3's 61 layers on 16 stages: 13 stages of 4 before the last, 3 on the ends.
    const deepseek = Array.from({length: 16}, (_, stage) => layersOnStage(61, {pp: 16, unevenStages: true}, stage));
    expect(deepseek.reduce((a, b) => a + b)).toBe(61);
    expect([deepseek[0], deepseek[1], deepseek[2], deepseek[15]]).toEqual([3, 3, 4, 3]);
    // More extra layers than middle stages: the last stage takes one too.
    expect(Array.from({length: 4}, (_, stage) => layersOnStage(7, {pp: 4, unevenStages: true}, stage))).toEqual([
      1, 2, 2, 2,
    ]);
  });

  it('splits any number of layers over any number of stages: all of them, within one of L/p, the ends no fuller than the middle (property)', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 200}), fc.integer({min: 1, max: 64}), fc.boolean(), (layers, pp, uneven) => {
        fc.pre(pp <= layers);
        const split = Array.from({length: pp}, (_, stage) => layersOnStage(layers, {pp, unevenStages: uneven}, stage));
        const low = Math.floor(layers / pp);
        const high = Math.ceil(layers / pp);
        for (const count of split) expect(count === low || count === high).toBe(true);
        if (!uneven) {
          expect(split.every((count) => count === high)).toBe(true);
          return;
        }
        expect(split.reduce((a, b) => a + b)).toBe(layers);
        // The extra layers fill the middle stages from the last one back, then the last stage, then the first.
        const middle = split.slice(1, -1);
        for (let stage = 1; stage < middle.length; stage++)
          expect(middle[stage]).toBeGreaterThanOrEqual(middle[stage - 1] as number);
        if (pp > 2) expect(split[pp - 1]).toBeLessThanOrEqual(Math.min(...middle));
        if (pp > 1) expect(split[0]).toBeLessThanOrEqual(split[pp - 1] as number);
      }),
    );
  });

  it("holds Megatron-LM's interleaved warm-up on each rank: p + (p−1)/v on the first, ((v−1)p + 1)/v on the last", () => {
    const interleaved = layout({pp: 8, schedule: 'interleaved', virtualStages: 4});
    expect(inFlightOnRank(interleaved, 0)).toBe(8 + 7 / 4);
    expect(inFlightOnRank(interleaved, 7)).toBe((3 * 8 + 1) / 4);
    expect(inFlightOnRank(layout({pp: 8}), 3)).toBe(5);
    expect(inFlightOnRank(layout({pp: 8, schedule: 'dualpipe'}), 5)).toBe(9);
  });
});

describe('memoryPerGpu', () => {
  const model = (): {profile: ModelProfile; setup: TrainingSetup; rates: ChipRates} => {
    const {profile, setup, rates} = runOf('megatron-gpt-39b-512-a100');
    return {profile, setup, rates};
  };

  it('puts the logits on the last rank only, and the busiest rank is the largest of them', () => {
    const {profile, setup, rates} = model();
    const piped = layout({tp: 8, pp: 4, dp: 16, microBatchSize: 1, recompute: 'full'});
    const ranks = Array.from({length: 4}, (_, rank) => memoryPerGpu(profile, setup, piped, rates, rank));
    const reserve = rates.memoryBytes * rates.constants.reservedFraction + rates.constants.reservedBytes;
    expect(ranks.slice(0, 3).map((rank) => rank.otherBytes)).toEqual([reserve, reserve, reserve]);
    expect(ranks[3]!.otherBytes).toBeGreaterThan(reserve);
    const busiest = memoryPerGpu(profile, setup, piped, rates);
    expect(busiest.totalBytes).toBe(Math.max(...ranks.map((rank) => rank.totalBytes)));
    expect(busiest.rank).toBe(ranks.findIndex((rank) => rank.totalBytes === busiest.totalBytes));
  });

  it('keeps a copy of a tied embedding on the last stage when pp > 1 (Megatron-LM), and holds both ends on DualPipe rank 0', () => {
    const {profile, setup, rates} = model();
    expect(profile.parameters.outputHeadParams).toBe(0);
    const piped = layout({tp: 8, pp: 4, dp: 16, recompute: 'full'});
    const first = memoryPerGpu(profile, setup, piped, rates, 0);
    const last = memoryPerGpu(profile, setup, piped, rates, 3);
    // Same layers on each (48 / 4): the two ends hold the same parameters, an embedding each.
    expect(last.weightsBytes).toBeCloseTo(first.weightsBytes, 0);
    const middle = memoryPerGpu(profile, setup, piped, rates, 1);
    expect(first.weightsBytes - middle.weightsBytes).toBeCloseTo((profile.parameters.embeddingParams * 2) / 8, 0);
    const dual = layout({tp: 8, pp: 4, dp: 16, recompute: 'full', schedule: 'dualpipe'});
    const dualFirst = memoryPerGpu(profile, setup, dual, rates, 0);
    const dualMiddle = memoryPerGpu(profile, setup, dual, rates, 1);
    expect(dualFirst.weightsBytes - dualMiddle.weightsBytes).toBeCloseTo(
      (profile.parameters.embeddingParams * 2 * 2) / 8,
      0,
    );
  });

  it("fits DeepSeek-V3's published H800 layout with its selective recomputation (the model put it at 87.7 GB of 85.5 on one rank that held everything)", () => {
    const {profile, setup, rates, constraints} = runOf('deepseek-v3-h800', false);
    expect(constraints.recompute).toBe('selective');
    const result = searchLayouts(profile, setup, rates, constraints, 1);
    expect(result.takenAsPublished).toBe(false);
    const best = result.ranked[0]!;
    expect(best.layout.recompute).toBe('selective');
    expect(best.memory.fits).toBe(true);
  });

  it('caches only the GEMM inputs in FP8 when training in FP8, the rest in 16 bits (DeepSeek-V3 §3.3.3)', () => {
    const {profile, setup, rates} = model();
    const piped = layout({tp: 8, pp: 2, dp: 32, microBatchSize: 1});
    const sp = {...setup, sequenceParallel: true, flashAttention: true};
    const bf16 = memoryPerGpu(profile, {...sp, gemmPrecision: 'bf16'}, piped, rates, 0).activationsBytes;
    const fp8 = memoryPerGpu(profile, {...sp, gemmPrecision: 'fp8'}, piped, rates, 0).activationsBytes;
    const {linear, linearGemmInputs} = profile.activationElements;
    const fp8Bytes = rates.constants.fp8ActivationBytes;
    expect(fp8Bytes).toBe(1 + 4 / 128);
    expect(fp8 / bf16).toBeCloseTo(((linear - linearGemmInputs) * 2 + linearGemmInputs * fp8Bytes) / (linear * 2), 12);
    // GPT's GEMM inputs: the two norm outputs, the attention output and the MLP's second input (h + 4h): 7h of 17h.
    expect(linearGemmInputs / profile.dModel).toBe(7);
  });
});

describe('the fit rule for published layouts', () => {
  it('ranks only the least memory-hungry readings of a published layout no reading of which fits', () => {
    const {profile, setup, rates, constraints} = runOf('llama-3.1-405b-8k-gpus');
    const strict = searchLayouts(profile, setup, rates, {...constraints, published: false}, 5);
    expect(strict.ranked).toEqual([]);
    const least = strict.closest!.memory.totalBytes;
    expect(least).toBeGreaterThan(rates.memoryBytes);
    const taken = searchLayouts(profile, setup, rates, constraints, 5);
    expect(taken.takenAsPublished).toBe(true);
    expect(taken.ranked.length).toBeGreaterThan(0);
    for (const step of taken.ranked) {
      expect(step.layout.recompute).toBe('none');
      expect(step.memory.fits).toBe(false);
      expect(step.memory.totalBytes).toBeLessThanOrEqual(least);
    }
  });

  it('changes nothing for a published layout some reading of which fits', () => {
    const {profile, setup, rates, constraints} = runOf('llama-3.1-405b-16k-gpus');
    const published = searchLayouts(profile, setup, rates, constraints, 5);
    const unpublished = searchLayouts(profile, setup, rates, {...constraints, published: false}, 5);
    expect(published.takenAsPublished).toBe(false);
    expect(published.ranked.map((step) => step.layout)).toEqual(unpublished.ranked.map((step) => step.layout));
    for (const step of published.ranked) expect(step.memory.fits).toBe(true);
  });
});

describe('memoryEvidence: the memory model against the published layouts', () => {
  it('lists each published layout at its least memory-hungry reading over its chip, and the largest over-prediction among those that state their recomputation', () => {
    const evidence = memoryEvidence(catalog);
    const row = (id: string) => evidence.rows.find((each) => each.id === id)!;
    expect(row('deepseek-v3-h800')).toMatchObject({recomputeStated: true, hardwareId: 'h800-sxm'});
    expect(row('deepseek-v3-h800').layout.recompute).toBe('selective');
    expect(row('deepseek-v3-h800').ratio).toBeLessThan(1);
    expect(row('llama-3.1-405b-8k-gpus').ratio).toBeGreaterThan(1);
    expect(row('llama-3.1-405b-8k-gpus').ratio).toBeCloseTo(row('llama-3.1-405b-8k-gpus').predictedBytes / 85.5e9, 3);
    // A run that leaves recomputation out is read with the most of it, and is listed apart.
    expect(row('llama-3-8b-8-h100')).toMatchObject({recomputeStated: false});
    expect(row('llama-3-8b-8-h100').layout.recompute).toBe('full');
    const stated = evidence.rows.filter((each) => each.recomputeStated);
    expect(evidence.stated.runs).toBe(stated.length);
    expect(evidence.stated.largest).toBe(Math.max(...stated.map((each) => each.ratio)));
    expect(evidence.stated.largest).toBeGreaterThanOrEqual(row('llama-3.1-405b-8k-gpus').ratio);
    // Within the tolerance a published scenario is taken as fitting with (search.ts).
    expect(evidence.stated.largest).toBeLessThan(PUBLISHED_MEMORY_TOLERANCE);
    // Every row is what the memory model gives the layout.
    for (const each of evidence.rows) expect(each.ratio).toBeCloseTo(each.predictedBytes / each.capacityBytes, 12);
  });
});
