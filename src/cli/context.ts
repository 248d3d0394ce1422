import type {Diagnostics} from '../diagnostics/diagnostics.js';

export interface CliOptions {
  root?: string;
  out?: string;
  hardware?: string;
  json?: boolean;
  search?: boolean;
  pdf?: boolean;
  samples?: string;
  seed?: string;
  sensitivity?: boolean;
  output?: string;
  precision?: string;
  technique?: string;
  gpus?: string;
  verbose?: boolean;
}

/** What a command gets: its arguments, and where to print. */
export interface CommandContext {
  readonly root: string;
  readonly positionals: readonly string[];
  readonly options: CliOptions;
  stdout(text: string): void;
  /** Print a run's messages (warnings on success), in the one diagnostics format. */
  report(diagnostics: Diagnostics): void;
}
