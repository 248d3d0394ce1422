import type {OutputInfo} from '../outputs.js';
import type {InferenceEstimate} from './inference-scenario.js';

/** The outputs of an inference estimate that templates can print by name, with their units. */
export const INFERENCE_OUTPUTS = {
  ttftSeconds: {label: 'Time to first token (mean, at the stated load)', unit: 's', read: (e) => e.ttftSeconds},
  ttftP90Seconds: {label: 'Time to first token (90th percentile, at peak)', unit: 's', read: (e) => e.ttftP90Seconds},
  tpotSeconds: {label: 'Time per output token (mean, at the stated load)', unit: 's', read: (e) => e.tpotSeconds},
  itlP99Seconds: {label: 'Inter-token latency (99th percentile, at peak)', unit: 's', read: (e) => e.itlP99Seconds},
  tokensPerSecondPerUser: {
    label: 'Output tokens per second per user (at the stated load)',
    unit: 'tokens/s',
    read: (e) => e.tokensPerSecondPerUser,
  },
  peakTokensPerSecondPerUser: {
    label: 'Output tokens per second per user (at peak)',
    unit: 'tokens/s',
    read: (e) => e.peakTokensPerSecondPerUser,
  },
  outputTokensPerSecondPerGpu: {
    label: 'Output tokens per second per GPU (day average)',
    unit: 'tokens/s',
    read: (e) => e.outputTokensPerSecondPerGpu,
  },
  peakOutputTokensPerSecondPerGpu: {
    label: 'Output tokens per second per GPU (at peak)',
    unit: 'tokens/s',
    read: (e) => e.peakOutputTokensPerSecondPerGpu,
  },
  outputTokensPerSecondPerNode: {
    label: 'Output tokens per second per scale-up domain (day average)',
    unit: 'tokens/s',
    read: (e) => e.outputTokensPerSecondPerNode,
  },
  inputTokensPerSecondPerGpu: {
    label: 'Input tokens per second per GPU (day average)',
    unit: 'tokens/s',
    read: (e) => e.inputTokensPerSecondPerGpu,
  },
  prefillCapacityTokensPerSecondPerGpu: {
    label: 'Input tokens per second per GPU (prefill saturated)',
    unit: 'tokens/s',
    read: (e) => e.prefillCapacityTokensPerSecondPerGpu,
  },
  usdPerMillionOutputTokens: {
    label: 'Cost per million output tokens (at the stated load)',
    unit: 'USD',
    read: (e) => e.usdPerMillionOutputTokens,
  },
  usdPerMillionInputTokens: {
    label: 'Cost per million input tokens (at the stated load)',
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
  batch: {label: 'Concurrent sequences per decode unit (at peak)', unit: 'sequences', read: (e) => e.batch},
  largestBatch: {label: 'Largest batch that fits', unit: 'sequences', read: (e) => e.largestBatch},
  largestContext: {label: 'Longest context for one sequence', unit: 'tokens', read: (e) => e.largestContext},
  utilization: {label: 'Day-average load over peak', unit: 'fraction', read: (e) => e.utilization},
} as const satisfies Record<string, OutputInfo<InferenceEstimate>>;

export type InferenceOutputName = keyof typeof INFERENCE_OUTPUTS;
