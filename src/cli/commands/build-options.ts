import {CACHE_OPTIONS, defineCommand, PROGRESS_OPTION, TEMPLATE_TIMEOUT_OPTION} from '../options.js';
import {MARKDOWN_OPTION, THRESHOLD_OPTION} from './compare-options.js';

const OUT_OPTION = {type: 'text', value: 'dir', description: 'Where the site goes (default: <root>/reports)'} as const;
const FORCE_OPTION = {type: 'flag', description: 'Render even when the site is up to date'} as const;
/** A build replaces the whole --out folder: only with this flag one that is not a tradeoffs site. */
export const REPLACE_FOLDER_OPTION = {
  type: 'flag',
  description: 'Replace --out even if it is not a tradeoffs site (deletes what is there)',
} as const;
const COMPARE_OPTION = {
  type: 'text',
  value: 'previous',
  description: 'Then list the figures that moved since a previous site (or its manifest.json)',
} as const;

export const buildCommandSpec = defineCommand({
  name: 'build',
  summary: 'Build the site into reports/, redoing the reports whose inputs changed',
  details:
    'Reports whose template, data records and tool are unchanged come from the cache; when nothing changed and the site is intact, nothing is done.',
  positionals: [],
  options: {
    out: OUT_OPTION,
    pdf: {type: 'flag', description: 'Also print every report, and the whole site, to PDF in <out>/pdf/'},
    shard: {
      type: 'shard',
      value: 'k/n',
      description: 'Build only the k-th of n shards of the reports into --out, for merge',
    },
    ...CACHE_OPTIONS,
    force: FORCE_OPTION,
    'replace-folder': REPLACE_FOLDER_OPTION,
    'template-timeout': TEMPLATE_TIMEOUT_OPTION,
    compare: COMPARE_OPTION,
    threshold: THRESHOLD_OPTION,
    markdown: MARKDOWN_OPTION,
    progress: PROGRESS_OPTION,
  },
});

export const pdfCommandSpec = defineCommand({
  name: 'pdf',
  summary: 'Build the site and print every report, and the whole site, to PDF',
  details: 'The same as `tradeoffs build --pdf`: the PDFs go to <out>/pdf/.',
  positionals: [],
  options: {
    out: OUT_OPTION,
    ...CACHE_OPTIONS,
    force: FORCE_OPTION,
    'replace-folder': REPLACE_FOLDER_OPTION,
    'template-timeout': TEMPLATE_TIMEOUT_OPTION,
    compare: COMPARE_OPTION,
    threshold: THRESHOLD_OPTION,
    markdown: MARKDOWN_OPTION,
    progress: PROGRESS_OPTION,
  },
});
