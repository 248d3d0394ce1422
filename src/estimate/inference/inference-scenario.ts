import type {Catalog} from '../../data/catalog.js';
import type {InferenceScenario} from '../../data/schemas/scenario.js';
import {chipRates, type ChipRates} from '../chip-rates.js';
import {priceFor} from '../cost.js';
import {co2Kilograms, energyAssumptions, energyJoules} from '../energy.js';
import {BYTES_PER_VALUE} from '../units.js';
import {
  decodeStep,
  largestBatch,
  largestContext,
  prefillStep,
  type DecodeStep,
  type InferenceUnit,
  type PrefillStep,
} from './serving-steps.js';
import {kvCacheBytesPerToken} from './kv-cache.js';
import {profileModel, type ModelProfile} from '../model-profile.js';

/** One point of an inference scenario's sweep. */
export interface InferenceOverrides {
  readonly hardware?: string;
  readonly concurrency?: number;
}

/** What serving a model costs and how fast it is, for one scenario point. */
export interface InferenceEstimate {
  readonly kind: 'inference';
  readonly scenarioId: string;
  readonly modelId: string;
  readonly hardwareId: string;
  readonly hardwareName: string;
  readonly prefillGpus: number;
  readonly decodeGpus: number;
  readonly kvCacheBytesPerToken: number;
  /** Average context a generated token attends over: the prompt plus half the output. */
  readonly contextTokens: number;
  /** Concurrent sequences per decode unit. */
  readonly batch: number;
  readonly decode: DecodeStep;
  readonly prefill: PrefillStep;
  readonly largestBatch: number;
  readonly largestContext: number;
  readonly ttftSeconds: number;
  readonly tpotSeconds: number;
  readonly tokensPerSecondPerUser: number;
  readonly outputTokensPerSecondPerGpu: number;
  /** Per scale-up node (the hardware's domain, 8 GPUs for HGX): how DeepSeek reports serving throughput. */
  readonly outputTokensPerSecondPerNode: number;
  readonly inputTokensPerSecondPerGpu: number;
  /** Per-user speed against throughput at batch sizes from 1 to the largest that fits (powers of two). */
  readonly batchCurve: readonly DecodeStep[];
  readonly usdPerGpuHour: number | undefined;
  readonly usdPerMillionOutputTokens: number | undefined;
  readonly usdPerMillionInputTokens: number | undefined;
  /** Undefined for a chip whose power is not published. */
  readonly kilowattHoursPerMillionOutputTokens: number | undefined;
  readonly co2KilogramsPerMillionOutputTokens: number | undefined;
  /** Why the point cannot serve as asked (for example, the weights do not fit), if so. */
  readonly infeasible: string | undefined;
}

/** How much of an inference estimate to compute, and what the caller already has. */
export interface InferenceOptions {
  /** Compute the batch curve (default true); Monte Carlo sampling skips it. */
  readonly curve?: boolean;
  /** The model's profile (it depends on the model alone: samples share it). */
  readonly profile?: ModelProfile;
  /** The chip's rates (samples share them unless the hardware itself is uncertain). */
  readonly rates?: ChipRates;
}

/**
 * Serve a scenario: decode at the scenario's concurrency (or the largest
 * batch that keeps the target per-user speed), prefill of its prompts with
 * their cache-hit rate, on one unit for both phases or on disaggregated
 * prefill and decode units; then cost per million tokens at the price of a
 * GPU-hour and energy per million output tokens.
 */
export function estimateInference(
  catalog: Pick<Catalog, 'hardware' | 'models'>,
  scenario: InferenceScenario,
  overrides: InferenceOverrides = {},
  options: InferenceOptions = {},
): InferenceEstimate {
  const hardware = catalog.hardware.get(overrides.hardware ?? scenario.hardware);
  const model = catalog.models.get(scenario.model);
  if (!hardware || !model) throw new RangeError(`unknown hardware or model for \`${scenario.id}\``);
  const profile = options.profile ?? profileModel(model);
  const rates = options.rates ?? chipRates(hardware);
  const weightBytes = BYTES_PER_VALUE[scenario.precision.weights];
  const kvBytes = BYTES_PER_VALUE[scenario.precision.kv_cache];
  const unitOf = (spec: InferenceScenario['deployment']['decode']): InferenceUnit => ({
    gpus: spec.gpus,
    tp: spec.tp,
    ep: spec.ep,
    weightBytes,
    kvBytes,
    overlapMicroBatches: spec.overlap_micro_batches ?? spec.ep > 1,
  });
  const decodeUnit = unitOf(scenario.deployment.decode);
  const prefillUnit = scenario.deployment.prefill ? unitOf(scenario.deployment.prefill) : decodeUnit;
  const {prompt_tokens: promptTokens, output_tokens: outputTokens, cache_hit_rate: cacheHitRate} = scenario.workload;
  const contextTokens = promptTokens + outputTokens / 2;
  const speculation = scenario.speculative
    ? {draftTokens: scenario.speculative.draft_tokens, acceptance: scenario.speculative.acceptance}
    : undefined;
  const most = largestBatch(model, profile, rates, decodeUnit, contextTokens);
  const target = scenario.workload.target_tokens_per_second_per_user;
  const batch =
    overrides.concurrency ??
    scenario.workload.concurrency ??
    batchForSpeed(
      most,
      target ?? 0,
      (size) => decodeStep(model, profile, rates, decodeUnit, size, contextTokens, speculation).tokensPerSecondPerUser,
    );
  const decode = decodeStep(model, profile, rates, decodeUnit, Math.max(1, batch), contextTokens, speculation);
  const prefill = prefillStep(profile, rates, prefillUnit, promptTokens, cacheHitRate);

  const energy = energyAssumptions(scenario.energy);
  const usdPerGpuHour = priceFor(scenario.cost, scenario.hardware, hardware, energy);
  const secondsPerMillionOutput = 1e6 / decode.tokensPerSecond;
  const secondsPerMillionInput = (1e6 * (1 - cacheHitRate)) / prefill.tokensPerSecond;
  const tdpWatts = hardware.power.tdp_w;
  const joulesPerMillionOutput =
    tdpWatts === undefined ? undefined : energyJoules(decodeUnit.gpus * secondsPerMillionOutput, tdpWatts, energy);
  const infeasible = !decode.fits
    ? `${scenario.id}: the weights and KV cache of ${Math.max(1, batch)} sequences do not fit on ${decodeUnit.gpus} × ${hardware.id}`
    : batch < 1
      ? 'no batch fits'
      : undefined;
  return {
    kind: 'inference',
    scenarioId: scenario.id,
    modelId: model.id,
    hardwareId: hardware.id,
    hardwareName: hardware.name,
    prefillGpus: prefillUnit.gpus,
    decodeGpus: decodeUnit.gpus,
    kvCacheBytesPerToken: kvCacheBytesPerToken(model.attention, model.layers, kvBytes),
    contextTokens,
    batch: decode.batch,
    decode,
    prefill,
    largestBatch: most,
    largestContext: largestContext(model, profile, rates, decodeUnit),
    ttftSeconds: prefill.ttftSeconds,
    tpotSeconds: decode.tpotSeconds,
    tokensPerSecondPerUser: decode.tokensPerSecondPerUser,
    outputTokensPerSecondPerGpu: decode.tokensPerSecondPerGpu,
    outputTokensPerSecondPerNode: decode.tokensPerSecondPerGpu * hardware.scale_up.domain_gpus,
    // The curve is for charts; Monte Carlo sampling skips it.
    batchCurve:
      options.curve === false
        ? []
        : batchSizes(most).map((size) =>
            decodeStep(model, profile, rates, decodeUnit, size, contextTokens, speculation),
          ),
    inputTokensPerSecondPerGpu: prefill.tokensPerSecondPerGpu / Math.max(1e-9, 1 - cacheHitRate),
    usdPerGpuHour,
    usdPerMillionOutputTokens:
      usdPerGpuHour === undefined ? undefined : (usdPerGpuHour * decodeUnit.gpus * secondsPerMillionOutput) / 3600,
    usdPerMillionInputTokens:
      usdPerGpuHour === undefined ? undefined : (usdPerGpuHour * prefillUnit.gpus * secondsPerMillionInput) / 3600,
    kilowattHoursPerMillionOutputTokens:
      joulesPerMillionOutput === undefined ? undefined : joulesPerMillionOutput / 3.6e6,
    co2KilogramsPerMillionOutputTokens:
      joulesPerMillionOutput === undefined ? undefined : co2Kilograms(joulesPerMillionOutput, energy),
    infeasible,
  };
}

/** 1, 2, 4, … up to the largest batch, and the largest batch itself. */
function batchSizes(most: number): number[] {
  const sizes: number[] = [];
  for (let size = 1; size < most; size *= 2) sizes.push(size);
  if (most >= 1) sizes.push(most);
  return sizes;
}

/** The largest batch (at most `most`) whose per-user speed still meets the target; 1 when none does. */
function batchForSpeed(most: number, target: number, speedAt: (batch: number) => number): number {
  if (most < 1) return 0;
  if (speedAt(most) >= target) return most;
  let low = 1;
  let high = most;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (speedAt(middle) >= target) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Every point of an inference scenario's sweep. */
export function inferenceSweepPoints(scenario: InferenceScenario): InferenceOverrides[] {
  let points: InferenceOverrides[] = [{}];
  const sweep = scenario.sweep ?? {};
  if (sweep.hardware) points = points.flatMap((point) => sweep.hardware!.map((hardware) => ({...point, hardware})));
  if (sweep.concurrency)
    points = points.flatMap((point) => sweep.concurrency!.map((concurrency) => ({...point, concurrency})));
  return points;
}
