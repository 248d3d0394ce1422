import {parseArgs} from 'node:util';
import {z} from 'zod';
import {nearestId} from '../diagnostics/nearest-id.js';
import {parseShard} from '../output/shard.js';
import {COMMAND_SPECS, commandSpec, everyOption, type KnownCommand} from './command-list.js';
import {expectedValue, GLOBAL_OPTIONS, type CommandSpec, type OptionSpec, type OptionsOf} from './options.js';
import {optionUsage, UsageError} from './usage.js';

/** What a command line asks for. */
export type CommandLine =
  | {readonly kind: 'version'}
  /** A help text: the command's, or the top-level one (`asked` false: no command was given at all). */
  | {readonly kind: 'help'; readonly command: CommandSpec | undefined; readonly asked: boolean}
  | {
      readonly kind: 'run';
      readonly command: KnownCommand;
      readonly positionals: readonly string[];
      /** The command's own options as written (`true` for a flag), checked by readOptions. */
      readonly values: Readonly<Record<string, string | true>>;
      readonly root: string | undefined;
      readonly verbose: boolean;
    };

/** A usage error in `command`'s command line: the hint then points to its help. */
export class CommandUsageError extends UsageError {
  constructor(
    message: string,
    readonly command: string | undefined,
  ) {
    super(message);
  }
}

/**
 * Read a command line (without `node` and the script) against the commands'
 * tables: the command, its arguments, and its options as written. Throws a
 * CommandUsageError naming the first problem: an unknown command, an option
 * the command does not take (with the nearest it does), a flag given a
 * value, an option without one, an argument missing or one too many.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const {tokens} = parseArgs({
    args: [...argv],
    options: everyOption(),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const words = tokens.flatMap((token) => (token.kind === 'positional' ? [token.value] : []));
  const given = tokens.flatMap((token) => (token.kind === 'option' ? [token] : []));
  const has = (name: string) => given.some((token) => token.name === name);
  if (has('version')) return {kind: 'version'};

  const [first, ...rest] = words;
  if (first === undefined) return {kind: 'help', command: undefined, asked: has('help')};
  if (first === 'help') {
    const [name, ...extra] = rest;
    if (extra.length > 0)
      throw new CommandUsageError(`Unexpected argument \`${extra[0]}\` for \`help\`, expected one command`, undefined);
    return {kind: 'help', command: name === undefined ? undefined : knownCommand(name), asked: true};
  }
  const command = knownCommand(first);
  if (has('help')) return {kind: 'help', command, asked: true};

  // `-pdf` reads as -p -d -f: name the word as written.
  const end = argv.indexOf('--');
  const grouped = (end === -1 ? argv : argv.slice(0, end)).find((word) => /^-[^-]./.test(word));
  if (grouped) throw unknownOption(grouped, command);
  const values: Record<string, string | true> = {};
  const globals: {root?: string; verbose?: boolean} = {};
  for (const token of given) {
    const table: Readonly<Record<string, OptionSpec>> = command.options;
    const own = Object.hasOwn(table, token.name);
    const option = own ? table[token.name] : globalOption(token.name);
    if (!option) throw unknownOption(token.rawName, command);
    let value: string | true;
    if (option.type === 'flag') {
      if (token.value !== undefined)
        throw new CommandUsageError(`\`${token.rawName}\` takes no value, got \`${token.value}\``, command.name);
      value = true;
    } else if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      // `--out --pdf` forgot the value: the next option is not one.
      throw new CommandUsageError(`\`${optionUsage(token.name, option)}\` needs a value`, command.name);
    } else value = token.value;
    if (own) values[token.name] = value;
    else if (token.name === 'root' && typeof value === 'string') globals.root = value;
    else if (token.name === 'verbose') globals.verbose = true;
  }
  checkPositionals(command, rest);
  return {kind: 'run', command, positionals: rest, values, root: globals.root, verbose: globals.verbose === true};
}

function globalOption(name: string): OptionSpec | undefined {
  const globals: Readonly<Record<string, OptionSpec>> = GLOBAL_OPTIONS;
  return Object.hasOwn(globals, name) ? globals[name] : undefined;
}

function knownCommand(name: string): KnownCommand {
  const command = commandSpec(name);
  if (command) return command;
  const names = COMMAND_SPECS.map((spec) => spec.name);
  const suggestion = nearestId(name, names);
  throw new CommandUsageError(
    `Unknown command \`${name}\`, ${suggestion ? `did you mean \`${suggestion}\`?` : `expected one of ${names.join(', ')}`}`,
    undefined,
  );
}

/** An option `command` does not take, with the nearest one it does, or the commands that take it. */
function unknownOption(written: string, command: CommandSpec): CommandUsageError {
  const bare = written.replace(/^-+/, '');
  const suggestion = nearestId(bare, [...Object.keys(command.options), ...Object.keys(GLOBAL_OPTIONS)]);
  // Another command's option, when this one has none of that name (`check --seed`: `estimate` takes it).
  const takers = Object.hasOwn(command.options, bare)
    ? []
    : COMMAND_SPECS.filter((spec) => Object.hasOwn(spec.options, bare)).map((spec) => `\`${spec.name}\``);
  const hint = [
    suggestion ? `, did you mean \`--${suggestion}\`?` : '',
    takers.length > 0 ? ` (${takers.join(', ')} ${takers.length === 1 ? 'takes' : 'take'} it)` : '',
  ].join('');
  return new CommandUsageError(`Unknown option \`${written}\` for \`${command.name}\`${hint}`, command.name);
}

function checkPositionals(command: CommandSpec, words: readonly string[]): void {
  const {positionals} = command;
  const missing = positionals.find((positional, index) => positional.required && words[index] === undefined);
  if (missing) throw new CommandUsageError(`${command.name} needs ${missing.description}`, command.name);
  if (positionals.at(-1)?.repeated || words.length <= positionals.length) return;
  const expected =
    positionals.length === 0
      ? 'no arguments'
      : positionals.map((positional) => (positional.required ? positional.name : `[${positional.name}]`)).join(' ');
  throw new CommandUsageError(
    `Unexpected argument \`${words[positionals.length]}\` for \`${command.name}\`, expected ${expected}`,
    command.name,
  );
}

/** `1`, `0.5%`: the number of a percentage, NaN when it is not one. */
const percentOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.replace(/%$/, '')));

/** The zod schema of one option's value as written on the command line; a problem names the option and what it expects. */
function optionSchema(name: string, option: OptionSpec): z.ZodType {
  const error = (issue: {input: unknown}) =>
    `--${name} expects ${expectedValue(option)}, got \`${String(issue.input)}\``;
  switch (option.type) {
    case 'flag':
      return z
        .literal(true)
        .optional()
        .transform((value) => value === true);
    case 'text':
      return z.string().optional();
    case 'integer': {
      const integer = z
        .string()
        .refine((text) => /^[+-]?\d+$/.test(text) && Number(text) >= option.min && Number(text) <= option.max, {
          error,
        })
        .transform(Number);
      return option.default === undefined ? integer.optional() : integer.default(option.default);
    }
    case 'percent':
      return z
        .string()
        .refine((text) => percentOf(text) >= 0 && Number.isFinite(percentOf(text)), {error})
        .transform((text) => percentOf(text) / 100)
        .default(option.default / 100);
    case 'shard':
      return z
        .string()
        .refine((text) => parseShard(text) !== undefined, {error})
        .transform((text) => parseShard(text))
        .optional();
  }
}

/**
 * A command's options, parsed and checked against its table: numbers within
 * their bounds, `k/n` a shard, a percentage a fraction, defaults filled in.
 * A wrong value is a CommandUsageError naming the option and the bound.
 */
export function readOptions<Spec extends CommandSpec>(
  spec: Spec,
  values: Readonly<Record<string, string | true>>,
): OptionsOf<Spec> {
  const shape = Object.fromEntries(
    Object.entries(spec.options).map(([name, option]) => [name, optionSchema(name, option)]),
  );
  const result = z.object(shape).safeParse(values);
  if (!result.success) throw new CommandUsageError(result.error.issues[0]?.message ?? 'Unexpected options', spec.name);
  // The schema is made from the same table OptionsOf reads, option by option.
  return result.data as OptionsOf<Spec>;
}
