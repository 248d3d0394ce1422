import type {OutputInfo} from '../outputs.js';
import type {InferenceEstimate} from './inference-scenario.js';

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
