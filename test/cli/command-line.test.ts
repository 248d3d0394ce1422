// The command line, checked against each command's option table (src/cli/commands/*-options.ts):
// usage errors are one line and a hint, exit 2, before any command code runs.
import {describe, expect, it} from 'vitest';
import {COMMAND_SPECS, commandWord} from '../../src/cli/command-list.js';
import {runCli} from '../../src/cli/main.js';
import {GLOBAL_OPTIONS, type OptionSpec} from '../../src/cli/options.js';
import {parseCommandLine, readOptions} from '../../src/cli/parse-command-line.js';
import {commandUsage, quickAnswer, usage} from '../../src/cli/usage.js';
import {estimateCommandSpec} from '../../src/cli/commands/estimate-options.js';
import {buildCommandSpec} from '../../src/cli/commands/build-options.js';
import {devCommandSpec} from '../../src/cli/commands/dev-options.js';
import {compareCommandSpec} from '../../src/cli/commands/compare-options.js';
import {DEFAULT_SAMPLING} from '../../src/estimate/uncertainty/monte-carlo.js';
import {MAX_SHARD_COUNT} from '../../src/project.js';
import {VERSION} from '../../src/tool/version.js';

/** Run the CLI in this process: exit code, stdout, stderr. */
async function cli(...argv: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text)});
  return {code, stdout, stderr};
}

/** The one-line usage error of a command line, and its hint. */
async function usageError(...argv: string[]): Promise<string[]> {
  const result = await cli(...argv);
  expect(result.code, argv.join(' ')).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(2);
  return lines;
}

describe('options a command does not take', () => {
  it('names the option and the command that takes it, exit 2', async () => {
    expect(await usageError('check', '--seed', '3', '--port', '9')).toEqual([
      'tradeoffs: Unknown option `--seed` for `check` (`estimate` takes it)',
      'Run `tradeoffs help check` for its options.',
    ]);
  });

  it('suggests the nearest option the command takes', async () => {
    expect((await usageError('estimate', 'x', '--sampels', '3'))[0]).toBe(
      'tradeoffs: Unknown option `--sampels` for `estimate`, did you mean `--samples`?',
    );
    expect((await usageError('build', '--forse'))[0]).toBe(
      'tradeoffs: Unknown option `--forse` for `build`, did you mean `--force`?',
    );
    expect((await usageError('build', '-pdf'))[0]).toBe(
      'tradeoffs: Unknown option `-pdf` for `build`, did you mean `--pdf`?',
    );
    expect((await usageError('build', '--bogus'))[0]).toBe('tradeoffs: Unknown option `--bogus` for `build`');
  });

  it('refuses a flag given a value and an option without one', async () => {
    expect((await usageError('build', '--pdf=yes'))[0]).toBe('tradeoffs: `--pdf` takes no value, got `yes`');
    expect((await usageError('build', '--out'))[0]).toBe('tradeoffs: `--out <dir>` needs a value');
    expect((await usageError('build', '--out', '--pdf'))[0]).toBe('tradeoffs: `--out <dir>` needs a value');
    expect((await usageError('check', '--root'))[0]).toBe('tradeoffs: `--root <dir>` needs a value');
  });

  it('suggests the nearest command for an unknown one', async () => {
    expect(await usageError('bulid')).toEqual([
      'tradeoffs: Unknown command `bulid`, did you mean `build`?',
      'Run `tradeoffs --help` for the commands.',
    ]);
    expect((await usageError('help', 'nope'))[0]).toMatch(
      /^tradeoffs: Unknown command `nope`, expected one of build, /,
    );
  });
});

describe('arguments', () => {
  it('refuses a stray argument, naming it', async () => {
    expect(await usageError('build', 'newsite')).toEqual([
      'tradeoffs: Unexpected argument `newsite` for `build`, expected no arguments',
      'Run `tradeoffs help build` for its options.',
    ]);
    expect((await usageError('compare', 'a', 'b', 'c'))[0]).toBe(
      'tradeoffs: Unexpected argument `c` for `compare`, expected <previous> [<current>]',
    );
    expect((await usageError('new', 'a', 'b'))[0]).toBe(
      'tradeoffs: Unexpected argument `b` for `new`, expected <name>',
    );
  });

  it('says what a command needs when its argument is missing', async () => {
    expect((await usageError('estimate'))[0]).toBe('tradeoffs: estimate needs a scenario id');
    expect((await usageError('merge'))[0]).toBe('tradeoffs: merge needs the shard folders');
    expect((await usageError('new'))[0]).toBe(
      'tradeoffs: new needs a name for the report, such as `tradeoffs new my-report`',
    );
  });

  it('takes every argument of a repeated one, and those after `--`', () => {
    const line = parseCommandLine(['merge', 'a', 'b', 'c', '--out', 'x', '--', '--d']);
    expect(line.kind === 'run' && line.positionals).toEqual(['a', 'b', 'c', '--d']);
  });
});

describe('option values', () => {
  it.each([
    [['estimate', 'x', '--samples', '0'], '--samples expects a whole number from 1 to 1,000,000, got `0`'],
    [['estimate', 'x', '--samples', '1000001'], '--samples expects a whole number from 1 to 1,000,000, got `1000001`'],
    [['estimate', 'x', '--samples', '1.5'], '--samples expects a whole number from 1 to 1,000,000, got `1.5`'],
    [['estimate', 'x', '--samples', 'many'], '--samples expects a whole number from 1 to 1,000,000, got `many`'],
    [['estimate', 'x', '--seed', '-1'], '--seed expects a whole number from 0 to 4,294,967,295, got `-1`'],
    [['estimate', 'x', '--seed', '0x10'], '--seed expects a whole number from 0 to 4,294,967,295, got `0x10`'],
    [['estimate', 'x', '--gpus', '0'], '--gpus expects a whole number from 1 to 10,000,000, got `0`'],
    [['dev', '--port', '65536'], '--port expects a whole number from 0 to 65,535, got `65536`'],
    [['dev', '--port', ''], '--port expects a whole number from 0 to 65,535, got ``'],
    [['compare', 'a', '--threshold', '-1'], '--threshold expects a percentage ≥ 0 (as 1 or 0.5%), got `-1`'],
    [['compare', 'a', '--threshold', 'x%'], '--threshold expects a percentage ≥ 0 (as 1 or 0.5%), got `x%`'],
    [['build', '--shard', '3/2'], '--shard expects k/n with 1 ≤ k ≤ n ≤ 1,000 (as 2/4), got `3/2`'],
    [
      ['build', '--shard', `1/${MAX_SHARD_COUNT + 1}`],
      `--shard expects k/n with 1 ≤ k ≤ n ≤ 1,000 (as 2/4), got \`1/1001\``,
    ],
  ])('%j', async (argv, message) => {
    expect((await usageError(...argv))[0]).toBe(`tradeoffs: ${message}`);
  });

  it('parses numbers, percentages and shards, and fills in the defaults', () => {
    expect(readOptions(estimateCommandSpec, {samples: '500', seed: '7', json: true})).toEqual({
      hardware: undefined,
      gpus: undefined,
      precision: undefined,
      technique: undefined,
      search: false,
      samples: 500,
      seed: 7,
      sensitivity: false,
      output: undefined,
      json: true,
    });
    const defaults = readOptions(estimateCommandSpec, {});
    expect({samples: defaults.samples, seed: defaults.seed}).toEqual(DEFAULT_SAMPLING);
    expect(readOptions(devCommandSpec, {}).port).toBe(4321);
    expect(readOptions(devCommandSpec, {port: '0'}).port).toBe(0);
    expect(readOptions(compareCommandSpec, {}).threshold).toBe(0.01);
    expect(readOptions(compareCommandSpec, {threshold: '0.5%'}).threshold).toBe(0.005);
    const build = readOptions(buildCommandSpec, {shard: '2/4', 'no-cache': true});
    expect(build.shard).toEqual({index: 2, count: 4});
    expect(build['no-cache']).toBe(true);
    expect(build.pdf).toBe(false);
  });

  it('gives the global options to every command, not to its table', () => {
    const line = parseCommandLine(['--root', 'project', 'check', '--verbose']);
    expect(line).toEqual({
      kind: 'run',
      command: expect.objectContaining({name: 'check'}),
      positionals: [],
      values: {},
      root: 'project',
      verbose: true,
    });
  });
});

describe('the tables', () => {
  it('give an option the same kind (flag or value) in every command, so a command line reads one way', () => {
    const kinds = new Map<string, boolean>();
    for (const table of [GLOBAL_OPTIONS, ...COMMAND_SPECS.map((spec) => spec.options)]) {
      for (const [name, option] of Object.entries(table) as Array<[string, OptionSpec]>) {
        const takesValue = option.type !== 'flag';
        expect(kinds.get(name) ?? takesValue, name).toBe(takesValue);
        kinds.set(name, takesValue);
      }
    }
  });

  it('name every command once, and no command option shadows a global one', () => {
    const names = COMMAND_SPECS.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    for (const spec of COMMAND_SPECS)
      for (const name of Object.keys(spec.options)) expect(Object.keys(GLOBAL_OPTIONS), name).not.toContain(name);
  });
});

describe('help', () => {
  it('prints the commands with exit 0 when asked, exit 2 when no command is given', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['--verbose', '--help']]) {
      expect(await cli(...argv), argv.join(' ')).toEqual({code: 0, stdout: `${usage()}\n`, stderr: ''});
    }
    expect(await cli()).toEqual({code: 2, stdout: `${usage()}\n`, stderr: ''});
    for (const spec of COMMAND_SPECS) expect(usage()).toContain(`\n  ${spec.name}`);
  });

  it("prints a command's options for `help <command>` and `<command> --help`, whatever else is on the line", async () => {
    for (const spec of COMMAND_SPECS) {
      const text = commandUsage(spec);
      for (const argv of [
        ['help', spec.name],
        [spec.name, '--help'],
        [spec.name, '-h', '--bogus', 'extra'],
      ]) {
        expect(await cli(...argv), argv.join(' ')).toEqual({code: 0, stdout: `${text}\n`, stderr: ''});
      }
      for (const name of Object.keys(spec.options)) expect(text, `${spec.name} --${name}`).toContain(`--${name}`);
    }
    expect(commandUsage(estimateCommandSpec)).toMatch(/^Usage: tradeoffs estimate <scenario-id> \[options\]\n/);
  });

  it('keeps every line within 100 characters', () => {
    for (const text of [usage(), ...COMMAND_SPECS.map(commandUsage)])
      for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('is answered by the entry without the CLI, as the CLI answers it', async () => {
    const asked = [
      ['--version'],
      ['--version', '--verbose'],
      ['--help'],
      ['-h'],
      ['help'],
      ['help', 'build'],
      ['build', '--help'],
      ['--help', 'merge'],
      ['new', '-h', '--verbose'],
    ];
    for (const argv of asked) {
      const answer = quickAnswer(argv);
      expect(answer, argv.join(' ')).toBeDefined();
      expect(`${answer}\n`).toBe((await cli(...argv)).stdout);
    }
    expect(quickAnswer(['--version'])).toBe(VERSION);
    for (const argv of [[], ['build'], ['help', 'nope'], ['build', '--pdf'], ['--help', '--bogus', 'x']])
      expect(quickAnswer(argv), argv.join(' ')).toBeUndefined();
  });
});

describe("the command the CLI's entry reads before loading it", () => {
  it('is the command parseCommandLine reads, past options and their values', () => {
    for (const argv of [
      ['build'],
      ['--root', 'build', 'check'],
      ['--root=x', '--verbose', 'build', '--out', 'check'],
      ['estimate', 'build'],
      ['--verbose'],
      [],
    ]) {
      const parsed = parseCommandLine(argv);
      expect(commandWord(argv), argv.join(' ')).toBe(parsed.kind === 'run' ? parsed.command.name : undefined);
    }
  });
});
