import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {Precision} from '../../src/data/schemas/common.js';
import {parseHardwareRecord, type Hardware} from '../../src/data/schemas/hardware.js';
import {modelSchema, type Model} from '../../src/data/schemas/model.js';
import type {AttentionConvention} from '../../src/data/schemas/scenario.js';
import {flopsPerTokenFor, trainingFlopsPerToken} from '../../src/estimate/flops.js';
import {countParameters} from '../../src/estimate/parameters.js';
import {estimateTrainingRun, type TrainingRunInputs} from '../../src/estimate/training/run.js';

/**
 * Property-based tests of the estimation core. Models and chips are arbitrary
 * but valid: built as YAML-like input objects and parsed through the zod
 * schemas, so defaults apply and every generated record would pass `check`.
 * Sizes are bounded so that every quantity stays far from overflow.
 */

// ---------------------------------------------------------------------------
// Arbitraries

const attentionArbitrary = fc.oneof(
  fc.record({
    kind: fc.constant('mha' as const),
    heads: fc.integer({min: 1, max: 128}),
    head_dim: fc.integer({min: 1, max: 256}),
  }),
  // kv_heads must divide heads: draw the group count and the group size.
  fc
    .record({
      kvHeads: fc.integer({min: 1, max: 16}),
      groupSize: fc.integer({min: 1, max: 16}),
      headDim: fc.integer({min: 1, max: 256}),
    })
    .map(({kvHeads, groupSize, headDim}) => ({
      kind: 'gqa' as const,
      heads: kvHeads * groupSize,
      kv_heads: kvHeads,
      head_dim: headDim,
    })),
  fc.record({
    kind: fc.constant('mqa' as const),
    heads: fc.integer({min: 1, max: 128}),
    head_dim: fc.integer({min: 1, max: 256}),
  }),
  fc.record(
    {
      kind: fc.constant('mla' as const),
      heads: fc.integer({min: 1, max: 128}),
      q_lora_rank: fc.integer({min: 1, max: 2048}),
      kv_lora_rank: fc.integer({min: 1, max: 1024}),
      qk_nope_head_dim: fc.integer({min: 1, max: 256}),
      qk_rope_head_dim: fc.integer({min: 1, max: 128}),
      v_head_dim: fc.integer({min: 1, max: 256}),
    },
    {requiredKeys: ['kind', 'heads', 'kv_lora_rank', 'qk_nope_head_dim', 'qk_rope_head_dim', 'v_head_dim']},
  ),
);

const denseFfnArbitrary = fc.record(
  {kind: fc.constant('dense' as const), d_ff: fc.integer({min: 1, max: 65_536}), gated: fc.boolean()},
  {requiredKeys: ['kind', 'd_ff']},
);

/** An MoE FFN for a model of `layers` layers: at most `experts` active, at most `layers` dense layers. */
const moeFfnArbitrary = (layers: number) =>
  fc
    .record({
      experts: fc.integer({min: 1, max: 256}),
      activeFraction: fc.double({min: 0, max: 1, noNaN: true}),
      denseLayers: fc.integer({min: 0, max: layers}),
      denseDff: fc.integer({min: 1, max: 32_768}),
      shared: fc.option(fc.integer({min: 0, max: 4}), {nil: undefined}),
      expertDff: fc.integer({min: 1, max: 8192}),
      gated: fc.option(fc.boolean(), {nil: undefined}),
    })
    .map(({experts, activeFraction, denseLayers, denseDff, shared, expertDff, gated}) => ({
      kind: 'moe' as const,
      experts,
      active: Math.max(1, Math.min(experts, Math.round(activeFraction * experts))),
      ...(denseLayers > 0 ? {dense_layers: denseLayers, dense_d_ff: denseDff} : {}),
      ...(shared === undefined ? {} : {shared}),
      expert_d_ff: expertDff,
      ...(gated === undefined ? {} : {gated}),
    }));

/** A raw model record (as it would appear in data/models.yaml) before parsing. */
const rawModelArbitrary = (ffnKind: 'dense' | 'moe' | 'any' = 'any') =>
  fc.integer({min: 1, max: 128}).chain((layers) =>
    fc.record(
      {
        id: fc.constant('generated-model'),
        name: fc.constant('Generated model'),
        layers: fc.constant(layers),
        d_model: fc.integer({min: 1, max: 16_384}),
        vocab: fc.integer({min: 1, max: 262_144}),
        tied_embeddings: fc.boolean(),
        attention: attentionArbitrary,
        ffn:
          ffnKind === 'dense'
            ? denseFfnArbitrary
            : ffnKind === 'moe'
              ? moeFfnArbitrary(layers)
              : fc.oneof(denseFfnArbitrary, moeFfnArbitrary(layers)),
        declared: fc.constant({params_total: 1e9, source: 'generated'}),
        source: fc.constant('generated'),
      },
      {requiredKeys: ['id', 'name', 'layers', 'd_model', 'vocab', 'attention', 'ffn', 'declared', 'source']},
    ),
  );

const modelArbitrary = (ffnKind: 'dense' | 'moe' | 'any' = 'any'): fc.Arbitrary<Model> =>
  rawModelArbitrary(ffnKind).map((raw) => modelSchema.parse(raw));

/** TFLOP/s rates and watts bounded away from zero and overflow. */
const rate = fc.double({min: 1, max: 20_000, noNaN: true, noDefaultInfinity: true});

const hardwareArbitrary: fc.Arbitrary<Hardware> = fc
  .record(
    {
      bf16: rate,
      fp8: rate,
      fp16: rate,
      tdpW: fc.double({min: 50, max: 2000, noNaN: true, noDefaultInfinity: true}),
      price: fc.double({min: 0.01, max: 100, noNaN: true, noDefaultInfinity: true}),
    },
    {requiredKeys: ['bf16', 'tdpW']},
  )
  .map(({bf16, fp8, fp16, tdpW, price}) =>
    parseHardwareRecord({
      id: 'generated-gpu',
      name: 'Generated GPU',
      vendor: 'Nobody',
      peak_tflops: {
        bf16,
        ...(fp8 === undefined ? {} : {fp8}),
        ...(fp16 === undefined ? {} : {fp16}),
        source: 'generated',
      },
      memory: {capacity_gb: 80, bandwidth_tb_per_s: 3.35, source: 'generated'},
      scale_up: {bandwidth_gb_per_s: 450, domain_gpus: 8, source: 'generated'},
      scale_out: {bandwidth_gb_per_s: 50, source: 'generated'},
      power: {tdp_w: tdpW, source: 'generated'},
      ...(price === undefined
        ? {}
        : {price: {kind: 'on-demand', usd_per_gpu_hour: price, as_of: '2025-01', source: 'generated'}}),
    }),
  );

const conventionArbitrary = fc.constantFrom<AttentionConvention>('none', 'causal', 'non-causal');

/** A complete, valid set of inputs to `estimateTrainingRun`. */
const inputsArbitrary: fc.Arbitrary<TrainingRunInputs> = fc
  .record({
    model: modelArbitrary(),
    hardware: hardwareArbitrary,
    gpus: fc.integer({min: 1, max: 100_000}),
    tokens: fc.double({min: 1e6, max: 1e14, noNaN: true, noDefaultInfinity: true}),
    seqLen: fc.integer({min: 1, max: 1_048_576}),
    mfu: fc.double({min: 0.01, max: 1, noNaN: true, noDefaultInfinity: true}),
    mfuAttention: conventionArbitrary,
    precisionChoice: fc.nat(),
    withPrice: fc.boolean(),
    powerFractionOfTdp: fc.double({min: 0.1, max: 1.5, noNaN: true, noDefaultInfinity: true}),
    pue: fc.double({min: 1, max: 3, noNaN: true, noDefaultInfinity: true}),
  })
  .map(({hardware, precisionChoice, withPrice, powerFractionOfTdp, pue, ...rest}) => {
    // Only precisions the chip has a peak for; bf16 always exists.
    const available = (['bf16', 'fp8', 'fp16'] as const).filter(
      (precision) => hardware.peak_tflops[precision] !== undefined,
    );
    const peakPrecision: Precision = available[precisionChoice % available.length] ?? 'bf16';
    return {
      ...rest,
      hardware,
      peakPrecision,
      usdPerGpuHour: withPrice
        ? hardware.price && 'usd_per_gpu_hour' in hardware.price
          ? hardware.price.usd_per_gpu_hour
          : 2
        : undefined,
      energy: {powerFractionOfTdp, nodeOverhead: 1, pue, gridKgCo2PerKwh: 0.436},
    };
  });

// ---------------------------------------------------------------------------
// Helpers

/** |actual − expected| within a relative tolerance (floating point, not exact arithmetic). */
function expectRelativelyClose(actual: number, expected: number, tolerance = 1e-12): void {
  const scale = Math.max(Math.abs(actual), Math.abs(expected), Number.MIN_VALUE);
  expect(Math.abs(actual - expected) / scale, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** Every number in a (nested) estimate, with its path, skipping `undefined` values. */
function numbersIn(value: unknown, at = 'estimate'): Array<[string, number]> {
  if (typeof value === 'number') return [[at, value]];
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => numbersIn(inner, `${at}.${key}`));
  }
  return [];
}

// ---------------------------------------------------------------------------
// Properties

describe('estimateTrainingRun: properties', () => {
  it('doubling the GPU count halves wall-clock time and leaves GPU-hours unchanged', () => {
    fc.assert(
      fc.property(inputsArbitrary, (inputs) => {
        const base = estimateTrainingRun(inputs);
        const doubled = estimateTrainingRun({...inputs, gpus: inputs.gpus * 2});
        expectRelativelyClose(doubled.wallClockSeconds, base.wallClockSeconds / 2);
        expectRelativelyClose(doubled.wallClockDays, base.wallClockDays / 2);
        expect(doubled.gpuHours).toBe(base.gpuHours);
        expect(doubled.costUsd).toBe(base.costUsd);
        expect(doubled.energyJoules).toBe(base.energyJoules);
      }),
    );
  });

  it('a higher MFU never raises GPU-hours', () => {
    fc.assert(
      fc.property(
        inputsArbitrary,
        fc.double({min: 0.01, max: 1, noNaN: true, noDefaultInfinity: true}),
        fc.double({min: 0.01, max: 1, noNaN: true, noDefaultInfinity: true}),
        (inputs, a, b) => {
          const [lower, higher] = a <= b ? [a, b] : [b, a];
          const slow = estimateTrainingRun({...inputs, mfu: lower});
          const fast = estimateTrainingRun({...inputs, mfu: higher});
          expect(fast.gpuHours).toBeLessThanOrEqual(slow.gpuHours);
          expect(fast.wallClockSeconds).toBeLessThanOrEqual(slow.wallClockSeconds);
          expect(fast.tokensPerSecondPerGpu).toBeGreaterThanOrEqual(slow.tokensPerSecondPerGpu);
          // And exactly inversely proportional: GPU-hours × MFU is constant.
          expectRelativelyClose(fast.gpuHours * higher, slow.gpuHours * lower);
        },
      ),
    );
  });

  it('GPU-hours scale linearly with the number of tokens', () => {
    fc.assert(
      fc.property(
        inputsArbitrary,
        fc.double({min: 0.001, max: 1000, noNaN: true, noDefaultInfinity: true}),
        (inputs, factor) => {
          const base = estimateTrainingRun(inputs);
          const scaled = estimateTrainingRun({...inputs, tokens: inputs.tokens * factor});
          expectRelativelyClose(scaled.gpuHours, base.gpuHours * factor);
          expectRelativelyClose(scaled.trainingFlops, base.trainingFlops * factor);
          // Throughput does not depend on how many tokens the run trains on.
          expect(scaled.tokensPerSecondPerGpu).toBe(base.tokensPerSecondPerGpu);
        },
      ),
    );
  });

  it('cost equals GPU-hours × price per GPU-hour, and is undefined without a price', () => {
    fc.assert(
      fc.property(
        inputsArbitrary,
        fc.double({min: 0.01, max: 100, noNaN: true, noDefaultInfinity: true}),
        (inputs, price) => {
          const priced = estimateTrainingRun({...inputs, usdPerGpuHour: price});
          expect(priced.costUsd).toBeDefined();
          expectRelativelyClose(priced.costUsd ?? Number.NaN, priced.gpuHours * price);
          const unpriced = estimateTrainingRun({...inputs, usdPerGpuHour: undefined});
          expect(unpriced.costUsd).toBeUndefined();
          // The price changes nothing else.
          expect({...unpriced, costUsd: 0}).toEqual({...priced, costUsd: 0});
        },
      ),
    );
  });

  it('energy scales linearly with the power fraction of TDP and with PUE', () => {
    fc.assert(
      fc.property(
        inputsArbitrary,
        fc.double({min: 0.1, max: 1.5, noNaN: true, noDefaultInfinity: true}),
        fc.double({min: 1, max: 3, noNaN: true, noDefaultInfinity: true}),
        (inputs, powerFraction, pue) => {
          const energy = (powerFractionOfTdp: number, pueValue: number) => ({
            powerFractionOfTdp,
            nodeOverhead: 1,
            pue: pueValue,
            gridKgCo2PerKwh: 0.436,
          });
          const base = estimateTrainingRun({...inputs, energy: energy(1, 1)});
          const estimate = estimateTrainingRun({...inputs, energy: energy(powerFraction, pue)});
          // Every generated chip states its power, so every energy is defined.
          expectRelativelyClose(estimate.energyJoules!, base.energyJoules! * powerFraction * pue);
          expectRelativelyClose(estimate.energyMegawattHours!, base.energyMegawattHours! * powerFraction * pue);
          // At full TDP and no facility overhead: GPU-hours × TDP.
          expectRelativelyClose(base.energyJoules!, base.gpuHours * 3600 * inputs.hardware.power.tdp_w!);
          expectRelativelyClose(estimate.energyMegawattHours!, estimate.energyJoules! / 3.6e9);
          // Power and PUE change energy only.
          expect(estimate.gpuHours).toBe(base.gpuHours);
        },
      ),
    );
  });

  it('is deterministic (same inputs, deep-equal outputs) and every output is finite and positive', () => {
    fc.assert(
      fc.property(inputsArbitrary, (inputs) => {
        const first = estimateTrainingRun(inputs);
        const second = estimateTrainingRun(structuredClone(inputs));
        expect(second).toEqual(first);
        expect(first.costUsd === undefined).toBe(inputs.usdPerGpuHour === undefined);
        for (const [at, value] of numbersIn(first)) {
          expect(Number.isFinite(value), at).toBe(true);
          // The one count allowed to be zero: an output head tied to the embedding adds no parameters.
          if (at === 'estimate.parameters.outputHeadParams' && inputs.model.tied_embeddings) expect(value, at).toBe(0);
          else expect(value, at).toBeGreaterThan(0);
        }
      }),
    );
  });
});

describe('trainingFlopsPerToken and flopsPerTokenFor: properties', () => {
  it('causal attention FLOPs are exactly half the non-causal ones, and none <= causal <= non-causal', () => {
    fc.assert(
      fc.property(modelArbitrary(), fc.integer({min: 1, max: 1_048_576}), (model, seqLen) => {
        const flops = trainingFlopsPerToken(model, seqLen);
        expect(flops.attentionCausal).toBe(flops.attentionNonCausal / 2);
        expect(flops.attentionCausal * 2).toBe(flops.attentionNonCausal);
        const none = flopsPerTokenFor(flops, 'none');
        const causal = flopsPerTokenFor(flops, 'causal');
        const nonCausal = flopsPerTokenFor(flops, 'non-causal');
        expect(none).toBe(flops.matmul);
        expect(none).toBeLessThanOrEqual(causal);
        expect(causal).toBeLessThanOrEqual(nonCausal);
        // Attention always costs something, so the order is strict.
        expect(none).toBeLessThan(causal);
        expect(causal).toBeLessThan(nonCausal);
      }),
    );
  });

  it('attention FLOPs per token grow linearly with sequence length; the 6N term does not change', () => {
    fc.assert(
      fc.property(
        modelArbitrary(),
        fc.integer({min: 1, max: 131_072}),
        fc.integer({min: 1, max: 64}),
        (model, seqLen, factor) => {
          const base = trainingFlopsPerToken(model, seqLen);
          const longer = trainingFlopsPerToken(model, seqLen * factor);
          expectRelativelyClose(longer.attentionNonCausal, base.attentionNonCausal * factor);
          expectRelativelyClose(longer.attentionCausal, base.attentionCausal * factor);
          expect(longer.matmul).toBe(base.matmul);
          // And the slope is 6·L·H·(d_qk + d_v) per token of context.
          const one = trainingFlopsPerToken(model, 1);
          expectRelativelyClose(base.attentionNonCausal, one.attentionNonCausal * seqLen);
        },
      ),
    );
  });

  it('the 6N term is 6 × the active matmul parameters', () => {
    fc.assert(
      fc.property(modelArbitrary(), fc.integer({min: 1, max: 131_072}), (model, seqLen) => {
        expect(trainingFlopsPerToken(model, seqLen).matmul).toBe(6 * countParameters(model).activeMatmulParams);
      }),
    );
  });
});

describe('countParameters: properties', () => {
  it('MoE active parameters are at most the total parameters', () => {
    fc.assert(
      fc.property(modelArbitrary('moe'), (model) => {
        const counts = countParameters(model);
        expect(counts.activeParams).toBeLessThanOrEqual(counts.totalParams);
      }),
    );
  });

  it('MoE active parameters equal the total when every expert is active', () => {
    fc.assert(
      fc.property(modelArbitrary('moe'), (model) => {
        if (model.ffn.kind !== 'moe') throw new Error('expected an MoE model');
        const allActive = {...model, ffn: {...model.ffn, active: model.ffn.experts}};
        const counts = countParameters(allActive);
        expect(counts.activeParams).toBe(counts.totalParams);
      }),
    );
  });

  it('dense models have active parameters equal to total parameters', () => {
    fc.assert(
      fc.property(modelArbitrary('dense'), (model) => {
        const counts = countParameters(model);
        expect(counts.activeParams).toBe(counts.totalParams);
      }),
    );
  });

  it('adding a layer never lowers the parameter count (total or active)', () => {
    fc.assert(
      fc.property(rawModelArbitrary(), (raw) => {
        const model = modelSchema.parse(raw);
        const deeper = modelSchema.parse({...raw, layers: raw.layers + 1});
        const before = countParameters(model);
        const after = countParameters(deeper);
        // Each layer carries attention weights and two RMSNorm vectors, so the count strictly grows.
        expect(after.totalParams).toBeGreaterThan(before.totalParams);
        expect(after.activeParams).toBeGreaterThan(before.activeParams);
        expect(after.activeMatmulParams).toBeGreaterThanOrEqual(before.activeMatmulParams);
      }),
    );
  });

  it('tied embeddings remove exactly the output head (vocab × d_model)', () => {
    fc.assert(
      fc.property(rawModelArbitrary(), (raw) => {
        const untied = countParameters(modelSchema.parse({...raw, tied_embeddings: false}));
        const tied = countParameters(modelSchema.parse({...raw, tied_embeddings: true}));
        expect(untied.totalParams - tied.totalParams).toBe(raw.vocab * raw.d_model);
        expect(tied.outputHeadParams).toBe(0);
        // The head still multiplies when tied, so the 6N term is the same.
        expect(tied.activeMatmulParams).toBe(untied.activeMatmulParams);
      }),
    );
  });
});
