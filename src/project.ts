/**
 * A project's folders and file names, relative to its root (with `/`): where
 * the inputs are read from, where the site and the cache go by default.
 */

/** The data files of a project. */
export const DATA_FILES = {
  hardware: 'data/hardware.yaml',
  models: 'data/models.yaml',
  scenarios: 'data/scenarios',
  references: 'data/references.yaml',
  techniques: 'data/techniques.yaml',
  sources: 'data/sources.yaml',
} as const;

/** The report templates, one `.mdx` file per report. */
export const TEMPLATES_DIR = 'templates';

/** The folders a project's inputs live in: a change under them may change the site. */
export const INPUT_FOLDERS = ['data', TEMPLATES_DIR] as const;

/** Where `build` writes the site unless told otherwise. */
export const DEFAULT_OUT_DIR = 'reports';

/** Where rendered work is cached between builds unless told otherwise. */
export const DEFAULT_CACHE_DIR = '.tradeoffs/cache';

/** The file in a built site that says what built it and from what. */
export const MANIFEST_FILE = 'manifest.json';

/**
 * How long one template may take to compile and run before the build stops
 * it (`--template-timeout`): a default, a safety bound far above what a
 * template takes (the slowest of the default site runs in about 2 s on a busy
 * two-core machine).
 */
export const DEFAULT_TEMPLATE_TIMEOUT_SECONDS = 60;

/** The most shards a build may be split into (`build --shard k/n`: n at most this). */
export const MAX_SHARD_COUNT = 1000;

/**
 * Names a report may not take (`templates/<name>.mdx` becomes `<name>/` in
 * the site): the site's and a shard's own files and folders, and the id of
 * the pages' main element, which the print edition gives each report's
 * section. test/e2e/site.test.ts holds this list to what a build writes.
 */
export const RESERVED_REPORT_NAMES: ReadonlySet<string> = new Set([
  '404.html',
  'changes.html',
  'content',
  'data.html',
  'downloads',
  'explore.html',
  'explorer.js',
  'fonts',
  'index.html',
  'interactive.js',
  MANIFEST_FILE,
  'pdf',
  'print.html',
  'reports',
  'search-index.js',
  'search.js',
  'shard.json',
  'site.js',
  'source',
  'style.css',
]);

/** Why a report name (a template's file name without `.mdx`) cannot be a page's address, or `undefined` when it can. */
export function reportNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(name))
    return 'expected lower-case letters, digits, "." and "-", starting with a letter or digit (it becomes the page\'s address)';
  if (RESERVED_REPORT_NAMES.has(name))
    return `expected a name the site does not use for its own files and ids (${[...RESERVED_REPORT_NAMES].join(', ')})`;
  return undefined;
}
