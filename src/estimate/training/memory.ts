import type {ChipRates} from '../chip-rates.js';
import type {Layout, TrainingSetup} from './layout.js';
import {microBatches} from './layout.js';
import type {ModelProfile} from '../model-profile.js';
import {MODEL_CONSTANTS, type ConstantValues} from '../model-constants.js';

/** Memory kept back on every GPU, at the nominal constants (the serving estimate reads these; see model-constants.ts). */
export const RESERVED_FRACTION = MODEL_CONSTANTS.reservedFraction.value;
export const RESERVED_BYTES = MODEL_CONSTANTS.reservedBytes.value;

/** Memory kept back from the model on a GPU of `capacityBytes`: CUDA context, communication buffers, fragmentation. */
export function reservedBytes(capacityBytes: number, constants: ConstantValues): number {
  return capacityBytes * constants.reservedFraction + constants.reservedBytes;
}

/** Bytes per parameter of each training state (ZeRO paper §3.1; Megatron keeps FP32 gradients). */
export const WEIGHT_BYTES = 2;
export const GRADIENT_BYTES = 4;
export const MASTER_WEIGHT_BYTES = 4;

export interface MemoryBreakdown {
  readonly weightsBytes: number;
  readonly gradientsBytes: number;
  readonly optimizerBytes: number;
  readonly activationsBytes: number;
  /** Logits of the last stage and the reserve for context, buffers and fragmentation. */
  readonly otherBytes: number;
  readonly totalBytes: number;
  readonly capacityBytes: number;
  /** Capacity less total: negative when the layout does not fit. */
  readonly headroomBytes: number;
  readonly fits: boolean;
  /** The pipeline rank whose memory this is (the busiest, unless one was asked for). */
  readonly rank: number;
}

/**
 * Memory per GPU on the busiest pipeline rank, for a layout: every rank's
 * memory is summed up and the largest is returned (the one that runs out
 * first).
 *
 * - Layers per stage: L/p; with uneven stages, the split that spares
 *   memory: the first and last stages (which hold the embedding, and the
 *   output head and logits) take floor(L/p) layers and the rest the extra
 *   ones, the later ranks first (they hold fewer micro-batches). Llama 3
 *   takes one layer each from its first and last stages for this (Herd
 *   §3.3.2); Megatron-LM sets it with --decoder-first/last-pipeline-num-layers.
 *   The step's pace still follows the largest stage (step-time.ts).
 * - Weights, gradients and optimizer states per parameter (mixed-precision
 *   Adam, ZeRO paper §3.1: 2 + 4 (FP32 gradients, as Megatron) + 4 (master)
 *   + 2 moments), sharded over the data-parallel group by ZeRO stage; expert
 *   parameters over the expert- and tensor-parallel groups and their own data-parallel
 *   replicas. The embedding is on the first stage, the output head on the
 *   last (a copy of a tied embedding there when pp > 1, as Megatron-LM's
 *   LanguageModule keeps one). DualPipe puts stages r and p−1−r on rank r
 *   (2× parameters, DeepSeek-V3 Table 2; the embedding and the head on the
 *   same rank, §3.2.3), whose states shard over twice the holders.
 * - Activations per Korthikanti et al. 2022 §4 (Table 2): every saved
 *   tensor divided by tp, but without sequence parallelism the norm inputs,
 *   the blocks' GEMM inputs and the residual dropout masks stay whole on
 *   each TP rank; `selective` keeps only what the cheap recomputations start
 *   from (see ActivationElements); `full` keeps only each layer's input
 *   (2·s·b·h bytes, a tp-th of it with sequence parallelism) plus one
 *   layer's working set. Micro-batches in flight on rank r, capped at the
 *   micro-batches of a step: p − r for 1F1B and zero-bubble; for
 *   interleaved, (2(p−r−1) + (v−1)p + 1) chunks of 1/v of the stage
 *   (Megatron-LM's warm-up count, Narayanan et al. 2021 §2.2.2: p + (p−1)/v on
 *   the first rank); p + 1 for DualPipe (DeepSeek-V3 Table 2), in units of
 *   the mean of its two stages. FP8 training caches the inputs of the GEMMs
 *   in FP8 (`fp8ActivationBytes` per element, with its scales) and the rest
 *   in 16 bits (DeepSeek-V3 §3.3.1, §3.3.3; ActivationElements).
 * - Logits and their gradient in FP32 on the rank holding the last stage,
 *   one micro-batch of them (the last stage runs its backward at once).
 *
 * `onlyRank`: that pipeline rank's memory instead of the busiest one's.
 */
export function memoryPerGpu(
  profile: ModelProfile,
  setup: TrainingSetup,
  layout: Layout,
  rates: ChipRates,
  onlyRank?: number,
): MemoryBreakdown {
  const {tp, pp, dp, ep, etp, cp, zero} = layout;
  const dualPipe = layout.schedule === 'dualpipe';
  const {embeddingParams, outputHeadParams} = profile.parameters;
  // Megatron-LM keeps a copy of a tied embedding on the last stage when pp > 1 (its gradient all-reduced with the first's).
  const headParams = outputHeadParams > 0 ? outputHeadParams : pp > 1 ? embeddingParams : 0;
  const denseParamsPerLayer = (profile.denseParams - outputHeadParams) / profile.layers;
  const expertParamsPerLayer = profile.experts > 0 ? profile.expertParams / profile.layers : 0;
  // Each stage's states shard over its holders: DualPipe has two ranks per stage in every pipeline.
  const holders = dualPipe ? 2 : 1;
  const denseShards = dp * cp * holders;
  // The experts' states shard over the expert-data-parallel ranks, edp = tp·dp·cp / (ep·etp) (MoE parallel folding).
  const expertShards = (tp * dp * cp * holders) / (ep * etp);
  const optimizerBytesPerParam = MASTER_WEIGHT_BYTES + 2 * setup.momentBytes;

  const m = Math.max(1, Math.floor(microBatches(setup, layout)));
  const tokensPerMicroBatch = (layout.microBatchSize * setup.seqLen) / cp;
  // FP8 training caches the GEMM inputs in FP8 (DeepSeek-V3 §3.3.3), the rest in 16 bits.
  const gemmInputBytes = setup.gemmPrecision === 'fp8' ? rates.constants.fp8ActivationBytes : 2;
  const elements = profile.activationElements;
  // Tensor parallelism splits every saved tensor but the replicated ones, which sequence parallelism
  // splits too (Korthikanti et al. 2022 Table 2); the attention scores split with the heads.
  const scores = setup.flashAttention ? 0 : (elements.scoresPerContextToken * setup.seqLen) / tp;
  // Bytes per token of a layer with no recomputation: the GEMM inputs at their bytes, the rest at 2.
  const linearBytes =
    splitByTensorParallel(
      setup.sequenceParallel,
      tp,
      elements.linear - elements.linearGemmInputs,
      elements.replicated - elements.linearGemmInputsReplicated,
    ) *
      2 +
    splitByTensorParallel(setup.sequenceParallel, tp, elements.linearGemmInputs, elements.linearGemmInputsReplicated) *
      gemmInputBytes;
  const perLayerBytes =
    layout.recompute === 'full'
      ? // The layer input, in 16 bits.
        (setup.sequenceParallel ? profile.dModel / tp : profile.dModel) * 2
      : layout.recompute === 'selective'
        ? splitByTensorParallel(
            setup.sequenceParallel,
            tp,
            elements.selective - elements.selectiveGemmInputs,
            elements.selectiveReplicated,
          ) *
            2 +
          (elements.selectiveGemmInputs / tp) * gemmInputBytes
        : linearBytes + scores * 2;
  const bytesPerLayerMicroBatch = tokensPerMicroBatch * perLayerBytes;
  // Full recomputation holds one layer's activations while it recomputes it.
  const workingLayer = layout.recompute === 'full' ? tokensPerMicroBatch * linearBytes : 0;
  // Logits and their gradient in FP32 on the last stage (vocab-parallel over tp).
  const logitsBytes = (tokensPerMicroBatch * profile.vocab * 4 * 2) / tp;
  const reserve = reservedBytes(rates.memoryBytes, rates.constants);

  // The ranks' totals, keeping the busiest one's parts (scalars, not an object per rank: the search calls this per layout).
  let best = -1;
  let bestTotal = Number.NEGATIVE_INFINITY;
  let bestWeights = 0;
  let bestGradients = 0;
  let bestOptimizer = 0;
  let bestActivations = 0;
  let bestOther = 0;
  let previousMiddleLayers = -1;
  const split = splitLayers(profile.layers, layout);
  const from = onlyRank ?? 0;
  const to = onlyRank === undefined ? (dualPipe ? Math.ceil(pp / 2) : pp) : onlyRank + 1;
  for (let rank = from; rank < to; rank++) {
    // DualPipe's rank r holds stage r and stage p−1−r (the ranks beyond the middle mirror those before it).
    const mirror = pp - 1 - rank;
    const both = dualPipe && mirror !== rank;
    const layers = layersOfSplit(split, pp, rank) + (both ? layersOfSplit(split, pp, mirror) : 0);
    const first = rank === 0 || (both && mirror === 0);
    const last = rank === pp - 1 || (both && mirror === pp - 1);
    // A middle rank with as many layers as the middle rank before it holds no more (its micro-batches in
    // flight never rise with the rank): only the first of each run of equal ranks can be the busiest.
    const middle = !first && !last;
    if (middle && layers === previousMiddleLayers) continue;
    if (middle) previousMiddleLayers = layers;
    const denseParams = ((first ? embeddingParams : 0) + (last ? headParams : 0) + denseParamsPerLayer * layers) / tp;
    const expertParams = (expertParamsPerLayer * layers) / (ep * etp);
    const weightsBytes =
      shard(denseParams * WEIGHT_BYTES, zero, 3, denseShards) +
      shard(expertParams * WEIGHT_BYTES, zero, 3, expertShards);
    const gradientsBytes =
      shard(denseParams * GRADIENT_BYTES, zero, 2, denseShards) +
      shard(expertParams * GRADIENT_BYTES, zero, 2, expertShards);
    const optimizerBytes =
      shard(denseParams * optimizerBytesPerParam, zero, 1, denseShards) +
      shard(expertParams * optimizerBytesPerParam, zero, 1, expertShards);
    const inFlight = Math.min(m, inFlightOnRank(layout, rank));
    const layersPerMicroBatch = both ? layers / 2 : layers;
    const activationsBytes = bytesPerLayerMicroBatch * layersPerMicroBatch * inFlight + workingLayer;
    const otherBytes = (last ? logitsBytes : 0) + reserve;
    const totalBytes = weightsBytes + gradientsBytes + optimizerBytes + activationsBytes + otherBytes;
    if (totalBytes <= bestTotal) continue;
    best = rank;
    bestTotal = totalBytes;
    bestWeights = weightsBytes;
    bestGradients = gradientsBytes;
    bestOptimizer = optimizerBytes;
    bestActivations = activationsBytes;
    bestOther = otherBytes;
  }
  return {
    weightsBytes: bestWeights,
    gradientsBytes: bestGradients,
    optimizerBytes: bestOptimizer,
    activationsBytes: bestActivations,
    otherBytes: bestOther,
    totalBytes: bestTotal,
    capacityBytes: rates.memoryBytes,
    headroomBytes: rates.memoryBytes - bestTotal,
    fits: bestTotal <= rates.memoryBytes,
    rank: best,
  };
}

/** A state's bytes on one GPU: split over `shards` holders from ZeRO stage `fromStage` on, else whole. */
function shard(bytes: number, zero: number, fromStage: number, shards: number): number {
  return zero >= fromStage ? bytes / shards : bytes;
}

/** Saved activations on one TP rank: all split, or, without sequence parallelism, all but the replicated part. */
function splitByTensorParallel(sequenceParallel: boolean, tp: number, total: number, replicated: number): number {
  return sequenceParallel ? total / tp : replicated + (total - replicated) / tp;
}

/**
 * Layers on pipeline stage `stage`: L/p; with uneven stages and L not a
 * multiple of p, floor(L/p) on the first and last stages and one more on
 * the L mod p stages before the last (fewer on the first and last when
 * the extra layers outnumber the middle stages).
 */
export function layersOnStage(layers: number, layout: Pick<Layout, 'pp' | 'unevenStages'>, stage: number): number {
  return layersOfSplit(splitLayers(layers, layout), layout.pp, stage);
}

/** How layersOnStage splits the layers, worked out once for all the stages (memoryPerGpu asks for every one). */
interface LayerSplit {
  readonly first: number;
  readonly last: number;
  /** Layers on a middle stage before `extraFrom`; one more from there on. */
  readonly middle: number;
  readonly extraFrom: number;
}

function splitLayers(layers: number, layout: Pick<Layout, 'pp' | 'unevenStages'>): LayerSplit {
  const {pp} = layout;
  const base = Math.floor(layers / pp);
  const extra = layers - base * pp;
  if (extra === 0) return {first: base, last: base, middle: base, extraFrom: pp};
  if (!layout.unevenStages) {
    const even = Math.ceil(layers / pp);
    return {first: even, last: even, middle: even, extraFrom: pp};
  }
  const middle = pp - 2;
  // The extra layers go to the middle stages, the last of them first; beyond those, the last stage, then the first.
  return {
    first: base + (extra > middle + 1 ? 1 : 0),
    last: base + (extra > middle ? 1 : 0),
    middle: base,
    extraFrom: pp - 1 - Math.min(extra, middle),
  };
}

/** The layers of pipeline stage `stage` of `pp`, as split. */
function layersOfSplit(split: LayerSplit, pp: number, stage: number): number {
  if (stage === pp - 1) return split.last;
  if (stage === 0) return split.first;
  return split.middle + (stage >= split.extraFrom ? 1 : 0);
}

/** Micro-batches (in units of its stage's activations per micro-batch) that rank `rank` holds at its peak, by schedule. */
export function inFlightOnRank(layout: Layout, rank: number): number {
  switch (layout.schedule) {
    case '1f1b':
    case 'zero-bubble':
      return layout.pp - rank;
    case 'interleaved':
      // Megatron-LM's interleaved schedule warms up 2(p−r−1) + (v−1)p chunks, then holds one more.
      return (2 * (layout.pp - rank - 1) + (layout.virtualStages - 1) * layout.pp + 1) / layout.virtualStages;
    case 'dualpipe':
      return layout.pp + 1;
  }
}

/** The share of the model's layers on the busiest stage: 1/pp, or ceil(L/pp)/L when layers do not divide. */
export function stageFraction(profile: ModelProfile, layout: Layout): number {
  return Math.ceil(profile.layers / layout.pp) / profile.layers;
}
