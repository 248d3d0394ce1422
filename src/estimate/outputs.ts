import type {InferenceEstimate} from './inference/inference-scenario.js';
import type {ScenarioEstimate} from './training/training-scenario.js';

/** The unit an output is expressed in; formatting keys off it. */
export type OutputUnit =
  | 'GPU-h'
  | 'days'
  | 'USD'
  | 'MWh'
  | 'kWh'
  | 'tCO2e'
  | 'kgCO2e'
  | 'FLOP'
  | 'FLOP/s'
  | 'tokens/s'
  | 'fraction'
  | 'params'
  | 's'
  | 'bytes'
  | 'tokens'
  | 'sequences';

export interface OutputInfo<Estimate = ScenarioEstimate> {
  readonly label: string;
  readonly unit: OutputUnit;
  readonly read: (estimate: Estimate) => number | undefined;
}

/** The outputs of a training estimate that templates can print by name, with their units. */
export const TRAINING_OUTPUTS = {
  gpuHours: {label: 'GPU-hours', unit: 'GPU-h', read: (e) => e.gpuHours},
  wallClockDays: {label: 'Wall-clock time', unit: 'days', read: (e) => e.wallClockDays},
  costUsd: {label: 'Cost', unit: 'USD', read: (e) => e.costUsd},
  energyMegawattHours: {label: 'Energy', unit: 'MWh', read: (e) => e.energyMegawattHours},
  co2Tonnes: {label: 'Emissions', unit: 'tCO2e', read: (e) => e.co2Tonnes},
  trainingFlops: {label: 'Training compute (causal)', unit: 'FLOP', read: (e) => e.trainingFlops},
  mfuFlopsPerToken: {label: 'FLOPs per token (MFU convention)', unit: 'FLOP', read: (e) => e.mfuFlopsPerToken},
  tokensPerSecondPerGpu: {label: 'Tokens per second per GPU', unit: 'tokens/s', read: (e) => e.tokensPerSecondPerGpu},
  achievedFlopsPerSecondPerGpu: {
    label: 'Achieved FLOP/s per GPU',
    unit: 'FLOP/s',
    read: (e) => e.achievedFlopsPerSecondPerGpu,
  },
  mfu: {label: 'Model FLOPs utilisation', unit: 'fraction', read: (e) => e.mfu},
  totalParams: {label: 'Total parameters', unit: 'params', read: (e) => e.parameters.totalParams},
  activeParams: {label: 'Active parameters', unit: 'params', read: (e) => e.parameters.activeParams},
} as const satisfies Record<string, OutputInfo>;

export type TrainingOutputName = keyof typeof TRAINING_OUTPUTS;

/** The outputs of an inference estimate that templates can print by name, with their units. */
export const INFERENCE_OUTPUTS = {
  ttftSeconds: {label: 'Time to first token', unit: 's', read: (e) => e.ttftSeconds},
  tpotSeconds: {label: 'Time per output token', unit: 's', read: (e) => e.tpotSeconds},
  tokensPerSecondPerUser: {
    label: 'Output tokens per second per user',
    unit: 'tokens/s',
    read: (e) => e.tokensPerSecondPerUser,
  },
  outputTokensPerSecondPerGpu: {
    label: 'Output tokens per second per GPU',
    unit: 'tokens/s',
    read: (e) => e.outputTokensPerSecondPerGpu,
  },
  outputTokensPerSecondPerNode: {
    label: 'Output tokens per second per node',
    unit: 'tokens/s',
    read: (e) => e.outputTokensPerSecondPerNode,
  },
  inputTokensPerSecondPerGpu: {
    label: 'Input tokens per second per GPU',
    unit: 'tokens/s',
    read: (e) => e.inputTokensPerSecondPerGpu,
  },
  usdPerMillionOutputTokens: {
    label: 'Cost per million output tokens',
    unit: 'USD',
    read: (e) => e.usdPerMillionOutputTokens,
  },
  usdPerMillionInputTokens: {
    label: 'Cost per million input tokens',
    unit: 'USD',
    read: (e) => e.usdPerMillionInputTokens,
  },
  kilowattHoursPerMillionOutputTokens: {
    label: 'Energy per million output tokens',
    unit: 'kWh',
    read: (e) => e.kilowattHoursPerMillionOutputTokens,
  },
  co2KilogramsPerMillionOutputTokens: {
    label: 'Emissions per million output tokens',
    unit: 'kgCO2e',
    read: (e) => e.co2KilogramsPerMillionOutputTokens,
  },
  kvCacheBytesPerToken: {label: 'KV cache per token', unit: 'bytes', read: (e) => e.kvCacheBytesPerToken},
  batch: {label: 'Concurrent sequences per decode unit', unit: 'sequences', read: (e) => e.batch},
  largestBatch: {label: 'Largest batch that fits', unit: 'sequences', read: (e) => e.largestBatch},
  largestContext: {label: 'Longest context for one sequence', unit: 'tokens', read: (e) => e.largestContext},
} as const satisfies Record<string, OutputInfo<InferenceEstimate>>;

export type InferenceOutputName = keyof typeof INFERENCE_OUTPUTS;

export function isInferenceOutput(name: string): name is InferenceOutputName {
  return Object.hasOwn(INFERENCE_OUTPUTS, name);
}

export function isTrainingOutput(name: string): name is TrainingOutputName {
  return Object.hasOwn(TRAINING_OUTPUTS, name);
}
