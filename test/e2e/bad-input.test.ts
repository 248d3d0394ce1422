import {copyFile, mkdir, rm} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {copyProject, editFile, hashTree, REPO_ROOT, runCli, withoutProgress} from '../helpers/project.js';

/** The report the template cases break: small, so each build is quick; the data is the bundled data. */
const BASE_TEMPLATE = path.join(REPO_ROOT, 'test', 'fixtures', 'bad-input', 'report.mdx');

/** A copy of the project whose only report is the small base template. */
async function smallProject() {
  const project = await copyProject();
  await rm(path.join(project.root, 'templates'), {recursive: true, force: true});
  await mkdir(path.join(project.root, 'templates'));
  await copyFile(BASE_TEMPLATE, path.join(project.root, 'templates', 'report.mdx'));
  return project;
}

/**
 * Layouts and precisions that do not fit the bundled data give a positioned
 * message (file:line:column) in the one diagnostics format, exit code 1, no
 * stack trace, and leave the site of the previous good build untouched. The
 * classes of bad input that need no real data (YAML and MDX syntax, types,
 * unknown and duplicate ids, hostile YAML, broken charts, frontmatter…) are
 * the corpus in test/fixtures/bad-inputs/, run by bad-input-corpus.test.ts.
 */
describe('bad input', () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  let goodSite: string;
  let pristine: Awaited<ReturnType<typeof copyProject>>;

  beforeAll(async () => {
    pristine = await smallProject();
    project = await smallProject();
    expect(runCli(['build'], project.root).code).toBe(0);
    goodSite = await hashTree(path.join(project.root, 'reports'));
  });
  afterAll(async () => {
    await project.cleanup();
    await pristine.cleanup();
  });
  beforeEach(async () => {
    // Restore data/ and templates/ from the pristine copy before each case.
    const {cp} = await import('node:fs/promises');
    for (const folder of ['data', 'templates']) {
      await rm(path.join(project.root, folder), {recursive: true, force: true});
      await cp(path.join(pristine.root, folder), path.join(project.root, folder), {recursive: true});
    }
  });

  async function expectFailure(expected: RegExp) {
    for (const command of [['build'], ['check']]) {
      const result = runCli(command, project.root);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(expected);
      expect(result.stderr).not.toMatch(/\n\s*at .+:\d+:\d+\)?\n/); // no stack trace
      // At most the plan of what was to be rendered: nothing that claims success.
      expect(withoutProgress(result.stdout)).toMatch(/^(Rendering \d+ of \d+ report\(s\): .*\n)?$/);
    }
    expect(await hashTree(path.join(project.root, 'reports'))).toBe(goodSite);
  }

  it('reports a precision the chip lacks', async () => {
    await editFile(
      project.root,
      'data/scenarios/deepseek-v3-pretraining.yaml',
      'hardware: h800-sxm',
      'hardware: a100-sxm',
    );
    await expectFailure(
      /error\s+Hardware `a100-sxm` does not support fp8, expected one of `tf32`, `bf16`, `fp16`, `int8`/,
    );
  });

  it('reports a layout that does not divide the GPUs, with what would be valid', async () => {
    await editFile(project.root, 'data/scenarios/deepseek-v3-pretraining.yaml', '  pp: 16\n', '  pp: 12\n');
    await expectFailure(
      /\d+:7-\d+:9\s+error\s+Layout of `deepseek-v3-pretraining`: tp × pp × cp = 12 does not divide the 2048 GPUs, expected a GPU count that is a multiple of 12/,
    );
  });

  it('reports stages that do not divide the layers', async () => {
    await editFile(project.root, 'data/scenarios/deepseek-v3-pretraining.yaml', '  uneven_stages: true\n', '');
    await expectFailure(
      /error\s+Layout of `deepseek-v3-pretraining`: 61 layers do not split into 16 stages, expected one of 1, 61, or `uneven_stages: true`/,
    );
  });

  it('reports an expert-parallel degree larger than the expert count', async () => {
    await editFile(project.root, 'data/scenarios/deepseek-v3-pretraining.yaml', '  ep: 64\n', '  ep: 512\n');
    await expectFailure(
      /\d+:7-\d+:10\s+error\s+Layout of `deepseek-v3-pretraining`: ep 512 is larger than the 256 experts, expected at most 256/,
    );
  });

  it('reports a layout that cannot fit in memory, by how much', async () => {
    await editFile(
      project.root,
      'data/scenarios/deepseek-v3-pretraining.yaml',
      '  pp: 16\n',
      '  pp: 4\n  recompute: none\n',
    );
    await expectFailure(
      /error\s+No layout of `deepseek-v3-pretraining` fits on 2048 × h800-sxm: the closest needs [\d.]+ GB of 85.5 GB per GPU/,
    );
  });

  it('shows the stack trace with --verbose', async () => {
    await editFile(
      project.root,
      'templates/report.mdx',
      '## Assumptions',
      "## Assumptions\n\n{estimate('nope').gpuHours}",
    );
    const result = runCli(['build', '--verbose'], project.root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\[cause\]/);
  });
});
