import {describe, expect, it} from 'vitest';
import {chipRates} from '../../../src/estimate/chip-rates.js';
import {describeLayout} from '../../../src/estimate/training/describe-layout.js';
import {validateConstraints, validateLayout} from '../../../src/estimate/training/layout.js';
import {memoryPerGpu} from '../../../src/estimate/training/memory.js';
import {searchLayouts} from '../../../src/estimate/training/search.js';
import {computeTimes, dataParallelGroups, pipelineStages} from '../../../src/estimate/training/step-time.js';
import {gptProfile, layoutOf, setupOf, testChip} from '../../helpers/training-fixtures.js';

/**
 * Expert tensor parallelism (Megatron-Core's `expert_tensor_parallel_size`)
 * and MoE parallel folding: the MoE layers refold a stage's tp·dp·cp GPUs as
 * etp·ep·edp, so a run with whole experts on each GPU (etp 1) may use more
 * expert-parallel ranks than data-parallel ones, as Megatron-Bridge's
 * Qwen3-235B-A22B recipe on H100 does (TP 2, PP 8, EP 32 on 256 GPUs: dp 16).
 */

// 32 layers of 64 experts (top 4), d_model 2048, 16 heads.
const moe = gptProfile({
  layers: 32,
  ffn: {kind: 'moe', experts: 64, active: 4, expert_d_ff: 1024, gated: true},
  declared: {params_total: 13e9, source: 'example'},
});
const rates = chipRates(testChip());

describe('expert tensor parallelism', () => {
  it('lets ep exceed dp when experts are whole on each GPU (etp 1), and not when they are split over tp', () => {
    const setup = setupOf({gpus: 256, globalBatchTokens: 256 * 2048});
    const folded = layoutOf({tp: 2, pp: 8, dp: 16, ep: 32, etp: 1});
    expect(validateLayout(moe, setup, folded)).toEqual([]);
    const split = validateLayout(moe, setup, {...folded, etp: 2});
    expect(split.map((problem) => problem.field)).toEqual(['ep']);
    expect(split[0]?.message).toContain('tp × dp × cp / etp = 16');
    // The same check on the knobs a record fixes, before any search.
    expect(validateConstraints(moe, setup, {tp: 2, pp: 8, ep: 32, etp: 1})).toEqual([]);
    expect(validateConstraints(moe, setup, {tp: 2, pp: 8, ep: 32}).map((problem) => problem.field)).toEqual(['ep']);
  });

  it('needs etp to divide tp, and a dense model to have none', () => {
    const setup = setupOf({gpus: 64});
    const problems = validateLayout(moe, setup, layoutOf({tp: 4, dp: 16, ep: 4, etp: 3}));
    expect(problems.map((problem) => problem.field)).toEqual(['etp']);
    expect(problems[0]?.message).toBe('etp 3 must divide tp 4, expected one of 1, 2, 4');
    // Before a search, the same: one problem, the etp (not an ep over a fractional refold).
    expect(validateConstraints(moe, setup, {tp: 4, pp: 1, ep: 4, etp: 3})).toEqual([
      {field: 'etp', message: 'etp 3 must divide tp 4, expected one of 1, 2, 4'},
    ]);
    expect(validateLayout(gptProfile(), setup, layoutOf({tp: 4, dp: 16, etp: 1})).map((p) => p.field)).toEqual(['etp']);
  });

  it('holds whole experts with etp 1: tp times the expert weights of etp = tp, the same expert FLOPs', () => {
    const setup = setupOf({gpus: 64});
    const split = layoutOf({tp: 4, dp: 16, ep: 8});
    const whole = {...split, etp: 1};
    const [stage] = pipelineStages(moe, setup, split);
    const splitGroups = dataParallelGroups(moe, split, rates, stage!);
    const wholeGroups = dataParallelGroups(moe, whole, rates, stage!);
    expect(wholeGroups.expertParams).toBeCloseTo(4 * splitGroups.expertParams, 6);
    // Four times the weights, replicated over four times the expert-data-parallel ranks: ZeRO shards the
    // optimizer states over them, so each GPU keeps as much of them either way.
    expect(wholeGroups.expertGroup).toBe(4 * splitGroups.expertGroup);
    expect(wholeGroups.denseParams).toBe(splitGroups.denseParams);
    const memory = (layout: typeof split) => memoryPerGpu(moe, setup, {...layout, zero: 1}, rates);
    expect(memory(whole).weightsBytes).toBeGreaterThan(memory(split).weightsBytes);
    expect(memory(whole).optimizerBytes).toBeCloseTo(memory(split).optimizerBytes, 0);
    // With enough tokens per expert the GEMMs are compute-bound: the same time either way.
    const busy = setupOf({gpus: 64, seqLen: 16_384, globalBatchTokens: 64 * 16_384});
    const [busyStage] = pipelineStages(moe, busy, split);
    expect(computeTimes(moe, busy, whole, rates, busyStage!).forwardSeconds).toBeCloseTo(
      computeTimes(moe, busy, split, rates, busyStage!).forwardSeconds,
      9,
    );
  });

  it('is chosen by the search between 1 and tp when a record leaves it out, and kept when given', () => {
    const setup = setupOf({gpus: 64, globalBatchTokens: 256 * 2048});
    const free = searchLayouts(moe, setup, rates, {tp: 2, pp: 1, zero: 1, microBatchSize: 1}, 100);
    const etps = new Set(free.ranked.map((estimate) => estimate.layout.etp));
    expect([...etps].sort()).toEqual([1, 2]);
    const fixed = searchLayouts(moe, setup, rates, {tp: 2, pp: 1, etp: 1, zero: 1, microBatchSize: 1}, 100);
    expect(fixed.ranked.every((estimate) => estimate.layout.etp === 1)).toBe(true);
    // etp 1 doubles the expert-parallel degrees a stage of 64 GPUs can take (up to 64, not 32).
    expect(Math.max(...fixed.ranked.map((estimate) => estimate.layout.ep))).toBe(64);
  });

  it('is named in a layout only when it differs from tp', () => {
    expect(describeLayout(layoutOf({tp: 2, dp: 32, ep: 8, etp: 1}))).toContain('ep 8 · etp 1 ·');
    expect(describeLayout(layoutOf({tp: 2, dp: 32, ep: 8}))).not.toContain('etp');
  });
});
