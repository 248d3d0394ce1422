/**
 * Every constant of the estimator's models, in one table: its value, unit,
 * the range a Monte Carlo draws it from, its source, and its status:
 *
 * - `fitted`: chosen to minimise the error on the calibration set
 *   (data/references.yaml) by `src/estimate/calibration/`; a test checks the
 *   value here is what the fit finds, and that the range holds every
 *   leave-one-out refit.
 * - `sourced`: measured or stated by a paper, vendor or benchmark, or derived
 *   here from such measurements by the arithmetic or fit its source shows (the
 *   source says which, with the labels of the data files: [A] authors or
 *   vendor, [T] third party, [T*] stas00/ml-engineering, [D] derived here).
 * - `assumed`: a rule of thumb, or a judgement between published figures that
 *   no arithmetic on them gives; the range says how little is known.
 *
 * The code reads the constants from a `ConstantValues` object (the nominal
 * one, or a Monte Carlo draw, or a refit), never from literals. The
 * methodology page is generated from this table, so keep each entry's
 * description a sentence a reader can follow.
 */

export type ConstantStatus = 'fitted' | 'sourced' | 'assumed';

export interface ModelConstant {
  /** What the constant is, in a sentence. */
  readonly description: string;
  readonly value: number;
  readonly unit: string;
  /** The range a Monte Carlo draws it from: triangular, with `value` as its mode. */
  readonly range: {readonly low: number; readonly high: number};
  readonly source: string;
  readonly status: ConstantStatus;
  /** Which estimates read it (the serving model's own constants are in src/estimate/inference/serving-constants.ts). */
  readonly section: 'training' | 'training and serving' | 'serving';
  /** For a fitted constant: the interval its fit searches. */
  readonly fitInterval?: {readonly low: number; readonly high: number};
  /**
   * For a fitted constant that scales with a quantity of the layout: the span of that quantity over the
   * calibration runs the constant acts on (a test checks it against data/references.yaml). An estimate
   * outside it extrapolates the fit.
   */
  readonly calibratedSpan?: {readonly quantity: string; readonly low: number; readonly high: number};
}

/** The constants of the training step model (src/estimate/training/) and of the chip rates both estimators share. */
const TRAINING_CONSTANTS = {
  kernelEfficiency: {
    description:
      "Share of a chip's measured achievable matmul rate (MAMF) that training GEMMs sustain end to end, once each GEMM's fixed overhead is counted: casts, quantisation, launch gaps and the shapes real layers have.",
    value: 0.721,
    unit: 'fraction',
    range: {low: 0.719, high: 0.721},
    source:
      '[D] fitted to the calibration set (data/references.yaml) by least absolute deviations of the log of predicted over reported throughput (src/estimate/calibration/leave-one-out.ts); the range spans the leave-one-out refits, rounded outward',
    status: 'fitted',
    section: 'training and serving',
    fitInterval: {low: 0.5, high: 1},
  },
  gemmOverheadSeconds: {
    description:
      'Fixed time of one GEMM kernel on top of its FLOPs at the achievable rate: small GEMMs run far below the large-matrix rate.',
    value: 10e-6,
    unit: 's',
    range: {low: 7.5e-6, high: 12e-6},
    source:
      "[D] derived here (not fitted to the calibration set) from OpenXLA's measured H100 (sm_90) BF16 GEMM table (tensorflow third_party/xla/xla/service/gpu/model/matmul_interpolator_data.h, 375 shapes): time = FLOPs / (0.84 x 989 TFLOP/s) + 10 us matches the binned efficiencies from 1 to 600 GFLOP (7.6 us when the bins below 1 GFLOP are weighted in)",
    status: 'sourced',
    section: 'training',
  },
  attentionFractionOfMatmul: {
    description:
      "FlashAttention's rate relative to the chip's achievable matmul rate (the attention core: scores, softmax and values).",
    value: 0.55,
    unit: 'fraction',
    range: {low: 0.42, high: 0.8},
    source:
      '[?] a judgement between measured figures: [A] FlashAttention-2 (Dao 2023): 50-73% of the A100 peak forward, less backward (0.6-0.8 of its MAMF); about 335 TFLOP/s on H100 (0.42 of its MAMF); 0.55 is chosen between them, not computed from them',
    status: 'assumed',
    section: 'training and serving',
  },
  attentionBackwardFactor: {
    description: "Time of FlashAttention's backward pass relative to its forward.",
    value: 2.5,
    unit: 'ratio',
    range: {low: 2, high: 3},
    source: '[A] FlashAttention-2 (Dao 2023) §3: the backward does 2.5 times the forward matmul FLOPs',
    status: 'sourced',
    section: 'training',
  },
  defaultAchievableMatmulFraction: {
    description:
      "Share of the dense peak a matmul achieves on a chip with no measured rate at all (the estimate is then flagged 'extrapolated').",
    value: 0.785,
    unit: 'fraction',
    range: {low: 0.51, high: 0.87},
    source:
      "[D] median of the BF16 MAMF fractions in stas00's table (A100 86.9, GH200 83.6, H100 80.3, Gaudi 3 76.8, MI325X 60.4, MI300X 51.4%); the range is their spread",
    status: 'sourced',
    section: 'training and serving',
  },
  otherPrecisionFractionRatio: {
    description:
      "A precision without its own measured rate takes the chip's measured share of peak in another precision times this ratio (the estimate is flagged 'extrapolated').",
    value: 0.95,
    unit: 'ratio',
    range: {low: 0.88, high: 1},
    source:
      "[D] FP8 over BF16 MAMF fractions in stas00's table: H100 0.709/0.803 = 0.88, H200 0.734/0.803 = 0.91, B200 0.763/0.776 = 0.98, GB200 0.723/0.729 = 0.99; 0.95 is their median",
    status: 'sourced',
    section: 'training and serving',
  },
  defaultLinkFraction: {
    description:
      "Share of a link's nominal bandwidth collectives achieve, for links with no measured fraction in the hardware data.",
    value: 0.8,
    unit: 'fraction',
    range: {low: 0.7, high: 0.85},
    source:
      "[A] DeepSeek ISCA'25 §4.1, §4.3: ~160 of 200 GB/s NVLink, ~40 of 50 GB/s IB; [A] Azure AI-benchmarking-guide NCCL all-reduce bus bandwidth: A100 0.77, MI300X 0.71, GB200 0.76 of the link",
    status: 'sourced',
    section: 'training and serving',
  },
  defaultHbmFraction: {
    description:
      'Share of nominal HBM bandwidth memory-bound kernels achieve, for chips with no measured fraction in the hardware data.',
    value: 0.86,
    unit: 'fraction',
    range: {low: 0.77, high: 0.95},
    source:
      '[A] Azure AI-benchmarking-guide STREAM triad over spec: A100 0.83, H100 0.89, H200 0.86, MI300X 0.77; [A] FlashMLA 3000 of 3350 GB/s on H800 (0.90); 0.86 is their median',
    status: 'sourced',
    section: 'training and serving',
  },
  overlapSmShare: {
    description:
      "Share of a GPU's streaming multiprocessors the expert all-to-all kernels take from compute while DualPipe overlaps them with the paired micro-batch.",
    value: 20 / 132,
    unit: 'fraction',
    range: {low: 16 / 132, high: 24 / 132},
    source:
      '[A] DeepSeek-V3 report §3.2.2: 20 of the H800\'s 132 SMs "are sufficient to fully utilize the bandwidths of IB and NVLink"; the range is ±4 SMs [?]',
    status: 'sourced',
    section: 'training',
  },
  tensorParallelOverlapSmShare: {
    description:
      "Share of a GPU's compute that tensor-parallel collectives take while they overlap the GEMMs they feed (when a run overlaps them).",
    value: 0.15,
    unit: 'fraction',
    range: {low: 0.05, high: 0.2},
    source:
      "[A] Calculon (Isaev et al. SC'23) systems/h100_80g_nvl8.json: NVLink `processor_usage` 0.15; [A] NeMo's userbuffers presets reserve 1 to 24 of the H100's 132 SMs per overlapped GEMM (nemo/collections/llm/recipes/tp_overlap_configs/userbuffers.py), 0.01 to 0.18",
    status: 'sourced',
    section: 'training',
  },
  hostSecondsPerLocalExpert: {
    description:
      "Host time to dispatch one GPU's work for one of its routed experts in one MoE layer, forward and backward, when CUDA graphs do not replay it: an MoE layer whose expert GEMMs take less time than their dispatch waits for the host.",
    value: 0.474e-3,
    unit: 's',
    range: {low: 0.422e-3, high: 0.475e-3},
    source:
      '[D] fitted to the calibration set as kernelEfficiency is; the mechanism is NVIDIA\'s: CUDA graphs "mainly solve launch-bound training steps where GPU compute is fast enough that repeated host-driver submission overhead becomes noticeable" (Megatron-Bridge docs, training/cuda-graphs), and grouped expert GEMMs still prepare, quantise and split their inputs per expert on the host',
    status: 'fitted',
    section: 'training',
    fitInterval: {low: 0, high: 0.002},
    calibratedSpan: {quantity: 'routed experts per GPU', low: 2, high: 32},
  },
  hostSecondsPerUngraphedMoeLayer: {
    description:
      "Host time to launch the rest of one MoE layer's kernels (attention, norms, router, permutation) for one micro-batch, forward and backward, when no CUDA graph replays any of them: after the layer's token counts are read, the GPU waits for these launches too.",
    value: 0.68e-3,
    unit: 's',
    range: {low: 0.68e-3, high: 1.46e-3},
    source:
      "[D] fitted to the calibration set as hostSecondsPerLocalExpert is, on its MoE runs without CUDA graphs (gpt-oss-120b, Qwen3, DeepSeek-V3 in Megatron-Bridge's configs); the range spans the leave-one-out refits, rounded outward. The mechanism: with no graph, every kernel of the layer is launched from the host, and a dropless MoE layer reads its token counts per expert first, so the host cannot run ahead across it (Megatron-Bridge docs, training/cuda-graphs: graphs 'mainly solve launch-bound training steps')",
    status: 'fitted',
    section: 'training',
    fitInterval: {low: 0, high: 0.01},
  },
  tuningGap: {
    description:
      "How much longer a run's step takes than at the search's fastest layout, when the run publishes neither its tensor nor its pipeline degree and the search chooses its split: the fastest layout is a bound a lab reaches only by tuning, not what such a run is expected to have run.",
    value: 1.13,
    unit: 'ratio',
    range: {low: 1.01, high: 1.39},
    source:
      "[D] derived here from the runs that publish their split (src/estimate/training/tuning-gap.ts; a test checks the value): on each, the estimator's own fastest layout over the layout it was published with, at the nominal constants and without reading the reported figures. 69 runs: median 1.13, quartiles 1.019 and 1.386 (the range, rounded outward), 0.78 to 3.2. Not fitted to the runs it acts on (ten, eight of them one lab's): fitted to them by least absolute deviations, as kernelEfficiency is, it came to 1.27 and the leave-one-out median over all runs rose to 8.3%, against 7.4% without the gap and 6.7% at 1.16 (the median of the 62 runs that published their split then)",
    status: 'sourced',
    section: 'training',
  },
  scaleUpLatencySeconds: {
    description: 'Latency of one step of a collective on the scale-up link (NVLink, xGMI).',
    value: 3.33e-6,
    unit: 's',
    range: {low: 1e-6, high: 6e-6},
    source: "[A] DeepSeek ISCA'25 Table 5: 3.33 us for 64 bytes over NVLink; Calculon's a100_80g.json takes 1 us [A]",
    status: 'sourced',
    section: 'training',
  },
  scaleOutLatencySeconds: {
    description:
      'Latency of one step of a collective on the scale-out network (InfiniBand, RoCE), when the cluster does not give its own.',
    value: 3.7e-6,
    unit: 's',
    range: {low: 2e-6, high: 6e-6},
    source: "[A] DeepSeek ISCA'25 Table 5: InfiniBand 2.8 us within a leaf, 3.7 us across leaves; RoCE 3.6 and 5.6 us",
    status: 'sourced',
    section: 'training',
  },
  fp8ActivationBytes: {
    description:
      'Bytes per cached GEMM-input activation element when training in FP8: one byte and its share of the scales (the rest of the activations keep 16 bits).',
    value: 1 + 4 / 128,
    unit: 'bytes',
    range: {low: 1, high: 1 + 4 / 64},
    source:
      '[A] DeepSeek-V3 report §3.3.2-3.3.3: activations cached in FP8 for the Linear backward, one FP32 scale per 1×128 tile (1 + 4/128 bytes); per-tensor scaling (Transformer Engine) is 1 byte; the high end allows tiles of 64 [D]',
    status: 'sourced',
    section: 'training',
  },
  reservedFraction: {
    description:
      "Share of each GPU's memory kept back from the model (CUDA context, communication buffers, allocator fragmentation), on top of `reservedBytes`.",
    value: 0.05,
    unit: 'fraction',
    range: {low: 0.03, high: 0.1},
    source: '[?] a rule of thumb, not a measurement',
    status: 'assumed',
    section: 'training and serving',
  },
  reservedBytes: {
    description: 'Bytes kept back on every GPU on top of `reservedFraction` of its memory.',
    value: 2e9,
    unit: 'bytes',
    range: {low: 1e9, high: 4e9},
    source: '[?] a rule of thumb, not a measurement',
    status: 'assumed',
    section: 'training and serving',
  },
  memoryErrorRatio: {
    description:
      "The memory model's own error, as the factor its total is off the real one by at the 95th percentile (a log-normal centred on 1). Each Monte Carlo draw scales every layout's memory by a draw of that error and takes the fastest layout that then fits, so a layout chosen near the edge of the memory changes within the ranges.",
    value: 1.25,
    unit: 'ratio',
    range: {low: 1.145, high: 1.5},
    source:
      "[?] assumed from the memory evidence `tradeoffs calibrate` lists: layouts that trained read up to 1.145 times the device's memory by the model, so its error reaches at least that (the low end); 1.25 (the tolerance a published layout is taken as fitting within) leaves room for runs not yet seen; 1.5 is an assumed high end. Centred on 1 by assumption: the evidence is one-sided (a layout that did not fit is never published), so it shows over-prediction only and no bias either way is measured (σ of the log at the mode: ln 1.25 / 1.645 = 0.136)",
    status: 'assumed',
    section: 'training',
  },
  goodput: {
    description:
      'Share of wall-clock time a predicted run spends on useful steps, after interruptions, restarts and checkpoints, when its scenario gives none.',
    value: 0.95,
    unit: 'fraction',
    range: {low: 0.9, high: 1},
    source:
      "[A] Llama 3 Herd §3.3.4: 466 interruptions (419 unexpected) in 54 days on up to 16K GPUs, over 90% effective training time (the low end); [D] DeepSeek-V3's 2,664K H800 GPU-hours (V3 report Table 1) equal its 19.926 s step (ISCA'25 Table 4) over 14.8T tokens, about 1 (the high end); the mode between is an assumption",
    status: 'assumed',
    section: 'training',
  },
} as const satisfies Record<string, ModelConstant>;

/** Every constant of the estimator, by name. */
export const MODEL_CONSTANTS = {...TRAINING_CONSTANTS} as const satisfies Record<string, ModelConstant>;

export type ModelConstantName = keyof typeof MODEL_CONSTANTS;

/** A value for every constant: the nominal one, a Monte Carlo draw or a refit. */
export type ConstantValues = {readonly [K in ModelConstantName]: number};

/** The constants at their tabled values. */
export const NOMINAL_CONSTANTS: ConstantValues = Object.freeze(
  Object.fromEntries(Object.entries(MODEL_CONSTANTS).map(([name, constant]) => [name, constant.value])),
) as ConstantValues;

/** The constants fitted to the calibration set, in table order. */
export const FITTED_CONSTANTS: readonly ModelConstantName[] = (
  Object.keys(MODEL_CONSTANTS) as ModelConstantName[]
).filter((name) => MODEL_CONSTANTS[name].status === 'fitted');

/** The constants with a nominal value replaced. */
export function withConstants(base: ConstantValues, changes: Partial<ConstantValues>): ConstantValues {
  return {...base, ...changes};
}
