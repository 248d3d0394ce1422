import type {Catalog} from '../../data/catalog.js';
import type {InferenceScenario} from '../../data/schemas/scenario.js';
import {priceFor} from '../cost.js';
import {co2Kilograms, energyAssumptions, energyJoules} from '../energy.js';
import {BYTES_PER_VALUE} from '../units.js';
import {profileModel} from '../model-profile.js';
import {kvCacheBytesPerToken} from './kv-cache.js';
import {SERVING_CONSTANT_VALUES, type ServingConstantValues} from './serving-constants.js';
import {estimateServing, type BatchPoint, type ContextPoint, type ServingEstimate} from './serving-estimate.js';
import {servingProfile, type ServingProfile} from './serving-profile.js';

/** One point of an inference scenario's sweep. */
export interface InferenceOverrides {
  readonly hardware?: string;
  readonly concurrency?: number;
  /** Day-average load over the peak, on units that do not follow the load (a sweep over the load). */
  readonly utilization?: number;
}

/** What serving a model costs and how fast it is, for one scenario point. */
export interface InferenceEstimate {
  readonly kind: 'inference';
  readonly scenarioId: string;
  readonly modelId: string;
  readonly hardwareId: string;
  readonly hardwareName: string;
  /** The serving software, as the scenario names it (`vLLM 0.6.0`), or undefined. */
  readonly engine: string | undefined;
  readonly prefillGpus: number;
  readonly decodeGpus: number;
  readonly disaggregated: boolean;
  readonly kvCacheBytesPerToken: number;
  /** Average context a generated token attends over: the prompt plus half the output. */
  readonly contextTokens: number;
  /** Concurrent sequences per decode unit at peak load. */
  readonly batch: number;
  readonly largestBatch: number;
  readonly largestContext: number;
  /** Day-average load over the peak the deployment is sized for (1 without a stated load). */
  readonly utilization: number;
  /** Mean time to first token at the stated load (queueing included). */
  readonly ttftSeconds: number;
  /** 90th-percentile time to first token at peak load. */
  readonly ttftP90Seconds: number;
  /** Mean time per output token at the stated load. */
  readonly tpotSeconds: number;
  /** 99th-percentile inter-token latency at peak load (steps that carry a prompt chunk, when prefill shares the GPUs). */
  readonly itlP99Seconds: number;
  /** Output tokens per second each user sees at the stated load, and at peak. */
  readonly tokensPerSecondPerUser: number;
  readonly peakTokensPerSecondPerUser: number;
  /** Output tokens per second per decode GPU at the stated load (the day average), and at peak. */
  readonly outputTokensPerSecondPerGpu: number;
  readonly peakOutputTokensPerSecondPerGpu: number;
  /**
   * Per scale-up domain (the hardware's `domain_gpus`): a node of 8 on HGX, how DeepSeek reports serving throughput,
   * but 72 GPUs on an NVL72 rack and a whole pod on a TPU; labelled as the domain, not a node, for that reason.
   */
  readonly outputTokensPerSecondPerNode: number;
  /** Prompt tokens per second per GPU that prefills, cache hits included, at the stated load. */
  readonly inputTokensPerSecondPerGpu: number;
  /** The same with prefill saturated (its capacity). */
  readonly prefillCapacityTokensPerSecondPerGpu: number;
  /** Whether the decode batch meets the inter-token latency (per-user speed) target, and the TTFT target (undefined without one). */
  readonly latencyTargetMet: boolean | undefined;
  readonly ttftTargetMet: boolean | undefined;
  /** Per-user speed against throughput at batch sizes from 1 to the largest that fits (powers of two). */
  readonly batchCurve: readonly BatchPoint[];
  /** Speed and throughput at the peak batch (or as many as fit) as the context grows. */
  readonly contextCurve: readonly ContextPoint[];
  /** The whole serving estimate: the peak and average operating points, the prefill pool, memory. */
  readonly serving: ServingEstimate;
  readonly usdPerGpuHour: number | undefined;
  readonly usdPerMillionOutputTokens: number | undefined;
  readonly usdPerMillionInputTokens: number | undefined;
  /** Undefined for a chip whose power is not published. */
  readonly kilowattHoursPerMillionOutputTokens: number | undefined;
  readonly co2KilogramsPerMillionOutputTokens: number | undefined;
  /** Why the point cannot serve as asked (for example, the weights do not fit), if so. */
  readonly infeasible: string | undefined;
  /** When the stated concurrency is more than the decode unit holds: how many wait for a slot, in words. */
  readonly queued: string | undefined;
  /** True when a GEMM rate the estimate uses was not measured on the chip in its precision (serving-rates.ts). */
  readonly extrapolated: boolean;
}

/** How much of an inference estimate to compute, and what the caller already has. */
export interface InferenceOptions {
  /** Compute the batch and context curves (default true); Monte Carlo sampling skips them. */
  readonly curve?: boolean;
  /** The model's serving profile (it depends on the model alone: samples share it). */
  readonly profile?: ServingProfile;
  /** The serving model's constants (a calibration fit swaps some). */
  readonly constants?: ServingConstantValues;
  /** A draw of the model's own error: the step takes this many times as long (serving-estimate.ts). */
  readonly stepFactor?: number;
}

/**
 * Serve a scenario (serving-estimate.ts) and price it: a million output
 * tokens cost the decode GPU-hours that make them at the stated load, a
 * million input tokens the prefill GPU-hours (when prefill shares the
 * GPUs, the step time its chunks take); idle capacity at a load below the
 * peak is paid for. Energy per million output tokens follows the same
 * GPU-hours.
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
  const profile = options.profile ?? servingProfile(model, profileModel(model));
  const setup: InferenceScenario =
    overrides.utilization === undefined
      ? scenario
      : {...scenario, load: {utilization: overrides.utilization, autoscaled: false, source: 'a sweep point'}};
  const serving = estimateServing(setup, {
    profile,
    hardware,
    model,
    constants: options.constants ?? SERVING_CONSTANT_VALUES,
    curves: options.curve !== false,
    concurrency: overrides.concurrency,
    stepFactor: options.stepFactor,
  });
  const {peak, average} = serving;

  const energy = energyAssumptions(scenario.energy);
  const usdPerGpuHour = priceFor(scenario.cost, scenario.hardware, hardware, energy);
  // GPU-seconds per token: decode GPUs per output token; prefill GPUs (or the decode GPUs' prompt share) per input token.
  const outputShare = 1 - average.prefillShare;
  const gpuSecondsPerOutputToken = outputShare / average.outputTokensPerSecondPerGpu;
  const gpuSecondsPerInputToken = serving.disaggregated
    ? 1 / average.inputTokensPerSecondPerGpu
    : average.prefillShare > 0
      ? average.prefillShare / average.inputTokensPerSecondPerGpu
      : 0;
  // A chip whose power is not published has no energy figure (a dash).
  const tdpWatts = hardware.power.tdp_w;
  const joulesPerMillionOutput =
    tdpWatts === undefined ? undefined : energyJoules(1e6 * gpuSecondsPerOutputToken, tdpWatts, energy);
  const priced = (gpuSeconds: number) =>
    usdPerGpuHour === undefined ? undefined : (usdPerGpuHour * gpuSeconds * 1e6) / 3600;
  const kvBytes = BYTES_PER_VALUE[scenario.precision.kv_cache];
  const engine = scenario.engine
    ? [scenario.engine.name, scenario.engine.version].filter(Boolean).join(' ')
    : undefined;
  return {
    kind: 'inference',
    scenarioId: scenario.id,
    modelId: model.id,
    hardwareId: hardware.id,
    hardwareName: hardware.name,
    engine,
    prefillGpus: serving.prefillGpus,
    decodeGpus: serving.decodeGpus,
    disaggregated: serving.disaggregated,
    kvCacheBytesPerToken: kvCacheBytesPerToken(model.attention, model.layers, kvBytes),
    contextTokens: serving.contextTokens,
    batch: peak.batch,
    largestBatch: serving.largestBatch,
    largestContext: serving.largestContext,
    utilization: serving.utilization,
    ttftSeconds: average.ttft.meanSeconds,
    ttftP90Seconds: peak.ttft.p90Seconds,
    tpotSeconds: average.itl.meanSeconds,
    itlP99Seconds: peak.itl.p99Seconds,
    tokensPerSecondPerUser: average.tokensPerSecondPerUser,
    peakTokensPerSecondPerUser: peak.tokensPerSecondPerUser,
    outputTokensPerSecondPerGpu: average.outputTokensPerSecondPerGpu,
    peakOutputTokensPerSecondPerGpu: peak.outputTokensPerSecondPerGpu,
    outputTokensPerSecondPerNode: average.outputTokensPerSecondPerGpu * hardware.scale_up.domain_gpus,
    inputTokensPerSecondPerGpu: average.inputTokensPerSecondPerGpu,
    prefillCapacityTokensPerSecondPerGpu: serving.disaggregated
      ? serving.prefill.inputTokensPerSecondPerGpu
      : peak.inputTokensPerSecondPerGpu,
    latencyTargetMet: serving.itlTargetMet,
    ttftTargetMet: serving.ttftTargetMet,
    batchCurve: serving.batchCurve,
    contextCurve: serving.contextCurve,
    serving,
    usdPerGpuHour,
    usdPerMillionOutputTokens: priced(gpuSecondsPerOutputToken),
    usdPerMillionInputTokens: priced(gpuSecondsPerInputToken),
    kilowattHoursPerMillionOutputTokens:
      joulesPerMillionOutput === undefined ? undefined : joulesPerMillionOutput / 3.6e6,
    co2KilogramsPerMillionOutputTokens:
      joulesPerMillionOutput === undefined ? undefined : co2Kilograms(joulesPerMillionOutput, energy),
    infeasible: serving.infeasible,
    queued:
      serving.queuedSequences > 0
        ? `${Math.round(serving.queuedSequences).toLocaleString('en-US')} of the ${Math.round(serving.queuedSequences + serving.largestBatch).toLocaleString('en-US')} concurrent sequences wait for a slot: the decode GPUs hold ${Math.round(serving.largestBatch).toLocaleString('en-US')} at once, and the wait is in the time to first token`
        : undefined,
    extrapolated: serving.extrapolated,
  };
}

/** Every point of an inference scenario's sweep. */
export function inferenceSweepPoints(scenario: InferenceScenario): InferenceOverrides[] {
  let points: InferenceOverrides[] = [{}];
  const sweep = scenario.sweep ?? {};
  if (sweep.hardware) points = points.flatMap((point) => sweep.hardware!.map((hardware) => ({...point, hardware})));
  if (sweep.concurrency)
    points = points.flatMap((point) => sweep.concurrency!.map((concurrency) => ({...point, concurrency})));
  if (sweep.utilization)
    points = points.flatMap((point) => sweep.utilization!.map((utilization) => ({...point, utilization})));
  return points;
}
