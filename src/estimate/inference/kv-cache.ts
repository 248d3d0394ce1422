import type {Attention} from '../../data/schemas/model.js';

/**
 * KV-cache elements per token per layer (DeepSeek-V2 §2.1.4, Table 1):
 * MHA 2·n_h·d_h; GQA 2·n_g·d_h; MQA 2·d_h; MLA d_c + d_h^R (the compressed
 * latent and the decoupled rotary key, shared by all heads).
 */
export function kvCacheElementsPerLayer(attention: Attention): number {
  switch (attention.kind) {
    case 'mha':
      return 2 * attention.heads * attention.head_dim;
    case 'gqa':
      return 2 * attention.kv_heads * attention.head_dim;
    case 'mqa':
      return 2 * attention.head_dim;
    case 'mla':
      return attention.kv_lora_rank + attention.qk_rope_head_dim;
  }
}

/** KV-cache bytes per token over all layers at a storage precision (BF16 2 bytes, FP8 1). */
export function kvCacheBytesPerToken(attention: Attention, layers: number, bytesPerElement: number): number {
  return kvCacheElementsPerLayer(attention) * layers * bytesPerElement;
}

/**
 * Over how many tensor-parallel ranks a KV cache splits: GQA and MHA split
 * by KV head (up to one head per rank); MQA's single head and MLA's shared
 * latent cannot split, so each rank keeps a whole copy.
 */
export function kvCacheShards(attention: Attention, tp: number): number {
  switch (attention.kind) {
    case 'mha':
      return Math.min(tp, attention.heads);
    case 'gqa':
      return Math.min(tp, attention.kv_heads);
    case 'mqa':
    case 'mla':
      return 1;
  }
}
