import {z} from 'zod';
import {fraction, positiveInteger, sourceSchema} from './common.js';
import {uncertain} from './uncertain.js';
import {measured} from './quantity.js';

/** A parallel layout as written in data; `dp` is derived from the GPU count. Unknown knobs may be left out for a search to choose. */
export const parallelismSchema = z.strictObject({
  tp: measured('degree', positiveInteger).optional(),
  pp: measured('degree', positiveInteger).optional(),
  ep: measured('degree', positiveInteger).optional(),
  cp: measured('degree', positiveInteger).optional(),
  zero: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  micro_batch_size: measured('degree', positiveInteger).optional(),
  recompute: z.enum(['none', 'selective', 'full']).optional(),
  schedule: z.enum(['1f1b', 'interleaved', 'zero-bubble', 'dualpipe']).optional(),
  virtual_stages: measured('degree', positiveInteger).optional(),
  /** Let stages hold unequal numbers of layers (Megatron's uneven pipeline split); the slowest sets the pace. */
  uneven_stages: z.boolean().optional(),
  source: sourceSchema.optional(),
});
export type Parallelism = z.infer<typeof parallelismSchema>;

/** How the run trains, beyond its layout. */
export const recipeSchema = z.strictObject({
  /** FlashAttention (fused attention without stored scores); Megatron-LM in 2021 predates it. */
  flash_attention: z.boolean().default(true),
  /** Sequence parallelism with tensor parallelism (Korthikanti et al. 2022); Megatron-LM in 2021 predates it. */
  sequence_parallel: z.boolean().default(true),
  /** Bytes per Adam moment: 4 (FP32) or 2 (BF16, as DeepSeek-V3 §3.3.3). */
  moment_bytes: z.union([z.literal(2), z.literal(4)]).default(4),
  /** Overlap data-parallel gradient exchange with the backward pass. */
  overlap_data_parallel: z.boolean().default(true),
  source: sourceSchema.optional(),
});
export type Recipe = z.infer<typeof recipeSchema>;

/** Share of wall-clock time spent on useful steps, after failures and restarts (Llama 3: over 90%, Herd paper §3.3.4). */
export const goodputSchema = z.strictObject({value: measured('goodput', uncertain(fraction)), source: sourceSchema});
