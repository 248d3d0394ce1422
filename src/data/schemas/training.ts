import {z} from 'zod';
import {fraction, positiveInteger, sourceSchema} from './common.js';
import {FEATURES, yearMonthSchema} from './technique.js';
import {uncertain} from './uncertain.js';
import {measured} from './quantity.js';

/** A parallel layout as written in data; `dp` is derived from the GPU count. Unknown knobs may be left out for a search to choose. */
export const parallelismSchema = z.strictObject({
  tp: measured('degree', positiveInteger).optional(),
  pp: measured('degree', positiveInteger).optional(),
  ep: measured('degree', positiveInteger).optional(),
  /**
   * Expert tensor parallel: the ranks each routed expert is split over (Megatron-Core's
   * `expert_tensor_parallel_size`; 1 keeps whole experts on each GPU, as Megatron-Bridge's MoE
   * recipes do). It divides tp; the MoE layers then refold tp·dp·cp as etp·ep·edp, so ep may exceed
   * dp. Left out, the search chooses between 1 and tp.
   */
  etp: measured('degree', positiveInteger).optional(),
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

/**
 * How the run trains, beyond its layout. A flag left out is true when the
 * run may use the technique (see `available`), false when it predates it.
 */
export const recipeSchema = z.strictObject({
  /** FlashAttention (fused attention without stored scores); Megatron-LM in 2021 predates it. */
  flash_attention: z.boolean().optional(),
  /** Sequence parallelism with tensor parallelism (Korthikanti et al. 2022); Megatron-LM in 2021 predates it. */
  sequence_parallel: z.boolean().optional(),
  /** Bytes per Adam moment: 4 (FP32, the default) or 2 (BF16, as DeepSeek-V3 §3.3.3). */
  moment_bytes: z.union([z.literal(2), z.literal(4)]).optional(),
  /** Overlap data-parallel communication (gradient exchange, ZeRO weight gathers) with compute. */
  overlap_data_parallel: z.boolean().optional(),
  /**
   * Overlap tensor-parallel communication with the GEMMs it feeds (Transformer Engine userbuffers,
   * Megatron's `--tp-comm-overlap`). Off unless stated: Megatron leaves it off by default.
   */
  overlap_tensor_parallel: z.boolean().optional(),
  /**
   * Overlap the context-parallel K/V exchange with attention (ring attention, Megatron-Core's default);
   * `false` for an all-gather before attention with the exchange exposed (Llama 3 Herd §3.3.2).
   */
  overlap_context_parallel: z.boolean().optional(),
  /**
   * CUDA graphs: `none` (every kernel launched from the host, Megatron's default), `partial` (per-module
   * graphs, Megatron's `transformer_engine` or `local` implementation with `--cuda-graph-modules`: the
   * routed experts' own work stays on the host unless `moe` is captured, then write `full`), or `full`
   * (the whole forward and backward replayed: `full_iteration`). Left out: `none`.
   */
  cuda_graphs: z.enum(['none', 'partial', 'full']).optional(),
  source: sourceSchema.optional(),
});
export type Recipe = z.infer<typeof recipeSchema>;

/** Share of wall-clock time spent on useful steps, after failures and restarts (Llama 3: over 90%, Herd paper §3.3.4). */
export const goodputSchema = z.strictObject({value: measured('goodput', uncertain(fraction)), source: sourceSchema});

/**
 * What the layout search may choose from: the techniques published by
 * `as_of` (data/techniques.yaml), and only the schedules, recomputation
 * modes, ZeRO stages and features listed here when lists are given. A run of
 * 2020 cannot use DualPipe or selective recomputation.
 */
export const availabilitySchema = z.strictObject({
  as_of: yearMonthSchema.optional(),
  schedules: z
    .array(z.enum(['1f1b', 'interleaved', 'zero-bubble', 'dualpipe']))
    .min(1)
    .optional(),
  recompute: z
    .array(z.enum(['none', 'selective', 'full']))
    .min(1)
    .optional(),
  zero: z
    .array(z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]))
    .min(1)
    .optional(),
  /** The features the run had (when given, the others it did not). */
  features: z.array(z.enum(FEATURES)).optional(),
  source: sourceSchema.optional(),
});
export type Availability = z.infer<typeof availabilitySchema>;

/**
 * A cluster's own scale-out network, when it is not the chip record's
 * (BLOOM's Jean Zay: 4 × 100 Gb/s Omni-Path per 8 GPUs): bandwidth per GPU
 * per direction, the latency of one collective step, and the share of the
 * bandwidth collectives achieve.
 */
export const networkSchema = z.strictObject({
  scale_out_gb_per_s: measured('link_gb_per_s', uncertain(z.number().finite().positive())),
  latency_us: measured('latency_us', uncertain(z.number().finite().positive())).optional(),
  achievable_fraction: measured('fraction', uncertain(fraction)).optional(),
  source: sourceSchema,
});
export type Network = z.infer<typeof networkSchema>;
