/**
 * The constants of the serving model, each with its value, unit, a range
 * that says how sure it is, its source and its status:
 *
 * - `sourced`: read off a published benchmark or document (possibly with
 *   arithmetic, shown in the source);
 * - `assumed`: no source quantifies it; a stated default with a range,
 *   which the calibration page shows;
 * - `fitted`: chosen to fit the serving references of data/references.yaml
 *   (src/estimate/inference/calibration.ts refits it over `fitInterval`, and
 *   again without each reference; `range` spans those leave-one-out refits).
 *
 * The record shape is the training constants' (src/estimate/model-constants.ts:
 * description, value, unit, range, source, status, section, fitInterval), so
 * the methodology page can list both. No constant is keyed to a model, a chip,
 * an engine or a deployment.
 */
import type {ModelConstant} from '../model-constants.js';

const constants = {
  gemmFractionOfAchievable: {
    description:
      'Share of the chip’s measured achievable matmul rate (MAMF) that serving GEMMs reach on large token counts',
    value: 0.78,
    unit: 'fraction',
    range: {low: 0.65, high: 0.9},
    status: 'sourced',
    source:
      '[D] DeepGEMM README (H800, FP8): M=4096 dense 590–1,358 and grouped-contiguous 1,093–1,297 TFLOPS, median 1,096, over the H100/H800 FP8 MAMF of 1,402.6 (stas00)',
    section: 'serving',
  },
  fp4ShareRatio: {
    description:
      'A chip with no measured block-scaled FP4 (NVFP4) GEMM rate takes its measured 16-bit share of peak times this ratio on its FP4 peak (its estimates say they are extrapolated)',
    value: 0.56,
    unit: 'ratio',
    range: {low: 0.45, high: 1},
    status: 'assumed',
    source:
      '[?] assumed from the one chip measured in both: B200 NVFP4 GEMMs at 3,904 of 9,000 TFLOPS (0.434; vllm-project/vllm PR #20646, 2025-07) against its BF16 MAMF at 1,745 of 2,250 (0.776, stas00): 0.434 / 0.776 = 0.56 [D]; up to 1 as FP4 kernels mature',
    section: 'serving',
  },
  gemmHalfEfficiencyTokens: {
    description:
      'Tokens per GEMM (per expert, for grouped GEMMs) at which a GEMM reaches half its large-shape rate: rate × M/(M + this)',
    value: 64,
    unit: 'tokens',
    range: {low: 32, high: 128},
    status: 'sourced',
    source:
      '[D] DeepGEMM README masked grouped GEMM (H800): 932, 1,040 and 1,233 TFLOPS at 256, 512 and 1,024 tokens per expert, i.e. 0.76, 0.84 and 1.0 of the large-M rate; M/(M+64) gives 0.80, 0.89, 0.94',
    section: 'serving',
  },
  weightStreamHbmFraction: {
    description: 'Share of nominal HBM bandwidth a memory-bound GEMM reaches while streaming its weights',
    value: 0.71,
    unit: 'fraction',
    range: {low: 0.6, high: 0.85},
    status: 'sourced',
    source:
      '[D] DeepGEMM README (H800, FP8, M=64): 1,688–2,668 GB/s, median 2,388 GB/s of 3,350 GB/s; masked grouped GEMM at 256 tokens per expert 2,047–2,064 GB/s (0.61)',
    section: 'serving',
  },
  referenceHbmFraction: {
    description:
      'Share of nominal HBM bandwidth memory-bound kernels reach on the chip the HBM shares above were measured on (the H800); another chip’s shares scale by its own measured share over this one',
    value: 0.9,
    unit: 'fraction',
    range: {low: 0.88, high: 0.92},
    status: 'sourced',
    source:
      '[A] FlashMLA README: up to 3,000 GB/s memory-bound on H800 SXM5, of 3,350 (data/hardware.yaml h800-sxm memory.achievable_fraction 0.9); [T] ChipBenchmarker H800 read 2,978 GB/s (0.89)',
    section: 'serving',
  },
  attentionFractionOfAchievable: {
    description:
      'Share of the chip’s achievable BF16 matmul rate that attention kernels reach when compute-bound (decode with many query heads, prefill)',
    value: 0.82,
    unit: 'fraction',
    range: {low: 0.6, high: 0.9},
    status: 'sourced',
    source:
      '[D] FlashMLA README (H800): 660 TFLOPS compute-bound dense MLA decode and 640 TFLOPS sparse prefill, over the H100/H800 BF16 MAMF of 794.5 (stas00)',
    section: 'serving',
  },
  attentionHbmFraction: {
    description: 'Share of nominal HBM bandwidth attention kernels reach reading the KV cache',
    value: 0.9,
    unit: 'fraction',
    range: {low: 0.75, high: 0.95},
    status: 'sourced',
    source: '[D] FlashMLA README (H800): 3,000 GB/s memory-bound MLA decode, of 3,350 GB/s',
    section: 'serving',
  },
  allToAllLatencySeconds: {
    description: 'Fixed time of one expert-parallel dispatch or combine, beyond its bytes over the link',
    value: 15e-6,
    unit: 's',
    range: {low: 5e-6, high: 30e-6},
    status: 'assumed',
    source:
      '[?] assumed: DeepEP low-latency kernels (H800, 128 tokens per rank) run at 39–46 GB/s from EP64 up, so their 173–369 µs are mostly bytes; the fixed part is not published',
    section: 'serving',
  },
  balancedImbalance: {
    description:
      'Load of the busiest GPU over the mean in the expert layers when a balancer (EPLB) places redundant experts',
    value: 1.2,
    unit: '×',
    range: {low: 1.05, high: 1.4},
    status: 'assumed',
    source:
      '[?] assumed: no source states max/mean expert load in production; SGLang (LMSYS, 2025-05-05) measures 50,302 against 59,337 input tokens/s per node with its EPLB against a simulated perfect balance (1.18× throughput), a lower bound on the imbalance of the expert layers',
    section: 'serving',
  },
  unbalancedImbalance: {
    description: 'Load of the busiest GPU over the mean in the expert layers with experts placed without a balancer',
    value: 2,
    unit: '×',
    range: {low: 1.5, high: 3},
    status: 'assumed',
    source:
      '[?] assumed: SGLang (LMSYS, 2025-05-05) reports EPLB speeds large-scale prefill up 1.49× and decode 2.54×; the imbalance it removes is not published',
    section: 'serving',
  },
  overlapEfficiency: {
    description:
      'Share of the shorter of compute and all-to-all time that two-batch overlap hides (0: none, 1: all of it)',
    value: 0.43,
    unit: 'fraction',
    range: {low: 0.36, high: 0.49},
    status: 'fitted',
    source:
      'Fitted to the serving references of data/references.yaml (tradeoffs calibrate prints the fit and its leave-one-out refits; the range spans the refits, rounded outward); consistent with SGLang’s two-batch-overlap gains of 25–35% in decode and 27–35% in prefill (LMSYS, 2025-05-05), against up to 100% for a perfect overlap of equal parts',
    section: 'serving',
    fitInterval: {low: 0, high: 1},
  },
  layerOverheadSeconds: {
    description:
      'Fixed time per layer per micro-batch of a forward pass: kernel launches and tails, and norms, routing and quantisation kernels too small to be bound by bandwidth',
    value: 20e-6,
    unit: 's',
    range: {low: 0, high: 60e-6},
    status: 'assumed',
    source:
      '[?] assumed: about ten kernels per layer at about 2 µs of launch and tail each; RTP-LLM reports about 2 ms of kernel launches per decode step without CUDA graphs (alibaba/rtp-llm DeepSeek replay report)',
    section: 'serving',
  },
  latencyKneeFactor: {
    description:
      'How far above the inter-token latency of a single sequence a per-user speed target may bind: a target tighter than this is missed, and the batch is the one at this latency',
    value: 1.25,
    unit: '×',
    range: {low: 1.1, high: 2},
    status: 'assumed',
    source:
      '[?] assumed: holding a speed within 25% of one sequence’s costs most of the throughput (a memory-bound step grows little with the batch until then), so a service relaxes the target rather than run near batch 1',
    section: 'serving',
  },
  hostOverheadSeconds: {
    description: 'Host time per decode step the GPUs wait for (scheduling, sampling, launches), by default',
    value: 1.5e-3,
    unit: 's',
    range: {low: 0.2e-3, high: 3e-3},
    status: 'sourced',
    source:
      '[A] RTP-LLM DeepSeek replay report (alibaba/rtp-llm docs): about 1.5 ms of host time between decode steps, with a target under 0.2 ms at batch 128',
    section: 'serving',
  },
  engineMemoryFraction: {
    description: 'Share of the device’s memory the engine takes for weights, activations and KV cache, by default',
    value: 0.9,
    unit: 'fraction',
    range: {low: 0.8, high: 0.95},
    status: 'sourced',
    source:
      '[A] vLLM engine arguments: gpu_memory_utilization "If unspecified, will use the default value of 0.9" (vLLM PR #2162; docs v0.6.4)',
    section: 'serving',
  },
  activationReserveBytes: {
    description: 'Memory per GPU kept for activations and graph buffers beside the weights and KV cache',
    value: 2e9,
    unit: 'bytes',
    range: {low: 1e9, high: 4e9},
    status: 'assumed',
    source:
      '[?] assumed: engines measure it at start-up (vLLM profiles a forward pass); SGLang reserves at least 10 GiB on GPUs over 60 GiB, CUDA graphs included',
    section: 'serving',
  },
  prefillTokensPerPass: {
    description: 'Prompt tokens per prefill forward pass per attention group (chunked prefill size), by default',
    value: 8192,
    unit: 'tokens',
    range: {low: 2048, high: 16384},
    status: 'sourced',
    source: '[A] SGLang server_args.py: chunked_prefill_size 8192 on GPUs of 35–160 GiB (2048 below, 16384 above)',
    section: 'serving',
  },
  prefillUtilization: {
    description:
      'How busy prefill runs at peak load when no TTFT target is given: the share of its capacity the arriving prompts use',
    value: 0.8,
    unit: 'fraction',
    range: {low: 0.6, high: 0.95},
    status: 'assumed',
    source: '[?] assumed: a queue run at 80% keeps the M/D/1 wait at twice a prompt’s own service time',
    section: 'serving',
  },
} as const satisfies Record<string, ModelConstant>;

export type ServingConstantId = keyof typeof constants;

/** The values the serving model reads, by id (a fit swaps some of them). */
export type ServingConstantValues = {readonly [K in ServingConstantId]: number};

/** Every serving constant, by id, in the order the methodology lists them. */
export const SERVING_CONSTANTS: Readonly<Record<ServingConstantId, ModelConstant>> = constants;

/** The same as a list with their ids, for tables. */
export const SERVING_CONSTANT_LIST: ReadonlyArray<ModelConstant & {readonly id: ServingConstantId}> = (
  Object.keys(constants) as ServingConstantId[]
).map((id) => ({id, ...constants[id]}));

/** The values of the serving constants as the registry states them. */
export const SERVING_CONSTANT_VALUES: ServingConstantValues = Object.freeze(
  Object.fromEntries(SERVING_CONSTANT_LIST.map((constant) => [constant.id, constant.value])) as Record<
    ServingConstantId,
    number
  >,
);

/** One constant's record, by id. */
export function servingConstant(id: ServingConstantId): ModelConstant {
  return constants[id];
}
