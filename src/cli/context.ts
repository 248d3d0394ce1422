import type {Diagnostics} from '../diagnostics/diagnostics.js';

/** What a command gets: its arguments, its options parsed by its table (OptionsOf), and where to print. */
export interface CommandContext<Options> {
  readonly root: string;
  readonly positionals: readonly string[];
  readonly options: Options;
  /** `--verbose`: stack traces and causes with errors. */
  readonly verbose: boolean;
  stdout(text: string): void;
  /** Progress that is redrawn in place (the live line on a terminal). */
  status(text: string): void;
  /** Whether stderr is a terminal (for live progress). */
  readonly isTerminal: boolean;
  /** Print a run's messages (warnings on success), in the one diagnostics format. */
  report(diagnostics: Diagnostics): void;
}
