import type {Model} from '../../data/schemas/model.js';
import {cachedContextTokens, contextForCachedTokens, type AttentionWindow} from '../attention-window.js';
import type {ModelProfile} from '../model-profile.js';
import {kvCacheElementsPerLayer, kvCacheShards} from './kv-cache.js';

/**
 * What serving needs of a model, per token, in the units a forward pass
 * shards: weights a token passes through outside the routed experts (split
 * by tensor parallelism), one routed expert's weights, attention FLOPs per
 * token of context, KV-cache elements, and the multi-token-prediction
 * module. Computed once per model from its profile (model-profile.ts).
 */
export interface ServingProfile {
  readonly modelId: string;
  readonly layers: number;
  readonly moeLayers: number;
  readonly dModel: number;
  /** Matmul weights every token passes through outside the routed experts: attention, dense FFN, shared experts, router, head. */
  readonly denseMatmulParams: number;
  /** The output head's weights (vocabulary × width), part of the dense ones; drafted tokens pass through it too. */
  readonly headParams: number;
  /** Parameters kept beside them but not multiplied per token: the input embedding table. */
  readonly embeddingParams: number;
  /** Routed experts of the model and chosen per token (0 for a dense model). */
  readonly experts: number;
  readonly expertsPerToken: number;
  /** Weights of one routed expert in one layer. */
  readonly paramsPerExpertLayer: number;
  readonly maxNodesPerToken: number | undefined;
  /** Attention FLOPs per query token per token of context, in prefill (MLA expanded) and decode (MLA absorbed, DeepSeek-V2 §2.1.2). */
  readonly prefillAttentionFlopsPerContextToken: number;
  readonly decodeAttentionFlopsPerContextToken: number;
  /** KV-cache elements per token over all layers (a windowed layer's only for the tokens inside its window: `kvContextTokens`). */
  readonly kvElementsPerToken: number;
  /** Sliding-window layers: each caches, reads and attends at most its window (attention-window.ts). */
  readonly attentionWindows: readonly AttentionWindow[];
  /** The most TP ranks the KV cache splits over: KV heads for MHA and GQA, 1 for MQA and MLA (kv-cache.ts). */
  readonly kvShardLimit: number;
  /** Memory-bound traffic per token outside the GEMMs and attention (norms, rotary, activations, permutes), bytes. */
  readonly elementwiseBytesPerToken: number;
  /** Multi-token-prediction modules (DeepSeek-V3 §2.2): matmul weights one drafted token passes through, and all of their weights. */
  readonly mtpDepth: number;
  readonly mtpActiveParams: number;
  readonly mtpTotalParams: number;
}

export function servingProfile(model: Model, profile: ModelProfile): ServingProfile {
  const moe = model.ffn.kind === 'moe' ? model.ffn : undefined;
  const matrices = model.ffn.gated ? 3 : 2;
  const paramsPerExpertLayer = moe ? matrices * model.d_model * moe.expert_d_ff : 0;
  const mtpActiveParams = profile.mtpGemmFlops / 2;
  // An MTP module holds a whole layer: for MoE all its routed experts, of which a token uses k.
  const mtpTotalParams =
    mtpActiveParams + (moe ? model.mtp_depth * (moe.experts - moe.active) * paramsPerExpertLayer : 0);
  return {
    modelId: model.id,
    layers: model.layers,
    moeLayers: profile.moeLayers,
    dModel: model.d_model,
    denseMatmulParams: profile.denseGemmFlops / 2,
    headParams: model.vocab * model.d_model,
    embeddingParams: profile.parameters.embeddingParams,
    experts: moe ? moe.experts : 0,
    expertsPerToken: moe ? moe.active : 0,
    paramsPerExpertLayer,
    maxNodesPerToken: moe?.max_nodes_per_token,
    prefillAttentionFlopsPerContextToken: profile.attentionFlopsPerContextToken,
    decodeAttentionFlopsPerContextToken: profile.decodeAttentionFlopsPerContextToken,
    kvElementsPerToken: kvCacheElementsPerLayer(model.attention) * model.layers,
    attentionWindows: profile.attentionWindows,
    kvShardLimit: kvCacheShards(model.attention, Number.MAX_SAFE_INTEGER),
    elementwiseBytesPerToken: profile.elementwiseBytes + profile.sequenceElementwiseBytes,
    mtpDepth: model.mtp_depth,
    mtpActiveParams,
    mtpTotalParams,
  };
}

/**
 * Context positions a sequence of `contextTokens` keeps in the cache, reads
 * and attends in decode, per layer on average: the context itself, less what
 * windowed layers drop (a windowed layer caches at most its window: Mistral
 * 7B §2's rolling buffer; vLLM and TensorRT-LLM free the blocks that leave
 * it). Times `kvElementsPerToken`, the sequence's KV-cache elements.
 */
export function kvContextTokens(profile: ServingProfile, contextTokens: number): number {
  return cachedContextTokens(profile.attentionWindows, profile.layers, contextTokens);
}

/** The longest context whose cache takes at most `cachedTokens` positions per layer (Infinity if every layer is windowed). */
export function contextForKvTokens(profile: ServingProfile, cachedTokens: number): number {
  return contextForCachedTokens(profile.attentionWindows, profile.layers, cachedTokens);
}
