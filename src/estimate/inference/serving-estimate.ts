import type {Hardware} from '../../data/schemas/hardware.js';
import type {ServingSetup} from '../../data/schemas/inference.js';
import type {Model} from '../../data/schemas/model.js';
import {BYTES_PER_VALUE} from '../units.js';
import {forwardPass, kernelSeconds, type PassLoad, type PassTimes, type ServingUnit} from './forward-pass.js';
import {deterministicServiceWait, utilizationForTarget} from './queueing.js';
import type {ServingConstantValues} from './serving-constants.js';
import {servingMemory, sequencesThatFit, type ServingMemory} from './serving-memory.js';
import {contextForKvTokens, kvContextTokens, type ServingProfile} from './serving-profile.js';
import {servingRates, type ServingRates} from './serving-rates.js';

/** One point of the batch curve: the decode unit at a batch, at the scenario's context. */
export interface BatchPoint {
  /** Sequences on the decode unit. */
  readonly batch: number;
  readonly stepSeconds: number;
  readonly itlSeconds: number;
  readonly tokensPerSecondPerUser: number;
  readonly tokensPerSecondPerGpu: number;
  readonly bound: PassTimes['bound'];
}

/** One point of the context curve: the decode unit at the operating batch (or as many as fit) and a context length. */
export interface ContextPoint {
  readonly contextTokens: number;
  readonly batch: number;
  readonly tokensPerSecondPerUser: number;
  readonly tokensPerSecondPerGpu: number;
  /** Share of the decode step spent in attention. */
  readonly attentionShare: number;
}

/** A latency distribution: its mean and percentiles, in seconds. */
export interface Latency {
  readonly meanSeconds: number;
  readonly p50Seconds: number;
  readonly p90Seconds: number;
  readonly p99Seconds: number;
}

/** How a setup serves, at its peak operating point and on average over the day. */
export interface ServingEstimate {
  readonly disaggregated: boolean;
  readonly decodeGpus: number;
  readonly prefillGpus: number;
  readonly decodeMemory: ServingMemory;
  /** Mean context a decoding sequence attends over: the prompt and half the output. */
  readonly contextTokens: number;
  /** Output tokens per sequence per decode step (1 plus the accepted drafted tokens). */
  readonly tokensPerStep: number;
  /** The most sequences the decode unit holds (KV cache, the engine's cap, the prefill budget when it shares the GPUs). */
  readonly largestBatch: number;
  /** The longest context one sequence can have on one attention group. */
  readonly largestContext: number;
  /** Peak: the batch the latency targets and memory allow. */
  readonly peak: OperatingPoint;
  /** Average over the day at the stated load (the peak itself when no load is stated or units scale with load). */
  readonly average: OperatingPoint;
  /** Day-average load as a share of the peak (1 without a stated load). */
  readonly utilization: number;
  readonly autoscaled: boolean;
  readonly prefill: PrefillPool;
  /** Whether the decode batch meets the inter-token latency target (undefined without one). */
  readonly itlTargetMet: boolean | undefined;
  readonly ttftTargetMet: boolean | undefined;
  readonly batchCurve: readonly BatchPoint[];
  readonly contextCurve: readonly ContextPoint[];
  readonly infeasible: string | undefined;
  /**
   * Sequences of the stated concurrency beyond what the decode unit holds (largestBatch): they wait for a slot,
   * and that wait is part of the peak's time to first token. 0 when the concurrency fits, or none is stated.
   */
  readonly queuedSequences: number;
  /** Whether a GEMM rate is not measured on the chip in its precision (serving-rates.ts): an extrapolation. */
  readonly extrapolated: boolean;
}

/** The decode unit at one load. */
export interface OperatingPoint {
  /** Sequences decoding on the unit. */
  readonly batch: number;
  /** A decode step without a prompt chunk, kernel by kernel. */
  readonly step: PassTimes;
  /** The mean step: plain steps and, when prefill shares the GPUs, steps that carry a prompt chunk. */
  readonly stepSeconds: number;
  /** Share of the steps that carry a prompt chunk, and how long such a step takes (0 and the plain step when disaggregated). */
  readonly chunkShare: number;
  readonly chunkStepSeconds: number;
  readonly itl: Latency;
  readonly ttft: Latency;
  /** The time to first token at the workload's target percentile (default the 90th). */
  readonly ttftAtPercentileSeconds: number;
  readonly tokensPerSecondPerUser: number;
  /** Output tokens per second per GPU of the decode unit. */
  readonly outputTokensPerSecondPerGpu: number;
  /** Prompt tokens per second per GPU of the unit that prefills, cache hits included. */
  readonly inputTokensPerSecondPerGpu: number;
  /** Share of the decode unit's GPU time spent on prefill chunks (0 when disaggregated). */
  readonly prefillShare: number;
  /** How busy prefill runs (share of its capacity). */
  readonly prefillUtilization: number;
}

/** The prefill side: one pass of a full batch of prompt tokens, and what it sustains when busy. */
export interface PrefillPool {
  readonly tokensPerPass: number;
  readonly pass: PassTimes;
  readonly passSeconds: number;
  /** Prompt tokens computed per second per GPU when saturated (cache hits excluded). */
  readonly computedTokensPerSecondPerGpu: number;
  /** The same with the cached prompt tokens counted, as services report input throughput. */
  readonly inputTokensPerSecondPerGpu: number;
}

export interface ServingInputs {
  readonly profile: ServingProfile;
  readonly hardware: Hardware;
  readonly model: Model;
  readonly constants: ServingConstantValues;
  /** Compute the batch and context curves (default true; Monte Carlo samples skip them). */
  readonly curves?: boolean;
  /** Sequences on the decode unit, overriding the workload's (a sweep point). */
  readonly concurrency?: number;
  /**
   * Every kernel, transfer and host wait of a step takes this many times as long as the model
   * predicts (default 1): a Monte Carlo draw of the model's own error (calibration/model-error.ts).
   */
  readonly stepFactor?: number;
}

const PERCENTILES = [0.5, 0.9, 0.99] as const;

/**
 * Serve a setup. Decode runs continuous batching: a step carries every
 * running sequence (and, when prefill shares the GPUs, its share of
 * prompt chunks); its time is the sum of its kernels (forward-pass.ts)
 * plus the drafting of speculative tokens and the host's time. The peak
 * batch is the concurrency given, or the largest batch whose inter-token
 * latency meets the target, within what the KV cache and the engine hold
 * (or, without either, the most they hold); a target close to the speed of
 * a single sequence does not shrink the batch below the knee of the
 * throughput–latency curve, and is reported as missed. Prefill runs full passes of prompt tokens; the time
 * to first token is a queue (queueing.ts) plus the pass. Over the day the
 * load is a share of the peak: fewer sequences decode faster per user, and
 * the GPUs idle in proportion unless the service scales them with load.
 */
export function estimateServing(setup: ServingSetup, inputs: ServingInputs): ServingEstimate {
  const {profile, hardware, constants} = inputs;
  const engine = setup.engine;
  const stepFactor = inputs.stepFactor ?? 1;
  const kernelEfficiency = (engine?.kernel_efficiency ?? 1) / stepFactor;
  const expertPrecision = setup.precision.experts ?? setup.precision.weights;
  const rates = servingRates(
    hardware,
    gemmPrecisionFor(setup.precision.weights, hardware),
    gemmPrecisionFor(expertPrecision, hardware),
    constants,
    kernelEfficiency,
    1 / stepFactor,
  );
  const hostSeconds =
    (engine?.host_overhead_ms === undefined ? constants.hostOverheadSeconds : engine.host_overhead_ms / 1e3) *
    stepFactor;
  const engineMemory = {
    fraction: engine?.memory_fraction ?? constants.engineMemoryFraction,
    of: engine?.memory_of ?? 'total',
  };
  const weightBytes = BYTES_PER_VALUE[setup.precision.weights];
  const kvBytes = BYTES_PER_VALUE[setup.precision.kv_cache];
  const unitOf = (spec: ServingSetup['deployment']['decode']): ServingUnit => {
    const redundant = profile.experts > 0 ? spec.redundant_experts : 0;
    const balancer = spec.expert_balancer ?? (redundant > 0 ? 'eplb' : 'none');
    return {
      gpus: spec.gpus,
      tp: spec.tp,
      ep: spec.ep,
      expertSlots: profile.experts + redundant,
      imbalance:
        profile.experts === 0 || spec.ep <= 1
          ? 1
          : balancer === 'eplb'
            ? constants.balancedImbalance
            : constants.unbalancedImbalance,
      overlap: spec.overlap_micro_batches ?? false,
      weightBytes,
      expertWeightBytes: BYTES_PER_VALUE[expertPrecision],
      kvBytes,
      // DeepSeek-V3 §3.3 / DeepEP: FP8 dispatch with a 4-byte scale per 128 elements; BF16 otherwise. Combine in BF16.
      dispatchBytes: weightBytes <= 1 ? 1 + 4 / 128 : 2,
      combineBytes: 2,
    };
  };
  const decodeSpec = setup.deployment.decode;
  const prefillSpec = setup.deployment.prefill;
  const decodeUnit = unitOf(decodeSpec);
  const prefillUnit = prefillSpec ? unitOf(prefillSpec) : decodeUnit;
  const disaggregated = prefillSpec !== undefined;
  const decodeGroups = decodeUnit.gpus / decodeUnit.tp;
  const prefillGroups = prefillUnit.gpus / prefillUnit.tp;

  const {prompt_tokens: promptTokens, output_tokens: outputTokens, cache_hit_rate: cacheHitRate} = setup.workload;
  const newPromptTokens = promptTokens * (1 - cacheHitRate);
  const contextTokens = promptTokens + outputTokens / 2;
  // What the cache holds per running sequence: its mean context, or its whole prompt and output when the engine
  // reserves them on admission (TensorRT-LLM's GUARANTEED_NO_EVICT): as a multiple of the mean context.
  const reservedPerContextToken =
    engine?.kv_reservation === 'whole-sequence' ? (promptTokens + outputTokens) / contextTokens : 1;
  const prefillContextTokens = promptTokens * cacheHitRate + newPromptTokens / 2;
  const drafts = setup.speculative && profile.mtpDepth > 0 ? setup.speculative.draft_tokens : 0;
  const acceptance = setup.speculative?.acceptance ?? 0;
  // Drafted tokens are accepted in order: the i-th counts only if the ones before it were (DeepSeek-V3 §5.4.3).
  let tokensPerStep = 1;
  for (let index = 1; index <= drafts; index++) tokensPerStep += acceptance ** index;
  const queryTokens = 1 + drafts;
  const tokensPerPass = (prefillSpec ?? decodeSpec).tokens_per_pass ?? constants.prefillTokensPerPass;

  const decodeMemory = servingMemory(profile, rates, decodeUnit, engineMemory, constants, drafts > 0);
  const prefillMemory = disaggregated
    ? servingMemory(profile, rates, prefillUnit, engineMemory, constants, false)
    : decodeMemory;
  // Sharing the GPUs, each step's prompt chunk must keep up with the sequences it decodes (within the pass budget).
  const prefillPerSequence = disaggregated ? 0 : (tokensPerStep * newPromptTokens) / outputTokens;
  const budgetCap = disaggregated ? Infinity : Math.floor(tokensPerPass / (queryTokens + prefillPerSequence));
  const perGroupCap = Math.min(
    sequencesThatFit(decodeMemory, kvContextTokens(profile, contextTokens * reservedPerContextToken)),
    decodeSpec.max_running_sequences ?? Infinity,
    budgetCap,
  );
  const largestBatch = Math.max(0, perGroupCap) * decodeGroups;
  const largestContext =
    decodeMemory.kvCacheBytesPerGpu <= 0
      ? 0
      : // Every layer windowed: the cache bounds no context (a safe integer stands for "unbounded").
        Math.floor(
          Math.min(
            Number.MAX_SAFE_INTEGER,
            contextForKvTokens(profile, decodeMemory.kvCacheBytesPerGpu / decodeMemory.kvBytesPerTokenPerGpu),
          ),
        );

  // Data-parallel attention groups joined by the expert all-to-all wait for each other at every MoE layer, and a
  // prompt chunk lands on one group: a step carrying one lasts as long as that group's attention and dense layers.
  const groupsWait = profile.experts > 0 && decodeUnit.ep > 1 && decodeGroups > 1;
  /** One pass of the decode unit: `sequences` per attention group, and `chunk` prompt tokens on the busiest group. */
  const pass = (sequences: number, context: number, chunk: number) => {
    const load: PassLoad = {
      sequences,
      queryTokensPerSequence: queryTokens,
      contextTokens: context,
      prefillTokens: groupsWait ? chunk / decodeGroups : chunk,
      busiestPrefillTokens: chunk,
      prefillContextTokens,
    };
    const times = forwardPass(profile, rates, decodeUnit, load, constants, chunk > 0 ? 'normal' : 'low-latency');
    return {pass: times, seconds: times.totalSeconds + draftSeconds(sequences, times) + hostSeconds};
  };
  /**
   * The decode step with `sequences` per attention group. Sharing the GPUs, prompts are computed in chunks that
   * fill the pass budget the decode tokens leave (chunked prefill): a share `chunkShare` of the steps carries one
   * (on each group, or on one of the groups that wait for each other), enough to keep up with the sequences
   * finishing; the mean step mixes plain steps and steps with a chunk.
   */
  const decodeStep = (sequences: number, context = contextTokens) => {
    const plain = pass(sequences, context, 0);
    if (disaggregated || prefillPerSequence === 0)
      return {
        pass: plain.pass,
        seconds: plain.seconds,
        plainSeconds: plain.seconds,
        chunkSeconds: plain.seconds,
        chunkShare: 0,
        budget: 0,
      };
    const budget = Math.max(1, tokensPerPass - sequences * queryTokens);
    const needed = sequences * prefillPerSequence * (groupsWait ? decodeGroups : 1);
    const chunkShare = Math.min(1, needed / budget);
    const withChunk = pass(sequences, context, budget);
    return {
      pass: plain.pass,
      seconds: (1 - chunkShare) * plain.seconds + chunkShare * withChunk.seconds,
      plainSeconds: plain.seconds,
      chunkSeconds: withChunk.seconds,
      chunkShare,
      budget,
    };
  };
  /**
   * Drafting: each drafted token passes through one MTP module, about one layer of the step (taken as the step's
   * time per layer, a slight overestimate: the step verifies 1 + d tokens per sequence), and the output head.
   */
  const draftSeconds = (sequences: number, times: PassTimes) => {
    if (drafts === 0) return 0;
    const head = profile.headParams / decodeUnit.tp;
    return (
      drafts *
      ((times.totalSeconds - times.hiddenSeconds) / profile.layers +
        kernelSeconds(2 * sequences * head, rates.gemmFlopsPerSecond, head * weightBytes, rates.weightBytesPerSecond))
    );
  };
  const itlAt = (sequences: number) => decodeStep(sequences).seconds / tokensPerStep;
  const ratePerGroup = (sequences: number) => (sequences * tokensPerStep) / decodeStep(sequences).seconds;

  // The prefill pool: full passes of prompt tokens (one attention group's pass budget).
  const prefillPass = forwardPass(
    profile,
    rates,
    prefillUnit,
    {sequences: 0, queryTokensPerSequence: 1, contextTokens: 0, prefillTokens: tokensPerPass, prefillContextTokens},
    constants,
    'normal',
  );
  const passSeconds = prefillPass.totalSeconds + hostSeconds;
  const computedTokensPerSecondPerGpu = (tokensPerPass * prefillGroups) / (passSeconds * prefillUnit.gpus);
  const prefill: PrefillPool = {
    tokensPerPass,
    pass: prefillPass,
    passSeconds,
    computedTokensPerSecondPerGpu,
    inputTokensPerSecondPerGpu: computedTokensPerSecondPerGpu / Math.max(1e-9, 1 - cacheHitRate),
  };

  let infeasible: string | undefined;
  if (decodeMemory.kvCacheBytesPerGpu <= 0 || (disaggregated && prefillMemory.kvCacheBytesPerGpu <= 0)) {
    infeasible = `the weights need ${(decodeMemory.weightBytesPerGpu / 1e9).toFixed(1)} GB per GPU, more than the engine's share of the ${(rates.deviceBytes / 1e9).toFixed(1)} GB ${hardware.id} leaves beside its activation reserve`;
  } else if (perGroupCap < 1) {
    infeasible = `not one sequence of ${Math.round(contextTokens).toLocaleString('en-US')} tokens of context fits beside the weights`;
  }
  const cap = Math.max(1, perGroupCap);

  // The peak batch per attention group.
  const itlTarget =
    setup.workload.itl_target_seconds ??
    (setup.workload.target_tokens_per_second_per_user === undefined
      ? undefined
      : 1 / setup.workload.target_tokens_per_second_per_user);
  const concurrency = inputs.concurrency ?? setup.workload.concurrency;
  let peakSequences: number;
  let itlTargetMet: boolean | undefined;
  // A stated concurrency beyond what the cache holds runs at the largest batch; the rest wait for a slot.
  let queuedPerGroup = 0;
  if (concurrency !== undefined) {
    const wanted = Math.max(1, concurrency / decodeGroups);
    peakSequences = Math.min(cap, wanted);
    queuedPerGroup = wanted - peakSequences;
  } else if (itlTarget !== undefined) {
    // The target sets the batch while holding it costs less than the knee of the chip's curve allows: a target
    // within `latencyKneeFactor` of the speed of one sequence is not worth most of the throughput, so the batch is
    // never smaller than the knee's (and is reported as missing the target).
    // The larger batch of the two is the one at the looser of the two latencies.
    const bound = Math.max(itlTarget, constants.latencyKneeFactor * itlAt(1));
    peakSequences = largestWithin(cap, (sequences) => itlAt(sequences) <= bound);
    itlTargetMet = itlAt(peakSequences) <= itlTarget * (1 + 1e-9);
  } else {
    peakSequences = cap;
  }

  // Prefill utilisation at peak: disaggregated, set by the TTFT target through the queue (or the default);
  // sharing the GPUs, the prompt chunks' share of each step's budget.
  const percentile = setup.workload.target_percentile ?? 0.9;
  const ttftTarget = setup.workload.ttft_target_seconds;
  const kvTransferSeconds = disaggregated
    ? (kvContextTokens(profile, promptTokens) * profile.kvElementsPerToken * kvBytes) / rates.scaleOutBytesPerSecond
    : 0;
  const promptPasses = Math.max(1, newPromptTokens / tokensPerPass);
  const disaggregatedWait = (utilization: number) =>
    deterministicServiceWait(utilization, (newPromptTokens / tokensPerPass) * passSeconds);
  const disaggregatedFixed = (utilization: number) =>
    (utilization * passSeconds) / 2 + promptPasses * passSeconds + kvTransferSeconds;
  const disaggregatedTtft = (utilization: number): Latency =>
    latencyOf(disaggregatedFixed(utilization), disaggregatedWait(utilization));
  let peakPrefillUtilization = constants.prefillUtilization;
  let ttftTargetMet: boolean | undefined;
  if (disaggregated && ttftTarget !== undefined) {
    const reached = utilizationForTarget(
      (utilization) => disaggregatedFixed(utilization) + disaggregatedWait(utilization).atSeconds(percentile),
      ttftTarget,
    );
    ttftTargetMet = reached > 0;
    if (ttftTargetMet) peakPrefillUtilization = reached;
  }

  const operatingPoint = (sequences: number, prefillUtilization: number, queued = 0): OperatingPoint => {
    const step = decodeStep(sequences);
    const seconds = step.seconds;
    // Sequences waiting for a slot (closed loop, Little's law): each waits while `queued` requests ahead of it
    // finish, at the rate the running ones complete (each needs outputTokens / tokensPerStep steps).
    const queueSeconds = queued > 0 ? (queued * (outputTokens / tokensPerStep) * seconds) / sequences : 0;
    const tokensPerSecondPerGroup = (sequences * tokensPerStep) / seconds;
    const outputTokensPerSecondPerGpu = (tokensPerSecondPerGroup * decodeGroups) / decodeUnit.gpus;
    let itl: Latency;
    let ttft: Latency;
    let ttftAtPercentileSeconds: number;
    let inputTokensPerSecondPerGpu: number;
    let prefillShare = 0;
    let utilization = prefillUtilization;
    if (disaggregated) {
      const steady = seconds / tokensPerStep;
      itl = {meanSeconds: steady, p50Seconds: steady, p90Seconds: steady, p99Seconds: steady};
      ttft = disaggregatedTtft(prefillUtilization);
      ttftAtPercentileSeconds =
        disaggregatedFixed(prefillUtilization) + disaggregatedWait(prefillUtilization).atSeconds(percentile);
      inputTokensPerSecondPerGpu = prefill.inputTokensPerSecondPerGpu * prefillUtilization;
    } else {
      // Tokens come at the plain step time, except after a step that carries a prompt chunk.
      const {plainSeconds, chunkSeconds, chunkShare, budget} = step;
      utilization = chunkShare;
      prefillShare = seconds > 0 ? Math.max(0, 1 - plainSeconds / seconds) : 0;
      const itlAtPercentile = (p: number) => (p > 1 - chunkShare ? chunkSeconds : plainSeconds) / tokensPerStep;
      itl = {
        meanSeconds: seconds / tokensPerStep,
        p50Seconds: itlAtPercentile(0.5),
        p90Seconds: itlAtPercentile(0.9),
        p99Seconds: itlAtPercentile(0.99),
      };
      // A prompt waits for the chunks queued before it (M/D/1 over the chunk budget), then takes its own chunks.
      const chunksPerPrompt = newPromptTokens / Math.max(1, budget);
      const wait = deterministicServiceWait(chunkShare, chunksPerPrompt * chunkSeconds);
      const fixed = (chunkShare * chunkSeconds) / 2 + Math.max(1, chunksPerPrompt) * chunkSeconds;
      ttft = latencyOf(fixed, wait);
      ttftAtPercentileSeconds = fixed + wait.atSeconds(percentile);
      inputTokensPerSecondPerGpu =
        (((sequences * prefillPerSequence) / seconds) * (decodeGroups / decodeUnit.gpus)) /
        Math.max(1e-9, 1 - cacheHitRate);
    }
    return {
      batch: sequences * decodeGroups,
      step: step.pass,
      stepSeconds: seconds,
      chunkShare: step.chunkShare,
      chunkStepSeconds: step.chunkSeconds,
      itl,
      ttft: delayed(ttft, queueSeconds),
      ttftAtPercentileSeconds: ttftAtPercentileSeconds + queueSeconds,
      tokensPerSecondPerUser: tokensPerStep / seconds,
      outputTokensPerSecondPerGpu,
      inputTokensPerSecondPerGpu,
      prefillShare,
      prefillUtilization: utilization,
    };
  };

  const peak = operatingPoint(peakSequences, peakPrefillUtilization, queuedPerGroup);
  if (!disaggregated && ttftTarget !== undefined) ttftTargetMet = peak.ttftAtPercentileSeconds <= ttftTarget;

  // The day: a stated utilisation, or the mean of an hourly curve over its peak.
  const loadSpec = setup.load;
  const utilization = !loadSpec
    ? 1
    : (loadSpec.utilization ??
      (loadSpec.hourly ? loadSpec.hourly.reduce((sum, hour) => sum + hour, 0) / 24 / Math.max(...loadSpec.hourly) : 1));
  const autoscaled = loadSpec?.autoscaled ?? false;
  let average = peak;
  if (!autoscaled && utilization < 1) {
    // At a share u of the peak demand, continuous batching runs the batch whose throughput is u of the peak's.
    const wanted = utilization * ratePerGroup(peakSequences);
    const sequences = solveIncreasing(ratePerGroup, wanted, 1e-3, peakSequences);
    const point = operatingPoint(sequences, peakPrefillUtilization * utilization);
    average = {
      ...point,
      // Demand-limited: the GPUs make u of the peak's tokens whatever the batch.
      outputTokensPerSecondPerGpu: peak.outputTokensPerSecondPerGpu * utilization,
      inputTokensPerSecondPerGpu: peak.inputTokensPerSecondPerGpu * utilization,
    };
  }

  const curves = inputs.curves !== false && infeasible === undefined;
  const batchCurve: BatchPoint[] = curves
    ? curveSizes(cap).map((sequences) => {
        const {pass: times, seconds} = decodeStep(sequences);
        return {
          batch: sequences * decodeGroups,
          stepSeconds: seconds,
          itlSeconds: seconds / tokensPerStep,
          tokensPerSecondPerUser: tokensPerStep / seconds,
          tokensPerSecondPerGpu: (sequences * tokensPerStep * decodeGroups) / (seconds * decodeUnit.gpus),
          bound: times.bound,
        };
      })
    : [];
  const contextCurve: ContextPoint[] = curves
    ? CONTEXTS.flatMap((context) => {
        const fit = Math.min(
          sequencesThatFit(decodeMemory, kvContextTokens(profile, context * reservedPerContextToken)),
          decodeSpec.max_running_sequences ?? Infinity,
        );
        if (fit < 1) return [];
        const sequences = Math.min(peakSequences, fit);
        const {pass: times, seconds} = pass(sequences, context, 0);
        return [
          {
            contextTokens: context,
            batch: sequences * decodeGroups,
            tokensPerSecondPerUser: tokensPerStep / seconds,
            tokensPerSecondPerGpu: (sequences * tokensPerStep * decodeGroups) / (seconds * decodeUnit.gpus),
            attentionShare: times.attentionSeconds / seconds,
          },
        ];
      })
    : [];

  return {
    disaggregated,
    decodeGpus: decodeUnit.gpus,
    prefillGpus: prefillUnit.gpus,
    decodeMemory,
    contextTokens,
    tokensPerStep,
    largestBatch,
    largestContext,
    peak,
    average,
    utilization,
    autoscaled,
    prefill,
    itlTargetMet,
    ttftTargetMet,
    batchCurve,
    contextCurve,
    infeasible,
    queuedSequences: queuedPerGroup * decodeGroups,
    extrapolated: rates.extrapolated,
  };
}

/** The GEMM precision: the weights' if the chip computes in it, else BF16 (weight-only quantisation). */
function gemmPrecisionFor(weights: 'bf16' | 'fp8' | 'fp4', hardware: Hardware): 'bf16' | 'fp8' | 'fp4' {
  if (weights === 'bf16' || hardware.peak_tflops[weights] !== undefined) return weights;
  return weights === 'fp4' && hardware.peak_tflops.fp8 !== undefined ? 'fp8' : 'bf16';
}

/** A latency made of a fixed part and a queueing wait. */
/** A latency with a fixed wait before it. */
function delayed(latency: Latency, seconds: number): Latency {
  if (seconds === 0) return latency;
  return {
    meanSeconds: latency.meanSeconds + seconds,
    p50Seconds: latency.p50Seconds + seconds,
    p90Seconds: latency.p90Seconds + seconds,
    p99Seconds: latency.p99Seconds + seconds,
  };
}

function latencyOf(fixedSeconds: number, wait: ReturnType<typeof deterministicServiceWait>): Latency {
  const [p50, p90, p99] = PERCENTILES.map((p) => fixedSeconds + wait.atSeconds(p)) as [number, number, number];
  return {meanSeconds: fixedSeconds + wait.meanSeconds, p50Seconds: p50, p90Seconds: p90, p99Seconds: p99};
}

/** The largest x in [1, most] for which `holds` (which holds at 1 and, once false, stays false), to 0.1%. */
function largestWithin(most: number, holds: (x: number) => boolean): number {
  if (holds(most)) return most;
  let low = 1;
  let high = most;
  while (high - low > Math.max(1e-3 * low, 1e-3)) {
    const middle = Math.sqrt(low * high);
    if (holds(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/** The x in [low, high] where an increasing function reaches `value` (bisection on a log scale). */
function solveIncreasing(read: (x: number) => number, value: number, low: number, high: number): number {
  if (read(high) <= value) return high;
  if (read(low) >= value) return low;
  for (let step = 0; step < 40; step++) {
    const middle = Math.sqrt(low * high);
    if (read(middle) < value) low = middle;
    else high = middle;
  }
  return Math.sqrt(low * high);
}

/** Batches per attention group for the curve: 1, 2, 4, … and the largest. */
function curveSizes(most: number): number[] {
  const sizes: number[] = [];
  for (let size = 1; size < most; size *= 2) sizes.push(size);
  sizes.push(most);
  return sizes;
}

/** Contexts for the context curve: 1K to 128K tokens. */
const CONTEXTS = [1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072];

export type {ServingRates};
