import {allGatherSeconds, allReduceSeconds, reduceScatterSeconds} from '../collectives.js';
import {expertTransferSecondsPerToken} from '../expert-traffic.js';
import type {ChipRates} from '../chip-rates.js';
import {microBatches, type Layout, type TrainingSetup, type ZeroStage} from './layout.js';
import {memoryPerGpu, stageFraction, type MemoryBreakdown} from './memory.js';
import {atSequenceLength, type GemmKernel, type ModelProfile} from '../model-profile.js';
import {BYTES_PER_VALUE} from '../units.js';

/** Optimizer traffic per locally updated parameter: read master, gradient, two moments; write master, moments, weights. */
const optimizerBytesPerParam = (momentBytes: number) => 4 + 4 + 2 * momentBytes + 4 + 2 * momentBytes + 2;

/** Where a training step's time goes; the parts sum to `stepSeconds`. */
export interface StepBreakdown {
  /** Forward, backward and recomputation, and the GPU's wait for the host where its expert dispatch outlasts the experts' GEMMs (hostWaitSeconds). */
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
  /** The same with non-causal attention FLOPs (Megatron's Eq. 3, Narayanan et al. 2021). */
  readonly hfuNonCausal: number;
  /** The share of the step the GPUs spend in matrix and memory-bound compute. */
  readonly computeShare: number;
  /** The host's dispatch of the routed experts outlasts their GEMMs on the pacing stage: the GPU waits for it in every MoE layer (hostWaitSeconds). */
  readonly hostBound: boolean;
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
 * Each term is a function below; this composes them.
 */
export function predictStep(
  profile: ModelProfile,
  setup: TrainingSetup,
  layout: Layout,
  rates: ChipRates,
  // The layout's memory, when the caller already has it (the search checks the fit first).
  memory: MemoryBreakdown = memoryPerGpu(profile, setup, layout, rates),
): StepEstimate {
  // Sliding-window layers attend fewer keys than the sequence: their FLOPs at the setup's length, whoever
  // calls (the same profile back when the model has no windows or was taken at this length).
  profile = atSequenceLength(profile, setup.seqLen);
  // The slower of the stages that may set the pace (the last, with the head; the fullest other one).
  const [first, second] = pipelineStages(profile, setup, layout) as [StageSlice, StageSlice?];
  const [firstCompute, secondCompute] = computeTimesOfStages(profile, setup, layout, rates, first, second);
  // Each stage's terms on their own (stageTerms), then how the schedule overlaps them (breakdownOfStage).
  const m = microBatches(setup, layout);
  const firstTerms = stageTerms(profile, setup, layout, rates, first, firstCompute);
  const atFirst = breakdownOfStage(setup, layout, rates, first, firstCompute, firstTerms, m);
  let breakdown = atFirst;
  let stepSeconds = sumOfParts(atFirst);
  let pacing = firstCompute;
  if (second && secondCompute) {
    const secondTerms = stageTerms(profile, setup, layout, rates, second, secondCompute);
    const atSecond = breakdownOfStage(setup, layout, rates, second, secondCompute, secondTerms, m);
    const secondStepSeconds = sumOfParts(atSecond);
    if (secondStepSeconds > stepSeconds) {
      breakdown = atSecond;
      stepSeconds = secondStepSeconds;
      pacing = secondCompute;
    }
  }
  // The estimate of the stage that sets the pace (the other one's is not built).
  const hostBound = pacing.hostWaitSeconds > 0;
  const tokensPerSecond = setup.globalBatchTokens / stepSeconds;
  const utilisation = flopsUtilisation(profile, setup, layout, rates, tokensPerSecond);
  return {
    layout,
    microBatches: m,
    stepSeconds,
    breakdown,
    tokensPerSecond,
    tokensPerSecondPerGpu: tokensPerSecond / setup.gpus,
    mfu: utilisation.mfu,
    mfuNonCausal: utilisation.mfuNonCausal,
    hfu: utilisation.hfu,
    hfuNonCausal: utilisation.hfuNonCausal,
    computeShare: breakdown.computeSeconds / stepSeconds,
    hostBound,
    memory,
  };
}

/** Where the step's time goes as one pipeline stage runs it: `predictStep` takes the slowest stage. */
function breakdownOfStage(
  setup: TrainingSetup,
  layout: Layout,
  rates: ChipRates,
  stage: StageSlice,
  compute: ComputeTimes,
  terms: StageTerms,
  // The step's micro-batches (microBatches).
  m: number,
): StepBreakdown {
  const {
    tensorParallelSeconds: tpCommunication,
    contextParallelSeconds: cpSeconds,
    expertParallelSeconds: epSeconds,
    pipelineTransferSeconds: ppSeconds,
    dataParallelMicroBatchSeconds: dpMicro,
    stepExchangeSeconds: dpStep,
    optimizerSeconds: optimizer,
  } = terms;

  // (Optional flags are read for truth, not compared: V8 compares undefined with a boolean by a slow generic call.)
  const tpWindow = setup.overlapTensorParallel ? compute.tensorParallelWindowSeconds : 0;
  const tpSeconds = exposedTensorParallelSeconds(
    tpCommunication,
    tpWindow,
    rates.constants.tensorParallelOverlapSmShare,
  );
  // Compute that already hides TP collectives hides nothing else: the window is counted once.
  const tpHidden = Math.min(tpCommunication, tpWindow);
  const overlapDp = setup.overlapDataParallel;
  const overlap = pairedMicroBatch(
    layout,
    rates.constants.overlapSmShare,
    compute.microBatchSeconds,
    epSeconds,
    ppSeconds,
    overlapDp ? Math.max(0, dpMicro - tpSeconds) : 0,
    tpHidden,
  );
  const dpPaired = overlapDp ? overlap.dataParallelSeconds : dpMicro;
  const perMicroBatch =
    overlap.computeSeconds +
    tpSeconds +
    cpSeconds +
    overlap.expertParallelSeconds +
    overlap.pipelineTransferSeconds +
    dpPaired;
  // DualPipe pairs a forward with another micro-batch's backward only in its steady state: the micro-batches
  // of its fill and drain run their forward alone and their backward alone, with their transfers exposed and
  // all SMs computing (DeepSeek ISCA'25 Table 4 times these phases apart: 1F 1.13 s and 1B 1.99 s beside
  // 13.95 s of paired 1F1B). How many depends on the rank (dualPipeUnpairedMicroBatches): the stage with the
  // head sits on a rank that also holds the first stage, the schedule's edge (half-rank 0); the other ranks
  // hold as many layers each, and the busiest of them is the edge's neighbour (half-rank 1).
  const unpaired =
    layout.schedule === 'dualpipe' ? dualPipeUnpairedMicroBatches(layout.pp, m, stage.headShare > 0 ? 0 : 1) : 0;
  const paired = m - unpaired;
  const bubble = pipelineBubble(
    layout,
    perMicroBatch,
    compute.forwardSeconds * overlap.computeSlowdown,
    (compute.backwardSeconds + compute.recomputeSeconds) * overlap.computeSlowdown,
    compute.weightGradientSeconds * overlap.computeSlowdown,
    m,
  );
  // The data-parallel link works while the micro-batch computes and while its tensor-parallel collectives
  // run exposed on the scale-up link: both are the micro-batch's window.
  const dpUnpaired = exposedBeyond(overlapDp, dpMicro, compute.microBatchSeconds + tpSeconds);
  // The last micro-batch (an unpaired one under DualPipe, the drain) hides the step's exchange in the
  // window its own link work leaves.
  const lastWindow = (unpaired > 0 ? compute.microBatchSeconds : overlap.computeSeconds) + tpSeconds;
  const lastOwn = unpaired > 0 ? dpUnpaired : exposedBeyond(overlapDp, dpMicro, lastWindow);
  const dpStepExposed = exposedBeyond(overlapDp, dpMicro + dpStep, lastWindow) - lastOwn;

  const onGpu: StepBreakdown = {
    computeSeconds: paired * overlap.computeSeconds + unpaired * compute.microBatchSeconds,
    tensorParallelSeconds: m * tpSeconds,
    contextParallelSeconds: m * cpSeconds,
    expertParallelSeconds: paired * overlap.expertParallelSeconds + unpaired * epSeconds,
    pipelineTransferSeconds: paired * overlap.pipelineTransferSeconds + unpaired * ppSeconds,
    pipelineBubbleSeconds: bubble,
    // An overlapped data-parallel link also works while the stage idles in the pipeline bubble
    // (prefetching ZeRO-3 gathers, reducing gradients already final): what the bubble holds is hidden.
    dataParallelSeconds: exposedBeyond(overlapDp, paired * dpPaired + unpaired * dpUnpaired + dpStepExposed, bubble),
    optimizerSeconds: optimizer,
  };
  return onGpu;
}

/** The terms of one micro-batch and of the step on one pipeline stage, each on its own, before any overlap (breakdownOfStage). */
interface StageTerms {
  readonly tensorParallelSeconds: number;
  readonly contextParallelSeconds: number;
  readonly expertParallelSeconds: number;
  readonly pipelineTransferSeconds: number;
  /** The data-parallel link's work per micro-batch (dataParallelMicroBatchSeconds). */
  readonly dataParallelMicroBatchSeconds: number;
  /** The data-parallel link's work once per step (stepExchangeSeconds). */
  readonly stepExchangeSeconds: number;
  readonly optimizerSeconds: number;
}

/**
 * The stage's terms (StageTerms), which predictStep passes to
 * breakdownOfStage. (Apart for speed: V8 inlines callees into a function up
 * to a budget of bytecode, and with the terms called inside
 * breakdownOfStage it inlined some of them on some runs and the overlap's
 * functions, which return several numbers, on others: estimates per second
 * varied by about 12% from run to run.)
 */
function stageTerms(
  profile: ModelProfile,
  setup: TrainingSetup,
  layout: Layout,
  rates: ChipRates,
  stage: StageSlice,
  compute: ComputeTimes,
): StageTerms {
  const groups = dataParallelGroups(profile, layout, rates, stage);
  return {
    tensorParallelSeconds: tensorParallelSeconds(profile, layout, rates, stage),
    contextParallelSeconds: contextParallelSeconds(
      profile,
      layout,
      rates,
      stage,
      (setup.overlapContextParallel ?? true) ? compute.attentionSeconds : 0,
    ),
    expertParallelSeconds: expertParallelSeconds(profile, setup, layout, rates, stage),
    pipelineTransferSeconds: pipelineTransferSeconds(profile, layout, rates, stage),
    // The data-parallel link's work: per micro-batch (ZeRO-3's weight gathers, the gradient reduce-scatter of
    // sharded gradients) and once per step (the exchange of what each GPU still holds whole). It hides behind
    // compute only when the run overlaps it, and the last micro-batch's window is shared by both: the link
    // is counted once (breakdownOfStage).
    dataParallelMicroBatchSeconds: dataParallelMicroBatchSeconds(layout, groups),
    stepExchangeSeconds: stepExchangeSeconds(layout, groups),
    optimizerSeconds: optimizerSeconds(setup, layout, rates, groups),
  };
}

/** Work on a link that an overlapped run hides behind a window: what exceeds it; all of it when not overlapped. */
function exposedBeyond(overlapped: boolean, workSeconds: number, windowSeconds: number): number {
  return overlapped ? Math.max(0, workSeconds - windowSeconds) : workSeconds;
}

/**
 * Micro-batches a DualPipe rank runs unpaired: each one's forward alone and
 * its backward alone, not overlapped with another's. From the schedule of
 * deepseek-ai/DualPipe (dualpipe/dualpipe.py, `DualPipe.step`): with
 * h = p/2 and the rank's half-rank i = min(r, p − 1 − r), steps 1 to 3 run
 * 2(h − i − 1) + 2(i + 1) + (h − i − 1) = 3h − i − 1 forwards alone (the
 * fill), steps 3 and 5 to 7 as many backwards (the drain), and steps 4 and 5
 * pair the other m − (3h − i − 1) forwards with backwards. The ranks at the
 * edges (i = 0, holding the first and the last stage) run 3p/2 − 1 unpaired,
 * the middle ones p; never more than the step's micro-batches.
 */
export function dualPipeUnpairedMicroBatches(pp: number, microBatches: number, halfRank: number): number {
  const half = pp / 2;
  const i = Math.min(Math.max(0, halfRank), half - 1);
  return Math.min(microBatches, 3 * half - i - 1);
}

/** What one GPU of the busiest pipeline stage holds of a micro-batch and of the model. */
export interface StageSlice {
  /** Tokens of a micro-batch on one context-parallel rank. */
  readonly tokens: number;
  /** The stage's share of the model's layers (the largest, with uneven stages). */
  readonly share: number;
  /** Layers on the stage: the model's layers times its share. */
  readonly layers: number;
  /**
   * How much of the once-per-model kernels (the output head, the multi-token
   * prediction modules) the stage runs per micro-batch: all of them on the
   * last stage, none elsewhere, half under DualPipe (the last stage has two
   * holders, one per direction, each running half the micro-batches).
   */
  readonly headShare: number;
  /**
   * MoE layers on the stage. A model's dense layers come first (DeepSeek-V3
   * §4.2: the first three; the `dense_layers` of its record), so they sit on
   * the first stage and the busiest stage past it holds MoE layers only.
   */
  readonly moeLayers: number;
}

/**
 * The pipeline rank that sets the pace: the one whose micro-batch takes
 * longest (timed with `rates` when given, else weighed by forward FLOPs;
 * `predictStep` compares whole steps).
 * The output head and the multi-token prediction modules run on the last
 * stage (Megatron-LM's post_process stage, Narayanan et al. 2021;
 * DeepSpeed's last pipeline stage), so with layers split evenly that stage
 * carries them on top of its layers. When stages may be uneven, the
 * framework balances them (Llama 3 Herd §3.3.2 takes a layer off the first
 * and last stages; Megatron-Core's `pipeline_model_parallel_layout` gives
 * the last stage fewer layers): the last stage takes the number of layers
 * that makes the busiest rank least busy by forward FLOPs per token, the
 * others share the rest, and the slower of the last stage and the fullest
 * other one sets the pace.
 */
export function busiestStage(
  profile: ModelProfile,
  setup: TrainingSetup,
  layout: Layout,
  rates?: ChipRates,
): StageSlice {
  const candidates = pipelineStages(profile, setup, layout);
  const [first, second] = candidates;
  if (!second) return first as StageSlice;
  if (rates) {
    const [atFirst, atSecond] = computeTimesOfStages(profile, setup, layout, rates, first as StageSlice, second);
    return (atSecond as ComputeTimes).microBatchSeconds > atFirst.microBatchSeconds ? second : (first as StageSlice);
  }
  return stageForwardFlops(profile, setup, second) > stageForwardFlops(profile, setup, first as StageSlice)
    ? second
    : (first as StageSlice);
}

/** Forward FLOPs per token of a stage: its layers' GEMMs and causal attention, and its share of the head. */
function stageForwardFlops(profile: ModelProfile, setup: TrainingSetup, stage: StageSlice): number {
  const attention = profile.attentionFlopsPerContextToken * setup.seqLen * 0.5;
  return (attention + profile.layerGemmFlops) * stage.share + profile.onceGemmFlops * stage.headShare;
}

/** The stages that may set the pace: the last (with the head), and the fullest other one when stages are uneven. */
export function pipelineStages(profile: ModelProfile, setup: TrainingSetup, layout: Layout): StageSlice[] {
  const tokens = (layout.microBatchSize * setup.seqLen) / layout.cp;
  const layers = profile.layers;
  const p = layout.pp;
  if (p <= 1) return [{tokens, share: 1, layers, headShare: 1, moeLayers: profile.moeLayers}];
  const halved = layout.schedule === 'dualpipe' ? 0.5 : 1;
  if (!layout.unevenStages) {
    const share = stageFraction(profile, layout);
    const stageLayers = layers * share;
    // The last stage; under DualPipe its rank holds the first stage too (the mean of the two).
    const moeLayers =
      layout.schedule === 'dualpipe'
        ? (moeLayersOfLast(profile, stageLayers) + moeLayersOfFirst(profile, stageLayers)) / 2
        : moeLayersOfLast(profile, stageLayers);
    return [{tokens, share, layers: stageLayers, headShare: halved, moeLayers}];
  }
  const perLayer = (profile.attentionFlopsPerContextToken * setup.seqLen * 0.5 + profile.layerGemmFlops) / layers;
  const head = profile.onceGemmFlops;
  // DualPipe puts stage r and stage p − 1 − r on one rank and runs each for half the micro-batches
  // (DeepSeek-V3 §3.2.1): a rank's work per micro-batch is the mean of its two stages. The rank holding
  // the last stage holds the first too; with p = 2 every rank holds both. The rank with the head runs
  // `halved` of it per micro-batch.
  const dualPipe = layout.schedule === 'dualpipe';
  let bestLoad = Number.POSITIVE_INFINITY;
  let bestLast = 0;
  let bestOthers = Math.ceil(layers / (p - 1));
  for (let last = 0; last <= Math.ceil(layers / p); last++) {
    const others = Math.ceil((layers - last) / (p - 1));
    const headLoad = headRankLayers(dualPipe, last, others) * perLayer + head * halved;
    const load = dualPipe && p === 2 ? headLoad : Math.max(headLoad, others * perLayer);
    if (load < bestLoad) {
      bestLoad = load;
      bestLast = last;
      bestOthers = others;
    }
  }
  const withHead = headRankLayers(dualPipe, bestLast, bestOthers);
  const headStage = {
    tokens,
    share: withHead / layers,
    layers: withHead,
    headShare: halved,
    moeLayers: dualPipe
      ? (moeLayersOfLast(profile, bestLast) + moeLayersOfFirst(profile, bestOthers)) / 2
      : moeLayersOfLast(profile, bestLast),
  };
  if (dualPipe && p === 2) return [headStage];
  // The fullest other stage: past the first (all MoE layers) once there are three stages; with two, the first.
  const othersMoe = p === 2 ? moeLayersOfFirst(profile, bestOthers) : moeLayersOfLast(profile, bestOthers);
  return [headStage, {tokens, share: bestOthers / layers, layers: bestOthers, headShare: 0, moeLayers: othersMoe}];
}

/** Layers per micro-batch on the rank holding the last stage: under DualPipe, the mean of its two stages (the last and the first). */
function headRankLayers(dualPipe: boolean, last: number, others: number): number {
  return dualPipe ? (last + others) / 2 : last;
}

/** The MoE layers of a stage holding the model's last `count` layers (a model's dense layers come first). */
function moeLayersOfLast(profile: ModelProfile, count: number): number {
  return Math.min(count, profile.moeLayers);
}

/** The MoE layers of a stage holding the model's first `count` layers. */
function moeLayersOfFirst(profile: ModelProfile, count: number): number {
  return Math.max(0, count - (profile.layers - profile.moeLayers));
}

/** One micro-batch's compute on one GPU of the stage, by phase. */
export interface ComputeTimes {
  readonly forwardSeconds: number;
  /** Input and weight gradients. */
  readonly backwardSeconds: number;
  /** The backward's weight-gradient GEMMs (what zero-bubble schedules defer). */
  readonly weightGradientSeconds: number;
  /** The forward work recomputation redoes before the backward. */
  readonly recomputeSeconds: number;
  /** The forward attention core (context-parallel transfers hide behind it). */
  readonly attentionSeconds: number;
  /** Forward, backward and recomputation. */
  readonly microBatchSeconds: number;
  /** The GEMMs outside the routed experts, forward, backward and recomputed: what overlapped TP collectives hide behind. */
  readonly tensorParallelWindowSeconds: number;
  /**
   * The GPU's wait, forward and backward, for the host to dispatch the routed experts (hostWaitSeconds):
   * already part of the forward and backward above.
   */
  readonly hostWaitSeconds: number;
}

/**
 * Compute of one micro-batch on one GPU of the stage. Experts are split
 * over the TP ranks too (Megatron-Core's expert tensor parallelism
 * defaults to tp). Each GEMM kernel takes its FLOPs at the achievable rate
 * plus a fixed overhead (so small GEMMs run far below the large-matrix
 * rate: model-constants.ts, gemmOverheadSeconds), or as long as reading
 * its weights, whichever is slower (a roofline, Williams et al. 2009): few
 * tokens per expert make expert GEMMs memory-bound, which is why expert
 * parallelism pays. Backward also accumulates FP32 weight gradients (read
 * and write, 8 bytes per parameter per micro-batch, Megatron's main_grad).
 * Attention runs at the FlashAttention rate, memory-bound operations at
 * HBM speed.
 */
export function computeTimes(
  profile: ModelProfile,
  setup: TrainingSetup,
  layout: Layout,
  rates: ChipRates,
  stage: StageSlice,
): ComputeTimes {
  return computeTimesOfStages(profile, setup, layout, rates, stage, undefined)[0];
}

/**
 * `computeTimes` of one stage, or of two at once (predictStep compares two):
 * each GEMM kernel takes as long on either stage (they hold the same
 * tokens), so it is timed once, and each stage sums what it runs of it.
 */
export function computeTimesOfStages(
  profile: ModelProfile,
  setup: TrainingSetup,
  layout: Layout,
  rates: ChipRates,
  first: StageSlice,
  second: StageSlice | undefined,
): [ComputeTimes, ComputeTimes | undefined] {
  const {tokens} = first;
  const {tp, ep} = layout;
  const gemmRate = rates.gemmFlopsPerSecond[setup.gemmPrecision] ?? (rates.gemmFlopsPerSecond.bf16 as number);
  const weightBytes = BYTES_PER_VALUE[setup.gemmPrecision];
  const overhead = rates.constants.gemmOverheadSeconds;
  const hbm = rates.hbmBytesPerSecond;
  const k = profile.routedExpertsPerToken;
  const localExperts = profile.experts / ep;
  // Each stage's sums over its kernels (see GemmSeconds), the first stage's and the second's.
  let gemmSeconds = 0;
  let gemmBackwardSeconds = 0;
  let weightGradientSeconds = 0;
  let denseGemmSeconds = 0;
  let denseForwardSeconds = 0;
  let headForwardSeconds = 0;
  let secondGemmSeconds = 0;
  let secondGemmBackwardSeconds = 0;
  let secondWeightGradientSeconds = 0;
  let secondDenseGemmSeconds = 0;
  let secondDenseForwardSeconds = 0;
  let secondHeadForwardSeconds = 0;
  for (const kernel of profile.gemms) {
    // Each kernel at the achievable rate plus its fixed overhead, or as long as reading its weights takes (a
    // roofline). A routed-expert kernel is grouped over the GPU's experts and the k copies of each token routed
    // to them (balanced routing).
    const flops = (2 * (kernel.expert ? tokens * k : tokens) * kernel.params) / tp;
    // A GPU holds its local experts split over etp ranks (whole with etp 1), the rest split over tp; the FLOPs
    // per GPU are the same either way (with etp < tp each GPU runs whole experts on its own share of the tokens).
    const weights = kernel.expert ? (localExperts * kernel.params) / layout.etp : kernel.params / tp;
    const compute = flops / gemmRate + overhead * (kernel.expert ? localExperts : 1);
    const forward = Math.max(compute, (weights * weightBytes) / hbm);
    // Backward: the input gradient (reads the weights) and the weight gradient (accumulates FP32 gradients,
    // read and written: 8 bytes per weight, Megatron's main_grad), each as much work as the forward.
    const weightGradient = Math.max(compute, (weights * 8) / hbm);
    // The stage runs `kernelsOnStage` of them per micro-batch.
    const count = kernelsOnStage(kernel, first);
    gemmSeconds += count * forward;
    // The head and the multi-token prediction modules sit outside the transformer layers recomputation redoes.
    if (kernel.once === true) headForwardSeconds += count * forward;
    gemmBackwardSeconds += count * (forward + weightGradient);
    // What a zero-bubble schedule defers into the bubble: the weight-gradient GEMMs, as long as they take.
    weightGradientSeconds += count * weightGradient;
    if (!kernel.expert) {
      denseGemmSeconds += count * (2 * forward + weightGradient);
      denseForwardSeconds += count * forward;
    }
    if (!second) continue;
    // The same sums for the second stage.
    const secondCount = kernelsOnStage(kernel, second);
    secondGemmSeconds += secondCount * forward;
    if (kernel.once === true) secondHeadForwardSeconds += secondCount * forward;
    secondGemmBackwardSeconds += secondCount * (forward + weightGradient);
    secondWeightGradientSeconds += secondCount * weightGradient;
    if (!kernel.expert) {
      secondDenseGemmSeconds += secondCount * (2 * forward + weightGradient);
      secondDenseForwardSeconds += secondCount * forward;
    }
  }
  return [
    stageComputeTimes(profile, setup, layout, rates, first, {
      forwardSeconds: gemmSeconds,
      backwardSeconds: gemmBackwardSeconds,
      weightGradientSeconds,
      denseSeconds: denseGemmSeconds,
      denseForwardSeconds,
      headForwardSeconds,
    }),
    second &&
      stageComputeTimes(profile, setup, layout, rates, second, {
        forwardSeconds: secondGemmSeconds,
        backwardSeconds: secondGemmBackwardSeconds,
        weightGradientSeconds: secondWeightGradientSeconds,
        denseSeconds: secondDenseGemmSeconds,
        denseForwardSeconds: secondDenseForwardSeconds,
        headForwardSeconds: secondHeadForwardSeconds,
      }),
  ];
}

/** How many of a GEMM kernel one micro-batch runs on the stage: `perModel × share`, by the layers that have it. */
function kernelsOnStage(kernel: GemmKernel, stage: StageSlice): number {
  // (A kernel of every layer is told first: V8 compares undefined with a string by a slow generic call.)
  return kernel.once === true
    ? stage.headShare
    : kernel.ffn === undefined
      ? kernel.perModel * stage.share
      : kernel.ffn === 'moe'
        ? stage.moeLayers
        : Math.max(0, stage.layers - stage.moeLayers);
}

/** A stage's GEMM kernels' time for one micro-batch, each kernel's time times how many of it the stage runs, summed in kernel order. */
interface GemmSeconds {
  readonly forwardSeconds: number;
  /** Input and weight gradients. */
  readonly backwardSeconds: number;
  readonly weightGradientSeconds: number;
  /** The GEMMs outside the routed experts, forward and backward: what overlapped TP collectives hide behind. */
  readonly denseSeconds: number;
  readonly denseForwardSeconds: number;
  /** The once-per-model kernels' forward (the head, the multi-token prediction modules). */
  readonly headForwardSeconds: number;
}

/** A stage's compute (computeTimes) from its GEMMs' time: attention and the memory-bound operations added, by phase. */
function stageComputeTimes(
  profile: ModelProfile,
  setup: TrainingSetup,
  layout: Layout,
  rates: ChipRates,
  stage: StageSlice,
  gemms: GemmSeconds,
): ComputeTimes {
  const {tokens, share} = stage;
  const {tp} = layout;
  const hbm = rates.hbmBytesPerSecond;
  // FlashAttention skips the masked half under a causal mask; each CP rank attends over the whole sequence.
  const attentionFlops = (tokens * share * profile.attentionFlopsPerContextToken * setup.seqLen * 0.5) / tp;
  const attentionSeconds = attentionFlops / rates.attentionFlopsPerSecond;
  // Without FlashAttention the whole score matrix (masked half included) goes through HBM, head by head.
  const scoreElements = setup.flashAttention
    ? 0
    : (tokens * share * profile.heads * setup.seqLen * profile.layers) / tp;
  const scoreForwardSeconds = (scoreElements * profile.scoreTrafficBytes.forward) / hbm;
  const scoreBackwardSeconds = (scoreElements * profile.scoreTrafficBytes.backward) / hbm;
  const sequenceTraffic = (tokens * share * profile.sequenceElementwiseBytes) / (setup.sequenceParallel ? tp : 1);
  const elementwiseSeconds =
    ((tokens * share * profile.elementwiseBytes) / tp + sequenceTraffic) / rates.hbmBytesPerSecond +
    scoreForwardSeconds;
  // The GPU's wait for the host's expert dispatch, by phase: a third in the forward (one GEMM per expert
  // weight), two thirds in the backward (the input- and the weight-gradient GEMMs).
  const hostWait = hostWaitSeconds(
    hostDispatchSeconds(profile, setup, layout, rates, stage),
    gemms.forwardSeconds + gemms.backwardSeconds - gemms.denseSeconds,
  );
  const forward = gemms.forwardSeconds + attentionSeconds + elementwiseSeconds + hostWait / 3;
  // Backward: twice the GEMM work (input and weight gradients), 2.5× for attention (FlashAttention-2 §3), twice the
  // elementwise traffic, and the score tensors' own backward traffic.
  const backward =
    gemms.backwardSeconds +
    rates.constants.attentionBackwardFactor * attentionSeconds +
    2 * (elementwiseSeconds - scoreForwardSeconds) +
    scoreBackwardSeconds +
    (2 * hostWait) / 3;
  // Selective recomputation redoes the memory-bound operations (and, without FlashAttention, the attention
  // core); full recomputation the whole forward of the transformer layers (Korthikanti et al. 2022), not the head.
  const recompute =
    layout.recompute === 'full'
      ? forward - gemms.headForwardSeconds
      : layout.recompute === 'selective'
        ? elementwiseSeconds + (setup.flashAttention ? 0 : attentionSeconds)
        : 0;
  return {
    forwardSeconds: forward,
    backwardSeconds: backward,
    weightGradientSeconds: gemms.weightGradientSeconds,
    recomputeSeconds: recompute,
    attentionSeconds,
    microBatchSeconds: forward + backward + recompute,
    // Full recomputation redoes the layers' dense GEMMs, not the head's (as `recompute` above).
    tensorParallelWindowSeconds:
      gemms.denseSeconds + (layout.recompute === 'full' ? gemms.denseForwardSeconds - gemms.headForwardSeconds : 0),
    hostWaitSeconds: hostWait + (layout.recompute === 'full' ? hostWait / 3 : 0),
  };
}

/**
 * How long the GPU waits, per micro-batch, for the host to dispatch the
 * routed experts: by how much the dispatch outlasts the experts' own GEMMs.
 * The host cannot run ahead across an MoE layer: the router's token counts
 * per expert go to the host before it can launch the layer's expert GEMMs
 * and all-to-alls, whose split sizes are host integers (a device-to-host
 * synchronisation each MoE layer; Megatron-Core's sync-free dispatch and
 * CUDA-graph-compatible dispatchers exist to remove it: its MoE docs, and
 * core.transformer.moe.token_dispatcher_inference, "keeping all metadata
 * GPU-resident to avoid host synchronizations"). So within each layer the
 * experts take the longer of their dispatch and their GPU work, while the
 * rest of the layer (attention, the dense GEMMs) cannot hide the dispatch.
 */
export function hostWaitSeconds(hostDispatchSecondsPerMicroBatch: number, routedExpertGemmSeconds: number): number {
  // No dispatch, no wait: a dense model's routed GEMM time is a difference of sums, zero only up to rounding.
  if (hostDispatchSecondsPerMicroBatch <= 0) return 0;
  return Math.max(0, hostDispatchSecondsPerMicroBatch - routedExpertGemmSeconds);
}

/**
 * Host time to dispatch one micro-batch's routed-expert work on one GPU of
 * the stage, forward and backward: a fitted time per local expert per MoE
 * layer (model-constants.ts, hostSecondsPerLocalExpert), none when CUDA
 * graphs replay the whole step. Megatron-Core's grouped expert GEMMs still
 * split, quantise and launch per expert from Python; CUDA graphs remove
 * that (Megatron-Bridge docs, training/cuda-graphs: they "mainly solve
 * launch-bound training steps where GPU compute is fast enough that
 * repeated host-driver submission overhead becomes noticeable").
 */
export function hostDispatchSeconds(
  profile: ModelProfile,
  setup: TrainingSetup,
  layout: Layout,
  rates: ChipRates,
  stage: StageSlice,
): number {
  const graphs = setup.cudaGraphs ?? 'none';
  if (graphs === 'full' || profile.experts === 0) return 0;
  const {hostSecondsPerLocalExpert, hostSecondsPerUngraphedMoeLayer} = rates.constants;
  const perLayer = graphs === 'none' ? hostSecondsPerUngraphedMoeLayer : 0;
  return stage.moeLayers * (perLayer + (profile.experts / layout.ep) * hostSecondsPerLocalExpert);
}

/** A step's parts in the order of StepBreakdown, added left to right from 0 as a reduce over them would. */
function sumOfParts(parts: StepBreakdown): number {
  return (
    0 +
    parts.computeSeconds +
    parts.tensorParallelSeconds +
    parts.contextParallelSeconds +
    parts.expertParallelSeconds +
    parts.pipelineTransferSeconds +
    parts.pipelineBubbleSeconds +
    parts.dataParallelSeconds +
    parts.optimizerSeconds
  );
}

/**
 * Tensor-parallel communication a micro-batch exposes. Without overlap,
 * all of it. Overlapped (Transformer Engine's userbuffers: each all-gather
 * and reduce-scatter split into chunks that run beside the GEMM they feed
 * or follow), what exceeds the GEMMs' time stays exposed, and the overlapped
 * part still costs the share of the GPU its kernels take (Calculon's
 * `processor_usage`): the GEMMs run on the rest, so they take
 * share/(1 − share) longer while it runs. Never less than without overlap's
 * cost share, never more than without overlap.
 */
export function exposedTensorParallelSeconds(
  communicationSeconds: number,
  windowSeconds: number,
  smShare: number,
): number {
  if (windowSeconds <= 0) return communicationSeconds;
  const hidden = Math.min(communicationSeconds, windowSeconds);
  return Math.min(communicationSeconds, communicationSeconds - hidden + (hidden * smShare) / (1 - smShare));
}

/**
 * Tensor-parallel all-reduces of one micro-batch: 2 forward and 2 backward
 * per layer of the activations (Megatron-LM, Shoeybi et al. 2019 §3), one
 * more pair to recompute the forward under full recomputation, on the
 * scale-up link while the TP group fits in its domain.
 */
export function tensorParallelSeconds(
  profile: ModelProfile,
  layout: Layout,
  rates: ChipRates,
  stage: StageSlice,
): number {
  const {tp} = layout;
  const link = tp <= rates.domainGpus ? rates.scaleUpBytesPerSecond : rates.scaleOutBytesPerSecond;
  const collectives = stage.layers * (4 + (layout.recompute === 'full' ? 2 : 0));
  const latency = tp <= rates.domainGpus ? rates.scaleUpLatencySeconds : rates.scaleOutLatencySeconds;
  return collectives * allReduceSeconds(stage.tokens * profile.dModel * 2, tp, link, latency);
}

/**
 * Context-parallel exchange of one micro-batch: each layer gathers the
 * other ranks' keys and values (forward) and reduce-scatters their
 * gradients (backward), as Megatron-Core's ring attention does (Liu et al.
 * 2023), overlapped with the attention it feeds (3.5 times the forward
 * attention: 1 forward and 2.5 backward); what exceeds it is exposed. A run
 * that all-gathers K and V before attention instead (Llama 3 Herd §3.3.2:
 * "the all-gather communication latency is exposed in the critical path")
 * passes no attention time to hide behind.
 */
export function contextParallelSeconds(
  profile: ModelProfile,
  layout: Layout,
  rates: ChipRates,
  stage: StageSlice,
  attentionSeconds: number,
): number {
  const {tp, cp} = layout;
  const link = tp * cp <= rates.domainGpus ? rates.scaleUpBytesPerSecond : rates.scaleOutBytesPerSecond;
  const bytes = (stage.tokens * profile.keyValueElements * 2 * stage.layers) / tp;
  const seconds = cp > 1 ? allGatherSeconds(bytes * cp, cp, link) + reduceScatterSeconds(bytes * cp, cp, link) : 0;
  return Math.max(0, seconds - 3.5 * attentionSeconds);
}

/**
 * Expert-parallel all-to-all of one micro-batch, before any overlap:
 * dispatch (FP8 when training in FP8) and combine (BF16) forward, both in
 * BF16 backward (DeepSeek-V3 §3.2.2, §3.3), on the slower of the two links
 * (expertTransferSecondsPerToken). With sequence parallelism each TP rank
 * holds and dispatches its share of the micro-batch's tokens.
 */
export function expertParallelSeconds(
  profile: ModelProfile,
  setup: TrainingSetup,
  layout: Layout,
  rates: ChipRates,
  stage: StageSlice,
): number {
  if (layout.ep <= 1) return 0;
  const bytesPerCopy = profile.dModel * (BYTES_PER_VALUE[setup.gemmPrecision] + 2 + 2 + 2);
  const dispatchedTokens = setup.sequenceParallel ? stage.tokens / layout.tp : stage.tokens;
  return (
    dispatchedTokens *
    stage.moeLayers *
    expertTransferSecondsPerToken(profile, rates, layout.ep, layout.etp, bytesPerCopy)
  );
}

/**
 * Pipeline point-to-point transfers of one micro-batch, before any overlap:
 * its BF16 activations forward and their gradients backward, once per
 * model chunk the stage holds (Narayanan et al. 2021 §2.2), over the
 * scale-out link.
 */
export function pipelineTransferSeconds(
  profile: ModelProfile,
  layout: Layout,
  rates: ChipRates,
  stage: StageSlice,
): number {
  if (layout.pp <= 1) return 0;
  return (2 * stage.tokens * profile.dModel * 2 * layout.virtualStages) / layout.tp / rates.scaleOutBytesPerSecond;
}

/** The transfers of one micro-batch as the schedule exposes them (DualPipe pairs micro-batches). */
export interface PairedMicroBatch {
  /** Compute slowed by the SMs the overlapped transfers take. */
  readonly computeSeconds: number;
  readonly computeSlowdown: number;
  readonly expertParallelSeconds: number;
  readonly pipelineTransferSeconds: number;
  /** The data-parallel link's work of the micro-batch that its compute does not hide. */
  readonly dataParallelSeconds: number;
}

/**
 * How much of one micro-batch's transfers the schedule hides behind its
 * compute. DualPipe overlaps the EP and PP transfers with the paired
 * micro-batch's compute, at the cost of the SMs the transfers use (20 of
 * 132, DeepSeek-V3 §3.2.2). Transfers that hide behind the same compute
 * queue on the same links share what exceeds the compute: the expert
 * all-to-all (when DualPipe overlaps it) and the data-parallel link's work
 * of the micro-batch (`dataParallelSeconds`, zero when not overlapped).
 */
export function pairedMicroBatch(
  layout: Layout,
  smShare: number,
  computeSeconds: number,
  epSeconds: number,
  ppSeconds: number,
  dataParallelSeconds: number,
  /** Of `computeSeconds`, what already hides overlapped TP collectives: no window for these transfers. */
  takenSeconds = 0,
): PairedMicroBatch {
  const overlapped = layout.schedule === 'dualpipe';
  const computeSlowdown = overlapped && epSeconds > 0 ? 1 / (1 - smShare) : 1;
  const compute = computeSeconds * computeSlowdown;
  const hideable = (overlapped ? epSeconds : 0) + dataParallelSeconds;
  const exposedHideable = Math.max(0, hideable - Math.max(0, computeSeconds - takenSeconds) * computeSlowdown);
  return {
    computeSeconds: compute,
    computeSlowdown,
    expertParallelSeconds: overlapped ? (hideable > 0 ? (exposedHideable * epSeconds) / hideable : 0) : epSeconds,
    pipelineTransferSeconds: overlapped ? 0 : ppSeconds,
    dataParallelSeconds: hideable > 0 ? (exposedHideable * dataParallelSeconds) / hideable : 0,
  };
}

/** The parameters one GPU holds and the groups it exchanges them with. */
export interface DataParallelGroups {
  /** Dense parameters (embeddings included) of one copy of the stage on one TP rank. */
  readonly denseParams: number;
  /** Expert parameters of one copy of the stage on one EP and TP rank. */
  readonly expertParams: number;
  /** Copies of its stage each GPU holds: 2 under DualPipe (one per direction, DeepSeek-V3 Table 2), else 1. */
  readonly copies: number;
  /** Ranks holding the same dense parameters: data and context parallel, times the copies. */
  readonly denseGroup: number;
  /** Ranks holding the same experts: the expert-data-parallel group, tp·dp·cp / (ep·etp) per copy. */
  readonly expertGroup: number;
  /** The scale-out link once the group spans domains, else the scale-up link. */
  readonly linkBytesPerSecond: number;
  readonly latencySeconds: number;
}

export function dataParallelGroups(
  profile: ModelProfile,
  layout: Layout,
  rates: ChipRates,
  {share}: StageSlice,
): DataParallelGroups {
  const {tp, pp, ep, cp} = layout;
  // DualPipe runs each stage on two ranks of a pipeline (stage i and stage p−1−i share rank i): every
  // stage has twice the holders, and every GPU holds two stages (DeepSeek DualPipe README: 2× parameters).
  const copies = layout.schedule === 'dualpipe' ? 2 : 1;
  const denseGroup = layout.dp * cp * copies;
  const scaleOut = tp * pp * cp >= rates.domainGpus || layout.dp * cp > rates.domainGpus || copies > 1;
  return {
    denseParams: ((profile.denseParams + profile.parameters.embeddingParams) * share) / tp,
    expertParams: profile.experts > 0 ? (profile.expertParams * share) / (ep * layout.etp) : 0,
    copies,
    denseGroup,
    // The expert-data-parallel ranks: tp·dp·cp / (ep·etp) per copy (MoE parallel folding).
    expertGroup: (denseGroup * tp) / (ep * layout.etp),
    linkBytesPerSecond: scaleOut ? rates.scaleOutBytesPerSecond : rates.scaleUpBytesPerSecond,
    latencySeconds: scaleOut ? rates.scaleOutLatencySeconds : rates.scaleUpLatencySeconds,
  };
}

/**
 * ZeRO-3's weight gathers for one micro-batch, before any overlap: the
 * stage's BF16 weights before its forward and again before its backward
 * (Rajbhandari et al. 2020 §5.3), prefetched under compute.
 */
export function zero3GatherSeconds(layout: Layout, groups: DataParallelGroups): number {
  if (layout.zero !== 3) return 0;
  const {linkBytesPerSecond: link, latencySeconds: latency} = groups;
  return (
    2 *
    (allGatherSeconds(groups.denseParams * 2, groups.denseGroup, link, latency) +
      allGatherSeconds(groups.expertParams * 2, groups.expertGroup, link, latency))
  );
}

/**
 * The data-parallel link's work for one micro-batch: ZeRO-3's weight
 * gathers, and from ZeRO-2 on the reduce-scatter of its BF16 gradients:
 * sharded gradients cannot accumulate whole over micro-batches, so each
 * micro-batch's are reduced to their owners (DeepSpeed ZeRO-2 and -3
 * reduce every micro-step; keeping them whole is ZeRO-1's memory).
 */
export function dataParallelMicroBatchSeconds(layout: Layout, groups: DataParallelGroups): number {
  if (layout.zero < 2) return 0;
  const {linkBytesPerSecond: link, latencySeconds: latency} = groups;
  return (
    zero3GatherSeconds(layout, groups) +
    reduceScatterSeconds(groups.denseParams * 2, groups.denseGroup, link, latency) +
    reduceScatterSeconds(groups.expertParams * 2, groups.expertGroup, link, latency)
  );
}

/**
 * The data-parallel exchange once per step, of everything each GPU holds
 * whole: ZeRO-0 all-reduces the BF16 gradients; ZeRO-1 reduce-scatters
 * them and all-gathers the updated weights (2Ψ either way, Rajbhandari et
 * al. 2020 §7); ZeRO-2 only all-gathers the weights (its gradients were
 * reduced per micro-batch); ZeRO-3 nothing (its per-layer gathers fetch
 * the weights). Every copy of the stage a GPU holds is exchanged.
 */
export function stepExchangeSeconds(layout: Layout, groups: DataParallelGroups): number {
  const {linkBytesPerSecond: link, latencySeconds: latency, copies} = groups;
  return (
    copies *
    (exchangeSeconds(layout.zero, groups.denseParams, groups.denseGroup, link, latency) +
      exchangeSeconds(layout.zero, groups.expertParams, groups.expertGroup, link, latency))
  );
}

/** The step's exchange of `params` parameters over a group of `group` ranks, by ZeRO stage (stepExchangeSeconds). */
function exchangeSeconds(zero: ZeroStage, params: number, group: number, link: number, latency: number): number {
  switch (zero) {
    case 0:
      return allReduceSeconds(params * 2, group, link, latency);
    case 1:
      return (
        reduceScatterSeconds(params * 2, group, link, latency) + allGatherSeconds(params * 2, group, link, latency)
      );
    case 2:
      return allGatherSeconds(params * 2, group, link, latency);
    case 3:
      return 0;
  }
}

/**
 * The step's data-parallel exchange (stepExchangeSeconds) that a window of
 * `windowSeconds` does not hide: the exchange of a layer's gradients starts
 * once its last backward is done, and the weights gather during the next
 * forward (PyTorch DDP, Li et al. VLDB 2020; Megatron's overlapped
 * distributed optimizer).
 */
export function dataParallelSeconds(layout: Layout, groups: DataParallelGroups, windowSeconds: number): number {
  return Math.max(0, stepExchangeSeconds(layout, groups) - windowSeconds);
}

/**
 * The optimizer step: a memory-bound Adam sweep over the parameters the
 * GPU owns (all it holds, or its 1/N share from ZeRO-1 on), reading and
 * writing master weights, gradients and moments (optimizerBytesPerParam).
 */
export function optimizerSeconds(
  setup: TrainingSetup,
  layout: Layout,
  rates: ChipRates,
  groups: DataParallelGroups,
): number {
  // Every copy of the stage a GPU holds is updated.
  const {copies} = groups;
  const ownedParams =
    layout.zero >= 1
      ? (groups.denseParams * copies) / groups.denseGroup + (groups.expertParams * copies) / groups.expertGroup
      : groups.denseParams * copies + groups.expertParams * copies;
  return (ownedParams * optimizerBytesPerParam(setup.momentBytes)) / rates.hbmBytesPerSecond;
}

/**
 * Model FLOPs per second over the cluster's BF16 dense peak (PaLM, Chowdhery
 * et al. 2022, App. B): MFU with causal attention FLOPs (DeepSeek's
 * convention) and non-causal (Meta's and Megatron's), and HFU with the
 * FLOPs recomputation executes again.
 */
export function flopsUtilisation(
  profile: ModelProfile,
  setup: TrainingSetup,
  layout: Layout,
  rates: ChipRates,
  tokensPerSecond: number,
): {readonly mfu: number; readonly mfuNonCausal: number; readonly hfu: number; readonly hfuNonCausal: number} {
  const peak = setup.gpus * rates.peakBf16FlopsPerSecond;
  const matmulFlopsPerToken = 3 * (profile.denseGemmFlops + profile.expertGemmFlops);
  const attentionNonCausal = 3 * profile.attentionFlopsPerContextToken * setup.seqLen;
  // Full recomputation redoes the transformer layers' forward, not the head's nor the MTP modules'
  // (Megatron's Eq. 3 counts the logits 3 times, the layers 4: Narayanan et al. 2021).
  const headFlopsPerToken = profile.onceGemmFlops - profile.mtpGemmFlops;
  const executedPerToken =
    matmulFlopsPerToken +
    3 * profile.mtpGemmFlops +
    attentionNonCausal / 2 +
    (layout.recompute === 'full'
      ? matmulFlopsPerToken / 3 - headFlopsPerToken + attentionNonCausal / 6
      : layout.recompute === 'selective' && !setup.flashAttention
        ? attentionNonCausal / 6
        : 0);
  return {
    mfu: (tokensPerSecond * (matmulFlopsPerToken + attentionNonCausal / 2)) / peak,
    mfuNonCausal: (tokensPerSecond * (matmulFlopsPerToken + attentionNonCausal)) / peak,
    hfu: (tokensPerSecond * executedPerToken) / peak,
    // The masked half of the attention, counted too: forward and backward, and recomputed under full recomputation.
    hfuNonCausal:
      (tokensPerSecond *
        (executedPerToken + attentionNonCausal / 2 + (layout.recompute === 'full' ? attentionNonCausal / 6 : 0))) /
      peak,
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
 * micro-batch); they can defer no more than the step's `microBatches`
 * weight gradients, so with few micro-batches the bubble keeps what they
 * cannot fill (and a faster W never lengthens the step).
 */
export function pipelineBubble(
  layout: Layout,
  chunk: number,
  forward: number,
  backward: number,
  weight: number,
  microBatches = Number.POSITIVE_INFINITY,
): number {
  const p = layout.pp;
  if (p <= 1) return 0;
  switch (layout.schedule) {
    case '1f1b':
      return (p - 1) * chunk;
    case 'interleaved':
      return ((p - 1) * chunk) / layout.virtualStages;
    case 'zero-bubble':
      return Math.max(0, (p - 1) * (forward + backward) - Math.min(2 * (p - 1), microBatches) * weight);
    case 'dualpipe':
      return Math.max(0, (p / 2 - 1) * (forward + 2 * backward) - Math.min(3 * (p / 2 - 1), microBatches) * weight);
  }
}
