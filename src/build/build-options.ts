import type {Diagnostics} from '../diagnostics/diagnostics.js';
import type {PublishEvent, PublishStage} from '../output/publish-site.js';
import type {SiteManifest} from '../output/manifest.js';
import type {ShardSpec} from '../output/shard.js';
import type {LaidOutReport} from '../output/site-files.js';
import type {SiteWriter} from '../output/site-writer.js';
import type {InputReader} from './input-reader.js';

/** What `build`, `check`, `merge` and the dev server ask of a build, and what it tells them. */

export interface BuildOptions {
  /** The project folder holding `data/` and `templates/` (read through the effects' reader). */
  readonly root: string;
  /** Also print every report, and the site, to PDF (in `pdf/`), before the site is put in place. */
  readonly pdf?: boolean;
  /** The cache folder (default `<root>/.tradeoffs/cache`); `null` for none: every report is rendered. */
  readonly cacheDir?: string | null;
  /** Build only this shard of the reports, for `tradeoffs merge` to join (the writer then holds the shard). */
  readonly shard?: ShardSpec;
  /** Render even when the output says it is up to date. */
  readonly force?: boolean;
  /** Stop a template that takes longer than this to compile and run (default: DEFAULT_TEMPLATE_TIMEOUT_SECONDS). */
  readonly templateTimeoutMs?: number | undefined;
  /** Stop the build: it then rejects with the signal's reason, having written nothing (the dev server, on a new edit). */
  readonly signal?: AbortSignal | undefined;
  /** A previous build to list what changed since, on the site's `changes.html` (`--compare`). */
  readonly compare?: CompareWith;
}

/** A previous build's manifest, and the least relative change (0.01 is 1%) the page of changes lists. */
export interface CompareWith {
  readonly previous: SiteManifest;
  readonly threshold: number;
}

/**
 * What a build does to the world, passed in (as Observable Framework's
 * `LoadEffects`): where it reads the project's inputs, where the site goes
 * (a folder on disk for `build`, memory for `check`, the dev server and
 * tests), and whom it tells how it goes.
 */
export interface BuildEffects {
  readonly reader: InputReader;
  readonly writer: SiteWriter;
  readonly logger: BuildLogger;
}

/** Whom a build tells how it goes, for progress output. */
export interface BuildLogger {
  /** Called when a stage finishes, with its name and duration in milliseconds. */
  readonly onStage?: ((stage: BuildStage, milliseconds: number) => void) | undefined;
  /** Called as the build goes. */
  readonly onEvent?: ((event: BuildEvent) => void) | undefined;
}

/** The stages of a build, in order, as timed for `onStage` and the benchmark; `evaluate` runs the templates and the estimates they ask for. */
export type BuildStage = 'load' | 'compile' | 'evaluate' | 'charts' | PublishStage;

/** Runs one stage of the build and accounts for its time. */
export type StageTimer = <T>(stage: BuildStage, work: () => Promise<T>) => Promise<T>;

/** What a build tells its caller as it goes. */
export type BuildEvent =
  | {
      readonly type: 'plan';
      readonly render: ReadonlyArray<{readonly slug: string; readonly reason: string}>;
      readonly reused: readonly string[];
    }
  | {readonly type: 'report'; readonly slug: string; readonly index: number; readonly count: number}
  | PublishEvent;

export interface BuildResult {
  readonly diagnostics: Diagnostics;
  /** Every report of the build (or shard), rendered now or taken from the cache. */
  readonly reports: readonly LaidOutReport[];
  /** The reports rendered by this build, with why. */
  readonly rendered: ReadonlyArray<{readonly slug: string; readonly reason: string}>;
  /** The site's manifest (not for shards); its reports' tables only with `--compare` (the file has them all). */
  readonly manifest: SiteManifest | undefined;
  /** True when the output already matched the inputs and nothing was done. */
  readonly upToDate: boolean;
}

export interface MergeOptions {
  /** The shard folders, as `build --shard k/n --out <dir>` wrote them. */
  readonly shards: readonly string[];
  readonly pdf?: boolean;
  /** For cached PDFs (default: none). */
  readonly cacheDir?: string | null;
  /** A previous build to list what changed since (`--compare`). */
  readonly compare?: CompareWith;
}
