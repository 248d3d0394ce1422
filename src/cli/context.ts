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
  shard?: string;
  cache?: string;
  'no-cache'?: boolean;
  force?: boolean;
  'replace-folder'?: boolean;
  compare?: string;
  threshold?: string;
  markdown?: string;
  progress?: boolean;
  port?: string;
}

/** What a command gets: its arguments, and where to print. */
export interface CommandContext {
  readonly root: string;
  readonly positionals: readonly string[];
  readonly options: CliOptions;
  stdout(text: string): void;
  /** Progress that is redrawn in place (the live line on a terminal). */
  status(text: string): void;
  /** Whether stderr is a terminal (for live progress). */
  readonly isTerminal: boolean;
  /** Print a run's messages (warnings on success), in the one diagnostics format. */
  report(diagnostics: Diagnostics): void;
}
