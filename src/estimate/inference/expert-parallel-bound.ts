/** One step of expert-parallel all-to-all traffic, DeepSeek's closed form (ISCA'25 §2.3.2). */
export interface ExpertParallelBoundInputs {
  /** Tokens per micro-batch on one GPU. */
  readonly tokens: number;
  /** Experts each token is sent to: routed top-k plus shared (DeepSeek-V3: 8 + 1). */
  readonly expertsPerToken: number;
  readonly hiddenSize: number;
  /** Bytes per element dispatched (FP8: 1) and combined (BF16: 2). */
  readonly dispatchBytes: number;
  readonly combineBytes: number;
  readonly bandwidthBytesPerSecond: number;
  readonly layers: number;
  /** Micro-batches whose transfers add up per layer (2 with dual micro-batch overlap). */
  readonly microBatches: number;
}

/**
 * The communication bound on time per output token with expert parallelism:
 * (dispatch + combine bytes) × tokens × experts per token × hidden / bandwidth,
 * per micro-batch, per layer (ISCA'25 §2.3.2: 32 tokens × 9 experts × 7K
 * over 50 GB/s IB is 120.96 µs; two micro-batches and 61 layers give 14.76 ms;
 * over NVL72's 900 GB/s, 0.82 ms). An upper bound on speed: no latency, no compute.
 */
export function expertParallelDecodeBoundSeconds(inputs: ExpertParallelBoundInputs): number {
  const bytes =
    (inputs.dispatchBytes + inputs.combineBytes) * inputs.tokens * inputs.expertsPerToken * inputs.hiddenSize;
  return (bytes / inputs.bandwidthBytesPerSecond) * inputs.microBatches * inputs.layers;
}
