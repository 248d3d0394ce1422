import type {Model} from '../../data/schemas/model.js';
import type {ChipRates} from '../chip-rates.js';
import {allReduceSeconds} from '../collectives.js';
import {expertTransferSecondsPerToken} from '../expert-traffic.js';
import {kvCacheBytesPerToken, kvCacheShards} from './kv-cache.js';
import type {ModelProfile} from '../model-profile.js';
import {RESERVED_BYTES, RESERVED_FRACTION} from '../training/memory.js';

/**
 * Latency of one small collective (an all-reduce or all-to-all of a decode
 * step's few kilobytes), which bounds it more than bandwidth does [?]:
 * NCCL's small-message latency on NVLink is of the order of 10 µs.
 */
export const COLLECTIVE_LATENCY_SECONDS = 10e-6;

/** GPUs serving one copy of the model, and how they split it. */
export interface InferenceUnit {
  readonly gpus: number;
  /** Tensor parallel for attention and dense layers (the rest of the GPUs run data-parallel attention). */
  readonly tp: number;
  /** Expert parallel: GPUs the routed experts are spread over. */
  readonly ep: number;
  /** Bytes per weight: 2 (BF16), 1 (FP8), 0.5 (4-bit). */
  readonly weightBytes: number;
  /** Bytes per KV-cache element: 2 (BF16), 1 (FP8). */
  readonly kvBytes: number;
  /** Overlap expert all-to-all with compute over two micro-batches (DeepSeek-V3 §3.4). */
  readonly overlapMicroBatches: boolean;
}

export interface DecodeStep {
  /** Concurrent sequences on the unit. */
  readonly batch: number;
  /** Tokens of context each sequence attends over. */
  readonly contextTokens: number;
  readonly stepSeconds: number;
  /** Time per output token a user sees (speculative tokens included). */
  readonly tpotSeconds: number;
  readonly tokensPerSecondPerUser: number;
  readonly tokensPerSecond: number;
  readonly tokensPerSecondPerGpu: number;
  readonly bound: 'compute' | 'memory' | 'communication';
  readonly computeSeconds: number;
  readonly memorySeconds: number;
  readonly tensorParallelSeconds: number;
  readonly expertParallelSeconds: number;
  readonly weightBytesPerGpu: number;
  readonly kvCacheBytesPerGpu: number;
  readonly fits: boolean;
}

export interface PrefillStep {
  /** Prompt tokens computed (the ones not served from the prefix cache). */
  readonly tokens: number;
  /** Time to first token of one prompt alone on the unit. */
  readonly ttftSeconds: number;
  /** Prompt tokens per second the unit sustains when busy. */
  readonly tokensPerSecond: number;
  readonly tokensPerSecondPerGpu: number;
  readonly bound: 'compute' | 'memory' | 'communication';
}

/** Speculative decoding with multi-token prediction (DeepSeek-V3 §2.2, §5.4.3). */
export interface Speculation {
  /** Extra tokens drafted per step (MTP depth). */
  readonly draftTokens: number;
  /** Probability each drafted token is accepted (DeepSeek: 85–90% for the second token). */
  readonly acceptance: number;
}

const NO_SPECULATION: Speculation = {draftTokens: 0, acceptance: 0};

/**
 * One decode step of a unit at a batch and context: a roofline (the larger
 * of compute at the achievable matmul rate and memory traffic at HBM speed,
 * per GPU; LLM-Viewer, arXiv 2402.16363) plus tensor-parallel all-reduces
 * (latency-bound at decode sizes) and the expert-parallel all-to-all
 * (ISCA'25 §2.3.2), hidden behind compute with two micro-batches.
 * Memory traffic is the weights each GPU reads (for MoE only the experts the
 * batch touches: E·(1−(1−k/E)^tokens) of them, routing taken as uniform)
 * plus the KV cache its sequences attend over.
 */
export function decodeStep(
  model: Model,
  profile: ModelProfile,
  rates: ChipRates,
  unit: InferenceUnit,
  batch: number,
  contextTokens: number,
  speculation: Speculation = NO_SPECULATION,
): DecodeStep {
  const tokensPerSequence = 1 + speculation.draftTokens;
  const stepTokens = batch * tokensPerSequence;
  const rate =
    rates.gemmFlopsPerSecond[unit.weightBytes <= 1 ? 'fp8' : 'bf16'] ?? (rates.gemmFlopsPerSecond.bf16 as number);

  // Compute, shared evenly by the unit's GPUs: GEMMs (2 FLOPs per active weight) and attention over the context.
  // GEMMs run at the weights' precision; attention (FlashAttention, FlashMLA) in BF16 at its own rate.
  const gemmFlops =
    stepTokens *
    (profile.denseGemmFlops + profile.expertGemmFlops + profile.mtpGemmFlops * Math.min(1, speculation.draftTokens));
  const attentionFlops = stepTokens * profile.decodeAttentionFlopsPerContextToken * contextTokens;
  const computeSeconds = (gemmFlops / rate + attentionFlops / rates.attentionFlopsPerSecond) / unit.gpus;

  // Weights read per GPU: the dense part of its TP group, and the experts of its EP share that the step touches.
  const denseWeightBytes = ((profile.denseGemmFlops / 2 + profile.mtpGemmFlops / 2) * unit.weightBytes) / unit.tp;
  const localExperts = profile.experts / unit.ep;
  const touchedShare =
    profile.experts > 0 ? 1 - (1 - profile.routedExpertsPerToken / profile.experts) ** stepTokens : 0;
  const perExpertParams = profile.experts > 0 ? profile.expertParams / (profile.experts * profile.moeLayers) : 0;
  const expertWeightBytes = profile.moeLayers * localExperts * touchedShare * perExpertParams * unit.weightBytes;
  // KV cache: each data-parallel attention group holds its share of the sequences, split over its TP ranks as far as the heads allow.
  const kvPerToken = kvCacheBytesPerToken(model.attention, model.layers, unit.kvBytes);
  // A sequence's cache lives whole on one group: the busiest group holds ceil(batch / groups) of them.
  const attentionGroups = unit.gpus / unit.tp;
  const sequencesPerGroup = Math.ceil(batch / attentionGroups);
  const kvCacheBytesPerGpu = (sequencesPerGroup * contextTokens * kvPerToken) / kvCacheShards(model.attention, unit.tp);
  const memorySeconds = (denseWeightBytes + expertWeightBytes + kvCacheBytesPerGpu) / rates.hbmBytesPerSecond;

  // Two all-reduces per layer across the TP group, latency plus bandwidth.
  const tokensPerGroup = stepTokens / attentionGroups;
  const allReduce =
    allReduceSeconds(tokensPerGroup * profile.dModel * 2, unit.tp, rates.scaleUpBytesPerSecond) +
    (unit.tp > 1 ? COLLECTIVE_LATENCY_SECONDS : 0);
  const tensorParallelSeconds = unit.tp > 1 ? 2 * profile.layers * allReduce : 0;
  // Expert all-to-all per MoE layer: FP8 dispatch and BF16 combine (3 bytes per element per copy), plus two latencies.
  const tokensPerGpu = stepTokens / unit.gpus;
  const expertParallelSeconds =
    unit.ep > 1 && profile.moeLayers > 0
      ? profile.moeLayers *
        (tokensPerGpu * expertTransferSecondsPerToken(profile, rates, unit.ep, 1, 3 * profile.dModel) +
          2 * COLLECTIVE_LATENCY_SECONDS)
      : 0;

  const roofline = Math.max(computeSeconds, memorySeconds);
  const stepSeconds =
    (unit.overlapMicroBatches ? Math.max(roofline, expertParallelSeconds) : roofline + expertParallelSeconds) +
    tensorParallelSeconds;
  const tokensPerStep = 1 + speculation.draftTokens * speculation.acceptance;
  const tpotSeconds = stepSeconds / tokensPerStep;
  const tokensPerSecond = (batch * tokensPerStep) / stepSeconds;
  const bound =
    expertParallelSeconds + tensorParallelSeconds > roofline
      ? 'communication'
      : computeSeconds >= memorySeconds
        ? 'compute'
        : 'memory';
  const weightBytesPerGpu =
    ((profile.denseGemmFlops / 2 + profile.parameters.embeddingParams) * unit.weightBytes) / unit.tp +
    (profile.expertParams / unit.ep) * unit.weightBytes;
  return {
    batch,
    contextTokens,
    stepSeconds,
    tpotSeconds,
    tokensPerSecondPerUser: 1 / tpotSeconds,
    tokensPerSecond,
    tokensPerSecondPerGpu: tokensPerSecond / unit.gpus,
    bound,
    computeSeconds,
    memorySeconds,
    tensorParallelSeconds,
    expertParallelSeconds,
    weightBytesPerGpu,
    kvCacheBytesPerGpu,
    fits: weightBytesPerGpu + kvCacheBytesPerGpu <= usableBytes(rates),
  };
}

/**
 * Prefill of prompts on a unit: compute-bound GEMMs and causal attention
 * over the prompt (and over any cached prefix), at the achievable matmul
 * rate; the weights are read once per pass. Cached prompt tokens are not
 * recomputed (prefix caching), only attended to.
 */
export function prefillStep(
  profile: ModelProfile,
  rates: ChipRates,
  unit: InferenceUnit,
  promptTokens: number,
  cacheHitRate: number,
): PrefillStep {
  const cached = promptTokens * cacheHitRate;
  const tokens = promptTokens - cached;
  const rate =
    rates.gemmFlopsPerSecond[unit.weightBytes <= 1 ? 'fp8' : 'bf16'] ?? (rates.gemmFlopsPerSecond.bf16 as number);
  const perTokenGemm = profile.denseGemmFlops + profile.expertGemmFlops;
  // Each new token attends over the cache and, causally, half of the new tokens on average.
  const attentionFlops = profile.attentionFlopsPerContextToken * tokens * (cached + tokens / 2);
  const computeSeconds = ((tokens * perTokenGemm) / rate + attentionFlops / rates.attentionFlopsPerSecond) / unit.gpus;
  const weightSeconds =
    ((profile.denseGemmFlops / 2 / unit.tp + profile.expertParams / unit.ep) * unit.weightBytes) /
    rates.hbmBytesPerSecond;
  // Transfers: two all-reduces per layer over the TP group, and the expert all-to-all, overlapped with compute over two micro-batches.
  const tokensPerGpu = tokens / unit.gpus;
  const tensorParallelSeconds =
    unit.tp > 1
      ? 2 *
        profile.layers *
        allReduceSeconds(tokensPerGpu * unit.tp * profile.dModel * 2, unit.tp, rates.scaleUpBytesPerSecond)
      : 0;
  const expertParallelSeconds =
    profile.moeLayers * tokensPerGpu * expertTransferSecondsPerToken(profile, rates, unit.ep, 1, 3 * profile.dModel);
  const roofline = Math.max(computeSeconds, weightSeconds);
  const ttftSeconds =
    (unit.overlapMicroBatches ? Math.max(roofline, expertParallelSeconds) : roofline + expertParallelSeconds) +
    tensorParallelSeconds;
  // Busy, many prompts share each pass of the weights: throughput is bound by compute or transfers.
  const busySeconds =
    (unit.overlapMicroBatches
      ? Math.max(computeSeconds, expertParallelSeconds)
      : computeSeconds + expertParallelSeconds) + tensorParallelSeconds;
  const busySecondsPerToken = tokens > 0 ? busySeconds / tokens : 0;
  const tokensPerSecond = busySecondsPerToken > 0 ? 1 / busySecondsPerToken : Infinity;
  return {
    tokens,
    ttftSeconds,
    tokensPerSecond,
    tokensPerSecondPerGpu: tokensPerSecond / unit.gpus,
    bound:
      expertParallelSeconds + tensorParallelSeconds > roofline
        ? 'communication'
        : computeSeconds >= weightSeconds
          ? 'compute'
          : 'memory',
  };
}

/** Bytes of HBM per GPU left for weights and KV cache once the reserve is set aside. */
export function usableBytes(rates: ChipRates): number {
  return rates.memoryBytes * (1 - RESERVED_FRACTION) - RESERVED_BYTES;
}

/** The largest batch whose KV cache fits beside the weights at a context length (0 when the weights alone do not fit). */
export function largestBatch(
  model: Model,
  profile: ModelProfile,
  rates: ChipRates,
  unit: InferenceUnit,
  contextTokens: number,
): number {
  const perSequence =
    (contextTokens * kvCacheBytesPerToken(model.attention, model.layers, unit.kvBytes)) /
    kvCacheShards(model.attention, unit.tp);
  const free = usableBytes(rates) - decodeStep(model, profile, rates, unit, 1, 0).weightBytesPerGpu;
  if (free <= 0) return 0;
  if (perSequence <= 0) return Number.MAX_SAFE_INTEGER;
  return Math.floor(free / perSequence) * (unit.gpus / unit.tp);
}

/** The longest context a single sequence can have: its KV cache lives on one attention group, beside the weights. */
export function largestContext(model: Model, profile: ModelProfile, rates: ChipRates, unit: InferenceUnit): number {
  const perTokenPerGpu =
    kvCacheBytesPerToken(model.attention, model.layers, unit.kvBytes) / kvCacheShards(model.attention, unit.tp);
  const free = usableBytes(rates) - decodeStep(model, profile, rates, unit, 1, 0).weightBytesPerGpu;
  return free <= 0 ? 0 : Math.floor(free / perTokenPerGpu);
}
