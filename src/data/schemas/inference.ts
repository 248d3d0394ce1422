import {z} from 'zod';
import {fraction, idSchema, nonNegativeInteger, positiveInteger, positiveNumber, sourceSchema} from './common.js';
import {uncertain} from './uncertain.js';
import {measured} from './quantity.js';
import type {Nominal} from '../../uncertain/distribution.js';

/**
 * The parts of a serving setup that scenarios (`kind: inference`) and
 * published serving results (`kind: inference` references) share: the
 * deployment units, the engine, the traffic, speculation and the load.
 */

/**
 * GPUs serving one copy of the model, and how they split it. Attention runs
 * tensor-parallel over `tp` GPUs and data-parallel over the rest of the unit
 * (`tp: 1` is DP-attention: each GPU keeps its own sequences, and MLA's
 * latent cache is not copied per TP rank); routed experts are spread over
 * `ep` GPUs (the unit's other GPUs split each expert).
 */
export const inferenceUnitSchema = z.strictObject({
  gpus: measured('gpus', positiveInteger),
  tp: measured('degree', positiveInteger).default(1),
  ep: measured('degree', positiveInteger).default(1),
  /** Extra copies of the busiest experts (DeepSeek decodes on EP144 with 256 routed + 32 redundant). */
  redundant_experts: measured('model_count', nonNegativeInteger).default(0),
  /** Whether a load balancer places the experts by observed load (EPLB, DeepSeek-V3 §3.4). */
  expert_balancer: z.enum(['eplb', 'none']).optional(),
  /** Two-batch overlap: hide one micro-batch's all-to-all behind the other's compute (DeepSeek-V3 §3.4). */
  overlap_micro_batches: z.boolean().optional(),
  /** The engine's cap on running sequences per attention group (SGLang `--cuda-graph-bs`, TensorRT-LLM `max_batch_size`). */
  max_running_sequences: measured('concurrency', positiveInteger).optional(),
  /** Prompt tokens per forward pass per attention group (chunked prefill size; the engine's default if left out). */
  tokens_per_pass: measured('request_tokens', positiveInteger).optional(),
});

/** Serving on one unit for both phases, or on disaggregated prefill and decode units (DeepSeek-V3 §3.4). */
export const inferenceDeploymentSchema = z.strictObject({
  prefill: inferenceUnitSchema.optional(),
  decode: inferenceUnitSchema,
  source: sourceSchema.optional(),
});

/**
 * The software stack: which engine, version and date, and how it uses the
 * GPU's memory. Memory: `memory_fraction` of the device's memory (`of:
 * total`, vLLM's `gpu_memory_utilization`) or of what is free once the
 * weights are loaded (`of: free`, TensorRT-LLM's `kv_cache_free_gpu_mem_fraction`).
 */
export const engineSchema = z.strictObject({
  name: z.string().min(1),
  version: z.string().min(1).optional(),
  /** When this stack ran (YYYY-MM or YYYY-MM-DD). */
  date: z
    .string()
    .regex(/^\d{4}-\d{2}(-\d{2})?$/, 'expected a date as YYYY-MM or YYYY-MM-DD')
    .optional(),
  memory_fraction: measured('fraction', uncertain(fraction)).optional(),
  memory_of: z.enum(['total', 'free']).optional(),
  /**
   * The stack's kernels relative to the tuned reference kernels the model's
   * constants come from (FlashMLA, DeepGEMM, DeepEP on Hopper): 1 is as
   * good; a young port runs below. Give it with the benchmark it comes from.
   */
  kernel_efficiency: measured('kernel_efficiency', uncertain(z.number().gt(0).lte(1.5))).optional(),
  /**
   * What the engine reserves in the KV cache for a running sequence: the tokens it holds (`in-use`, the
   * default: vLLM and SGLang admit on what is in use and preempt when the cache runs out), or its whole
   * prompt and output from the start (`whole-sequence`: TensorRT-LLM's default GUARANTEED_NO_EVICT policy).
   */
  kv_reservation: z.enum(['in-use', 'whole-sequence']).optional(),
  /** Host time per decode step that the GPU waits for (scheduling, sampling, launches), in milliseconds. */
  host_overhead_ms: measured('host_overhead_ms', uncertain(z.number().gte(0).lte(100))).optional(),
  source: sourceSchema.optional(),
});

/**
 * The traffic: prompt and output lengths, prefix-cache hits, and what sets
 * the decode batch: a number of concurrent sequences, or latency targets
 * (a per-user speed, an inter-token latency, a time to first token), or
 * neither (the largest batch that memory and the engine allow, as offline
 * throughput benchmarks run).
 */
export const inferenceWorkloadSchema = z
  .strictObject({
    prompt_tokens: measured('request_tokens', uncertain(positiveNumber)),
    output_tokens: measured('request_tokens', uncertain(positiveNumber)),
    /** Share of prompt tokens served from the prefix cache. */
    cache_hit_rate: measured('fraction', uncertain(z.number().gte(0).lt(1))).default(0),
    /** Concurrent sequences on a decode unit at peak load. */
    concurrency: measured('concurrency', positiveInteger).optional(),
    /** Mean output tokens per second each user sees at peak load (an inter-token latency target of its inverse). */
    target_tokens_per_second_per_user: measured('tokens_per_second_per_user', positiveNumber).optional(),
    /** Mean inter-token latency target at peak load, in seconds. */
    itl_target_seconds: measured('latency_seconds', positiveNumber).optional(),
    /** Time-to-first-token target at the percentile below, in seconds: it sets how busy prefill may run. */
    ttft_target_seconds: measured('latency_seconds', positiveNumber).optional(),
    /** The percentile the TTFT target applies to (default 0.9). */
    target_percentile: measured('fraction', z.number().gt(0).lt(1)).optional(),
    source: sourceSchema.optional(),
  })
  .superRefine((workload, context) => {
    const set = [workload.concurrency, workload.target_tokens_per_second_per_user, workload.itl_target_seconds].filter(
      (value) => value !== undefined,
    );
    if (set.length > 1) {
      context.addIssue({
        code: 'custom',
        path: [],
        message:
          'Expected at most one of `concurrency`, `target_tokens_per_second_per_user` and `itl_target_seconds`: each sets the decode batch',
      });
    }
  });

/** Speculative decoding with multi-token prediction: drafted tokens per step and their acceptance. */
export const speculativeSchema = z.strictObject({
  draft_tokens: measured('draft_tokens', positiveInteger).default(1),
  acceptance: measured('fraction', uncertain(fraction)),
  source: sourceSchema,
});

/**
 * Load over a day: the average demand as a share of the peak the
 * deployment is sized for (`utilization`), or 24 hourly demands relative to
 * each other (`hourly`). With `autoscaled: true` the service adds and
 * removes units with the load (DeepSeek: 278 nodes at peak, 226.75 on
 * average), so the units it runs stay at the peak operating point, and
 * `utilization` (default 1) is the share of their capacity in use.
 */
export const loadSchema = z
  .strictObject({
    utilization: measured('fraction', uncertain(fraction)).optional(),
    hourly: z
      .array(measured('relative_load', z.number().finite().gte(0)))
      .length(24)
      .optional(),
    autoscaled: z.boolean().default(false),
    source: sourceSchema,
  })
  .superRefine((load, context) => {
    if (load.utilization !== undefined && load.hourly !== undefined) {
      context.addIssue({code: 'custom', path: [], message: 'Expected one of `utilization` and `hourly`, got both'});
    }
    if (!load.autoscaled && load.utilization === undefined && load.hourly === undefined) {
      context.addIssue({
        code: 'custom',
        path: [],
        message: 'Expected `utilization` or `hourly` (or `autoscaled: true`, for units that follow the load)',
      });
    }
    if (load.hourly && Math.max(...load.hourly) <= 0) {
      context.addIssue({code: 'custom', path: ['hourly'], message: 'Expected at least one hour with load'});
    }
  });

export const inferencePrecisionSchema = z
  .strictObject({
    weights: z.enum(['bf16', 'fp8', 'fp4']).default('bf16'),
    /** The routed experts' weights when they differ (NVIDIA's DeepSeek-R1-FP4 quantises only the experts to FP4). */
    experts: z.enum(['bf16', 'fp8', 'fp4']).optional(),
    kv_cache: z.enum(['bf16', 'fp8']).default('bf16'),
  })
  .default({weights: 'bf16', kv_cache: 'bf16'});

/** The fields every serving setup has, scenario or published result. */
export const servingSetupShape = {
  model: idSchema,
  hardware: idSchema,
  precision: inferencePrecisionSchema,
  deployment: inferenceDeploymentSchema,
  engine: engineSchema.optional(),
  workload: inferenceWorkloadSchema,
  speculative: speculativeSchema.optional(),
  load: loadSchema.optional(),
};

/** A serving setup on its own (the fields above), for the estimation core. */
export const servingSetupSchema = z.strictObject(servingSetupShape);
export type ServingSetup = Nominal<z.infer<typeof servingSetupSchema>>;
