import type {Precision} from '../../data/schemas/common.js';
import type {Hardware} from '../../data/schemas/hardware.js';
import type {Model} from '../../data/schemas/model.js';
import type {AttentionConvention} from '../../data/schemas/scenario.js';
import {flopsPerTokenFor, trainingFlopsPerToken, type TrainingFlopsPerToken} from '../flops.js';
import type {ModelProfile} from '../model-profile.js';
import {countParameters, type ParameterCounts} from '../parameters.js';
import {co2Kilograms, energyJoules, megawattHours, type EnergyAssumptions} from '../energy.js';
import {SECONDS_PER_DAY, SECONDS_PER_HOUR, teraToUnit} from '../units.js';

/** A training run whose efficiency is stated (MFU with its convention). */
export interface TrainingRunInputs {
  readonly model: Model;
  readonly hardware: Hardware;
  readonly gpus: number;
  readonly tokens: number;
  readonly seqLen: number;
  readonly mfu: number;
  /** Which attention FLOPs the MFU counts. */
  readonly mfuAttention: AttentionConvention;
  /** The precision whose dense peak is the MFU denominator. */
  readonly peakPrecision: Precision;
  /** Rental or owned cost per GPU-hour; cost is left undefined without it. */
  readonly usdPerGpuHour: number | undefined;
  /** Board power, node overhead, PUE and grid intensity. */
  readonly energy: EnergyAssumptions;
}

export interface TrainingRunEstimate {
  readonly parameters: ParameterCounts;
  readonly flopsPerToken: TrainingFlopsPerToken;
  /** Model FLOPs of the whole run with causal attention, the work the run must do. */
  readonly trainingFlops: number;
  /** FLOPs per token under the MFU's own convention. */
  readonly mfuFlopsPerToken: number;
  readonly peakFlopsPerSecondPerGpu: number;
  readonly achievedFlopsPerSecondPerGpu: number;
  readonly tokensPerSecondPerGpu: number;
  readonly gpuHours: number;
  readonly wallClockSeconds: number;
  readonly wallClockDays: number;
  readonly costUsd: number | undefined;
  /** Undefined for a chip whose power is not published. */
  readonly energyJoules: number | undefined;
  readonly energyMegawattHours: number | undefined;
  readonly co2Tonnes: number | undefined;
}

/**
 * Time, GPU-hours, cost and energy of a run from its stated efficiency
 * (Epoch AI's "Method 2" read backwards: time = FLOPs / (GPUs × peak × MFU)).
 * MFU follows PaLM: model FLOPs per second over the dense peak; DeepSeek and
 * Meta both take the BF16 peak as the denominator (reference §4.2).
 */
export function estimateTrainingRun(inputs: TrainingRunInputs, profile?: ModelProfile): TrainingRunEstimate {
  // The model's profile, when given, already holds its counts: Monte Carlo samples reuse them.
  const parameters = profile?.parameters ?? countParameters(inputs.model);
  const flopsPerToken = trainingFlopsPerToken(inputs.model, inputs.seqLen, parameters);
  const mfuFlopsPerToken = flopsPerTokenFor(flopsPerToken, inputs.mfuAttention);
  const peakTflops = inputs.hardware.peak_tflops[inputs.peakPrecision];
  if (peakTflops === undefined) {
    throw new RangeError(`${inputs.hardware.id} has no ${inputs.peakPrecision} peak rate`);
  }
  const peakFlopsPerSecondPerGpu = teraToUnit(peakTflops);
  const achievedFlopsPerSecondPerGpu = inputs.mfu * peakFlopsPerSecondPerGpu;
  const tokensPerSecondPerGpu = achievedFlopsPerSecondPerGpu / mfuFlopsPerToken;
  const gpuSeconds = inputs.tokens / tokensPerSecondPerGpu;
  const gpuHours = gpuSeconds / SECONDS_PER_HOUR;
  const wallClockSeconds = gpuSeconds / inputs.gpus;
  const tdpWatts = inputs.hardware.power.tdp_w;
  const joules = tdpWatts === undefined ? undefined : energyJoules(gpuSeconds, tdpWatts, inputs.energy);
  return {
    parameters,
    flopsPerToken,
    trainingFlops: inputs.tokens * flopsPerTokenFor(flopsPerToken, 'causal'),
    mfuFlopsPerToken,
    peakFlopsPerSecondPerGpu,
    achievedFlopsPerSecondPerGpu,
    tokensPerSecondPerGpu,
    gpuHours,
    wallClockSeconds,
    wallClockDays: wallClockSeconds / SECONDS_PER_DAY,
    costUsd: inputs.usdPerGpuHour === undefined ? undefined : gpuHours * inputs.usdPerGpuHour,
    energyJoules: joules,
    energyMegawattHours: joules === undefined ? undefined : megawattHours(joules),
    co2Tonnes: joules === undefined ? undefined : co2Kilograms(joules, inputs.energy) / 1000,
  };
}
