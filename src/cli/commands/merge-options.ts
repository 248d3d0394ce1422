import {CACHE_OPTIONS, defineCommand, PROGRESS_OPTION} from '../options.js';
import {REPLACE_FOLDER_OPTION} from './build-options.js';
import {MARKDOWN_OPTION, THRESHOLD_OPTION} from './compare-options.js';

export const mergeCommandSpec = defineCommand({
  name: 'merge',
  summary: 'Join the shards of build --shard into the site',
  details:
    'Checks that the shards belong together (same tool, same inputs, each once) and lays out the site a single build would have made, byte for byte.',
  positionals: [{name: '<shard-dir>', description: 'the shard folders', required: true, repeated: true}],
  options: {
    out: {type: 'text', value: 'dir', description: 'Where the site goes (default: <root>/reports)'},
    pdf: {type: 'flag', description: 'Also print every report, and the whole site, to PDF in <out>/pdf/'},
    ...CACHE_OPTIONS,
    'replace-folder': REPLACE_FOLDER_OPTION,
    compare: {
      type: 'text',
      value: 'previous',
      description: 'Then list the figures that moved since a previous site (or its manifest.json)',
    },
    threshold: THRESHOLD_OPTION,
    markdown: MARKDOWN_OPTION,
    progress: PROGRESS_OPTION,
  },
});
