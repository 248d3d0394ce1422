import path from 'node:path';
import {Diagnostics, DiagnosticsError} from '../diagnostics/diagnostics.js';
import {ChromiumMissingError} from '../output/pdf.js';
import {formatDiagnostics} from '../diagnostics/report.js';
import {VERSION} from '../tool/version.js';
import type {CommandName} from './command-list.js';
import {buildCommandSpec, pdfCommandSpec} from './commands/build-options.js';
import {calibrateCommandSpec} from './commands/calibrate-options.js';
import {checkCommandSpec} from './commands/check-options.js';
import {compareCommandSpec} from './commands/compare-options.js';
import {devCommandSpec} from './commands/dev-options.js';
import {estimateCommandSpec} from './commands/estimate-options.js';
import {mergeCommandSpec} from './commands/merge-options.js';
import {newCommandSpec} from './commands/new-options.js';
import {schemaCommandSpec} from './commands/schema-options.js';
import type {CommandContext} from './context.js';
import {CommandUsageError, parseCommandLine, readOptions} from './parse-command-line.js';
import {commandUsage, usage, usageHint, UsageError} from './usage.js';

/** What every command gets besides its options. */
type BaseContext = Omit<CommandContext<never>, 'options'>;

type Runner = (values: Readonly<Record<string, string | true>>, base: BaseContext) => Promise<number>;

// Each command's module is loaded when it runs, so a command parses only the code it needs;
// its options are checked against its table first.
const COMMANDS: Record<CommandName, Runner> = {
  build: async (values, base) =>
    (await import('./commands/build.js')).buildCommand({...base, options: readOptions(buildCommandSpec, values)}),
  pdf: async (values, base) =>
    (await import('./commands/build.js')).buildCommand({
      ...base,
      options: {...readOptions(pdfCommandSpec, values), pdf: true, shard: undefined},
    }),
  calibrate: async (values, base) =>
    (await import('./commands/calibrate.js')).calibrateCommand({
      ...base,
      options: readOptions(calibrateCommandSpec, values),
    }),
  check: async (values, base) =>
    (await import('./commands/check.js')).checkCommand({...base, options: readOptions(checkCommandSpec, values)}),
  estimate: async (values, base) =>
    (await import('./commands/estimate.js')).estimateCommand({
      ...base,
      options: readOptions(estimateCommandSpec, values),
    }),
  merge: async (values, base) =>
    (await import('./commands/merge.js')).mergeCommand({...base, options: readOptions(mergeCommandSpec, values)}),
  compare: async (values, base) =>
    (await import('./commands/compare.js')).compareCommand({...base, options: readOptions(compareCommandSpec, values)}),
  dev: async (values, base) =>
    (await import('./commands/dev.js')).devCommand({...base, options: readOptions(devCommandSpec, values)}),
  new: async (values, base) =>
    (await import('./commands/new.js')).newCommand({...base, options: readOptions(newCommandSpec, values)}),
  schema: async (values, base) =>
    (await import('./commands/schema.js')).schemaCommand({...base, options: readOptions(schemaCommandSpec, values)}),
};

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal, for live progress. */
  readonly isTerminal?: boolean;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTerminal: process.stderr.isTTY === true,
};

/** Run the CLI with `argv` (without `node` and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let verbose = argv.includes('--verbose');
  let command: string | undefined;
  try {
    const line = parseCommandLine(argv);
    if (line.kind === 'version') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (line.kind === 'help') {
      io.stdout(`${line.command ? commandUsage(line.command) : usage()}\n`);
      return line.asked ? 0 : 2;
    }
    command = line.command.name;
    verbose = line.verbose;
    const base: BaseContext = {
      root: path.resolve(line.root ?? '.'),
      positionals: line.positionals,
      verbose,
      stdout: io.stdout,
      status: io.stderr,
      isTerminal: io.isTerminal === true,
      report: (diagnostics: Diagnostics) => {
        const text = formatDiagnostics(diagnostics, {verbose});
        if (text) io.stderr(`${text}\n`);
      },
    };
    return await COMMANDS[line.command.name](line.values, base);
  } catch (error) {
    if (error instanceof DiagnosticsError) {
      io.stderr(`${formatDiagnostics(error.diagnostics, {verbose})}\n`);
      return 1;
    }
    if (error instanceof ChromiumMissingError) {
      const diagnostics = new Diagnostics();
      diagnostics.error('<environment>', error.message, undefined, 'io-error');
      io.stderr(`${formatDiagnostics(diagnostics, {verbose})}\n`);
      return 1;
    }
    if (error instanceof UsageError) {
      const about = error instanceof CommandUsageError ? error.command : command;
      io.stderr(`tradeoffs: ${error.message}\n${usageHint(about)}\n`);
      return 2;
    }
    io.stderr(
      `tradeoffs: ${verbose ? ((error as Error).stack ?? String(error)) : String((error as Error).message ?? error)}\n`,
    );
    if (!verbose) io.stderr('Run again with --verbose for the stack trace.\n');
    return 1;
  }
}
