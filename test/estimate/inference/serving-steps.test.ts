import fc from 'fast-check';
import {recordPrice} from '../../../src/estimate/cost.js';
import {DEFAULT_ENERGY} from '../../../src/estimate/energy.js';
import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import {modelSchema, type Attention, type Model} from '../../../src/data/schemas/model.js';
import type {InferenceScenario} from '../../../src/data/schemas/scenario.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {chipRates, type ChipRates} from '../../../src/estimate/chip-rates.js';
import {expertParallelDecodeBoundSeconds} from '../../../src/estimate/inference/expert-parallel-bound.js';
import {
  decodeStep,
  largestBatch,
  largestContext,
  prefillStep,
  usableBytes,
  type InferenceUnit,
  type Speculation,
} from '../../../src/estimate/inference/serving-steps.js';
import {estimateInference} from '../../../src/estimate/inference/inference-scenario.js';
import {
  kvCacheBytesPerToken,
  kvCacheElementsPerLayer,
  kvCacheShards,
} from '../../../src/estimate/inference/kv-cache.js';
import {profileModel, type ModelProfile} from '../../../src/estimate/model-profile.js';
import {REPO_ROOT} from '../../helpers/project.js';

/**
 * The inference core (src/estimate/kv-cache.ts, expert-parallel-bound.ts,
 * inference.ts, inference-scenario.ts): golden values from the reference
 * (estimation.md §4.7, §4.8, §5 checks 5 and 6), roofline invariants as
 * fast-check properties, and the two catalog inference scenarios.
 */

const RUNS = {numRuns: 100};
/** Relative slack for comparisons that hold exactly in real arithmetic. */
const SLACK = 1e-12;

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

// ---------------------------------------------------------------------------
// Arbitraries

const gqaArbitrary = fc
  .record({
    kvHeads: fc.constantFrom(1, 2, 4, 8, 16),
    groupSize: fc.constantFrom(1, 2, 4, 8),
    headDim: fc.constantFrom(64, 128, 256),
  })
  .map(({kvHeads, groupSize, headDim}) => ({
    kind: 'gqa' as const,
    heads: kvHeads * groupSize,
    kv_heads: kvHeads,
    head_dim: headDim,
  }));
const mlaArbitrary = fc.record({
  kind: fc.constant('mla' as const),
  heads: fc.constantFrom(16, 32, 64, 128),
  q_lora_rank: fc.integer({min: 64, max: 2048}),
  kv_lora_rank: fc.integer({min: 64, max: 1024}),
  qk_nope_head_dim: fc.constantFrom(64, 128),
  qk_rope_head_dim: fc.constantFrom(32, 64),
  v_head_dim: fc.constantFrom(64, 128),
});
const otherAttentionArbitrary = fc.record({
  kind: fc.constantFrom('mha' as const, 'mqa' as const),
  heads: fc.constantFrom(8, 16, 32, 64),
  head_dim: fc.constantFrom(64, 128),
});

const generatedModelArbitrary: fc.Arbitrary<Model> = fc
  .integer({min: 1, max: 96})
  .chain((layers) =>
    fc.record({
      id: fc.constant('generated-model'),
      name: fc.constant('Generated model'),
      layers: fc.constant(layers),
      d_model: fc.integer({min: 256, max: 16_384}),
      vocab: fc.integer({min: 1000, max: 262_144}),
      tied_embeddings: fc.boolean(),
      attention: fc.oneof(gqaArbitrary, mlaArbitrary, otherAttentionArbitrary),
      ffn: fc.oneof(
        fc.record({
          kind: fc.constant('dense' as const),
          d_ff: fc.integer({min: 256, max: 65_536}),
          gated: fc.boolean(),
        }),
        fc
          .record({
            experts: fc.integer({min: 2, max: 256}),
            active: fc.integer({min: 1, max: 16}),
            denseLayers: fc.integer({min: 0, max: Math.min(3, layers - 1)}),
            shared: fc.integer({min: 0, max: 2}),
            expertDff: fc.integer({min: 64, max: 8192}),
          })
          .map(({experts, active, denseLayers, shared, expertDff}) => ({
            kind: 'moe' as const,
            experts,
            active: Math.min(active, experts),
            ...(denseLayers > 0 ? {dense_layers: denseLayers, dense_d_ff: 4 * expertDff} : {}),
            shared,
            expert_d_ff: expertDff,
          })),
      ),
      declared: fc.constant({params_total: 1e9, source: 'generated'}),
      source: fc.constant('generated'),
    }),
  )
  .map((raw) => modelSchema.parse(raw));

/** A catalog model half the time (DeepSeek-V3, Llama 3.1 405B, GPT-3, ...), a generated one otherwise. */
const modelArbitrary: fc.Arbitrary<Model> = fc.oneof(
  fc.constantFrom('deepseek-v3', 'llama-3.1-405b', 'gpt-3-175b', 'megatron-gpt-7.5b').map((id) => modelOf(id)),
  generatedModelArbitrary,
);

/** A catalog chip's rates, each scaled by up to 4× either way so the regimes vary. */
const ratesArbitrary: fc.Arbitrary<ChipRates> = fc
  .record({
    chip: fc.constantFrom('a100-sxm', 'h100-sxm', 'h800-sxm', 'h200-sxm', 'h20', 'b200-sxm', 'mi300x'),
    flops: fc.double({min: 0.25, max: 4, noNaN: true}),
    hbm: fc.double({min: 0.25, max: 4, noNaN: true}),
    memory: fc.double({min: 0.5, max: 4, noNaN: true}),
    link: fc.double({min: 0.25, max: 4, noNaN: true}),
  })
  .map(({chip, flops, hbm, memory, link}) => {
    const base = chipRates(catalog.hardware.get(chip)!);
    const gemm = base.gemmFlopsPerSecond;
    return {
      ...base,
      gemmFlopsPerSecond: {
        bf16: (gemm.bf16 as number) * flops,
        ...(gemm.fp16 === undefined ? {} : {fp16: gemm.fp16 * flops}),
        ...(gemm.fp8 === undefined ? {} : {fp8: gemm.fp8 * flops}),
      },
      attentionFlopsPerSecond: base.attentionFlopsPerSecond * flops,
      hbmBytesPerSecond: base.hbmBytesPerSecond * hbm,
      memoryBytes: base.memoryBytes * memory,
      scaleUpBytesPerSecond: base.scaleUpBytesPerSecond * link,
      scaleOutBytesPerSecond: base.scaleOutBytesPerSecond * link,
    };
  });

/** A serving unit: TP of 1–8 times 1–32 attention groups, EP dividing the GPU count. */
const unitArbitrary: fc.Arbitrary<InferenceUnit> = fc
  .record({
    tp: fc.constantFrom(1, 2, 4, 8),
    groups: fc.integer({min: 1, max: 32}),
    epPick: fc.nat(),
    weightBytes: fc.constantFrom(2, 1, 0.5),
    kvBytes: fc.constantFrom(2, 1),
    overlapMicroBatches: fc.boolean(),
  })
  .map(({tp, groups, epPick, weightBytes, kvBytes, overlapMicroBatches}) => {
    const gpus = tp * groups;
    const divisors = Array.from({length: gpus}, (_, index) => index + 1).filter((value) => gpus % value === 0);
    return {gpus, tp, ep: divisors[epPick % divisors.length] as number, weightBytes, kvBytes, overlapMicroBatches};
  });

const speculationArbitrary: fc.Arbitrary<Speculation | undefined> = fc.option(
  fc.record({draftTokens: fc.integer({min: 1, max: 3}), acceptance: fc.double({min: 0, max: 1, noNaN: true})}),
  {nil: undefined},
);

interface Case {
  readonly model: Model;
  readonly profile: ModelProfile;
  readonly rates: ChipRates;
  readonly unit: InferenceUnit;
  readonly speculation: Speculation | undefined;
}

const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({model: modelArbitrary, rates: ratesArbitrary, unit: unitArbitrary, speculation: speculationArbitrary})
  .map(({model, rates, unit, speculation}) => ({model, profile: profileModel(model), rates, unit, speculation}));

const batchArbitrary = fc.integer({min: 1, max: 4096});
const contextArbitrary = fc.integer({min: 1, max: 262_144});

/** `later <= earlier` up to rounding. */
const atMost = (later: number, earlier: number) => later <= earlier * (1 + SLACK) + Number.MIN_VALUE;

// ---------------------------------------------------------------------------
// Properties

describe('decode step properties', () => {
  it('gives finite positive times and speeds, parts that bound the step', () => {
    fc.assert(
      fc.property(
        caseArbitrary,
        batchArbitrary,
        contextArbitrary,
        ({model, profile, rates, unit, speculation}, batch, context) => {
          const step = decodeStep(model, profile, rates, unit, batch, context, speculation);
          for (const value of [
            step.stepSeconds,
            step.tpotSeconds,
            step.tokensPerSecond,
            step.tokensPerSecondPerUser,
            step.kvCacheBytesPerGpu,
            step.weightBytesPerGpu,
          ]) {
            expect(Number.isFinite(value) && value > 0).toBe(true);
          }
          expect(step.stepSeconds).toBeGreaterThanOrEqual(
            Math.max(step.computeSeconds, step.memorySeconds) * (1 - SLACK),
          );
          expect(step.tokensPerSecond).toBeCloseTo(batch * step.tokensPerSecondPerUser, 6);
        },
      ),
      RUNS,
    );
  });

  it('never speeds decode up when HBM bandwidth falls', () => {
    fc.assert(
      fc.property(
        caseArbitrary,
        batchArbitrary,
        contextArbitrary,
        fc.double({min: 0.01, max: 1, noNaN: true}),
        ({model, profile, rates, unit, speculation}, batch, context, scale) => {
          const fast = decodeStep(model, profile, rates, unit, batch, context, speculation);
          const slow = decodeStep(
            model,
            profile,
            {...rates, hbmBytesPerSecond: rates.hbmBytesPerSecond * scale},
            unit,
            batch,
            context,
            speculation,
          );
          expect(atMost(slow.tokensPerSecond, fast.tokensPerSecond)).toBe(true);
          expect(atMost(slow.tokensPerSecondPerUser, fast.tokensPerSecondPerUser)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('never shrinks the KV cache per GPU nor raises per-user speed with a longer context', () => {
    fc.assert(
      fc.property(
        caseArbitrary,
        batchArbitrary,
        contextArbitrary,
        fc.integer({min: 1, max: 262_144}),
        ({model, profile, rates, unit, speculation}, batch, context, extra) => {
          const short = decodeStep(model, profile, rates, unit, batch, context, speculation);
          const long = decodeStep(model, profile, rates, unit, batch, context + extra, speculation);
          expect(long.kvCacheBytesPerGpu).toBeGreaterThanOrEqual(short.kvCacheBytesPerGpu);
          expect(atMost(long.tokensPerSecondPerUser, short.tokensPerSecondPerUser)).toBe(true);
          expect(atMost(long.tokensPerSecond, short.tokensPerSecond)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('never lowers total tokens/s with a larger batch spread evenly over the attention groups', () => {
    // Batches are whole multiples of the data-parallel attention groups: with an uneven batch the busiest
    // group holds one more sequence than the others and sets the pace, which can really lower throughput.
    let memoryBoundPairs = 0;
    fc.assert(
      fc.property(
        caseArbitrary,
        batchArbitrary,
        fc.integer({min: 1, max: 4096}),
        contextArbitrary,
        ({model, profile, rates, unit, speculation}, batch, extra, context) => {
          const groups = unit.gpus / unit.tp;
          const small = decodeStep(model, profile, rates, unit, batch * groups, context, speculation);
          const large = decodeStep(model, profile, rates, unit, (batch + extra) * groups, context, speculation);
          if (small.bound === 'memory' && large.bound === 'memory') memoryBoundPairs++;
          expect(atMost(small.tokensPerSecond, large.tokensPerSecond)).toBe(true);
        },
      ),
      RUNS,
    );
    expect(memoryBoundPairs).toBeGreaterThan(0);
  });

  it('never raises per-user speed with a larger batch', () => {
    fc.assert(
      fc.property(
        caseArbitrary,
        batchArbitrary,
        fc.integer({min: 1, max: 4096}),
        contextArbitrary,
        ({model, profile, rates, unit, speculation}, batch, extra, context) => {
          const small = decodeStep(model, profile, rates, unit, batch, context, speculation);
          const large = decodeStep(model, profile, rates, unit, batch + extra, context, speculation);
          expect(atMost(large.tokensPerSecondPerUser, small.tokensPerSecondPerUser)).toBe(true);
        },
      ),
      RUNS,
    );
  });
});

describe('largestBatch and largestContext', () => {
  it('largestBatch fits and one more sequence does not', () => {
    let positive = 0;
    fc.assert(
      fc.property(caseArbitrary, contextArbitrary, ({model, profile, rates, unit}, context) => {
        const most = largestBatch(model, profile, rates, unit, context);
        expect(Number.isInteger(most) && most >= 0).toBe(true);
        if (most > 0) {
          positive++;
          expect(decodeStep(model, profile, rates, unit, most, context).fits).toBe(true);
        }
        expect(decodeStep(model, profile, rates, unit, most + 1, context).fits).toBe(false);
      }),
      RUNS,
    );
    expect(positive).toBeGreaterThan(0);
  });

  it('largestContext holds one sequence and one more token does not fit (one attention group)', () => {
    fc.assert(
      fc.property(caseArbitrary, ({model, profile, rates, unit}) => {
        // With one attention group the single sequence's cache is the whole cache of the unit.
        const single = {...unit, gpus: unit.tp, ep: 1};
        const most = largestContext(model, profile, rates, single);
        expect(Number.isInteger(most) && most >= 0).toBe(true);
        if (most > 0) expect(decodeStep(model, profile, rates, single, 1, most).fits).toBe(true);
        expect(decodeStep(model, profile, rates, single, 1, most + 1).fits).toBe(false);
      }),
      RUNS,
    );
  });

  // A sequence's KV cache lives whole on one data-parallel attention group: the busiest group holds
  // ceil(batch / groups) whole sequences, never a fraction.
  describe('whole sequences per attention group (DeepSeek-V3 decode unit: 320 H800, TP4, 80 attention groups)', () => {
    const unit: InferenceUnit = {gpus: 320, tp: 4, ep: 320, weightBytes: 1, kvBytes: 2, overlapMicroBatches: true};
    const context = 2300; // deepseek-v3-serving: 2,000 prompt tokens + 600 / 2 output tokens
    const setup = () => {
      const model = modelOf('deepseek-v3');
      return {model, profile: profileModel(model), rates: chipRates(catalog.hardware.get('h800-sxm')!)};
    };

    it('largestBatch fits when the busiest group holds ceil(batch / groups) whole sequences', () => {
      const {model, profile, rates} = setup();
      const most = largestBatch(model, profile, rates, unit, context); // 33,498 = 418.725 per group
      const step = decodeStep(model, profile, rates, unit, most, context);
      const busiest = Math.ceil(most / (unit.gpus / unit.tp)); // 419
      const busiestKv = busiest * context * kvCacheBytesPerToken(model.attention, model.layers, unit.kvBytes); // 67.72 GB
      // 6.32 GB weights + 67.72 GB KV cache > 74.0 GB usable: over by about 44 MB.
      expect(step.weightBytesPerGpu + busiestKv).toBeLessThanOrEqual(usableBytes(rates));
    });

    it('a single sequence longer than largestContext does not fit', () => {
      const {model, profile, rates} = setup();
      const longest = largestContext(model, profile, rates, unit); // 963,077 tokens
      // At 10× the longest context, one sequence is charged 1/80 of its cache per GPU, so it "fits".
      expect(decodeStep(model, profile, rates, unit, 1, 10 * longest).fits).toBe(false);
    });
  });

  it('usable bytes are the capacity less the reserve', () => {
    expect(usableBytes(chipRates(catalog.hardware.get('h800-sxm')!))).toBeCloseTo(80e9 * 0.95 - 2e9, 0);
  });
});

describe('prefill step', () => {
  it('gives a positive TTFT that grows with the prompt and shrinks with the cache-hit rate', () => {
    fc.assert(
      fc.property(
        caseArbitrary,
        fc.integer({min: 1, max: 65_536}),
        fc.integer({min: 1, max: 65_536}),
        fc.double({min: 0, max: 0.99, noNaN: true}),
        ({profile, rates, unit}, prompt, extra, hit) => {
          const short = prefillStep(profile, rates, unit, prompt, 0);
          const long = prefillStep(profile, rates, unit, prompt + extra, 0);
          const cached = prefillStep(profile, rates, unit, prompt, hit);
          expect(Number.isFinite(short.ttftSeconds) && short.ttftSeconds > 0).toBe(true);
          expect(atMost(short.ttftSeconds, long.ttftSeconds)).toBe(true);
          expect(atMost(cached.ttftSeconds, short.ttftSeconds)).toBe(true);
          expect(cached.tokens).toBeCloseTo(prompt * (1 - hit), 6);
        },
      ),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------
// The catalog's inference scenarios

describe('estimateInference on the catalog scenarios', () => {
  const inferenceScenario = (id: string): InferenceScenario => {
    const scenario = catalog.scenarios.get(id);
    if (!scenario || scenario.kind !== 'inference') throw new Error(`${id} is not an inference scenario`);
    return scenario;
  };

  for (const id of ['deepseek-v3-serving', 'llama-3.1-405b-serving']) {
    it(`${id}: finite positive outputs, cost per million output tokens from price, GPUs and speed`, () => {
      const scenario = inferenceScenario(id);
      const estimate = estimateInference(catalog, scenario);
      expect(estimate.infeasible).toBeUndefined();
      expect(estimate.decode.fits).toBe(true);
      const numbers = {
        ttftSeconds: estimate.ttftSeconds,
        tpotSeconds: estimate.tpotSeconds,
        tokensPerSecondPerUser: estimate.tokensPerSecondPerUser,
        outputTokensPerSecondPerGpu: estimate.outputTokensPerSecondPerGpu,
        inputTokensPerSecondPerGpu: estimate.inputTokensPerSecondPerGpu,
        usdPerGpuHour: estimate.usdPerGpuHour,
        usdPerMillionOutputTokens: estimate.usdPerMillionOutputTokens,
        usdPerMillionInputTokens: estimate.usdPerMillionInputTokens,
        kilowattHoursPerMillionOutputTokens: estimate.kilowattHoursPerMillionOutputTokens,
        co2KilogramsPerMillionOutputTokens: estimate.co2KilogramsPerMillionOutputTokens,
        kvCacheBytesPerToken: estimate.kvCacheBytesPerToken,
        batch: estimate.batch,
        largestBatch: estimate.largestBatch,
        largestContext: estimate.largestContext,
        decodeStepSeconds: estimate.decode.stepSeconds,
      };
      for (const [name, value] of Object.entries(numbers)) {
        expect(Number.isFinite(value) && (value as number) > 0, `${name} = ${value}`).toBe(true);
      }
      const price = estimate.usdPerGpuHour as number;
      const expected = ((price * estimate.decodeGpus) / (estimate.decode.tokensPerSecond * 3600)) * 1e6;
      expect((estimate.usdPerMillionOutputTokens as number) / expected).toBeCloseTo(1, 12);
      expect(estimate.outputTokensPerSecondPerGpu * estimate.decodeGpus).toBeCloseTo(
        estimate.decode.tokensPerSecond,
        6,
      );
      expect(estimate.batch).toBeLessThanOrEqual(estimate.largestBatch);
      // The batch keeps the target per-user speed, or is the largest that fits.
      const target = scenario.workload.target_tokens_per_second_per_user;
      if (target !== undefined && estimate.batch < estimate.largestBatch)
        expect(estimate.tokensPerSecondPerUser).toBeGreaterThanOrEqual(target);
    });
  }

  it('deepseek-v3-serving: 70,272 B per token at BF16, $2/GPU-hour, 320 decode and 32 prefill GPUs', () => {
    const estimate = estimateInference(catalog, inferenceScenario('deepseek-v3-serving'));
    expect(estimate.kvCacheBytesPerToken).toBe(70_272);
    expect(estimate.usdPerGpuHour).toBe(2);
    expect(estimate.decodeGpus).toBe(320);
    expect(estimate.prefillGpus).toBe(32);
  });

  it('llama-3.1-405b-serving: 516,096 B per token, the H100 price from the hardware data', () => {
    const estimate = estimateInference(catalog, inferenceScenario('llama-3.1-405b-serving'));
    expect(estimate.kvCacheBytesPerToken).toBe(516_096);
    const h100 = catalog.hardware.get('h100-sxm')!;
    expect(estimate.usdPerGpuHour).toBe(recordPrice(h100.price, h100, DEFAULT_ENERGY));
    expect(estimate.decodeGpus).toBe(8);
  });
});
