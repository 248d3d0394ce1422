import {allGatherSeconds, allReduceSeconds, reduceScatterSeconds} from '../collectives.js';
import {expertTransferSecondsPerToken} from '../expert-traffic.js';
import type {ChipRates} from '../chip-rates.js';
import {microBatches, type Layout, type TrainingSetup} from './layout.js';
import {memoryPerGpu, stageFraction, type MemoryBreakdown} from './memory.js';
import type {ModelProfile} from '../model-profile.js';

/**
 * Share of the SMs DeepEP's all-to-all kernels take from compute while they
 * overlap it: 20 of the H800's 132 SMs (DeepSeek-V3 §3.2.2).
 */
export const OVERLAP_SM_SHARE = 20 / 132;
/** Optimizer traffic per locally updated parameter: read master, gradient, two moments; write master, moments, weights. */
const optimizerBytesPerParam = (momentBytes: number) => 4 + 4 + 2 * momentBytes + 4 + 2 * momentBytes + 2;

/** Where a training step's time goes; the parts sum to `stepSeconds`. */
export interface StepBreakdown {
  readonly computeSeconds: number;
  readonly tensorParallelSeconds: number;
  readonly contextParallelSeconds: number;
  readonly expertParallelSeconds: number;
  readonly pipelineTransferSeconds: number;
  readonly pipelineBubbleSeconds: number;
  readonly dataParallelSeconds: number;
  readonly optimizerSeconds: number;
}

export interface StepEstimate {
  readonly layout: Layout;
  readonly microBatches: number;
  readonly stepSeconds: number;
  readonly breakdown: StepBreakdown;
  /** Tokens per second over the cluster, in steady state (before goodput). */
  readonly tokensPerSecond: number;
  readonly tokensPerSecondPerGpu: number;
  /** Model FLOPs (causal attention, no recomputation) per second over the BF16 dense peak (PaLM App. B; DeepSeek's convention). */
  readonly mfu: number;
  /** The same with non-causal attention FLOPs (Meta's and Megatron's convention). */
  readonly mfuNonCausal: number;
  /** FLOPs executed, recomputation included, over the BF16 dense peak. */
  readonly hfu: number;
  /** The share of the step the GPUs spend in matrix and memory-bound compute. */
  readonly computeShare: number;
  readonly memory: MemoryBreakdown;
}

/**
 * Predict one training step on the busiest pipeline stage, in the spirit of
 * Calculon (Isaev et al. SC'23) and Megatron's analysis (Narayanan et al.
 * 2021): per micro-batch, forward and backward compute at the chip's
 * achievable matmul rate plus memory-bound traffic at HBM speed, the
 * collectives of each parallel dimension on the link they cross, the
 * pipeline bubble of the schedule, the data-parallel gradient exchange,
 * and the optimizer update. Communication hides behind compute where the
 * schedule overlaps it (DualPipe for EP and PP; the last backward for DP).
 */
export function predictStep(
  profile: ModelProfile,
  setup: TrainingSetup,
  layout: Layout,
  rates: ChipRates,
  // The layout's memory, when the caller already has it (the search checks the fit first).
  memory: MemoryBreakdown = memoryPerGpu(profile, setup, layout, rates),
): StepEstimate {
  const {tp, pp, ep, cp} = layout;
  const m = microBatches(setup, layout);
  const share = stageFraction(profile, layout);
  const tokens = (layout.microBatchSize * setup.seqLen) / cp;
  const gemmRate = rates.gemmFlopsPerSecond[setup.gemmPrecision] ?? (rates.gemmFlopsPerSecond.bf16 as number);

  // Forward compute per micro-batch on one GPU of the stage. Experts are split over the TP ranks too
  // (Megatron-Core's expert tensor parallelism defaults to tp). Each GEMM is bound by its FLOPs or by
  // reading its weights, whichever is slower (a roofline): few tokens per expert make expert GEMMs
  // memory-bound, which is why expert parallelism pays. Backward also accumulates FP32 weight
  // gradients (read and write, 8 bytes per parameter per micro-batch, Megatron's main_grad).
  const weightBytes = setup.gemmPrecision === 'fp8' ? 1 : 2;
  const gemm = (flops: number, params: number) => ({
    forward: Math.max(flops / gemmRate, (params * weightBytes) / rates.hbmBytesPerSecond),
    backward: Math.max((2 * flops) / gemmRate, (params * (weightBytes + 8)) / rates.hbmBytesPerSecond),
  });
  const dense = gemm(
    (tokens * share * (profile.denseGemmFlops + profile.mtpGemmFlops)) / tp,
    (profile.denseGemmFlops / 2) * (share / tp),
  );
  const experts = gemm(
    (tokens * share * profile.expertGemmFlops) / tp,
    profile.experts > 0 ? (profile.expertParams * share) / (ep * tp) : 0,
  );
  const gemmSeconds = dense.forward + experts.forward;
  const gemmBackwardSeconds = dense.backward + experts.backward;
  // FlashAttention skips the masked half under a causal mask; each CP rank attends over the whole sequence.
  const attentionFlops = (tokens * share * profile.attentionFlopsPerContextToken * setup.seqLen * 0.5) / tp;
  const attentionSeconds = attentionFlops / rates.attentionFlopsPerSecond;
  const scoreTraffic = setup.flashAttention
    ? 0
    : tokens * share * profile.heads * setup.seqLen * 2 * 3 * profile.layers;
  const sequenceTraffic = (tokens * share * profile.sequenceElementwiseBytes) / (setup.sequenceParallel ? tp : 1);
  const elementwiseSeconds =
    ((tokens * share * profile.elementwiseBytes + scoreTraffic) / tp + sequenceTraffic) / rates.hbmBytesPerSecond;
  const forward = gemmSeconds + attentionSeconds + elementwiseSeconds;
  // Backward: twice the GEMM work (input and weight gradients), 2.5× for attention (FlashAttention-2 §3), twice the traffic.
  const weightGradient = gemmBackwardSeconds / 2;
  const backward = gemmBackwardSeconds + 2.5 * attentionSeconds + 2 * elementwiseSeconds;
  // Selective recomputation redoes the memory-bound operations (and, without FlashAttention, the attention core).
  const recompute =
    layout.recompute === 'full'
      ? forward
      : layout.recompute === 'selective'
        ? elementwiseSeconds + (setup.flashAttention ? 0 : attentionSeconds)
        : 0;
  const computePerMicroBatch = forward + backward + recompute;

  // Tensor parallel: 2 all-reduces forward and 2 backward per layer (Megatron), one more pair to recompute.
  const stageLayers = profile.layers * share;
  const tpLink = tp <= rates.domainGpus ? rates.scaleUpBytesPerSecond : rates.scaleOutBytesPerSecond;
  const tpCollectives = stageLayers * (4 + (layout.recompute === 'full' ? 2 : 0));
  const tpSeconds = tpCollectives * allReduceSeconds(tokens * profile.dModel * 2, tp, tpLink);

  // Context parallel: each layer gathers the other ranks' keys and values (forward) and reduces their gradients (backward), overlapped with attention.
  const cpLink = tp * cp <= rates.domainGpus ? rates.scaleUpBytesPerSecond : rates.scaleOutBytesPerSecond;
  const cpBytes = (tokens * profile.keyValueElements * 2 * stageLayers) / tp;
  const cpComm =
    cp > 1 ? allGatherSeconds(cpBytes * cp, cp, cpLink) + reduceScatterSeconds(cpBytes * cp, cp, cpLink) : 0;
  const cpSeconds = Math.max(0, cpComm - 3.5 * attentionSeconds);

  // Expert parallel all-to-all: dispatch (FP8 when training in FP8) and combine (BF16) forward, both in BF16 backward.
  const moeShare = profile.layers > 0 ? profile.moeLayers / profile.layers : 0;
  const epBytesPerCopy = profile.dModel * ((setup.gemmPrecision === 'fp8' ? 1 : 2) + 2 + 2 + 2);
  // With sequence parallelism each TP rank holds and dispatches its share of the micro-batch's tokens.
  const dispatchedTokens = setup.sequenceParallel ? tokens / tp : tokens;
  const epSecondsRaw =
    ep > 1
      ? dispatchedTokens *
        stageLayers *
        moeShare *
        expertTransferSecondsPerToken(profile, rates, layout.ep, layout.tp, epBytesPerCopy)
      : 0;

  // Pipeline point-to-point: each micro-batch's activations forward and their gradients backward.
  const ppSecondsRaw =
    pp > 1 ? (2 * tokens * profile.dModel * 2 * layout.virtualStages) / tp / rates.scaleOutBytesPerSecond : 0;

  // DualPipe overlaps EP and PP communication with the paired micro-batch's compute, at the cost of the SMs the transfers use.
  const overlapped = layout.schedule === 'dualpipe';
  const computeSlowdown = overlapped && epSecondsRaw > 0 ? 1 / (1 - OVERLAP_SM_SHARE) : 1;
  const compute = computePerMicroBatch * computeSlowdown;
  const ppExposed = overlapped ? 0 : ppSecondsRaw;

  // ZeRO-3 gathers the stage's weights before its forward and again before its backward, prefetched under compute.
  const denseLocal = ((profile.denseParams + profile.parameters.embeddingParams) * share) / tp;
  const expertLocal = profile.experts > 0 ? (profile.expertParams * share) / (ep * tp) : 0;
  const dpGroup = layout.dp * cp;
  const expertGroup = (layout.dp * cp) / ep;
  const dpLink =
    tp * pp * cp >= rates.domainGpus || dpGroup > rates.domainGpus
      ? rates.scaleOutBytesPerSecond
      : rates.scaleUpBytesPerSecond;
  const zero3Gathers =
    layout.zero === 3
      ? 2 * (allGatherSeconds(denseLocal * 2, dpGroup, dpLink) + allGatherSeconds(expertLocal * 2, expertGroup, dpLink))
      : 0;
  // Transfers that hide behind the same compute queue on the same links: what exceeds the compute is
  // exposed, shared between the expert all-to-all (when DualPipe overlaps it) and the weight gathers.
  const hideable = (overlapped ? epSecondsRaw : 0) + zero3Gathers;
  const exposedHideable = Math.max(0, hideable - compute);
  const epExposed = overlapped ? (hideable > 0 ? (exposedHideable * epSecondsRaw) / hideable : 0) : epSecondsRaw;
  const zero3Exposed = hideable > 0 ? (exposedHideable * zero3Gathers) / hideable : 0;
  const perMicroBatch = compute + tpSeconds + cpSeconds + epExposed + ppExposed + zero3Exposed;
  // DualPipe pairs a forward with another micro-batch's backward only in its steady state: about p
  // micro-batches run their forward alone while the pipeline fills and their backward alone while it
  // drains, with their transfers exposed and all SMs computing (DeepSeek ISCA'25 Table 4 times these
  // phases apart: 1F 1.13 s and 1B 1.99 s beside 13.95 s of paired 1F1B).
  const unpaired = overlapped ? Math.min(m, pp) : 0;
  const paired = m - unpaired;

  // Pipeline bubble by schedule (Narayanan et al. 2021 §2.2; DeepSeek-V3 Table 2). F, B and W per micro-batch.
  const fScaled = forward * computeSlowdown;
  const bScaled = (backward + recompute) * computeSlowdown;
  const wScaled = weightGradient * computeSlowdown;
  const bubble = pipelineBubble(layout, perMicroBatch, fScaled, bScaled, wScaled);

  // Data parallel: reduce-scatter the gradients and all-gather the weights (ZeRO-1/2), or all-reduce (ZeRO-0): 2Ψ per step.
  const gradientExchange = (params: number, group: number) =>
    layout.zero === 0
      ? allReduceSeconds(params * 2, group, dpLink)
      : reduceScatterSeconds(params * 2, group, dpLink) + allGatherSeconds(params * 2, group, dpLink);
  const dpRaw = gradientExchange(denseLocal, dpGroup) + gradientExchange(expertLocal, expertGroup);
  // Gradients of a layer can be reduced once its last backward is done, and weights gathered during the next
  // forward: the exchange hides behind one micro-batch (whatever bounds that micro-batch, compute or transfers).
  // The last micro-batch is an unpaired one under DualPipe (the drain), a paired one otherwise.
  // An unpaired micro-batch computes at full speed, so less of the weight gathers hides behind it.
  const zero3ExposedUnpaired = Math.max(0, zero3Gathers - computePerMicroBatch);
  const lastMicroBatch =
    unpaired > 0
      ? computePerMicroBatch + tpSeconds + cpSeconds + epSecondsRaw + ppSecondsRaw + zero3ExposedUnpaired
      : perMicroBatch;
  const dpWindow = setup.overlapDataParallel ? lastMicroBatch : 0;
  const dpSeconds = Math.max(0, dpRaw - dpWindow);

  // Optimizer: a memory-bound sweep over the locally owned parameters.
  const ownedParams = layout.zero >= 1 ? denseLocal / dpGroup + expertLocal / expertGroup : denseLocal + expertLocal;
  const optimizerSeconds = (ownedParams * optimizerBytesPerParam(setup.momentBytes)) / rates.hbmBytesPerSecond;

  const breakdown: StepBreakdown = {
    computeSeconds: paired * compute + unpaired * computePerMicroBatch,
    tensorParallelSeconds: m * tpSeconds,
    contextParallelSeconds: m * cpSeconds,
    expertParallelSeconds: paired * epExposed + unpaired * epSecondsRaw,
    pipelineTransferSeconds: paired * ppExposed + unpaired * ppSecondsRaw,
    pipelineBubbleSeconds: bubble,
    dataParallelSeconds: dpSeconds + paired * zero3Exposed + unpaired * zero3ExposedUnpaired,
    optimizerSeconds,
  };
  // The parts in their order above, added left to right from 0 as a reduce over them would.
  const stepSeconds =
    0 +
    breakdown.computeSeconds +
    breakdown.tensorParallelSeconds +
    breakdown.contextParallelSeconds +
    breakdown.expertParallelSeconds +
    breakdown.pipelineTransferSeconds +
    breakdown.pipelineBubbleSeconds +
    breakdown.dataParallelSeconds +
    breakdown.optimizerSeconds;
  const tokensPerSecond = setup.globalBatchTokens / stepSeconds;
  const peak = setup.gpus * rates.peakBf16FlopsPerSecond;
  const matmulFlopsPerToken = 3 * (profile.denseGemmFlops + profile.expertGemmFlops);
  const attentionNonCausal = 3 * profile.attentionFlopsPerContextToken * setup.seqLen;
  const executedPerToken =
    matmulFlopsPerToken +
    3 * profile.mtpGemmFlops +
    attentionNonCausal / 2 +
    (layout.recompute === 'full'
      ? matmulFlopsPerToken / 3 + profile.mtpGemmFlops + attentionNonCausal / 6
      : layout.recompute === 'selective' && !setup.flashAttention
        ? attentionNonCausal / 6
        : 0);
  return {
    layout,
    microBatches: m,
    stepSeconds,
    breakdown,
    tokensPerSecond,
    tokensPerSecondPerGpu: tokensPerSecond / setup.gpus,
    mfu: (tokensPerSecond * (matmulFlopsPerToken + attentionNonCausal / 2)) / peak,
    mfuNonCausal: (tokensPerSecond * (matmulFlopsPerToken + attentionNonCausal)) / peak,
    hfu: (tokensPerSecond * executedPerToken) / peak,
    computeShare: breakdown.computeSeconds / stepSeconds,
    memory,
  };
}

/**
 * Idle time of the busiest stage over a step (Narayanan et al. 2021 §2.2;
 * DeepSeek-V3 Table 2), with `chunk` one micro-batch's forward and backward
 * as the stage runs it (transfers included) and F, B, W its forward,
 * backward and weight-gradient compute: 1F1B (p−1)·chunk; interleaved
 * (p−1)·chunk/v; zero-bubble (p−1)(F+B−2W); DualPipe (p/2−1)(F&B+B−3W)
 * with an overlapped forward–backward pair F&B taking F+B. The last two
 * fill bubbles with deferred weight-gradient compute, so their formulas
 * are in compute terms (exposed transfers are already counted per
 * micro-batch).
 */
export function pipelineBubble(
  layout: Layout,
  chunk: number,
  forward: number,
  backward: number,
  weight: number,
): number {
  const p = layout.pp;
  if (p <= 1) return 0;
  switch (layout.schedule) {
    case '1f1b':
      return (p - 1) * chunk;
    case 'interleaved':
      return ((p - 1) * chunk) / layout.virtualStages;
    case 'zero-bubble':
      return (p - 1) * Math.max(0, forward + backward - 2 * weight);
    case 'dualpipe':
      return (p / 2 - 1) * Math.max(0, forward + 2 * backward - 3 * weight);
  }
}
