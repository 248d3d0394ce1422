import type {Attention, Model} from '../data/schemas/model.js';
import type {AttentionConvention} from '../data/schemas/scenario.js';
import {attentionShare, attentionWindows} from './attention-window.js';
import {countParameters, type ParameterCounts} from './parameters.js';

/** Training FLOPs per token (forward and backward, no recomputation), by convention. */
export interface TrainingFlopsPerToken {
  /** 6N: 2 FLOPs per active parameter forward, 4 backward (Kaplan et al. 2020; GPT-3 App. D). */
  readonly matmul: number;
  /**
   * The attention score and value products with no mask: 12·L·H·Q·T (PaLM App. B); a windowed layer
   * counts the band of w keys on either side of a query instead of T (attention-window.ts).
   */
  readonly attentionNonCausal: number;
  /** The same with a causal mask, which skips half of the products (a windowed layer: w − w²/2T keys, not T/2). */
  readonly attentionCausal: number;
}

/**
 * Training FLOPs per token at sequence length `seqLen`, following PaLM
 * (Chowdhery et al. 2022, App. B): 6N + 12·L·H·Q·T, an FMA counted as 2 FLOPs,
 * recomputation excluded. For attention whose query-key and value head sizes
 * differ (MLA) the term generalises to 6·L·H·T·(d_qk + d_v). Sliding-window
 * layers attend at most their window (attention-window.ts); gpt-oss's
 * attention sinks (one learned logit per head in the softmax's denominator,
 * arXiv 2508.10925 §2.1) add no product with the keys or values, so no
 * FLOPs here.
 */
export function trainingFlopsPerToken(
  model: Model,
  seqLen: number,
  parameters: ParameterCounts = countParameters(model),
): TrainingFlopsPerToken {
  const matmul = 6 * parameters.activeMatmulParams;
  const {heads, qkHeadDim, valueHeadDim} = attentionHeadDims(model.attention);
  const share = attentionShare(attentionWindows(model.attention, model.layers), model.layers, seqLen);
  const attentionNonCausal = 6 * model.layers * heads * seqLen * (qkHeadDim + valueHeadDim) * share;
  return {matmul, attentionNonCausal, attentionCausal: attentionNonCausal / 2};
}

/** FLOPs per token under one convention (which attention FLOPs count). */
export function flopsPerTokenFor(flops: TrainingFlopsPerToken, convention: AttentionConvention): number {
  switch (convention) {
    case 'none':
      return flops.matmul;
    case 'causal':
      return flops.matmul + flops.attentionCausal;
    case 'non-causal':
      return flops.matmul + flops.attentionNonCausal;
  }
}

/** Query heads and the per-head sizes of the score (QK) and value (AV) products. */
export function attentionHeadDims(attention: Attention): {heads: number; qkHeadDim: number; valueHeadDim: number} {
  if (attention.kind === 'mla') {
    return {
      heads: attention.heads,
      qkHeadDim: attention.qk_nope_head_dim + attention.qk_rope_head_dim,
      valueHeadDim: attention.v_head_dim,
    };
  }
  return {heads: attention.heads, qkHeadDim: attention.head_dim, valueHeadDim: attention.head_dim};
}
