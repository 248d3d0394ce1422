import {existsSync, readdirSync, readFileSync, type Dirent} from 'node:fs';
import {cp, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {hashTree, REPO_ROOT, runCli, withoutProgress} from '../helpers/project.js';

/**
 * The bad-input corpus (test/fixtures/bad-inputs/): `_base/` is the smallest
 * valid project (one chip, one model, one scenario, one source, one report);
 * every other folder is a case, holding only the files it changes and an
 * `expect.json`:
 *
 * - `{"case", "file", "line", "column", "message", "rule"}`: the build fails
 *   with exit code 1 and, in the one diagnostics format (vfile-reporter's), an
 *   error in `file` at `line:column` whose text contains `message`, with no
 *   stack trace; the site built before is left byte for byte as it was;
 * - `{"case", "ok": true}`: the build succeeds without a message and gives
 *   the same site as the base project;
 * - either may add `"args"`: more options for `tradeoffs build`
 *   (`["--template-timeout", "2"]`).
 *
 * Either way the build leaves no lock behind (`<out>.lock`).
 *
 * To add a case, copy the file to break from `_base/` into a new folder, break
 * it, and write its `expect.json`.
 */

const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'bad-inputs');
const BASE = path.join(CORPUS, '_base');
const CASES = readdirSync(CORPUS, {withFileTypes: true})
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
  .map((entry) => entry.name)
  .sort();

interface Expectation {
  /** What the case breaks, in words. */
  readonly case: string;
  readonly ok?: true;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly message?: string;
  readonly rule?: string;
  readonly args?: readonly string[];
}

interface Reported {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: string;
  readonly text: string;
}

/**
 * The messages in vfile-reporter's format: a line with the file's path, then
 * one line per message (`line:column[-line:column]  severity  reason  rule  source`),
 * then a blank line; a summary (`✖ 2 errors`) at the end.
 */
function parseReport(stderr: string): Reported[] {
  const messages: Reported[] = [];
  let file: string | undefined;
  for (const line of stderr.split('\n')) {
    if (line.trim() === '' || /^[✖⚠]/.test(line)) {
      file = undefined;
      continue;
    }
    const message = /^\s*(\d+):(\d+)(?:-\d+:\d+)?\s+(error|warning|info)\s+(.*)$/.exec(line);
    if (message && file !== undefined) {
      messages.push({
        file,
        line: Number(message[1]),
        column: Number(message[2]),
        severity: message[3]!,
        text: message[4]!.trim(),
      });
    } else if (!/^\s/.test(line)) {
      file = line.trim();
    }
  }
  return messages;
}

describe('the bad-input corpus', () => {
  let work: string;
  let goodSite: string;
  let goodHash: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tradeoffs-corpus-'));
    goodSite = path.join(work, 'good-site');
    const built = runCli(['build', '--root', BASE, '--out', goodSite], REPO_ROOT);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr, 'the base project builds without a message').toBe('');
    goodHash = await hashTree(goodSite);
  });
  afterAll(async () => {
    if (work) await rm(work, {recursive: true, force: true});
  });

  it('has cases', () => {
    expect(CASES.length).toBeGreaterThan(20);
  });

  it('keeps the BOM + CRLF cases as such (no line-ending conversion on checkout)', () => {
    const files = CASES.filter((name) => name.startsWith('bom-crlf-')).flatMap((name) =>
      (readdirSync(path.join(CORPUS, name), {recursive: true, withFileTypes: true}) as Dirent[])
        .filter((entry) => entry.isFile() && entry.name !== 'expect.json')
        .map((entry) => path.join(entry.parentPath, entry.name)),
    );
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 3).toString('hex'), file).toBe('efbbbf');
      expect(bytes.toString('latin1'), file).toMatch(/^[^\n]*\r\n/);
      expect(bytes.toString('latin1'), file).not.toMatch(/[^\r]\n/);
    }
  });

  for (const name of CASES) {
    const expected = JSON.parse(readFileSync(path.join(CORPUS, name, 'expect.json'), 'utf8')) as Expectation;
    it(`${name}: ${expected.case}`, async () => {
      const root = path.join(work, name);
      const out = path.join(work, `${name}-site`);
      await cp(BASE, root, {recursive: true});
      await cp(path.join(CORPUS, name), root, {
        recursive: true,
        filter: (source) => path.basename(source) !== 'expect.json',
      });
      // The site a previous, good build left.
      await cp(goodSite, out, {recursive: true});
      const result = runCli(['build', '--root', root, '--out', out, ...(expected.args ?? [])], REPO_ROOT);
      try {
        expect(result.stderr, 'no stack trace').not.toMatch(/^\s+at /m);
        expect(existsSync(`${out}.lock`), 'no lock left behind').toBe(false);
        if (expected.ok) {
          expect(result.code, result.stderr).toBe(0);
          expect(result.stderr, 'no message').toBe('');
          // The manifest and the copies of the input files (source/) differ by design: they hold the
          // input files' hashes and bytes, which differ.
          const notManifest = (file: string) => file === 'manifest.json' || file.startsWith('source/');
          expect(await hashTree(out, notManifest), 'the same site as the base project').toBe(
            await hashTree(goodSite, notManifest),
          );
          return;
        }
        expect(result.code, result.stderr).toBe(1);
        // At most the plan of what was to be rendered: nothing that claims success.
        expect(withoutProgress(result.stdout)).toMatch(/^(Rendering \d+ of \d+ report\(s\): .*\n)?$/);
        const messages = parseReport(result.stderr);
        const errors = messages.filter((message) => message.severity === 'error');
        expect(errors.length, `errors in vfile-reporter's format in:\n${result.stderr}`).toBeGreaterThan(0);
        const match = errors.find(
          (message) =>
            message.file === expected.file &&
            message.line === expected.line &&
            message.column === expected.column &&
            message.text.includes(expected.message!),
        );
        expect(
          match,
          `an error at ${expected.file}:${expected.line}:${expected.column} containing "${expected.message}" in:\n${result.stderr}`,
        ).toBeDefined();
        if (expected.rule) expect(match!.text).toMatch(new RegExp(`\\s${expected.rule}\\s+tradeoffs$`));
        // One mistake, one message: no knock-on errors in other files.
        expect(
          errors.filter((message) => message.file !== expected.file),
          result.stderr,
        ).toEqual([]);
        expect(await hashTree(out), 'the previous site is intact').toBe(goodHash);
      } finally {
        await rm(root, {recursive: true, force: true});
        await rm(out, {recursive: true, force: true});
      }
    });
  }
});
