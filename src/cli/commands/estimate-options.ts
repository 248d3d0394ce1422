import {defineCommand} from '../options.js';

export const estimateCommandSpec = defineCommand({
  name: 'estimate',
  summary: "Print a scenario's estimate",
  details:
    'With a layout, the predicted step (breakdown, MFU and HFU, memory verdict) and the runners-up; uncertain inputs give the 5th, 50th and 95th percentiles of a seeded Monte Carlo.',
  positionals: [{name: '<scenario-id>', description: 'a scenario id', required: true}],
  options: {
    hardware: {type: 'text', value: 'id', description: 'Run the scenario on other hardware'},
    gpus: {
      type: 'integer',
      value: 'n',
      min: 1,
      max: 10_000_000,
      description: "Another GPU count (a point of the scenario's sweep)",
    },
    precision: {type: 'text', value: 'precision', description: 'Another precision (fp8, bf16, …)'},
    technique: {type: 'text', value: 'name', description: "One of the technique sets of the scenario's sweep"},
    search: {type: 'flag', description: 'Search every layout and rank the fastest that fit'},
    samples: {
      type: 'integer',
      value: 'n',
      min: 1,
      max: 1_000_000,
      default: 1000,
      description: 'Monte Carlo samples over uncertain inputs (default: 1000)',
    },
    seed: {
      type: 'integer',
      value: 'n',
      min: 0,
      max: 4_294_967_295,
      default: 1,
      description: 'Seed of the Monte Carlo (default: 1); the same seed, the same numbers',
    },
    sensitivity: {type: 'flag', description: 'Rank the inputs by how far they move --output'},
    output: {type: 'text', value: 'name', description: 'The output for --sensitivity (default: gpuHours)'},
    json: {type: 'flag', description: 'Print JSON'},
  },
});
