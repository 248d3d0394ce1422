import {defineCommand} from '../options.js';

export const calibrateCommandSpec = defineCommand({
  name: 'calibrate',
  summary: 'Predict every published run in data/references.yaml, leave-one-out too',
  positionals: [],
  options: {json: {type: 'flag', description: 'Print JSON'}},
});
