import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import type {Attention, Model} from '../../../src/data/schemas/model.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {expertParallelDecodeBoundSeconds} from '../../../src/estimate/inference/expert-parallel-bound.js';
import {
  kvCacheBytesPerToken,
  kvCacheElementsPerLayer,
  kvCacheShards,
} from '../../../src/estimate/inference/kv-cache.js';
import {REPO_ROOT} from '../../helpers/project.js';

/**
 * KV-cache sizes by attention kind and DeepSeek's expert-parallel bound:
 * golden values from the reference (estimation.md §4.7, §4.8, §5 checks 5
 * and 6) and the DeepSeek-V2 Table 1 formulas as properties.
 */

const RUNS = {numRuns: 100};

let catalog: Catalog;
beforeAll(async () => {
  const diagnostics = new Diagnostics();
  catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  expect(diagnostics.hasErrors).toBe(false);
});

const modelOf = (id: string): Model => {
  const model = catalog.models.get(id);
  if (!model) throw new Error(`no model ${id} in the catalog`);
  return model;
};

// ---------------------------------------------------------------------------
// Golden values

describe('KV cache per token (reference §4.8, §5 check 5)', () => {
  it('is 70,272 bytes at BF16 for DeepSeek-V3 (MLA: (512 + 64) × 2 B × 61 layers)', () => {
    const model = modelOf('deepseek-v3');
    expect(model.attention.kind).toBe('mla');
    expect(kvCacheBytesPerToken(model.attention, model.layers, 2)).toBe(70_272);
  });

  it('is 516,096 bytes at BF16 for Llama 3.1 405B (GQA: 2 × 8 × 128 × 2 B × 126 layers)', () => {
    const model = modelOf('llama-3.1-405b');
    expect(model.attention.kind).toBe('gqa');
    expect(kvCacheBytesPerToken(model.attention, model.layers, 2)).toBe(516_096);
  });

  it('is 327,680 bytes at BF16 for a Qwen-2.5 72B style GQA (8 KV heads, head dim 128, 80 layers)', () => {
    const qwen: Attention = {kind: 'gqa', heads: 64, kv_heads: 8, head_dim: 128};
    expect(kvCacheBytesPerToken(qwen, 80, 2)).toBe(327_680);
  });

  it("is 4.66× DeepSeek-V3 for the Qwen-2.5 72B style GQA (ISCA'25 Table 1)", () => {
    const v3 = modelOf('deepseek-v3');
    expect((327_680 / kvCacheBytesPerToken(v3.attention, v3.layers, 2)).toFixed(2)).toBe('4.66');
  });

  it('halves at FP8', () => {
    const model = modelOf('deepseek-v3');
    expect(kvCacheBytesPerToken(model.attention, model.layers, 1)).toBe(35_136);
  });

  it('follows DeepSeek-V2 Table 1 per layer: MHA 2·n_h·d_h, GQA 2·n_g·d_h, MQA 2·d_h, MLA d_c + d_h^R', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 256}),
        fc.integer({min: 1, max: 64}),
        fc.integer({min: 8, max: 512}),
        fc.integer({min: 16, max: 2048}),
        fc.integer({min: 8, max: 256}),
        (heads, kvHeads, headDim, latent, rope) => {
          expect(kvCacheElementsPerLayer({kind: 'mha', heads, head_dim: headDim})).toBe(2 * heads * headDim);
          expect(
            kvCacheElementsPerLayer({kind: 'gqa', heads: heads * kvHeads, kv_heads: kvHeads, head_dim: headDim}),
          ).toBe(2 * kvHeads * headDim);
          expect(kvCacheElementsPerLayer({kind: 'mqa', heads, head_dim: headDim})).toBe(2 * headDim);
          expect(
            kvCacheElementsPerLayer({
              kind: 'mla',
              heads,
              kv_lora_rank: latent,
              qk_nope_head_dim: 128,
              qk_rope_head_dim: rope,
              v_head_dim: 128,
            }),
          ).toBe(latent + rope);
          // GQA with one group per head is MHA; with one group, MQA.
          expect(kvCacheElementsPerLayer({kind: 'gqa', heads, kv_heads: heads, head_dim: headDim})).toBe(
            kvCacheElementsPerLayer({kind: 'mha', heads, head_dim: headDim}),
          );
          expect(kvCacheElementsPerLayer({kind: 'gqa', heads, kv_heads: 1, head_dim: headDim})).toBe(
            kvCacheElementsPerLayer({kind: 'mqa', heads, head_dim: headDim}),
          );
        },
      ),
      RUNS,
    );
  });

  it("gives DeepSeek-V2's 576 MLA elements per layer against 32,768 for MHA with 128 heads of 128", () => {
    expect(
      kvCacheElementsPerLayer({
        kind: 'mla',
        heads: 128,
        kv_lora_rank: 512,
        qk_nope_head_dim: 128,
        qk_rope_head_dim: 64,
        v_head_dim: 128,
      }),
    ).toBe(576);
    expect(kvCacheElementsPerLayer({kind: 'mha', heads: 128, head_dim: 128})).toBe(32_768);
  });

  it('splits GQA and MHA by KV head over TP ranks, never MQA or MLA', () => {
    expect(kvCacheShards({kind: 'gqa', heads: 128, kv_heads: 8, head_dim: 128}, 16)).toBe(8);
    expect(kvCacheShards({kind: 'gqa', heads: 128, kv_heads: 8, head_dim: 128}, 4)).toBe(4);
    expect(kvCacheShards({kind: 'mha', heads: 96, head_dim: 128}, 8)).toBe(8);
    expect(kvCacheShards({kind: 'mqa', heads: 96, head_dim: 128}, 8)).toBe(1);
    expect(kvCacheShards(modelOf('deepseek-v3').attention, 8)).toBe(1);
  });
});

describe('expert-parallel decode bound (reference §4.7, §5 check 6)', () => {
  const inputs = {
    tokens: 32,
    expertsPerToken: 9,
    hiddenSize: 7000,
    dispatchBytes: 1,
    combineBytes: 2,
    layers: 61,
    microBatches: 2,
  };

  it('is 14.76 ms per output token over 50 GB/s InfiniBand', () => {
    const seconds = expertParallelDecodeBoundSeconds({...inputs, bandwidthBytesPerSecond: 50e9});
    expect((seconds * 1e3).toFixed(2)).toBe('14.76');
  });

  it("is 0.82 ms per output token over NVL72's 900 GB/s", () => {
    const seconds = expertParallelDecodeBoundSeconds({...inputs, bandwidthBytesPerSecond: 900e9});
    expect((seconds * 1e3).toFixed(2)).toBe('0.82');
  });

  it('is 120.96 µs for one micro-batch of one layer over 50 GB/s', () => {
    const seconds = expertParallelDecodeBoundSeconds({
      ...inputs,
      layers: 1,
      microBatches: 1,
      bandwidthBytesPerSecond: 50e9,
    });
    expect(seconds * 1e6).toBeCloseTo(120.96, 9);
  });
});
