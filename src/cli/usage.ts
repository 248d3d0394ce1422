// The help texts, made from the commands' option tables (src/cli/commands/*-options.ts).
// Light on purpose: the CLI's entry prints them without loading any command.
import {VERSION} from '../tool/version.js';
import {COMMAND_SPECS, commandSpec} from './command-list.js';
import {GLOBAL_OPTIONS, type CommandSpec, type OptionSpec, type PositionalSpec} from './options.js';

const WIDTH = 100;
const EXIT_CODES = 'Exit codes: 0 success, 1 problems in the data or templates, 2 wrong usage.';

/** Wrong command-line usage: one line and a hint to the command's help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `tradeoffs --help`: the commands and the options every command takes. */
export function usage(): string {
  const commands: Array<[string, string]> = COMMAND_SPECS.map((spec) => [
    [spec.name, ...spec.positionals.map(positionalUsage)].join(' '),
    spec.summary,
  ]);
  commands.push(['help [<command>]', 'Print the options of a command']);
  return [
    'Usage: tradeoffs <command> [options]',
    '',
    'Commands:',
    table(commands),
    '',
    'Options of every command:',
    table(optionRows(GLOBAL_OPTIONS)),
    '',
    'Run `tradeoffs help <command>` for the options of a command.',
    EXIT_CODES,
  ].join('\n');
}

/** `tradeoffs help <command>`: what the command does, its arguments and options. */
export function commandUsage(spec: CommandSpec): string {
  const synopsis = ['tradeoffs', spec.name, ...spec.positionals.map(positionalUsage), '[options]'].join(' ');
  const own = optionRows(spec.options);
  return [
    `Usage: ${synopsis}`,
    '',
    wrap(`${spec.summary}.${spec.details ? ` ${spec.details}` : ''}`, 0),
    ...(own.length > 0 ? ['', 'Options:', table(own)] : []),
    '',
    'Options of every command:',
    table(optionRows(GLOBAL_OPTIONS)),
    '',
    EXIT_CODES,
  ].join('\n');
}

const isHelp = (word: string | undefined) => word === '--help' || word === '-h';

/**
 * The answer to `--version`, `--help`, `help [command]` or `<command> --help`
 * (with or without `--verbose`), as `runCli` gives it, for the CLI's entry to
 * print without loading runCli; undefined for any other command line.
 */
export function quickAnswer(argv: readonly string[]): string | undefined {
  const words = argv.filter((word) => word !== '--verbose');
  const [first, second] = words;
  if (words.length === 1 && first === '--version') return VERSION;
  if (words.length === 1 && (isHelp(first) || first === 'help')) return usage();
  if (words.length !== 2) return undefined;
  const name = first === 'help' ? second : isHelp(second) ? first : isHelp(first) ? second : undefined;
  const spec = name === undefined ? undefined : commandSpec(name);
  return spec && commandUsage(spec);
}

/** The line after a usage error, pointing to the help that explains it. */
export function usageHint(command: string | undefined): string {
  return command === undefined
    ? 'Run `tradeoffs --help` for the commands.'
    : `Run \`tradeoffs help ${command}\` for its options.`;
}

function positionalUsage(positional: PositionalSpec): string {
  const name = `${positional.name}${positional.repeated ? '...' : ''}`;
  return positional.required ? name : `[${name}]`;
}

/** `--shard <k/n>`, `--pdf`, `--help, -h`. */
export function optionUsage(name: string, option: OptionSpec): string {
  const flag = name === 'help' ? '--help, -h' : `--${name}`;
  return option.type === 'flag' ? flag : `${flag} <${option.value}>`;
}

function optionRows(options: Readonly<Record<string, OptionSpec>>): Array<[string, string]> {
  return Object.entries(options).map(([name, option]) => [optionUsage(name, option), option.description]);
}

/** Two columns; a left cell too long for its column puts its text on the next line. */
function table(rows: ReadonlyArray<readonly [string, string]>): string {
  const column = Math.min(28, Math.max(...rows.map(([left]) => left.length)) + 4);
  return rows
    .map(([left, right]) => {
      const text = wrap(right, column);
      return left.length + 4 <= column
        ? `  ${left.padEnd(column - 2)}${text.trimStart()}`
        : `  ${left}\n${' '.repeat(column)}${text.trimStart()}`;
    })
    .join('\n');
}

/** `text` in lines of at most WIDTH characters, every line indented by `indent`. */
function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.map((each) => `${' '.repeat(indent)}${each}`).join('\n');
}
