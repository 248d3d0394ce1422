import {buildCommandSpec, pdfCommandSpec} from './commands/build-options.js';
import {calibrateCommandSpec} from './commands/calibrate-options.js';
import {checkCommandSpec} from './commands/check-options.js';
import {compareCommandSpec} from './commands/compare-options.js';
import {devCommandSpec} from './commands/dev-options.js';
import {estimateCommandSpec} from './commands/estimate-options.js';
import {mergeCommandSpec} from './commands/merge-options.js';
import {newCommandSpec} from './commands/new-options.js';
import {schemaCommandSpec} from './commands/schema-options.js';
import {GLOBAL_OPTIONS, type CommandSpec, type OptionSpec} from './options.js';

/** Every command's table, in the order `tradeoffs --help` lists them. */
export const COMMAND_SPECS = [
  buildCommandSpec,
  pdfCommandSpec,
  devCommandSpec,
  mergeCommandSpec,
  compareCommandSpec,
  checkCommandSpec,
  estimateCommandSpec,
  calibrateCommandSpec,
  newCommandSpec,
  schemaCommandSpec,
] as const satisfies readonly CommandSpec[];

export type KnownCommand = (typeof COMMAND_SPECS)[number];
export type CommandName = KnownCommand['name'];

/** The table of the command called `name`, if there is one. */
export function commandSpec(name: string): KnownCommand | undefined {
  return COMMAND_SPECS.find((spec) => spec.name === name);
}

export type ParseArgsOptions = Record<string, {type: 'string' | 'boolean'; short?: string}>;

/** Every option any command takes, so an option's value is read as one whichever command it is given to. */
export function everyOption(): ParseArgsOptions {
  const options: ParseArgsOptions = {};
  const tables: ReadonlyArray<Readonly<Record<string, OptionSpec>>> = [
    GLOBAL_OPTIONS,
    ...COMMAND_SPECS.map((spec) => spec.options),
  ];
  for (const table of tables)
    for (const [name, option] of Object.entries(table))
      options[name] = {type: option.type === 'flag' ? 'boolean' : 'string'};
  options.help = {type: 'boolean', short: 'h'};
  return options;
}

/**
 * The command a command line names, as parseCommandLine reads it: its first word that is neither an
 * option nor an option's value. For the CLI's entry, before it loads the command.
 */
export function commandWord(argv: readonly string[]): string | undefined {
  const options = everyOption();
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index] as string;
    if (word === '--') return argv[index + 1];
    if (!word.startsWith('-')) return word;
    if (!word.includes('=') && options[word.replace(/^--?/, '')]?.type === 'string') index++;
  }
  return undefined;
}
