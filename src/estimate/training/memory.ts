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
}

/**
 * Memory per GPU on the busiest pipeline stage (the first, which holds the
 * most in-flight micro-batches), for a layout.
 *
 * - Weights, gradients and optimizer states per parameter (mixed-precision
 *   Adam, ZeRO paper §3.1: 2 + 4 (FP32 gradients, as Megatron) + 4 (master)
 *   + 2 moments), sharded over the data-parallel group by ZeRO stage; expert
 *   parameters over the expert- and tensor-parallel groups and their own data-parallel
 *   replicas. DualPipe holds two stages per GPU (2× parameters, DeepSeek-V3
 *   Table 2), whose states shard over twice the holders.
 * - Activations per Korthikanti et al. 2022 §4 (Table 2): every saved
 *   tensor divided by tp, but without sequence parallelism the norm inputs,
 *   the blocks' GEMM inputs and the residual dropout masks stay whole on
 *   each TP rank; `selective` keeps only what the cheap recomputations start
 *   from (see ActivationElements); `full` keeps only each layer's input
 *   (2·s·b·h bytes, a tp-th of it with sequence parallelism) plus one
 *   layer's working set. In-flight micro-batches on
 *   the first stage: p for 1F1B and zero-bubble, p·(1 + (p−1)/(p·v)) for
 *   interleaved (Narayanan et al. 2021 §2.2.2), p + 1 for DualPipe.
 *   FP8 training caches most GEMM inputs in FP8 (DeepSeek-V3 §3.3.3): 1.25
 *   bytes per element on average instead of 2.
 */
export function memoryPerGpu(
  profile: ModelProfile,
  setup: TrainingSetup,
  layout: Layout,
  rates: ChipRates,
): MemoryBreakdown {
  const {tp, dp, ep, cp, zero} = layout;
  const stageShare = stageFraction(profile, layout);
  // The first stage holds the embedding table; the output head lives on the last.
  const {embeddingParams, outputHeadParams} = profile.parameters;
  // DualPipe puts two stages on every rank (one per direction): each GPU holds two copies' worth of
  // parameters, and each stage has twice the holders to shard its states over (DeepSeek-V3 Table 2).
  const copies = layout.schedule === 'dualpipe' ? 2 : 1;
  const denseParams = (copies * ((profile.denseParams - outputHeadParams) * stageShare + embeddingParams)) / tp;
  const expertParams = profile.experts > 0 ? (copies * profile.expertParams * stageShare) / (ep * tp) : 0;
  const denseShards = dp * cp * copies;
  const expertShards = (dp * cp * copies) / ep;
  const shard = (bytes: number, stage: number, shards: number) => (zero >= stage ? bytes / shards : bytes);
  const perParam = (params: number, shards: number) => ({
    weights: shard(params * WEIGHT_BYTES, 3, shards),
    gradients: shard(params * GRADIENT_BYTES, 2, shards),
    optimizer: shard(params * (MASTER_WEIGHT_BYTES + 2 * setup.momentBytes), 1, shards),
  });
  const dense = perParam(denseParams, denseShards);
  const experts = perParam(expertParams, expertShards);

  const m = Math.max(1, Math.floor(microBatches(setup, layout)));
  const inFlight = Math.min(m, inFlightMicroBatches(layout));
  const tokensPerMicroBatch = (layout.microBatchSize * setup.seqLen) / cp;
  const bytesPerElement = setup.gemmPrecision === 'fp8' ? rates.constants.fp8ActivationBytes : 2;
  const stageLayers = Math.ceil(profile.layers * stageShare - 1e-9);
  const elements = profile.activationElements;
  // Tensor parallelism splits every saved tensor but the replicated ones, which sequence parallelism
  // splits too (Korthikanti et al. 2022 Table 2); the attention scores split with the heads.
  const sharded = (total: number, replicated: number) =>
    setup.sequenceParallel ? total / tp : replicated + (total - replicated) / tp;
  const scores = setup.flashAttention ? 0 : (elements.scoresPerContextToken * setup.seqLen) / tp;
  const perLayerElements =
    layout.recompute === 'full'
      ? setup.sequenceParallel
        ? profile.dModel / tp
        : profile.dModel
      : layout.recompute === 'selective'
        ? sharded(elements.selective, elements.selectiveReplicated)
        : sharded(elements.linear, elements.replicated) + scores;
  const storedPerMicroBatch = tokensPerMicroBatch * stageLayers * perLayerElements * bytesPerElement;
  // Full recomputation holds one layer's activations while it recomputes it.
  const workingLayer =
    layout.recompute === 'full'
      ? tokensPerMicroBatch * sharded(elements.linear, elements.replicated) * bytesPerElement
      : 0;
  const activationsBytes = storedPerMicroBatch * inFlight + workingLayer;

  // Logits and their gradient in FP32 on the last stage (vocab-parallel over tp).
  const logitsBytes = (tokensPerMicroBatch * profile.vocab * 4 * 2) / tp;
  const reserve = reservedBytes(rates.memoryBytes, rates.constants);
  const weightsBytes = dense.weights + experts.weights;
  const gradientsBytes = dense.gradients + experts.gradients;
  const optimizerBytes = dense.optimizer + experts.optimizer;
  const otherBytes = logitsBytes + reserve;
  const totalBytes = weightsBytes + gradientsBytes + optimizerBytes + activationsBytes + otherBytes;
  return {
    weightsBytes,
    gradientsBytes,
    optimizerBytes,
    activationsBytes,
    otherBytes,
    totalBytes,
    capacityBytes: rates.memoryBytes,
    headroomBytes: rates.memoryBytes - totalBytes,
    fits: totalBytes <= rates.memoryBytes,
  };
}

/** The share of the model's layers on the busiest stage: 1/pp, or ceil(L/pp)/L when layers do not divide. */
export function stageFraction(profile: ModelProfile, layout: Layout): number {
  return Math.ceil(profile.layers / layout.pp) / profile.layers;
}

/** Micro-batches whose activations the first stage holds at its peak, by schedule. */
export function inFlightMicroBatches(layout: Layout): number {
  switch (layout.schedule) {
    case '1f1b':
    case 'zero-bubble':
      return layout.pp;
    case 'interleaved':
      return layout.pp * (1 + (layout.pp - 1) / (layout.pp * layout.virtualStages));
    case 'dualpipe':
      return layout.pp + 1;
  }
}
