import type {ServingConstantValues} from './serving-constants.js';
import type {ServingProfile} from './serving-profile.js';
import type {ServingRates} from './serving-rates.js';
import type {ServingUnit} from './forward-pass.js';

/** How an engine takes the GPU's memory (schemas/inference.ts `engine`). */
export interface EngineMemory {
  /** Share of the device's memory (`total`, vLLM) or of what the weights leave free (`free`, TensorRT-LLM). */
  readonly fraction: number;
  readonly of: 'total' | 'free';
}

/** Memory per GPU of a serving unit, as the engine divides it. */
export interface ServingMemory {
  /** The device's memory as it reports it. */
  readonly deviceBytes: number;
  readonly weightBytesPerGpu: number;
  readonly activationReserveBytes: number;
  /** What is left for the KV cache (negative when the weights do not fit). */
  readonly kvCacheBytesPerGpu: number;
  /** KV-cache bytes one token of one sequence takes on each GPU of its attention group. */
  readonly kvBytesPerTokenPerGpu: number;
}

/**
 * Weights per GPU: the dense part (attention, dense FFN, shared experts,
 * head and embedding) split over the TP ranks; the routed experts and their
 * redundant copies spread over all the unit's GPUs; the multi-token
 * prediction modules when speculation uses them. The KV cache gets what the
 * engine's share of memory leaves once the weights and an activation
 * reserve are set aside.
 */
export function servingMemory(
  profile: ServingProfile,
  rates: ServingRates,
  unit: ServingUnit,
  engine: EngineMemory,
  constants: ServingConstantValues,
  withMtp: boolean,
): ServingMemory {
  const dense = (profile.denseMatmulParams + profile.embeddingParams) / unit.tp;
  const experts = (profile.paramsPerExpertLayer * profile.moeLayers * unit.expertSlots) / unit.gpus;
  const mtpRouted = profile.mtpTotalParams - profile.mtpActiveParams;
  const mtp = withMtp ? profile.mtpActiveParams / unit.tp + mtpRouted / unit.gpus : 0;
  const weightBytesPerGpu = (dense + mtp) * unit.weightBytes + experts * unit.expertWeightBytes;
  const activationReserveBytes = constants.activationReserveBytes;
  const deviceBytes = rates.deviceBytes;
  const kvCacheBytesPerGpu =
    engine.of === 'total'
      ? engine.fraction * deviceBytes - weightBytesPerGpu - activationReserveBytes
      : engine.fraction * (deviceBytes - weightBytesPerGpu - activationReserveBytes);
  const shards = Math.max(1, Math.min(unit.tp, profile.kvShardLimit));
  return {
    deviceBytes,
    weightBytesPerGpu,
    activationReserveBytes,
    kvCacheBytesPerGpu,
    kvBytesPerTokenPerGpu: (profile.kvElementsPerToken * unit.kvBytes) / shards,
  };
}

/** Sequences of a mean context one attention group can hold in its KV cache (0 when the weights leave no room). */
export function sequencesThatFit(memory: ServingMemory, contextTokens: number): number {
  if (memory.kvCacheBytesPerGpu <= 0) return 0;
  return Math.floor(memory.kvCacheBytesPerGpu / (Math.max(1, contextTokens) * memory.kvBytesPerTokenPerGpu));
}
