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
