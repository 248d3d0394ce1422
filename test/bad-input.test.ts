import {copyFile, mkdir, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {copyProject, editFile, hashTree, REPO_ROOT, runCli} from './helpers/project.js';

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
 * Each class of bad input gives a positioned message (file:line:column) in
 * the one diagnostics format, exit code 1, no stack trace, and leaves the
 * site of the previous good build untouched.
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
      expect(result.stdout).toMatch(/^(Rendering \d+ of \d+ report\(s\): .*\n)?$/);
    }
    expect(await hashTree(path.join(project.root, 'reports'))).toBe(goodSite);
  }

  it('reports a YAML syntax error at its line and column', async () => {
    await editFile(project.root, 'data/hardware.yaml', 'name: NVIDIA H100 SXM 80GB', 'name: [NVIDIA H100 SXM 80GB');
    await expectFailure(/data\/hardware\.yaml\n\s*\d+:\d+(-\d+:\d+)?\s+error\s+.+yaml-syntax/);
  });

  it('reports a value of the wrong type with what was expected', async () => {
    await editFile(project.root, 'data/hardware.yaml', 'capacity_gb: 80, bandwidth_tb_per_s: 3.35, source: "[T*] stas00/ml-engineering compute/accelerator/README.md (HBM3)"', 'capacity_gb: eighty, bandwidth_tb_per_s: 3.35, source: "x"');
    await expectFailure(/data\/hardware\.yaml\n\s*21:25-21:31\s+error\s+`memory\.capacity_gb`: expected number, got string `eighty`\s+schema/);
  });

  it('reports a missing field on the record that lacks it', async () => {
    await editFile(project.root, 'data/scenarios/deepseek-v3-pretraining.yaml', 'workload: {tokens: 14.8e12, seq_len: 4096, global_batch_tokens: 62914560}', 'workload: {tokens: 14.8e12, global_batch_tokens: 62914560}');
    await expectFailure(/deepseek-v3-pretraining\.yaml\n\s*9:11-9:59\s+error\s+Missing field `seq_len`, expected number\s+schema/);
  });

  it('reports an unknown field and suggests the right one', async () => {
    await editFile(project.root, 'data/scenarios/deepseek-v3-pretraining.yaml', 'cluster: {hardware: h800-sxm, gpus: 2048}', 'cluster: {hardware: h800-sxm, gpu: 2048}');
    await expectFailure(/8:31-8:34\s+error\s+Unknown field `gpu` in `cluster`, did you mean `gpus`\?/);
  });

  it('reports an out-of-range number such as a negative GPU count', async () => {
    await editFile(project.root, 'data/scenarios/deepseek-v3-pretraining.yaml', 'gpus: 2048', 'gpus: -8');
    await expectFailure(/8:37-8:39\s+error\s+`cluster\.gpus`: expected number > 0, got -8\s+schema/);
  });

  it('reports an unknown id and suggests the nearest known one', async () => {
    await editFile(project.root, 'data/scenarios/deepseek-v3-pretraining.yaml', 'hardware: h800-sxm', 'hardware: h800');
    await expectFailure(/8:21-8:25\s+error\s+Unknown hardware id `h800`, did you mean `h800-sxm`\?\s+unknown-id/);
  });

  it('reports a duplicate id at its second definition', async () => {
    await editFile(project.root, 'data/hardware.yaml', 'id: h200-sxm', 'id: h100-sxm');
    await expectFailure(/error\s+Duplicate hardware id `h100-sxm` \(first defined at data\/hardware\.yaml:\d+:\d+\)/);
  });

  it('reports a precision the chip lacks', async () => {
    await editFile(project.root, 'data/scenarios/deepseek-v3-pretraining.yaml', 'hardware: h800-sxm', 'hardware: a100-sxm');
    await expectFailure(/error\s+Hardware `a100-sxm` does not support fp8, expected one of `tf32`, `bf16`, `fp16`, `int8`/);
  });

  it('reports a layout that does not divide the GPUs, with what would be valid', async () => {
    await editFile(project.root, 'data/scenarios/deepseek-v3-pretraining.yaml', '  pp: 16\n', '  pp: 12\n');
    await expectFailure(/\d+:7-\d+:9\s+error\s+Layout of `deepseek-v3-pretraining`: tp × pp × cp = 12 does not divide the 2048 GPUs, expected a GPU count that is a multiple of 12/);
  });

  it('reports stages that do not divide the layers', async () => {
    await editFile(project.root, 'data/scenarios/deepseek-v3-pretraining.yaml', '  uneven_stages: true\n', '');
    await expectFailure(/error\s+Layout of `deepseek-v3-pretraining`: 61 layers do not split into 16 stages, expected one of 1, 61, or `uneven_stages: true`/);
  });

  it('reports an expert-parallel degree larger than the expert count', async () => {
    await editFile(project.root, 'data/scenarios/deepseek-v3-pretraining.yaml', '  ep: 64\n', '  ep: 512\n');
    await expectFailure(/\d+:7-\d+:10\s+error\s+Layout of `deepseek-v3-pretraining`: ep 512 is larger than the 256 experts, expected at most 256/);
  });

  it('reports a layout that cannot fit in memory, by how much', async () => {
    await editFile(project.root, 'data/scenarios/deepseek-v3-pretraining.yaml', '  pp: 16\n', '  pp: 4\n  recompute: none\n');
    await expectFailure(/error\s+No layout of `deepseek-v3-pretraining` fits on 2048 × h800-sxm: the closest needs [\d.]+ GB of 80 GB per GPU/);
  });

  it('reports an MDX syntax error at its line and column', async () => {
    await editFile(project.root, 'templates/report.mdx', '## The same run, chip by chip', '## The same run, chip by chip\n\n<Estimate scenario="deepseek-v3-pretraining"');
    await expectFailure(/templates\/report\.mdx\n\s*\d+:\d+(-\d+:\d+)?\s+error\s+.+\s+mdx-syntax/);
  });

  it('reports an error thrown while evaluating a template at the expression that threw', async () => {
    await editFile(project.root, 'templates/report.mdx', '## Assumptions', "## Assumptions\n\nTotal: {estimate('deepseek-v3-pretrainig').gpuHours}");
    await expectFailure(/\d+:9\s+error\s+Unknown scenario id `deepseek-v3-pretrainig`, did you mean `deepseek-v3-pretraining`\?/);
  });

  it('reports a component given a wrong prop at the component', async () => {
    await editFile(project.root, 'templates/report.mdx', '## Assumptions', '## Assumptions\n\n<Estimate scenario="deepseek-v3-pretraining" output="gpuHour" />');
    await expectFailure(/\d+:1\s+error\s+Unknown output `gpuHour` on <Estimate> for a training scenario, did you mean `gpuHours`\?/);
  });

  it('reports an invalid chart at its <Chart>', async () => {
    await writeFile(
      path.join(project.root, 'templates', 'broken-chart.mdx'),
      '---\ntitle: Broken\nsummary: A chart with a bad mark\n---\n\n# Broken\n\n<Chart spec={{data: {values: [{a: 1}]}, mark: "bogus", encoding: {x: {field: "a", type: "quantitative"}}}} />\n',
    );
    await expectFailure(/templates\/broken-chart\.mdx\n\s*8:1\s+error\s+Chart 1: Invalid Vega-Lite spec: Unknown mark type `bogus` at `spec\.mark`, expected one of .+chart-error/);
  });

  it('reports a <Ref> to a figure that does not exist, at the Ref', async () => {
    await writeFile(
      path.join(project.root, 'templates', 'refs.mdx'),
      '---\ntitle: Refs\nsummary: A reference to nothing\n---\n\n# Refs\n\n<Figure id="table-a" caption="A table">text</Figure>\n\nSee <Ref to="table-b" />.\n',
    );
    await expectFailure(/templates\/refs\.mdx\n\s*10:5\s+error\s+Unknown figure id in <Ref> `table-b`, did you mean `table-a`\?\s+unknown-id/);
  });

  it('reports a <Cite> of a source that does not exist, at the Cite', async () => {
    await writeFile(path.join(project.root, 'templates', 'cites.mdx'), '---\ntitle: Cites\nsummary: A citation of nothing\n---\n\n# Cites\n\nAs shown <Cite id="deepseek-v3-reprot" />.\n');
    await expectFailure(/templates\/cites\.mdx\n\s*8:10\s+error\s+Unknown source id in <Cite> `deepseek-v3-reprot`, did you mean `deepseek-v3-report`\?\s+unknown-id/);
  });

  it('refuses a chart that would ship thousands of points, and says to aggregate', async () => {
    await writeFile(
      path.join(project.root, 'templates', 'dense.mdx'),
      '---\ntitle: Dense\nsummary: Too many points\n---\n\n# Dense\n\n<Chart spec={{data: {values: Array.from({length: 6000}, (_, i) => ({x: i, y: i % 7}))}, mark: "point", encoding: {x: {field: "x", type: "quantitative"}, y: {field: "y", type: "quantitative"}}}} />\n',
    );
    await expectFailure(/templates\/dense\.mdx\n\s*8:1\s+error\s+Chart 1 carries 6,000 data points, expected at most 5,000: aggregate/);
  });

  it('reports a missing frontmatter field in the template', async () => {
    await writeFile(path.join(project.root, 'templates', 'no-summary.mdx'), '---\ntitle: No summary\n---\n\n# Hi\n');
    await expectFailure(/templates\/no-summary\.mdx\n\s*2:1-\d+:\d+\s+error\s+Missing field `summary`, expected string\s+frontmatter/);
  });

  it('shows the stack trace with --verbose', async () => {
    await editFile(project.root, 'templates/report.mdx', '## Assumptions', "## Assumptions\n\n{estimate('nope').gpuHours}");
    const result = runCli(['build', '--verbose'], project.root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\[cause\]/);
  });
});
