import {z} from 'zod';
import {idSchema, nonNegativeInteger, positiveInteger, positiveNumber, sourceSchema} from './common.js';

const multiHead = z.strictObject({kind: z.literal('mha'), heads: positiveInteger, head_dim: positiveInteger});
const groupedQuery = z.strictObject({
  kind: z.literal('gqa'),
  heads: positiveInteger,
  kv_heads: positiveInteger,
  head_dim: positiveInteger,
});
const multiQuery = z.strictObject({kind: z.literal('mqa'), heads: positiveInteger, head_dim: positiveInteger});
/** Multi-head latent attention (DeepSeek-V2 §2.1): low-rank compressed queries, keys and values. */
const multiHeadLatent = z.strictObject({
  kind: z.literal('mla'),
  heads: positiveInteger,
  /** Rank of the query compression; omit for uncompressed queries. */
  q_lora_rank: positiveInteger.optional(),
  /** d_c: the compressed key-value latent cached per token. */
  kv_lora_rank: positiveInteger,
  qk_nope_head_dim: positiveInteger,
  /** d_h^R: the decoupled rotary key, shared across heads and cached per token. */
  qk_rope_head_dim: positiveInteger,
  v_head_dim: positiveInteger,
});

export const attentionSchema = z.discriminatedUnion('kind', [multiHead, groupedQuery, multiQuery, multiHeadLatent]);
export type Attention = z.infer<typeof attentionSchema>;

const denseFfn = z.strictObject({
  kind: z.literal('dense'),
  d_ff: positiveInteger,
  /** Gated linear unit (SwiGLU): three matrices instead of two. */
  gated: z.boolean().default(true),
});
const mixtureOfExperts = z.strictObject({
  kind: z.literal('moe'),
  /** The first layers keep a dense FFN (DeepSeek-V3: 3). */
  dense_layers: nonNegativeInteger.default(0),
  dense_d_ff: positiveInteger.optional(),
  /** Routed experts per MoE layer. */
  experts: positiveInteger,
  /** Routed experts each token is sent to (top-k). */
  active: positiveInteger,
  /** Shared experts every token goes through. */
  shared: nonNegativeInteger.default(0),
  expert_d_ff: positiveInteger,
  gated: z.boolean().default(true),
  /**
   * Node-limited routing: each token's experts lie on at most this many
   * nodes (DeepSeek-V3 §3.2.2: M = 4), which caps its cross-node traffic.
   */
  max_nodes_per_token: positiveInteger.optional(),
});

export const ffnSchema = z.discriminatedUnion('kind', [denseFfn, mixtureOfExperts]);
export type Ffn = z.infer<typeof ffnSchema>;

export const modelSchema = z
  .strictObject({
    id: idSchema,
    name: z.string().min(1),
    layers: positiveInteger,
    d_model: positiveInteger,
    vocab: positiveInteger,
    /** Input embedding and output head share one matrix. */
    tied_embeddings: z.boolean().default(false),
    /**
     * Multi-token prediction modules trained alongside (DeepSeek-V3 §2.2: D = 1): each adds a
     * transformer block, a projection and a pass through the shared output head. They cost
     * training time but are not counted in the model's parameters or MFU.
     */
    mtp_depth: nonNegativeInteger.default(0),
    /**
     * Dropout on the attention probabilities and the residual branches (GPT-2 and -3, Megatron-LM's
     * 2021 GPTs): its masks are stored for the backward pass (Korthikanti et al. 2022 Table 2).
     */
    dropout: z.boolean().optional(),
    attention: attentionSchema,
    ffn: ffnSchema,
    /** What the authors state, checked against the counts computed from the architecture. */
    declared: z.strictObject({
      params_total: positiveNumber,
      params_active: positiveNumber.optional(),
      source: sourceSchema,
    }),
    source: sourceSchema,
  })
  .superRefine((model, context) => {
    const {ffn, attention} = model;
    if (ffn.kind === 'moe') {
      if (ffn.active > ffn.experts) {
        context.addIssue({
          code: 'custom',
          path: ['ffn', 'active'],
          message: `expected at most ${ffn.experts} active experts (the number of experts), got ${ffn.active}`,
        });
      }
      if (ffn.dense_layers > model.layers) {
        context.addIssue({
          code: 'custom',
          path: ['ffn', 'dense_layers'],
          message: `expected at most ${model.layers} dense layers (the number of layers), got ${ffn.dense_layers}`,
        });
      }
      if (ffn.dense_layers > 0 && ffn.dense_d_ff === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['ffn', 'dense_d_ff'],
          message: 'expected `dense_d_ff` when `dense_layers` is above 0',
        });
      }
    }
    if (attention.kind === 'gqa' && attention.heads % attention.kv_heads !== 0) {
      context.addIssue({
        code: 'custom',
        path: ['attention', 'kv_heads'],
        message: `expected kv_heads to divide heads (${attention.heads}), got ${attention.kv_heads}`,
      });
    }
  });

export type Model = z.infer<typeof modelSchema>;
export const modelFileSchema = z.array(modelSchema);
