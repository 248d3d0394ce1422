import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {cp, mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createTemplateRunner} from '../../src/build/template-runner.js';
import {LEAN_TEMPLATE_PROCESS_FROM_REPORTS, templateSemiSpaceMb} from '../../src/output/heap-trim.js';
import {CLI, editFile, REPO_ROOT} from '../helpers/project.js';

/**
 * Templates are code, run in a process of their own with a time limit and a
 * heap limit (src/build/template-runner.ts): a template that never ends,
 * ends its process or exhausts its memory is an error at the template, the
 * build exits 1, leaves no lock, and the other templates are still checked.
 * (The bad-input corpus has the single cases: template-hangs,
 * template-exits, template-allocates.)
 */
describe('templates bounded in time and memory', () => {
  let work: string;
  const base = path.join(REPO_ROOT, 'test', 'fixtures', 'bad-inputs', '_base');

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tradeoffs-bounds-'));
  });
  afterAll(async () => {
    await rm(work, {recursive: true, force: true});
  });

  const build = (root: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}) => {
    const out = path.join(root, 'site');
    const result = spawnSync(process.execPath, [CLI, 'build', '--root', root, '--out', out, ...args], {
      encoding: 'utf8',
      env: {...process.env, TZ: 'UTC', ...env},
    });
    return {code: result.status, stdout: result.stdout, stderr: result.stderr, out};
  };

  it('reports a template that exhausts its heap at the template, and builds nothing', async () => {
    const root = path.join(work, 'heap');
    await cp(base, root, {recursive: true});
    await editFile(
      root,
      'templates/report.mdx',
      '## Assumptions',
      'Total: {(() => { const kept = []; for (;;) kept.push(new Array(1e5).fill(1)); })()}\n\n## Assumptions',
    );
    // A small heap, so the case ends quickly; the default is far larger.
    const result = build(root, [], {TRADEOFFS_TEMPLATE_HEAP_MB: '96'});
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /templates\/report\.mdx\n\s*1:1\s+error\s+The template ran out of memory \(the process running templates may use 96 MB\)/,
    );
    expect(result.stderr, 'no native stack trace').not.toMatch(/FATAL ERROR|Native stack trace|^\s+at /m);
    expect(existsSync(result.out)).toBe(false);
    expect(existsSync(`${result.out}.lock`)).toBe(false);
  });

  it('stops a template that never ends, and still checks the templates after it', async () => {
    const root = path.join(work, 'two');
    await cp(base, root, {recursive: true});
    await editFile(
      root,
      'templates/report.mdx',
      '## Assumptions',
      'Total: {(() => { for (;;) {} })()}\n\n## Assumptions',
    );
    // A second report, after the first in name order, with a mistake of its own.
    await cp(path.join(base, 'templates', 'report.mdx'), path.join(root, 'templates', 'second.mdx'));
    await editFile(root, 'templates/second.mdx', 'scenario="tiny"', 'scenario="tinny"');
    const result = build(root, ['--template-timeout', '2']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /templates\/report\.mdx\n\s*1:1\s+error\s+The template did not finish within 2 s and was stopped/,
    );
    expect(result.stderr).toMatch(/templates\/second\.mdx\n\s*\d+:\d+\s+error\s+Unknown scenario id `tinny`/);
    expect(existsSync(`${result.out}.lock`)).toBe(false);
  });

  it('takes --template-timeout only as a whole number of seconds from 1', () => {
    const result = build(path.join(work, 'usage'), ['--template-timeout', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--template-timeout');
  });

  it("compiles a large site's templates in a process whose young generation is capped", async () => {
    const runner = createTemplateRunner({semiSpaceMb: templateSemiSpaceMb(LEAN_TEMPLATE_PROCESS_FROM_REPORTS)});
    try {
      const text = await readFile(path.join(base, 'templates', 'report.mdx'), 'utf8');
      const answer = await runner.compile('templates/report.mdx', text);
      expect(answer.messages.filter((message) => message.fatal)).toEqual([]);
      expect(answer.template?.path).toBe('templates/report.mdx');
    } finally {
      await runner.close();
    }
  });
});
