// How a command states its command line: its options (name, type,
// description, default) and its positional arguments. Plain data, no zod and
// no command code, so the CLI's entry can print every help text from these
// tables without loading anything else (src/cli/bin.ts); parse-command-line.ts
// turns them into zod schemas when a command runs.
import type {ShardSpec} from '../output/shard.js';
import {DEFAULT_TEMPLATE_TIMEOUT_SECONDS, MAX_SHARD_COUNT} from '../project.js';

/** An option of a command: `--name`, with a value of its type unless it is a flag. */
export type OptionSpec =
  | {readonly type: 'flag'; readonly description: string}
  | {readonly type: 'text'; readonly value: string; readonly description: string}
  | {
      readonly type: 'integer';
      readonly value: string;
      readonly min: number;
      readonly max: number;
      readonly default?: number;
      readonly description: string;
    }
  /** A percentage ≥ 0, as `1` or `0.5%`; parsed to a fraction (1 → 0.01). */
  | {readonly type: 'percent'; readonly value: string; readonly default: number; readonly description: string}
  /** `k/n`: the k-th of n shards, n at most MAX_SHARD_COUNT. */
  | {readonly type: 'shard'; readonly value: string; readonly description: string};

export interface PositionalSpec {
  /** As the usage shows it: `<scenario-id>`. */
  readonly name: string;
  /** What is missing when it is left out: "estimate needs a scenario id". */
  readonly description: string;
  readonly required: boolean;
  /** Takes every remaining argument (`merge <shard-dir>...`). */
  readonly repeated?: boolean;
}

export interface CommandSpec {
  readonly name: string;
  /** One line for `tradeoffs --help`. */
  readonly summary: string;
  /** More for `tradeoffs help <command>`, when there is more to say. */
  readonly details?: string;
  readonly positionals: readonly PositionalSpec[];
  readonly options: Readonly<Record<string, OptionSpec>>;
}

/** A command's table, with its literal types kept for OptionsOf. */
export function defineCommand<const Spec extends CommandSpec>(spec: Spec): Spec {
  return spec;
}

/** The options every command takes, besides its own. */
export const GLOBAL_OPTIONS = {
  root: {type: 'text', value: 'dir', description: 'Project folder with data/ and templates/ (default: .)'},
  verbose: {type: 'flag', description: 'Show stack traces and causes with errors'},
  help: {type: 'flag', description: 'Print the help of the command'},
  version: {type: 'flag', description: 'Print the version'},
} as const satisfies Record<string, OptionSpec>;

/** `--progress`, for the commands that report progress (build, pdf, merge). */
export const PROGRESS_OPTION = {
  type: 'flag',
  description: 'Print progress lines (on by default in CI; live on a terminal)',
} as const satisfies OptionSpec;

/** The cache options of the commands that render (build, pdf, dev). */
export const CACHE_OPTIONS = {
  cache: {type: 'text', value: 'dir', description: 'The cache of rendered work (default: <root>/.tradeoffs/cache)'},
  'no-cache': {type: 'flag', description: 'Render every report, keep nothing'},
} as const satisfies Record<string, OptionSpec>;

/** `--template-timeout`, for the commands that run templates (build, pdf, dev, check). */
export const TEMPLATE_TIMEOUT_OPTION = {
  type: 'integer',
  value: 'seconds',
  min: 1,
  max: 86_400,
  default: DEFAULT_TEMPLATE_TIMEOUT_SECONDS,
  description: `Stop a template that runs longer than this, as an error at the template (default: ${DEFAULT_TEMPLATE_TIMEOUT_SECONDS})`,
} as const satisfies OptionSpec;

type ValueOf<Option extends OptionSpec> = Option extends {type: 'flag'}
  ? boolean
  : Option extends {type: 'integer'; default: number}
    ? number
    : Option extends {type: 'integer'}
      ? number | undefined
      : Option extends {type: 'percent'}
        ? number
        : Option extends {type: 'shard'}
          ? ShardSpec | undefined
          : string | undefined;

/** The parsed options of a command, by name, as its table declares them. */
export type OptionsOf<Spec extends CommandSpec> = {
  readonly [Name in keyof Spec['options']]: ValueOf<Spec['options'][Name]>;
};

/** What an option's value must be, in words: "a whole number from 1 to 1,000,000". */
export function expectedValue(option: OptionSpec): string {
  switch (option.type) {
    case 'flag':
      return 'no value';
    case 'text':
      return `a value (${option.value.toUpperCase()})`;
    case 'integer':
      return `a whole number from ${option.min.toLocaleString('en-US')} to ${option.max.toLocaleString('en-US')}`;
    case 'percent':
      return 'a percentage ≥ 0 (as 1 or 0.5%)';
    case 'shard':
      return `k/n with 1 ≤ k ≤ n ≤ ${MAX_SHARD_COUNT.toLocaleString('en-US')} (as 2/4)`;
  }
}
