import type {Model} from '../data/schemas/model.js';
import {attentionShare, attentionWindows, type AttentionWindow} from './attention-window.js';
import {attentionHeadDims} from './flops.js';
import {attentionParams, countParameters, type ParameterCounts} from './parameters.js';

/**
 * Per-token costs of one forward pass, summed over the layers, in the units
 * the step-time model shards by parallelism. Computed once per model so a
 * step-time estimate is a few dozen arithmetic operations.
 */
export interface ModelProfile {
  readonly modelId: string;
  readonly layers: number;
  readonly moeLayers: number;
  readonly dModel: number;
  readonly heads: number;
  readonly vocab: number;
  readonly parameters: ParameterCounts;
  /** Parameters sharded by tensor parallelism (attention, dense FFN, shared experts, head), over all layers. */
  readonly denseParams: number;
  /** Routed-expert parameters, sharded by expert parallelism, over all layers. */
  readonly expertParams: number;
  /** Forward GEMM FLOPs per token that TP shards: projections, dense FFN, shared experts, router, head. */
  readonly denseGemmFlops: number;
  /** Forward GEMM FLOPs per token in routed experts (k experts per token). */
  readonly expertGemmFlops: number;
  /**
   * The GEMM kernels of one forward pass, by kind (fused as Megatron-LM
   * runs them: QKV together, gate and up together; each routed-expert
   * weight as one grouped GEMM over a GPU's experts), for the per-kernel
   * cost of small GEMMs. Their FLOPs add up to `denseGemmFlops`,
   * `mtpGemmFlops` and `expertGemmFlops`.
   */
  readonly gemms: readonly GemmKernel[];
  /** Forward GEMM FLOPs per token of the transformer layers (each routed-expert kernel k times), over the whole model. */
  readonly layerGemmFlops: number;
  /** Forward GEMM FLOPs per token of the once-per-model kernels (`once`: the head and the MTP modules). */
  readonly onceGemmFlops: number;
  /**
   * Forward GEMM FLOPs per token of the multi-token prediction modules (a last-kind layer, a 2h→h
   * projection and the output head, per module): executed, but outside the model FLOPs of MFU.
   */
  readonly mtpGemmFlops: number;
  /**
   * Forward FLOPs per token per unit of sequence length in attention scores and values, no mask:
   * 2·H·(d_qk + d_v)·L. With sliding-window layers, at the sequence length `sequenceLength` the
   * profile was taken at (`atSequenceLength`): full attention's FLOPs times the share the windows
   * leave (attention-window.ts), so T·this/2 is the causal count at that length.
   */
  readonly attentionFlopsPerContextToken: number;
  /** The same with every layer full, at any length. */
  readonly fullAttentionFlopsPerContextToken: number;
  /** The windowed layers (none for full attention), and the sequence length the windowed count is for. */
  readonly attentionWindows: readonly AttentionWindow[];
  readonly sequenceLength?: number;
  /**
   * The same in decode. MLA decodes with the up-projections absorbed into the query and output
   * (DeepSeek-V2 §2.1.2): each head scores against the cached latent and rotary key (d_c + d_h^R)
   * and sums values in the latent (d_c), 2·H·(2·d_c + d_h^R)·L, more FLOPs for far fewer bytes.
   */
  readonly decodeAttentionFlopsPerContextToken: number;
  /** Forward memory traffic per token of the memory-bound operations inside tensor-parallel regions (rotary, activation functions, routing permutes), bytes at 2 bytes per element. */
  readonly elementwiseBytes: number;
  /** The same for the operations between them (norms, residual adds): replicated on every TP rank unless sequence parallelism splits them (Korthikanti et al. 2022 §4.2.2). */
  readonly sequenceElementwiseBytes: number;
  /** Stored activations per token per layer, in elements, for Korthikanti-style accounting (see memory.ts). */
  readonly activationElements: ActivationElements;
  /** Routed experts per token and shared experts, for the all-to-all volume. */
  readonly routedExpertsPerToken: number;
  readonly experts: number;
  readonly maxNodesPerToken: number | undefined;
  /** K and V elements per token per layer (for context-parallel exchange). */
  readonly keyValueElements: number;
  /**
   * Bytes moved per attention-score element (one head, one query, one key) by unfused attention
   * (no FlashAttention), forward and backward.
   */
  readonly scoreTrafficBytes: {readonly forward: number; readonly backward: number};
}

/** A GEMM of the forward pass: its weights, and how many times a token's forward runs it over the whole model. */
export interface GemmKernel {
  /** k·n: the weights one token multiplies by (for routed experts, one expert's). */
  readonly params: number;
  /** Kernels per forward pass of the whole model (layers that have it; the head once). */
  readonly perModel: number;
  /** A routed-expert GEMM: each token passes through k experts, grouped into one kernel per GPU and layer. */
  readonly expert: boolean;
  /** Run once per forward by the last pipeline stage, not per layer: the output head, the multi-token prediction modules. */
  readonly once?: boolean;
  /** A kernel of the dense layers' FFN or of the MoE layers only (attention runs in every layer). */
  readonly ffn?: 'dense' | 'moe';
}

/**
 * Activation elements one token leaves stored per layer for the backward
 * pass (an element is 2 bytes; a dropout mask byte is half of one),
 * averaged over the layers, following Korthikanti et al. 2022 §4 (GPT:
 * 34·s·b·h bytes per layer = 11 attention + 19 MLP + 4 norms, in units of
 * h bytes), generalised to gated FFNs, GQA/MLA and MoE by counting each
 * saved tensor. Tensor parallelism splits all but the `replicated` part;
 * sequence parallelism splits that too (Korthikanti Table 2: 10·s·b·h
 * bytes stay whole on every TP rank without it).
 */
export interface ActivationElements {
  /**
   * Saved with no recomputation: both norm inputs, the inputs of the
   * attention and FFN blocks' first GEMMs, Q, K and V, the attention
   * output, the activation function's input and output, each routed copy of
   * the token, and the dropout masks.
   */
  readonly linear: number;
  /** Of `linear`, what TP alone leaves whole: the norm inputs, the blocks' GEMM inputs and the residual dropout masks. */
  readonly replicated: number;
  /**
   * Saved with selective recomputation: norms, activation functions and
   * (MLA) the up-projections are recomputed from what is kept, the layer
   * input, the attention inputs (for MLA, the compressed latents), the
   * attention output and the FFN inputs (DeepSeek-V3 §3.2.3 recomputes
   * RMSNorm, the MLA up-projection and SwiGLU; Korthikanti §5 the attention core).
   */
  readonly selective: number;
  /** Of `selective`, what TP alone leaves whole: the two norm inputs and the residual dropout masks. */
  readonly selectiveReplicated: number;
  /**
   * Of `linear` and `selective`, the inputs of linear layers (GEMMs), which
   * FP8 training caches in FP8; the rest (norm inputs, attention and
   * activation-function tensors, masks) keeps 16 bits (DeepSeek-V3 §3.3.1
   * and §3.3.3; Transformer Engine's FP8 Linear saves its FP8-cast input).
   * `linearGemmInputsReplicated` is the part of it TP alone leaves whole
   * (the two norm outputs feeding the blocks' first GEMMs).
   */
  readonly linearGemmInputs: number;
  readonly linearGemmInputsReplicated: number;
  readonly selectiveGemmInputs: number;
  /** The attention score, softmax and dropout tensors per unit of sequence length (Korthikanti's 5·a·s/h term; 2·a·s/h bytes without dropout); zero with FlashAttention. */
  readonly scoresPerContextToken: number;
}

export function profileModel(model: Model): ModelProfile {
  const d = model.d_model;
  const parameters = countParameters(model);
  const attention = attentionParams(model.attention, d);
  const {heads, qkHeadDim, valueHeadDim} = attentionHeadDims(model.attention);
  const ffn = model.ffn;
  const matrices = ffn.gated ? 3 : 2;
  const denseLayers = ffn.kind === 'dense' ? model.layers : ffn.dense_layers;
  const moeLayers = model.layers - denseLayers;
  const denseFfnWidth = ffn.kind === 'dense' ? ffn.d_ff : (ffn.dense_d_ff ?? 0);
  const sharedWidth = ffn.kind === 'moe' ? ffn.shared * ffn.expert_d_ff : 0;
  const routedWidth = ffn.kind === 'moe' ? ffn.active * ffn.expert_d_ff : 0;
  const router = ffn.kind === 'moe' ? d * ffn.experts : 0;
  const head = model.vocab * d;

  // Forward GEMMs: 2 FLOPs per weight per token.
  const denseGemmParamsPerToken =
    model.layers * attention.matmulParams +
    denseLayers * matrices * d * denseFfnWidth +
    moeLayers * (matrices * d * sharedWidth + router) +
    head;
  const expertGemmParamsPerToken = moeLayers * matrices * d * routedWidth;
  const gemms = gemmKernels(model, denseLayers, moeLayers, denseFfnWidth, sharedWidth, router, head);
  const expertParams = ffn.kind === 'moe' ? moeLayers * ffn.experts * matrices * d * ffn.expert_d_ff : 0;

  // Memory-bound traffic per token per layer, in elements read + written:
  // two RMSNorms (read h, write h), two residual adds (read 2h, write h),
  // rotary on queries and keys (read + write), the activation function
  // (gated: read 2 widths, write 1), and for MoE the permute and unpermute of
  // each routed copy (read + write h, twice).
  const queryWidth = heads * qkHeadDim;
  const keyWidth =
    model.attention.kind === 'gqa'
      ? model.attention.kv_heads * qkHeadDim
      : model.attention.kind === 'mqa'
        ? qkHeadDim
        : queryWidth;
  const activationWidth = (width: number) => (ffn.gated ? 3 : 2) * width;
  const perLayerSequence = 4 * d + 6 * d;
  const elementwiseElements =
    model.layers * 2 * (queryWidth + keyWidth) +
    denseLayers * activationWidth(denseFfnWidth) +
    moeLayers * (activationWidth(sharedWidth + routedWidth) + (ffn.kind === 'moe' ? 4 * d * ffn.active : 0));

  // Saved activations per token per layer (elements), averaged over layers (Korthikanti et al. 2022 §4.1):
  // the norm inputs (2h) and the GEMM inputs they feed (2h), Q, K, V and the attention output for the
  // score and value products and the output projection, the FFN's activation input and output (per
  // routed copy, with the copy itself), and the residual dropout masks (one byte each: h/2 elements).
  const valueWidth = heads * valueHeadDim;
  const latentWidth =
    model.attention.kind === 'mla'
      ? 2 * (model.attention.q_lora_rank ?? 0) + 2 * model.attention.kv_lora_rank + model.attention.qk_rope_head_dim
      : 0;
  const kvWidth = model.attention.kind === 'mla' ? queryWidth + valueWidth : 2 * keyWidth;
  const masks = model.dropout ? d : 0;
  const replicated = 4 * d + masks;
  const activationInOut = (width: number) => (ffn.gated ? 3 : 2) * width;
  const ffnSavedDense = activationInOut(denseFfnWidth);
  const ffnSavedMoe = (ffn.kind === 'moe' ? ffn.active : 0) * d + activationInOut(sharedWidth + routedWidth);
  const linear =
    replicated +
    latentWidth +
    queryWidth +
    kvWidth +
    valueWidth +
    (denseLayers * ffnSavedDense + moeLayers * ffnSavedMoe) / model.layers;
  const attentionInputs =
    model.attention.kind === 'mla'
      ? (model.attention.q_lora_rank ?? d) + model.attention.kv_lora_rank + model.attention.qk_rope_head_dim
      : queryWidth + 2 * keyWidth;
  const gateInputs = ffn.gated ? 2 : 1;
  const selectiveDense = d + gateInputs * denseFfnWidth;
  const selectiveMoe = (ffn.kind === 'moe' ? ffn.active : 0) * d + d + gateInputs * (sharedWidth + routedWidth);
  const selective =
    d + masks + attentionInputs + valueWidth + (denseLayers * selectiveDense + moeLayers * selectiveMoe) / model.layers;

  const kvElements =
    model.attention.kind === 'mla' ? model.attention.kv_lora_rank + model.attention.qk_rope_head_dim : 2 * keyWidth;

  const mtpGemmFlops =
    2 *
    model.mtp_depth *
    (attention.matmulParams +
      (moeLayers > 0 ? matrices * d * (sharedWidth + routedWidth) + router : matrices * d * denseFfnWidth) +
      2 * d * d +
      head);
  // The multi-token prediction modules' GEMMs, as one kernel of their FLOPs (its few small GEMMs are not worth apart).
  if (mtpGemmFlops > 0) gemms.push({params: mtpGemmFlops / 2, perModel: 1, expert: false, once: true, ffn: undefined});

  return {
    modelId: model.id,
    layers: model.layers,
    moeLayers,
    dModel: d,
    heads,
    vocab: model.vocab,
    parameters,
    denseParams: parameters.totalParams - expertParams - parameters.embeddingParams,
    expertParams,
    denseGemmFlops: 2 * denseGemmParamsPerToken,
    mtpGemmFlops,
    expertGemmFlops: 2 * expertGemmParamsPerToken,
    gemms,
    ...gemmFlopsSplit(gemms, ffn.kind === 'moe' ? ffn.active : 0),
    attentionFlopsPerContextToken: 2 * heads * (qkHeadDim + valueHeadDim) * model.layers,
    fullAttentionFlopsPerContextToken: 2 * heads * (qkHeadDim + valueHeadDim) * model.layers,
    attentionWindows: attentionWindows(model.attention, model.layers),
    decodeAttentionFlopsPerContextToken:
      model.attention.kind === 'mla'
        ? 2 * heads * (2 * model.attention.kv_lora_rank + model.attention.qk_rope_head_dim) * model.layers
        : 2 * heads * (qkHeadDim + valueHeadDim) * model.layers,
    elementwiseBytes: 2 * elementwiseElements,
    sequenceElementwiseBytes: 2 * model.layers * perLayerSequence,
    activationElements: {
      linear,
      replicated,
      selective,
      selectiveReplicated: 2 * d + masks,
      // The norm outputs (2h), the MLA latents the up-projections read, the attention output, the FFN's
      // down-projection input(s) and each routed copy of the token.
      linearGemmInputs:
        2 * d +
        (model.attention.kind === 'mla' ? (model.attention.q_lora_rank ?? 0) + model.attention.kv_lora_rank : 0) +
        valueWidth +
        (denseLayers * denseFfnWidth +
          moeLayers * (sharedWidth + routedWidth + (ffn.kind === 'moe' ? ffn.active : 0) * d)) /
          model.layers,
      linearGemmInputsReplicated: 2 * d,
      // Selective recomputation keeps the attention output and the routed copies as GEMM inputs; it
      // rebuilds the norm outputs and the activation function's output from what it keeps.
      selectiveGemmInputs: valueWidth + (moeLayers * (ffn.kind === 'moe' ? ffn.active : 0) * d) / model.layers,
      // Softmax output (2 bytes), and with dropout its mask (1) and output (2), per head and context position.
      scoresPerContextToken: (model.dropout ? 2.5 : 1) * heads,
    },
    routedExpertsPerToken: ffn.kind === 'moe' ? ffn.active : 0,
    experts: ffn.kind === 'moe' ? ffn.experts : 0,
    maxNodesPerToken: ffn.kind === 'moe' ? ffn.max_nodes_per_token : undefined,
    keyValueElements: kvElements,
    // Unfused attention over 16-bit scores (Megatron-LM 2021; Korthikanti et al. 2022 §4.1 lists the tensors):
    // forward, QK^T writes the scores (2 bytes), the fused scale-mask-softmax reads and writes them (4), dropout
    // reads them and writes its output and mask (5), the value product reads them (2); backward, the
    // gradient GEMM writes the probabilities' gradient (2) and the value-gradient GEMM rereads the
    // probabilities (2), dropout's backward reads the gradient and mask and writes (5), softmax's reads the
    // gradient and its output and writes (6), and the two GEMMs for the query and key gradients read the result (4).
    scoreTrafficBytes: model.dropout ? {forward: 13, backward: 19} : {forward: 8, backward: 14},
  };
}

/**
 * The profile at one sequence length: for a model with sliding-window
 * layers, attention FLOPs counted by the keys each query attends at that
 * length (the step-time model multiplies `attentionFlopsPerContextToken` by
 * the sequence length); the profile itself for a model without windows,
 * whose profile holds at every length. Taking it twice is the same as once.
 */
export function atSequenceLength(profile: ModelProfile, seqLen: number): ModelProfile {
  if (profile.attentionWindows.length === 0 || profile.sequenceLength === seqLen) return profile;
  const share = attentionShare(profile.attentionWindows, profile.layers, seqLen);
  return {
    ...profile,
    attentionFlopsPerContextToken: profile.fullAttentionFlopsPerContextToken * share,
    sequenceLength: seqLen,
  };
}

/** The forward GEMM FLOPs per token of the layers and of the once-per-model kernels. */
function gemmFlopsSplit(
  gemms: readonly GemmKernel[],
  routedPerToken: number,
): {readonly layerGemmFlops: number; readonly onceGemmFlops: number} {
  let layerGemmFlops = 0;
  let onceGemmFlops = 0;
  for (const kernel of gemms) {
    const flops = 2 * kernel.params * kernel.perModel * (kernel.expert ? routedPerToken : 1);
    if (kernel.once === true) onceGemmFlops += flops;
    else layerGemmFlops += flops;
  }
  return {layerGemmFlops, onceGemmFlops};
}

/**
 * The forward GEMM kernels of a model: attention's projections (QKV fused,
 * or MLA's fused down-projections and its two up-projections), the output
 * projection, the dense FFN's fused gate-up and down, the shared experts',
 * the router, the routed experts' (grouped), the head, and the multi-token
 * prediction modules' as one.
 */
function gemmKernels(
  model: Model,
  denseLayers: number,
  moeLayers: number,
  denseFfnWidth: number,
  sharedWidth: number,
  router: number,
  head: number,
): GemmKernel[] {
  const d = model.d_model;
  const attention = model.attention;
  const gatedUp = model.ffn.gated ? 2 : 1;
  const kernels: GemmKernel[] = [];
  // Every kernel has the same fields, so the step model's loop over them keeps one object shape (fast).
  const add = (params: number, perModel: number, expert = false, once = false, ffn?: 'dense' | 'moe') => {
    if (params > 0 && perModel > 0) kernels.push({params, perModel, expert, once, ffn});
  };
  if (attention.kind === 'mla') {
    const qkHeadDim = attention.qk_nope_head_dim + attention.qk_rope_head_dim;
    const qRank = attention.q_lora_rank;
    const down = d * ((qRank ?? 0) + attention.kv_lora_rank + attention.qk_rope_head_dim);
    add(down, model.layers);
    add(qRank === undefined ? d * attention.heads * qkHeadDim : qRank * attention.heads * qkHeadDim, model.layers);
    add(attention.kv_lora_rank * attention.heads * (attention.qk_nope_head_dim + attention.v_head_dim), model.layers);
    add(attention.heads * attention.v_head_dim * d, model.layers);
  } else {
    const kvHeads = attention.kind === 'mha' ? attention.heads : attention.kind === 'mqa' ? 1 : attention.kv_heads;
    add(d * (attention.heads + 2 * kvHeads) * attention.head_dim, model.layers);
    add(attention.heads * attention.head_dim * d, model.layers);
  }
  add(gatedUp * d * denseFfnWidth, denseLayers, false, false, 'dense');
  add(denseFfnWidth * d, denseLayers, false, false, 'dense');
  add(gatedUp * d * sharedWidth, moeLayers, false, false, 'moe');
  add(sharedWidth * d, moeLayers, false, false, 'moe');
  add(router, moeLayers, false, false, 'moe');
  if (model.ffn.kind === 'moe') {
    add(gatedUp * d * model.ffn.expert_d_ff, moeLayers, true, false, 'moe');
    add(model.ffn.expert_d_ff * d, moeLayers, true, false, 'moe');
  }
  add(head, 1, false, true);
  return kernels;
}
