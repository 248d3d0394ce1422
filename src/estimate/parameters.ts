import type {Attention, Ffn, Model} from '../data/schemas/model.js';

/** Parameter counts computed from an architecture. */
export interface ParameterCounts {
  /** Every parameter, embeddings included. */
  readonly totalParams: number;
  /** Parameters a token goes through: for MoE, the shared experts and the top-k routed ones. */
  readonly activeParams: number;
  /** The input embedding table (a lookup, no matrix multiplication). */
  readonly embeddingParams: number;
  /** The output head (logits); zero extra when tied to the embedding. */
  readonly outputHeadParams: number;
  /**
   * Active parameters that take part in a matrix multiplication for each
   * token: the N of 6N (PaLM App. B): active parameters less the embedding
   * lookup and the normalisation weights.
   */
  readonly activeMatmulParams: number;
}

/**
 * Count parameters from the architecture. Linear layers carry no biases
 * (true of Llama 3 and DeepSeek-V3); each layer has two RMSNorm weight
 * vectors (before attention and before the FFN) and the model a final one.
 */
export function countParameters(model: Model): ParameterCounts {
  const d = model.d_model;
  const attention = attentionParams(model.attention, d);
  const embeddingParams = model.vocab * d;
  const outputHeadParams = model.tied_embeddings ? 0 : model.vocab * d;
  const layerNormParams = 2 * d;
  const {totalFfn, activeFfn} = ffnParams(model.ffn, model.layers, d);
  const normParams = model.layers * (layerNormParams + attention.normParams) + d;
  const attentionMatmulParams = model.layers * attention.matmulParams;
  const headMatmulParams = model.vocab * d; // the head multiplies even when tied
  return {
    totalParams: embeddingParams + outputHeadParams + normParams + attentionMatmulParams + totalFfn,
    activeParams: embeddingParams + outputHeadParams + normParams + attentionMatmulParams + activeFfn,
    embeddingParams,
    outputHeadParams,
    activeMatmulParams: attentionMatmulParams + activeFfn + headMatmulParams,
  };
}

/** Per-layer attention weights: the projection matrices, and any norms inside attention (MLA). */
export function attentionParams(attention: Attention, d: number): {matmulParams: number; normParams: number} {
  switch (attention.kind) {
    case 'mha':
    case 'mqa':
    case 'gqa': {
      const kvHeads = attention.kind === 'mha' ? attention.heads : attention.kind === 'mqa' ? 1 : attention.kv_heads;
      const queryAndOutput = 2 * d * attention.heads * attention.head_dim;
      const keyAndValue = 2 * d * kvHeads * attention.head_dim;
      return {matmulParams: queryAndOutput + keyAndValue, normParams: 0};
    }
    case 'mla': {
      // DeepSeek-V2 §2.1.2–2.1.3: W^DQ, W^UQ (incl. W^QR), W^DKV with W^KR, W^UK and W^UV, W^O.
      const {heads, q_lora_rank: qRank, kv_lora_rank: kvRank} = attention;
      const qkHeadDim = attention.qk_nope_head_dim + attention.qk_rope_head_dim;
      const query = qRank === undefined ? d * heads * qkHeadDim : d * qRank + qRank * heads * qkHeadDim;
      const keyValueDown = d * (kvRank + attention.qk_rope_head_dim);
      const keyValueUp = kvRank * heads * (attention.qk_nope_head_dim + attention.v_head_dim);
      const output = heads * attention.v_head_dim * d;
      return {matmulParams: query + keyValueDown + keyValueUp + output, normParams: kvRank + (qRank ?? 0)};
    }
  }
}

/** FFN weights over all layers: in total, and those one token passes through. */
export function ffnParams(ffn: Ffn, layers: number, d: number): {totalFfn: number; activeFfn: number} {
  const matrices = ffn.gated ? 3 : 2;
  if (ffn.kind === 'dense') {
    const perLayer = matrices * d * ffn.d_ff;
    return {totalFfn: layers * perLayer, activeFfn: layers * perLayer};
  }
  const denseLayers = ffn.dense_layers;
  const moeLayers = layers - denseLayers;
  const dense = denseLayers * matrices * d * (ffn.dense_d_ff ?? 0);
  const perExpert = matrices * d * ffn.expert_d_ff;
  const router = d * ffn.experts;
  const totalMoe = moeLayers * ((ffn.experts + ffn.shared) * perExpert + router);
  const activeMoe = moeLayers * ((ffn.active + ffn.shared) * perExpert + router);
  return {totalFfn: dense + totalMoe, activeFfn: dense + activeMoe};
}

/** Relative difference of a computed count from a declared one. */
export function relativeDifference(computed: number, declared: number): number {
  return (computed - declared) / declared;
}
