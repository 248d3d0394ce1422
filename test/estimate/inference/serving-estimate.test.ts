import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import type {InferenceScenario} from '../../../src/data/schemas/scenario.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {estimateInference} from '../../../src/estimate/inference/inference-scenario.js';
import {SERVING_CONSTANT_VALUES} from '../../../src/estimate/inference/serving-constants.js';
import {estimateServing, type ServingEstimate} from '../../../src/estimate/inference/serving-estimate.js';
import {servingProfile} from '../../../src/estimate/inference/serving-profile.js';
import {profileModel} from '../../../src/estimate/model-profile.js';
import {REPO_ROOT} from '../../helpers/project.js';

/**
 * Serving a setup (src/estimate/inference/serving-estimate.ts, inference-scenario.ts):
 * the batch the latency targets and memory set, prefill sharing the GPUs or
 * not, queueing for the first token, the day's load, MTP, redundant experts,
 * and the two artefacts of the old roofline (an 11 ms TTFT; an A100 at 3.7
 * tokens/s per GPU from a hard per-user cut-off).
 */

const RUNS = {numRuns: 40};

let catalog: Catalog;
beforeAll(async () => {
  const diagnostics = new Diagnostics();
  catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  expect(diagnostics.hasErrors).toBe(false);
});

const scenario = (id: string) => catalog.scenarios.get(id) as InferenceScenario;
const serve = (setup: InferenceScenario): ServingEstimate => {
  const model = catalog.models.get(setup.model)!;
  return estimateServing(setup, {
    profile: servingProfile(model, profileModel(model)),
    hardware: catalog.hardware.get(setup.hardware)!,
    model,
    constants: SERVING_CONSTANT_VALUES,
  });
};
const withWorkload = (
  setup: InferenceScenario,
  workload: Partial<InferenceScenario['workload']>,
): InferenceScenario => ({
  ...setup,
  workload: {
    ...setup.workload,
    concurrency: undefined,
    target_tokens_per_second_per_user: undefined,
    itl_target_seconds: undefined,
    ...workload,
  },
});

describe('time to first token (the 11 ms artefact)', () => {
  it('is at least one full prefill pass: a prompt is computed in a batch of prompts, not alone on the unit', () => {
    const estimate = estimateInference(catalog, scenario('deepseek-v3-serving'));
    // The old roofline gave 11.2 ms: one prompt's FLOPs spread over 32 GPUs.
    expect(estimate.ttftSeconds).toBeGreaterThan(0.5);
    expect(estimate.ttftSeconds).toBeGreaterThanOrEqual(estimate.serving.prefill.passSeconds);
  });

  it('queues: it grows with how busy prefill runs, and its 90th percentile is above its median', () => {
    const base = scenario('deepseek-v3-serving');
    const pass = serve(base).prefill.passSeconds;
    const tight = serve({...base, workload: {...base.workload, ttft_target_seconds: 1.6 * pass}});
    const loose = serve({...base, workload: {...base.workload, ttft_target_seconds: 3 * pass}});
    expect(tight.ttftTargetMet).toBe(true);
    expect(tight.peak.prefillUtilization).toBeLessThan(loose.peak.prefillUtilization);
    expect(tight.peak.ttft.meanSeconds).toBeLessThan(loose.peak.ttft.meanSeconds);
    expect(loose.peak.ttft.p90Seconds).toBeGreaterThan(loose.peak.ttft.p50Seconds);
    expect(tight.peak.ttftAtPercentileSeconds).toBeLessThanOrEqual(1.6 * pass * (1 + 1e-9));
    const impossible = serve({...base, workload: {...base.workload, ttft_target_seconds: 0.5 * pass}});
    expect(impossible.ttftTargetMet).toBe(false);
  });
});

describe('the decode batch (no hard per-user cut-off: the A100 artefact)', () => {
  it('serves Llama 3.1 405B on 8 A100 at more than one sequence, above the 3.7 tokens/s per GPU of the old cut-off', () => {
    const a100 = estimateInference(catalog, scenario('llama-3.1-405b-serving'), {hardware: 'a100-sxm'});
    expect(a100.batch).toBeGreaterThan(1);
    expect(a100.outputTokensPerSecondPerGpu).toBeGreaterThan(a100.batchCurve[0]!.tokensPerSecondPerGpu);
    expect(a100.outputTokensPerSecondPerGpu).toBeGreaterThan(3.7 * 2);
    expect(a100.latencyTargetMet).toBe(false);
  });

  it('gives a throughput that never rises and never jumps as the per-user target tightens', () => {
    const base = scenario('llama-3.1-405b-serving');
    for (const hardware of ['a100-sxm', 'h100-sxm', 'h200-sxm']) {
      const setup = {...base, hardware};
      let previous: number | undefined;
      for (let target = 10; target <= 60; target += 2) {
        const estimate = serve(withWorkload(setup, {target_tokens_per_second_per_user: target}));
        const throughput = estimate.peak.outputTokensPerSecondPerGpu;
        if (previous !== undefined) {
          expect(throughput).toBeLessThanOrEqual(previous * (1 + 1e-6));
          expect(throughput).toBeGreaterThan(previous / 1.6);
        }
        previous = throughput;
      }
    }
  });

  it('meets a target the chip can hold: DeepSeek’s 21 tokens/s per user on its Day-6 unit', () => {
    const estimate = serve(scenario('deepseek-v3-serving'));
    expect(estimate.itlTargetMet).toBe(true);
    expect(estimate.peak.tokensPerSecondPerUser).toBeCloseTo(21, 1);
    expect(estimate.peak.batch).toBeLessThanOrEqual(estimate.largestBatch);
  });

  it('runs the most the KV cache and the engine hold when nothing else sets the batch', () => {
    const base = scenario('llama-3.1-405b-serving');
    const estimate = serve(withWorkload(base, {}));
    expect(estimate.peak.batch).toBeCloseTo(estimate.largestBatch, 6);
    const capped = serve(
      withWorkload(
        {...base, deployment: {...base.deployment, decode: {...base.deployment.decode, max_running_sequences: 16}}},
        {},
      ),
    );
    expect(capped.largestBatch).toBe(16);
  });

  it('gives higher throughput and lower per-user speed with a larger batch, along the batch curve', () => {
    const curve = estimateInference(catalog, scenario('llama-3.1-405b-serving')).batchCurve;
    for (let index = 1; index < curve.length; index++) {
      expect(curve[index]!.tokensPerSecondPerGpu).toBeGreaterThanOrEqual(curve[index - 1]!.tokensPerSecondPerGpu);
      expect(curve[index]!.tokensPerSecondPerUser).toBeLessThanOrEqual(curve[index - 1]!.tokensPerSecondPerUser);
    }
  });

  it('slows each user as the context grows (attention reads each sequence’s cache)', () => {
    const curve = estimateInference(catalog, scenario('deepseek-v3-serving')).contextCurve;
    expect(curve.length).toBeGreaterThan(3);
    for (let index = 1; index < curve.length; index++) {
      expect(curve[index]!.attentionShare).toBeGreaterThan(curve[index - 1]!.attentionShare);
      if (curve[index]!.batch === curve[index - 1]!.batch)
        expect(curve[index]!.tokensPerSecondPerUser).toBeLessThan(curve[index - 1]!.tokensPerSecondPerUser);
    }
  });
});

describe('memory as engines use it', () => {
  it('starts from the memory the device reports: an "80 GB" H100 has 81,559 MiB', () => {
    const estimate = serve(scenario('llama-3.1-405b-serving'));
    expect(estimate.decodeMemory.deviceBytes).toBe(81_559 * 2 ** 20);
  });

  it('gives the KV cache the engine’s share (vLLM’s 0.9 by default) less the weights and a reserve, and more with a larger share', () => {
    const base = scenario('llama-3.1-405b-serving');
    const estimate = serve(base);
    const memory = estimate.decodeMemory;
    expect(memory.kvCacheBytesPerGpu).toBeCloseTo(
      0.9 * memory.deviceBytes - memory.weightBytesPerGpu - memory.activationReserveBytes,
      0,
    );
    const larger = serve({...base, engine: {name: 'vLLM', memory_fraction: 0.95}});
    expect(larger.largestBatch).toBeGreaterThan(estimate.largestBatch);
    const free = serve({...base, engine: {name: 'TensorRT-LLM', memory_fraction: 0.9, memory_of: 'free'}});
    expect(free.decodeMemory.kvCacheBytesPerGpu).toBeCloseTo(
      0.9 * (memory.deviceBytes - memory.weightBytesPerGpu - memory.activationReserveBytes),
      0,
    );
  });

  it('holds fewer sequences when the engine reserves each one’s whole prompt and output (TensorRT-LLM’s GUARANTEED_NO_EVICT)', () => {
    const base = withWorkload(scenario('llama-3.1-405b-serving'), {prompt_tokens: 128, output_tokens: 2048});
    const inUse = serve({...base, engine: {name: 'vLLM', kv_reservation: 'in-use'}});
    const reserved = serve({...base, engine: {name: 'TensorRT-LLM', kv_reservation: 'whole-sequence'}});
    expect(serve({...base, engine: {name: 'vLLM'}}).largestBatch).toBe(inUse.largestBatch);
    // The cache holds (128 + 2,048) tokens per sequence instead of the mean context, 128 + 1,024.
    const groups = inUse.decodeGpus / (base.deployment.decode.tp ?? 1);
    expect(reserved.largestBatch / groups).toBe(
      Math.floor(inUse.decodeMemory.kvCacheBytesPerGpu / (2176 * inUse.decodeMemory.kvBytesPerTokenPerGpu)),
    );
    expect(reserved.largestBatch).toBeLessThan(inUse.largestBatch * 0.6);
    expect(reserved.peak.outputTokensPerSecondPerGpu).toBeLessThan(inUse.peak.outputTokensPerSecondPerGpu);
  });

  it('never serves fewer tokens per GPU with more memory for the engine, at the same per-user target (to the 0.1% the batch is solved to)', () => {
    const base = withWorkload(scenario('llama-3.1-405b-serving'), {target_tokens_per_second_per_user: 10});
    fc.assert(
      fc.property(
        fc.double({min: 0.6, max: 0.95, noNaN: true}),
        fc.double({min: 0, max: 0.3, noNaN: true}),
        fc.constantFrom('in-use' as const, 'whole-sequence' as const),
        (fraction, more, kvReservation) => {
          const at = (memoryFraction: number) =>
            serve({...base, engine: {name: 'test', memory_fraction: memoryFraction, kv_reservation: kvReservation}});
          const smaller = at(fraction);
          const larger = at(Math.min(0.99, fraction + more));
          expect(larger.largestBatch).toBeGreaterThanOrEqual(smaller.largestBatch);
          expect(larger.peak.outputTokensPerSecondPerGpu).toBeGreaterThanOrEqual(
            smaller.peak.outputTokensPerSecondPerGpu * (1 - 1e-3),
          );
        },
      ),
      RUNS,
    );
  });

  it('spreads redundant experts over the unit: 32 more slots add 32/144 of a layer’s expert weights per GPU', () => {
    const base = scenario('deepseek-v3-serving');
    const without = serve({
      ...base,
      deployment: {...base.deployment, decode: {...base.deployment.decode, redundant_experts: 0}},
    });
    const withRedundant = serve(base);
    const model = catalog.models.get('deepseek-v3')!;
    const perExpert = 3 * model.d_model * 2048 * 58;
    expect(withRedundant.decodeMemory.weightBytesPerGpu - without.decodeMemory.weightBytesPerGpu).toBeCloseTo(
      (32 * perExpert) / 144,
      -3,
    );
  });
});

describe('prefill sharing the GPUs', () => {
  it('is charged against output throughput: the same decode unit makes fewer output tokens when it also prefills', () => {
    const base = scenario('deepseek-v3-serving');
    const disaggregated = serve(base);
    const shared = serve({...base, deployment: {decode: base.deployment.decode}});
    expect(shared.disaggregated).toBe(false);
    expect(shared.peak.prefillShare).toBeGreaterThan(0);
    const atSameBatch = serve({
      ...withWorkload({...base, deployment: {decode: base.deployment.decode}}, {concurrency: disaggregated.peak.batch}),
    });
    expect(atSameBatch.peak.outputTokensPerSecondPerGpu).toBeLessThan(disaggregated.peak.outputTokensPerSecondPerGpu);
  });

  it('makes some inter-token gaps longer: the steps that carry a prompt chunk', () => {
    const estimate = serve(scenario('llama-3.1-405b-serving'));
    expect(estimate.peak.chunkShare).toBeGreaterThan(0);
    expect(estimate.peak.chunkStepSeconds).toBeGreaterThan(estimate.peak.step.totalSeconds);
  });
});

describe('large mixture-of-experts deployments', () => {
  const base = () => scenario('deepseek-v3-serving');
  const at = (setup: InferenceScenario) => serve(withWorkload(setup, {concurrency: 144 * 96}));

  it('decode faster with a load balancer than without', () => {
    const setup = base();
    const unbalanced = {
      ...setup,
      deployment: {...setup.deployment, decode: {...setup.deployment.decode, expert_balancer: 'none' as const}},
    };
    expect(at(setup).peak.stepSeconds).toBeLessThan(at(unbalanced).peak.stepSeconds);
  });

  it('decode faster with two-batch overlap than without', () => {
    const setup = base();
    const serial = {
      ...setup,
      deployment: {...setup.deployment, decode: {...setup.deployment.decode, overlap_micro_batches: false}},
    };
    expect(at(setup).peak.stepSeconds).toBeLessThan(at(serial).peak.stepSeconds);
  });

  it('make 1 + p tokens per step with one MTP draft accepted with probability p, 1 + p + p² with two', () => {
    const setup = base();
    expect(serve(setup).tokensPerStep).toBeCloseTo(1.85, 12);
    // DeepSeek-V3 has one MTP module, so a second draft is not made.
    expect(
      serve({...setup, speculative: {draft_tokens: 2, acceptance: 0.85, source: 'test'}}).tokensPerStep,
    ).toBeCloseTo(1.85 + 0.85 ** 2, 12);
  });

  it('make more tokens per GPU with MTP at the same per-user speed', () => {
    const setup = base();
    const without = serve({...setup, speculative: undefined});
    expect(serve(setup).peak.outputTokensPerSecondPerGpu).toBeGreaterThan(without.peak.outputTokensPerSecondPerGpu);
  });
});

describe('the software stack as an input', () => {
  it('makes fewer tokens per GPU with slower kernels, and lengthens each step by the host time it states', () => {
    const base = withWorkload(scenario('llama-3.1-405b-serving'), {concurrency: 64});
    const tuned = serve(base);
    const young = serve({...base, engine: {name: 'a young port', kernel_efficiency: 0.5}});
    expect(young.peak.outputTokensPerSecondPerGpu).toBeLessThan(tuned.peak.outputTokensPerSecondPerGpu);
    const slowHost = serve({...base, engine: {name: 'no CUDA graphs', host_overhead_ms: 5}});
    expect(slowHost.peak.step.totalSeconds).toBeCloseTo(tuned.peak.step.totalSeconds, 12);
    expect(slowHost.peak.stepSeconds - tuned.peak.stepSeconds).toBeCloseTo(
      5e-3 - SERVING_CONSTANT_VALUES.hostOverheadSeconds,
      9,
    );
  });
});

describe('rates the chip was not measured at', () => {
  it('mark the estimate extrapolated: FP4 on a GB200 (no FP4 measurement), not FP4 on a B200 nor FP8 on an H100', () => {
    const base = scenario('llama-3.1-405b-serving');
    const fp4 = {...base, precision: {...base.precision, weights: 'fp4' as const}};
    expect(estimateInference(catalog, base).extrapolated).toBe(false);
    expect(estimateInference(catalog, {...fp4, hardware: 'b200-sxm'}).extrapolated).toBe(false);
    expect(estimateInference(catalog, {...fp4, hardware: 'gb200'}).extrapolated).toBe(true);
    expect(estimateInference(catalog, base, {hardware: 'gb200'}).extrapolated).toBe(false);
  });
});

describe('load over the day', () => {
  it('at a share u of the peak, makes u of the peak’s tokens per GPU, each user faster, every GPU-hour paid for', () => {
    fc.assert(
      fc.property(fc.double({min: 0.05, max: 0.95, noNaN: true}), (utilization) => {
        const base = scenario('llama-3.1-405b-serving');
        const loaded: InferenceScenario = {...base, load: {utilization, autoscaled: false, source: 'test'}};
        const full = estimateInference(catalog, base);
        const day = estimateInference(catalog, loaded);
        expect(day.outputTokensPerSecondPerGpu).toBeCloseTo(utilization * full.peakOutputTokensPerSecondPerGpu, 6);
        expect(day.tokensPerSecondPerUser).toBeGreaterThanOrEqual(full.tokensPerSecondPerUser * (1 - 1e-9));
        // Every GPU-hour is paid for, idle or not: shared between the output and the input tokens it makes.
        const paidPerHour =
          ((day.usdPerMillionOutputTokens! * day.outputTokensPerSecondPerGpu +
            day.usdPerMillionInputTokens! * day.inputTokensPerSecondPerGpu) *
            3600) /
          1e6;
        expect(paidPerHour).toBeCloseTo(day.usdPerGpuHour!, 9);
        expect(day.usdPerMillionOutputTokens!).toBeGreaterThan(full.usdPerMillionOutputTokens!);
        expect(day.ttftSeconds).toBeLessThanOrEqual(full.ttftSeconds * (1 + 1e-9));
      }),
      RUNS,
    );
  });

  it('takes an hourly curve as its mean over its peak', () => {
    const base = scenario('llama-3.1-405b-serving');
    const hourly = Array.from({length: 24}, (_, hour) => (hour < 12 ? 1 : 0.5));
    const estimate = serve({...base, load: {hourly, autoscaled: false, source: 'test'}});
    expect(estimate.utilization).toBeCloseTo(0.75, 12);
  });

  it('keeps the units at the peak operating point when they follow the load', () => {
    const estimate = serve(scenario('deepseek-v3-serving'));
    expect(estimate.autoscaled).toBe(true);
    expect(estimate.average.outputTokensPerSecondPerGpu).toBe(estimate.peak.outputTokensPerSecondPerGpu);
  });
});

describe('DeepSeek’s deployment against its Day-6 figures (within 25%)', () => {
  it('decodes 14.8k output tokens/s per node and prefills 73.7k input tokens/s per node, on average over the day', () => {
    const estimate = estimateInference(catalog, scenario('deepseek-v3-serving'));
    expect(Math.abs(estimate.outputTokensPerSecondPerNode / 14_800 - 1)).toBeLessThan(0.25);
    expect(Math.abs((estimate.inputTokensPerSecondPerGpu * 8) / 73_700 - 1)).toBeLessThan(0.25);
  });

  it('prices a million output tokens at the GPU-hours that make them, at $2 per H800-hour', () => {
    const estimate = estimateInference(catalog, scenario('deepseek-v3-serving'));
    expect(estimate.usdPerMillionOutputTokens!).toBeCloseTo(
      (2 * 1e6) / (estimate.outputTokensPerSecondPerGpu * 3600),
      9,
    );
    expect(estimate.usdPerMillionInputTokens!).toBeCloseTo((2 * 1e6) / (estimate.inputTokensPerSecondPerGpu * 3600), 9);
  });
});

describe('a stated concurrency beyond what the decode GPUs hold (red team 14)', () => {
  it('runs the largest batch that fits, and the rest wait for a slot in the time to first token', () => {
    const base = scenario('llama-3.1-405b-serving');
    const fits = serve(withWorkload(base, {concurrency: 1}));
    const largest = fits.largestBatch;
    const atLargest = serve(withWorkload(base, {concurrency: largest}));
    const beyond = serve(withWorkload(base, {concurrency: 10 * largest}));
    // The batch and the throughput stay at the largest batch's (was: 10× the batch, a one-token prefill budget).
    expect(atLargest.queuedSequences).toBe(0);
    expect(beyond.peak.batch).toBeCloseTo(largest, 9);
    expect(beyond.queuedSequences).toBeCloseTo(9 * largest, 6);
    expect(beyond.peak.outputTokensPerSecondPerGpu).toBeCloseTo(atLargest.peak.outputTokensPerSecondPerGpu, 9);
    // Little's law, closed loop: 10× the sequences in the system take 10× as long per request; the 9× extra is the
    // wait before the first token (each request decodes output_tokens / tokensPerStep steps).
    const requestSeconds = (base.workload.output_tokens / atLargest.tokensPerStep) * atLargest.peak.stepSeconds;
    expect(beyond.peak.ttft.meanSeconds - atLargest.peak.ttft.meanSeconds).toBeCloseTo(9 * requestSeconds, 6);
    expect(estimateInference(catalog, withWorkload(base, {concurrency: 10 * largest})).queued).toMatch(
      /wait for a slot/,
    );
    expect(estimateInference(catalog, withWorkload(base, {concurrency: largest})).queued).toBeUndefined();
  });
});
