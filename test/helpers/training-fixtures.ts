import {parseHardwareRecord, type Hardware} from '../../src/data/schemas/hardware.js';
import {modelSchema} from '../../src/data/schemas/model.js';
import {profileModel} from '../../src/estimate/model-profile.js';
import type {Layout, TrainingSetup} from '../../src/estimate/training/layout.js';

/**
 * The small chips, models, set-ups and layouts the training estimator's
 * unit tests build their cases from, so that each test file states only
 * what its case changes.
 */

/** An H100-like test chip at a tenth of the scale: 400 TFLOP/s BF16, 80 GB at 2 TB/s, NVLink-like 200 GB/s in 8, 25 GB/s out. */
export function testChip(overrides: Record<string, unknown> = {}): Hardware {
  return parseHardwareRecord({
    id: 'test-gpu',
    name: 'Test GPU',
    vendor: 'Nobody',
    peak_tflops: {bf16: 400, source: 'example'},
    memory: {capacity_gb: 80, bandwidth_tb_per_s: 2, source: 'example'},
    scale_up: {bandwidth_gb_per_s: 200, domain_gpus: 8, source: 'example'},
    scale_out: {bandwidth_gb_per_s: 25, source: 'example'},
    power: {tdp_w: 700, source: 'example'},
    ...overrides,
  });
}

/** A GPT-style dense model: 24 layers of d_model 2048, 16 heads, d_ff 8192, ungated. */
export function gptProfile(overrides: Record<string, unknown> = {}) {
  return profileModel(
    modelSchema.parse({
      id: 'test-gpt',
      name: 'Test GPT',
      layers: 24,
      d_model: 2048,
      vocab: 51_200,
      attention: {kind: 'mha', heads: 16, head_dim: 128},
      ffn: {kind: 'dense', d_ff: 8192, gated: false},
      declared: {params_total: 1.3e9, source: 'example'},
      source: 'example',
      ...overrides,
    }),
  );
}

/** 64 GPUs, sequences of 2,048 tokens, one sequence per GPU per step, BF16 with FlashAttention and SP. */
export function setupOf(overrides: Partial<TrainingSetup> = {}): TrainingSetup {
  return {
    gpus: 64,
    seqLen: 2048,
    globalBatchTokens: 64 * 2048,
    gemmPrecision: 'bf16',
    flashAttention: true,
    sequenceParallel: true,
    momentBytes: 4,
    overlapDataParallel: true,
    goodput: 1,
    ...overrides,
  };
}

/** Plain data parallelism over 64 GPUs (1F1B, no recompute, ZeRO off), with the changes a case names; experts split like the layer (etp = tp) unless named. */
export function layoutOf(overrides: Partial<Layout> = {}): Layout {
  return {
    etp: overrides.tp ?? 1,
    tp: 1,
    pp: 1,
    dp: 64,
    ep: 1,
    cp: 1,
    zero: 0,
    microBatchSize: 1,
    recompute: 'none',
    schedule: '1f1b',
    virtualStages: 1,
    unevenStages: false,
    ...overrides,
  };
}

/**
 * A V100-like chip as a hardware.yaml entry, to append to a copy of the project: FP16 tensor cores and no
 * BF16 (NVIDIA V100 datasheet: 125 TFLOP/s FP16), so it trains in FP16 and its MFU is over the FP16 peak.
 */
export const FP16_CHIP_YAML = `
- id: fp16-chip
  name: FP16-only GPU
  vendor: Example
  peak_tflops: {fp16: 125, source: "example"}
  memory: {capacity_gb: 32, bandwidth_tb_per_s: 0.9, source: "example"}
  scale_up: {bandwidth_gb_per_s: 150, domain_gpus: 8, source: "example"}
  scale_out: {bandwidth_gb_per_s: 12.5, source: "example"}
  power: {tdp_w: 300, source: "example"}
`;

/** A run of Megatron's GPT 1.7B on 64 of those chips, its step predicted, as a scenario file. */
export const ON_FP16_CHIP_YAML = `id: on-fp16-chip
name: On an FP16 chip
kind: training
model: megatron-gpt-1.7b
cluster: {hardware: fp16-chip, gpus: 64}
workload: {tokens: 1e11, seq_len: 2048, global_batch_tokens: 1048576}
precision: fp16
parallelism: search
`;

/** A raw (unparsed) training scenario with a stated MFU and no workload: tests add `workload` or `stages`. */
export const STATED_SCENARIO_WITHOUT_WORKLOAD = {
  id: 'staged',
  name: 'Staged',
  kind: 'training',
  model: 'llama-3.1-405b',
  cluster: {hardware: 'h100-sxm', gpus: 64},
  precision: 'bf16',
  efficiency: {mfu: 0.4, attention: 'none', source: 'example'},
} as const;
