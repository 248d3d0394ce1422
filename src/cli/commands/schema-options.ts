import {defineCommand} from '../options.js';

export const schemaCommandSpec = defineCommand({
  name: 'schema',
  summary: 'Write the JSON Schema of the data files into schema/, for editors',
  details:
    'Generated from the schemas `check` validates with. Data files name theirs in their first line, `# yaml-language-server: $schema=../schema/hardware.schema.json`, and an editor with a YAML language server then completes and checks fields as you type.',
  positionals: [],
  options: {
    check: {type: 'flag', description: 'Write nothing; exit 1 when a file in schema/ is missing or out of date'},
  },
});
