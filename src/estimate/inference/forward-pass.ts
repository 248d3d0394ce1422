import {allReduceSeconds} from '../collectives.js';
import type {ServingConstantValues} from './serving-constants.js';
import {kvContextTokens, type ServingProfile} from './serving-profile.js';
import type {ServingRates} from './serving-rates.js';
import {exp} from '../../uncertain/portable-math.js';

/** GPUs serving one copy of the model, and how they split it (schemas/inference.ts). */
export interface ServingUnit {
  readonly gpus: number;
  /** Tensor parallel for attention and the dense layers; the unit's other GPUs run data-parallel attention groups. */
  readonly tp: number;
  /** Expert parallel: GPUs the routed experts are spread over (the unit's other GPUs split each expert). */
  readonly ep: number;
  /** Routed-expert slots: the experts and their redundant copies. */
  readonly expertSlots: number;
  /** Load of the busiest GPU over the mean in the expert layers. */
  readonly imbalance: number;
  /** Two-batch overlap of the all-to-all with compute. */
  readonly overlap: boolean;
  /** Bytes per weight (BF16 2, FP8 1, FP4 ½), for the routed experts, and per KV-cache element. */
  readonly weightBytes: number;
  readonly expertWeightBytes: number;
  readonly kvBytes: number;
  /** Bytes per element of the expert dispatch (FP8 with its block scales, or BF16) and combine (BF16). */
  readonly dispatchBytes: number;
  readonly combineBytes: number;
}

/** What one forward pass of a unit carries, per attention group. */
export interface PassLoad {
  /** Sequences decoding in the pass. */
  readonly sequences: number;
  /** Query tokens per decoding sequence: 1, plus the drafted tokens being verified. */
  readonly queryTokensPerSequence: number;
  /** Mean context (KV-cache tokens) of the decoding sequences. */
  readonly contextTokens: number;
  /** Prompt tokens computed in the pass (prefill, or a chunk of it beside decode), on average per group. */
  readonly prefillTokens: number;
  /**
   * Prompt tokens on the busiest group, when the groups wait for each other (data-parallel attention
   * joined by the expert all-to-all) and prompts land whole on one group: the pass lasts as long as that
   * group's attention and dense layers. The mean when left out.
   */
  readonly busiestPrefillTokens?: number;
  /** Mean context a prompt token attends over: its cached prefix and, causally, half its own new tokens. */
  readonly prefillContextTokens: number;
}

/**
 * The time of each kernel group of one forward pass on the busiest GPU.
 * The pass is a sequence of kernels, each bound by its own resource:
 * GEMMs by compute or by streaming their weights, attention by compute or
 * by reading the KV cache, the expert GEMMs by compute or by the experts'
 * weights they touch; their times add. The expert all-to-all and the
 * tensor-parallel all-reduces add too, except for the share two-batch
 * overlap hides.
 */
export interface PassTimes {
  readonly denseGemmSeconds: number;
  readonly attentionSeconds: number;
  readonly expertGemmSeconds: number;
  readonly elementwiseSeconds: number;
  /** Fixed time per layer and micro-batch (launches, small kernels). */
  readonly overheadSeconds: number;
  readonly tensorParallelSeconds: number;
  readonly expertParallelSeconds: number;
  /** The part of the all-to-all (or of compute) hidden by two-batch overlap. */
  readonly hiddenSeconds: number;
  readonly totalSeconds: number;
  /** The kernel group that takes longest. */
  readonly bound: 'dense GEMMs' | 'attention' | 'expert GEMMs' | 'all-to-all' | 'all-reduce' | 'overhead';
}

/** Seconds of a kernel bound by compute or by memory traffic, whichever is longer (a roofline per kernel). */
export function kernelSeconds(flops: number, flopsPerSecond: number, bytes: number, bytesPerSecond: number): number {
  return Math.max(flops / flopsPerSecond, bytes / bytesPerSecond);
}

/**
 * A GEMM's rate at M tokens against its large-shape rate: M/(M + M½), with
 * M½ the `gemmHalfEfficiencyTokens` constant (DeepGEMM's grouped GEMMs lose
 * a quarter of their rate at 256 tokens per expert).
 */
export function smallShapeFactor(tokens: number, halfTokens: number): number {
  return tokens <= 0 ? 1 : tokens / (tokens + halfTokens);
}

/** One forward pass of a serving unit (decode step, prefill pass, or both at once), per GPU of its busiest group. */
export function forwardPass(
  profile: ServingProfile,
  rates: ServingRates,
  unit: ServingUnit,
  load: PassLoad,
  constants: ServingConstantValues,
  allToAll: 'low-latency' | 'normal',
): PassTimes {
  const {tp} = unit;
  const groups = unit.gpus / tp;
  const decodeTokens = load.sequences * load.queryTokensPerSequence;
  const busiestPrefill = Math.max(load.prefillTokens, load.busiestPrefillTokens ?? 0);
  // The busiest group sets the time of the per-group work; the unit's expert work is the mean times the groups.
  const groupTokens = decodeTokens + busiestPrefill;
  const meanGroupTokens = decodeTokens + load.prefillTokens;
  const halfTokens = constants.gemmHalfEfficiencyTokens;

  // Dense GEMMs: every token of the group through the TP rank's share of the weights.
  const denseParams = profile.denseMatmulParams / tp;
  const denseGemmSeconds =
    groupTokens > 0
      ? kernelSeconds(
          2 * groupTokens * denseParams,
          rates.gemmFlopsPerSecond * smallShapeFactor(groupTokens, halfTokens),
          denseParams * unit.weightBytes,
          rates.weightBytesPerSecond,
        )
      : 0;

  // Attention: heads split over the TP ranks; the cache split by KV head where it can be (kvShards).
  // A windowed layer reads and attends at most its window of the context (serving-profile.ts kvContextTokens);
  // a prompt token's mean context is taken through the same cap, min(mean, window) per layer (an approximation
  // of the mean of min(position, window), within one window's length of it).
  const kvBytesPerToken = profile.kvElementsPerToken * unit.kvBytes;
  const decodeContext = kvContextTokens(profile, load.contextTokens);
  const decodeAttention = kernelSeconds(
    (decodeTokens * decodeContext * profile.decodeAttentionFlopsPerContextToken) / tp,
    rates.attentionFlopsPerSecond,
    (load.sequences * decodeContext * kvBytesPerToken) / kvShardsFor(profile, tp),
    rates.kvBytesPerSecond,
  );
  const prefillAttention =
    (busiestPrefill *
      kvContextTokens(profile, load.prefillContextTokens) *
      profile.prefillAttentionFlopsPerContextToken) /
    tp /
    rates.attentionFlopsPerSecond;
  const attentionSeconds = decodeAttention + prefillAttention;

  // Routed experts: the unit's token copies spread over its GPUs, the busiest carrying `imbalance` times the mean.
  let expertGemmSeconds = 0;
  let expertParallelSeconds = 0;
  const unitTokens = groups * meanGroupTokens;
  if (profile.experts > 0 && unitTokens > 0) {
    const copies = unitTokens * profile.expertsPerToken;
    const tokensPerSlot = copies / unit.expertSlots;
    const splitPerExpert = unit.gpus / unit.ep;
    const slotsPerGpu = unit.expertSlots / unit.ep;
    // Expected share of a GPU's expert slots the pass touches (Poisson arrivals of copies).
    const touched = 1 - exp(-tokensPerSlot);
    const flops = (2 * copies * profile.paramsPerExpertLayer * profile.moeLayers * unit.imbalance) / unit.gpus;
    const bytes =
      (slotsPerGpu * touched * profile.paramsPerExpertLayer * profile.moeLayers * unit.expertWeightBytes) /
      splitPerExpert;
    expertGemmSeconds = kernelSeconds(
      flops,
      rates.expertGemmFlopsPerSecond * smallShapeFactor(tokensPerSlot * unit.imbalance, halfTokens),
      bytes,
      rates.weightBytesPerSecond,
    );
    if (unit.ep > 1) {
      const tokensPerGpu = unitTokens / unit.gpus;
      const bytesPerCopy = profile.dModel * (unit.dispatchBytes + unit.combineBytes);
      const perLayer =
        tokensPerGpu *
          unit.imbalance *
          allToAllSecondsPerToken(profile, rates, unit.ep, bytesPerCopy, allToAll === 'low-latency') +
        2 * constants.allToAllLatencySeconds;
      expertParallelSeconds = profile.moeLayers * perLayer;
    }
  }

  const elementwiseSeconds = (groupTokens * profile.elementwiseBytesPerToken) / tp / rates.kvBytesPerSecond;
  const microBatches = unit.overlap ? 2 : 1;
  const overheadSeconds = profile.layers * constants.layerOverheadSeconds * microBatches;
  const tensorParallelSeconds =
    tp > 1
      ? 2 *
        profile.layers *
        (allReduceSeconds(groupTokens * profile.dModel * 2, tp, rates.scaleUpBytesPerSecond) +
          constants.allToAllLatencySeconds)
      : 0;

  const computeSeconds = denseGemmSeconds + attentionSeconds + expertGemmSeconds + elementwiseSeconds;
  const hiddenSeconds = unit.overlap
    ? constants.overlapEfficiency * Math.min(computeSeconds, expertParallelSeconds)
    : 0;
  const totalSeconds = computeSeconds + expertParallelSeconds - hiddenSeconds + tensorParallelSeconds + overheadSeconds;
  // The longest kernel group (no array: this runs thousands of times per Monte Carlo estimate).
  let bound: PassTimes['bound'] = 'dense GEMMs';
  let longest = denseGemmSeconds;
  if (attentionSeconds > longest) [bound, longest] = ['attention', attentionSeconds];
  if (expertGemmSeconds > longest) [bound, longest] = ['expert GEMMs', expertGemmSeconds];
  if (expertParallelSeconds > longest) [bound, longest] = ['all-to-all', expertParallelSeconds];
  if (tensorParallelSeconds > longest) [bound, longest] = ['all-reduce', tensorParallelSeconds];
  if (overheadSeconds > longest) bound = 'overhead';
  return {
    denseGemmSeconds,
    attentionSeconds,
    expertGemmSeconds,
    elementwiseSeconds,
    overheadSeconds,
    tensorParallelSeconds,
    expertParallelSeconds,
    hiddenSeconds,
    totalSeconds,
    bound,
  };
}

/** Over how many TP ranks the KV cache splits: by KV head for MHA and GQA; MQA and MLA keep a copy per rank. */
function kvShardsFor(profile: ServingProfile, tp: number): number {
  return Math.max(1, Math.min(tp, profile.kvShardLimit));
}

/**
 * Seconds to dispatch and combine one token's expert copies in one MoE
 * layer (`bytesPerCopy` both ways together), routing taken as uniform.
 * Inside a scale-up domain the copies go over it. Across domains:
 * low-latency kernels (DeepEP's decode mode) send each remote copy over the
 * scale-out network; normal kernels (prefill) send a token once per remote
 * node it targets, at most the model's node limit, and forward it over the
 * domain there (DeepSeek-V3 §3.2.2).
 */
export function allToAllSecondsPerToken(
  profile: ServingProfile,
  rates: ServingRates,
  ep: number,
  bytesPerCopy: number,
  lowLatency: boolean,
): number {
  const k = profile.expertsPerToken;
  const domainGpus = Math.max(1, Math.min(rates.domainGpus, ep));
  const domains = ep / domainGpus;
  const scaleUp = (k * bytesPerCopy * ((domainGpus - 1) / domainGpus)) / rates.scaleUpBytesPerSecond;
  if (domains <= 1) return scaleUp;
  const remoteShare = 1 - 1 / domains;
  const remoteCopies = lowLatency ? k * remoteShare : Math.min(k, profile.maxNodesPerToken ?? k, domains) * remoteShare;
  const scaleOut = (remoteCopies * bytesPerCopy) / rates.scaleOutBytesPerSecond;
  return lowLatency
    ? scaleOut + (k * (1 - remoteShare) * bytesPerCopy) / rates.scaleUpBytesPerSecond
    : Math.max(scaleOut, scaleUp);
}
