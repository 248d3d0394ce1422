import path from 'node:path';
import {parseArgs} from 'node:util';
import {Diagnostics, DiagnosticsError} from '../diagnostics/diagnostics.js';
import {ChromiumMissingError} from '../output/pdf.js';
import {formatDiagnostics} from '../diagnostics/report.js';
import {VERSION} from '../tool/version.js';
import type {CliOptions, CommandContext} from './context.js';
import {USAGE, UsageError} from './usage.js';

// Each command's module is loaded when it runs, so a command parses only the code it needs.
const COMMANDS: Record<string, (context: CommandContext) => Promise<number>> = {
  build: async (context) => (await import('./commands/build.js')).buildCommand(context),
  pdf: async (context) =>
    (await import('./commands/build.js')).buildCommand({...context, options: {...context.options, pdf: true}}),
  calibrate: async (context) => (await import('./commands/calibrate.js')).calibrateCommand(context),
  check: async (context) => (await import('./commands/check.js')).checkCommand(context),
  estimate: async (context) => (await import('./commands/estimate.js')).estimateCommand(context),
  merge: async (context) => (await import('./commands/merge.js')).mergeCommand(context),
  compare: async (context) => (await import('./commands/compare.js')).compareCommand(context),
  dev: async (context) => (await import('./commands/dev.js')).devCommand(context),
  new: async (context) => (await import('./commands/new.js')).newCommand(context),
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
  try {
    const {values, positionals} = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        root: {type: 'string'},
        out: {type: 'string'},
        hardware: {type: 'string'},
        json: {type: 'boolean'},
        search: {type: 'boolean'},
        pdf: {type: 'boolean'},
        samples: {type: 'string'},
        seed: {type: 'string'},
        sensitivity: {type: 'boolean'},
        output: {type: 'string'},
        precision: {type: 'string'},
        technique: {type: 'string'},
        gpus: {type: 'string'},
        verbose: {type: 'boolean'},
        shard: {type: 'string'},
        cache: {type: 'string'},
        'no-cache': {type: 'boolean'},
        force: {type: 'boolean'},
        'replace-folder': {type: 'boolean'},
        compare: {type: 'string'},
        threshold: {type: 'string'},
        markdown: {type: 'string'},
        progress: {type: 'boolean'},
        port: {type: 'string'},
        version: {type: 'boolean'},
        help: {type: 'boolean', short: 'h'},
      },
    });
    verbose = values.verbose ?? false;
    if (values.version) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const [name, ...rest] = positionals;
    if (values.help || !name) {
      io.stdout(`${USAGE}\n`);
      return values.help ? 0 : 2;
    }
    const command = COMMANDS[name];
    if (!command)
      throw new UsageError(`unknown command \`${name}\`, expected one of ${Object.keys(COMMANDS).join(', ')}`);
    const options: CliOptions = values;
    const context: CommandContext = {
      root: path.resolve(values.root ?? '.'),
      positionals: rest,
      options,
      stdout: io.stdout,
      status: io.stderr,
      isTerminal: io.isTerminal === true,
      report: (diagnostics: Diagnostics) => {
        const text = formatDiagnostics(diagnostics, {verbose});
        if (text) io.stderr(`${text}\n`);
      },
    };
    return await command(context);
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
    if (error instanceof UsageError || (error as {code?: string}).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`tradeoffs: ${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    io.stderr(
      `tradeoffs: ${verbose ? ((error as Error).stack ?? String(error)) : String((error as Error).message ?? error)}\n`,
    );
    if (!verbose) io.stderr('Run again with --verbose for the stack trace.\n');
    return 1;
  }
}
