import {defineCommand} from '../options.js';

export const newCommandSpec = defineCommand({
  name: 'new',
  summary: 'Start a report: a commented template and scenario called <name>',
  details:
    'Makes templates/<name>.mdx and data/scenarios/<name>.yaml. The name becomes the page\'s address and the scenario id: lower-case letters, digits, "." and "-". Never overwrites a file.',
  positionals: [
    {name: '<name>', description: 'a name for the report, such as `tradeoffs new my-report`', required: true},
  ],
  options: {},
});
