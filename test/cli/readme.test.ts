// README's "The CLI" shows the help and every command's options as the tables declare them.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {expect, it} from 'vitest';
import {COMMAND_SPECS} from '../../src/cli/command-list.js';
import {optionUsage, usage} from '../../src/cli/usage.js';
import {REPO_ROOT} from '../helpers/project.js';

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

it('shows `tradeoffs --help` as the CLI prints it', () => {
  expect(readme).toContain(`## The CLI\n\n\`\`\`\n${usage()}\n\`\`\`\n`);
});

it("lists each command's own options, and only those", () => {
  for (const spec of COMMAND_SPECS) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${spec.name}\` |`));
    expect(row, spec.name).toBeDefined();
    const listed = [...row!.matchAll(/`(--[^`]+)`/g)].map((match) => match[1]);
    expect(listed, spec.name).toEqual(Object.entries(spec.options).map(([name, option]) => optionUsage(name, option)));
  }
});
