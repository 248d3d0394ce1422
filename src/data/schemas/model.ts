import {z} from 'zod';
import {idSchema, nonNegativeInteger, positiveInteger, positiveNumber, sourceSchema} from './common.js';
import {measured} from './quantity.js';

/** Model dimensions and counts, each a quantity of src/data/plausible-ranges.ts. */
const width = () => measured('width', positiveInteger);
const count = () => measured('model_count', positiveInteger);
const countFromZero = () => measured('model_count', nonNegativeInteger);

const multiHead = z.strictObject({kind: z.literal('mha'), heads: count(), head_dim: width()});
const groupedQuery = z.strictObject({
  kind: z.literal('gqa'),
  heads: count(),
  kv_heads: count(),
  head_dim: width(),
});
const multiQuery = z.strictObject({kind: z.literal('mqa'), heads: count(), head_dim: width()});
/** Multi-head latent attention (DeepSeek-V2 §2.1): low-rank compressed queries, keys and values. */
const multiHeadLatent = z.strictObject({
  kind: z.literal('mla'),
  heads: count(),
  /** Rank of the query compression; omit for uncompressed queries. */
  q_lora_rank: width().optional(),
  /** d_c: the compressed key-value latent cached per token. */
  kv_lora_rank: width(),
  qk_nope_head_dim: width(),
  /** d_h^R: the decoupled rotary key, shared across heads and cached per token. */
  qk_rope_head_dim: width(),
  v_head_dim: width(),
});

/**
 * Sliding-window (local) attention: a query attends only the `tokens` most recent positions, itself
 * included (Mistral 7B §2; Gemma 3 §2.1: 5 local layers per global one; gpt-oss model card §2.1:
 * windowed and full layers alternate, window 128). Which layers are windowed: a repeating `pattern`
 * from the first layer (`windowed` layers, then `full` ones), or a count of `layers` anywhere; with
 * neither, every layer. The totals are what FLOPs and the KV cache count; the positions do not matter.
 */
export const slidingWindowSchema = z
  .strictObject({
    /** Keys a query attends, its own position included (Hugging Face `sliding_window`). */
    tokens: measured('seq_len', positiveInteger),
    /** A repeating block from the first layer: `windowed` layers then `full` ones (gpt-oss {1, 1}; Gemma 3 {5, 1}). */
    pattern: z.strictObject({windowed: count(), full: count()}).optional(),
    /** Or how many of the layers are windowed. */
    layers: count().optional(),
  })
  .refine((window) => window.pattern === undefined || window.layers === undefined, {
    message: 'expected `pattern` or `layers`, not both',
    path: ['layers'],
  });
export type SlidingWindow = z.infer<typeof slidingWindowSchema>;

const windowed = {sliding_window: slidingWindowSchema.optional()};

export const attentionSchema = z.discriminatedUnion('kind', [
  multiHead.extend(windowed),
  groupedQuery.extend(windowed),
  multiQuery.extend(windowed),
  multiHeadLatent.extend(windowed),
]);
export type Attention = z.infer<typeof attentionSchema>;

const denseFfn = z.strictObject({
  kind: z.literal('dense'),
  d_ff: width(),
  /** Gated linear unit (SwiGLU): three matrices instead of two. */
  gated: z.boolean().default(true),
});
const mixtureOfExperts = z.strictObject({
  kind: z.literal('moe'),
  /** The first layers keep a dense FFN (DeepSeek-V3: 3). */
  dense_layers: countFromZero().default(0),
  dense_d_ff: width().optional(),
  /** Routed experts per MoE layer. */
  experts: count(),
  /** Routed experts each token is sent to (top-k). */
  active: count(),
  /** Shared experts every token goes through. */
  shared: countFromZero().default(0),
  expert_d_ff: width(),
  gated: z.boolean().default(true),
  /**
   * Node-limited routing: each token's experts lie on at most this many
   * nodes (DeepSeek-V3 §3.2.2: M = 4), which caps its cross-node traffic.
   */
  max_nodes_per_token: count().optional(),
});

export const ffnSchema = z.discriminatedUnion('kind', [denseFfn, mixtureOfExperts]);
export type Ffn = z.infer<typeof ffnSchema>;

export const modelSchema = z
  .strictObject({
    id: idSchema,
    name: z.string().min(1),
    layers: measured('layers', positiveInteger),
    d_model: width(),
    vocab: measured('vocab', positiveInteger),
    /** Input embedding and output head share one matrix. */
    tied_embeddings: z.boolean().default(false),
    /**
     * Multi-token prediction modules trained alongside (DeepSeek-V3 §2.2: D = 1): each adds a
     * transformer block, a projection and a pass through the shared output head. They cost
     * training time but are not counted in the model's parameters or MFU.
     */
    mtp_depth: countFromZero().default(0),
    /**
     * Dropout on the attention probabilities and the residual branches (GPT-2 and -3, Megatron-LM's
     * 2021 GPTs): its masks are stored for the backward pass (Korthikanti et al. 2022 Table 2).
     */
    dropout: z.boolean().optional(),
    attention: attentionSchema,
    ffn: ffnSchema,
    /** What the authors state, checked against the counts computed from the architecture. */
    declared: z.strictObject({
      params_total: measured('parameters', positiveNumber),
      params_active: measured('parameters', positiveNumber).optional(),
      /**
       * The authors' active count leaves out the input embedding table (a lookup, not a matrix
       * multiplication): gpt-oss's model card (arXiv 2508.10925) counts 5.1B active of 116.8B this way.
       */
      active_excludes_embedding: z.boolean().optional(),
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
    const window = attention.sliding_window;
    if (window?.layers !== undefined && window.layers > model.layers) {
      context.addIssue({
        code: 'custom',
        path: ['attention', 'sliding_window', 'layers'],
        message: `expected at most ${model.layers} windowed layers (the number of layers), got ${window.layers}`,
      });
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
