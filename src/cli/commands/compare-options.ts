import {defineCommand, type OptionSpec} from '../options.js';

/** `--threshold`: how far a figure must move to be listed (build, merge and compare take it). */
export const THRESHOLD_OPTION = {
  type: 'percent',
  value: 'percent',
  default: 1,
  description: 'List the figures that moved by more than this (default: 1)',
} as const satisfies OptionSpec;

/** `--markdown`: where to append the list of moved figures as Markdown. */
export const MARKDOWN_OPTION = {
  type: 'text',
  value: 'file',
  description: 'Also append the list as a Markdown table to this file (a CI job summary)',
} as const satisfies OptionSpec;

export const compareCommandSpec = defineCommand({
  name: 'compare',
  summary: 'List the figures that moved between two builds (sites or manifests)',
  details:
    'Compares every number the reports print (<Estimate>, <KeyFigures>, the key figures), largest move first; <current> is reports/ unless given.',
  positionals: [
    {name: '<previous>', description: 'a previous site or its manifest.json', required: true},
    {name: '<current>', description: 'the current site or its manifest.json', required: false},
  ],
  options: {threshold: THRESHOLD_OPTION, markdown: MARKDOWN_OPTION},
});
