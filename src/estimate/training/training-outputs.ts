import type {OutputInfo} from '../outputs.js';
import type {TrainingEstimate} from './training-scenario.js';

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
  goodput: {
    label: 'Goodput included in GPU-hours, time, cost and energy',
    unit: 'fraction',
    read: (e) => e.goodput,
  },
  totalParams: {label: 'Total parameters', unit: 'params', read: (e) => e.parameters.totalParams},
  activeParams: {label: 'Active parameters', unit: 'params', read: (e) => e.parameters.activeParams},
} as const satisfies Record<string, OutputInfo<TrainingEstimate>>;

export type TrainingOutputName = keyof typeof TRAINING_OUTPUTS;
