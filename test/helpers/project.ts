import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {cp, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** The repository root (this file is test/helpers/project.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** A throw-away copy of the bundled project (data/ and templates/) in a temporary folder. */
export async function copyProject(): Promise<{root: string; cleanup: () => Promise<void>}> {
  const root = await mkdtemp(path.join(tmpdir(), 'tradeoffs-test-'));
  await cp(path.join(REPO_ROOT, 'data'), path.join(root, 'data'), {recursive: true});
  await cp(path.join(REPO_ROOT, 'templates'), path.join(root, 'templates'), {recursive: true});
  return {root, cleanup: () => rm(root, {recursive: true, force: true})};
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The commands that run templates, each under a time bound (`--template-timeout`, src/cli/options.ts). */
const TEMPLATE_COMMANDS = new Set(['build', 'pdf', 'check']);

/**
 * Run the bundled CLI (built by `npm test` before vitest starts) in `cwd`. A
 * command that runs templates gets a time bound far above the default unless
 * the test sets its own: the default (60 s) stops a runaway template, and on
 * a busy machine the bundled answers page has come near it (a test waits on
 * the build, never on the clock).
 */
export function runCli(args: readonly string[], cwd: string): CliResult {
  const bounded =
    TEMPLATE_COMMANDS.has(args[0] ?? '') && !args.includes('--template-timeout')
      ? [...args, '--template-timeout', '3600']
      : args;
  const result = spawnSync(process.execPath, [CLI, ...bounded], {
    cwd,
    encoding: 'utf8',
    env: {...process.env, TZ: 'UTC'},
  });
  return {code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr};
}

/** Replace `search` with `replacement` in a project file; fails loudly when `search` is absent. */
export async function editFile(
  root: string,
  file: string,
  search: string | RegExp,
  replacement: string,
): Promise<void> {
  const full = path.join(root, file);
  const text = await readFile(full, 'utf8');
  const next = text.replace(search, replacement);
  if (next === text) throw new Error(`edit did not apply to ${file}: ${String(search)}`);
  await writeFile(full, next);
}

/** A digest of every file below `folder` (paths and bytes), to tell whether a tree changed; `ignore` leaves files out by relative path. */
export async function hashTree(folder: string, ignore: (relative: string) => boolean = () => false): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (current: string): Promise<void> => {
    for (const entry of (await readdir(current, {withFileTypes: true})).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (!ignore(path.relative(folder, full)))
        hash
          .update(path.relative(folder, full))
          .update('\0')
          .update(await readFile(full))
          .update('\0');
    }
  };
  await walk(folder);
  return hash.digest('hex');
}

/** A run's output without its progress lines (`[3/7] rendering …`), which appear in CI (CI=true) and with --progress. */
export function withoutProgress(output: string): string {
  return output.replace(/^\[\d+\/\d+\] .*\n/gm, '');
}
