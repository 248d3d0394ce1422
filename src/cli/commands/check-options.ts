import {defineCommand, TEMPLATE_TIMEOUT_OPTION} from '../options.js';

export const checkCommandSpec = defineCommand({
  name: 'check',
  summary: 'Validate data and templates; report every problem, write nothing',
  positionals: [],
  options: {'template-timeout': TEMPLATE_TIMEOUT_OPTION},
});
