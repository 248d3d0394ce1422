import {cp, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {copyProject, hashTree, REPO_ROOT, runCli, withoutProgress} from '../helpers/project.js';

describe('tradeoffs build, end to end', () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  let first: ReturnType<typeof runCli>;

  beforeAll(async () => {
    project = await copyProject();
    first = runCli(['build'], project.root);
  });
  afterAll(() => project.cleanup());

  it('exits 0 and says what it built', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(withoutProgress(first.stdout)).toMatch(
      /^Rendering 9 of 9 report\(s\): not in the cache\nBuilt 9 report\(s\) with \d+ chart\(s\)/,
    );
  });

  it('writes the index, one stylesheet and a page per template', async () => {
    const reports = path.join(project.root, 'reports');
    const templates = (await readdir(path.join(project.root, 'templates'))).filter((name) => name.endsWith('.mdx'));
    const index = await readFile(path.join(reports, 'index.html'), 'utf8');
    for (const template of templates) {
      const slug = template.replace(/\.mdx$/, '');
      expect(index).toContain(`href="${slug}/index.html"`);
      const page = await readFile(path.join(reports, slug, 'index.html'), 'utf8');
      expect(page).toMatch(/^<!doctype html>/);
      expect(page).toContain('href="../style.css"');
    }
    expect((await readdir(reports)).filter((name) => name.endsWith('.css'))).toEqual(['style.css']);
  });

  it('renders the DeepSeek-V3 report with inline SVG charts, a GFM table and estimated numbers', async () => {
    const page = await readFile(
      path.join(project.root, 'reports', 'deepseek-v3-on-other-hardware', 'index.html'),
      'utf8',
    );
    expect(page.match(/<svg /g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(page).toMatch(
      /<figure class="chart" id="figure-1"><div class="chart-svg" role="img" aria-label="[^"]+" aria-describedby="figure-1-description"><svg /,
    );
    expect(page).toContain('<table>');
    // The anchor table: the reported figure as written, the estimates through <Estimate>, with their ranges.
    // A number and its unit are kept on one line (keep-units.ts).
    expect(page).toMatch(/<td class="align-right"><span class="nowrap">2\.66M GPU-h<\/span><\/td>/);
    expect(page).toMatch(
      /<td class="align-right"><span class="estimate" title="GPU-hours: deepseek-v3-pretraining on h800-sxm">2\.67M GPU-h<\/span>/,
    );
    expect(page).toMatch(/>\$5\.69M \(\$4\.6–7\.3M\)</);
    // Nothing left for the reader to see that the build failed to compute.
    expect(page).not.toMatch(/undefined|NaN|\[object Object\]/);
  });

  it('builds byte-identical sites from the same inputs', async () => {
    const before = await hashTree(path.join(project.root, 'reports'));
    // Everything rendered again: no cache, and no "up to date" shortcut.
    const second = runCli(['build', '--force', '--no-cache'], project.root);
    expect(second.stdout).toMatch(/^Rendering 9 of 9/);
    expect(second.code).toBe(0);
    expect(await hashTree(path.join(project.root, 'reports'))).toBe(before);
  });

  it('leaves no staging or backup folder behind', async () => {
    const entries = await readdir(project.root);
    expect(entries.filter((name) => name.startsWith('.reports-'))).toEqual([]);
  });

  it('builds into --out when given', async () => {
    const result = runCli(['build', '--out', 'site'], project.root);
    expect(result.code).toBe(0);
    expect(await hashTree(path.join(project.root, 'site'))).toBe(await hashTree(path.join(project.root, 'reports')));
  });
});

describe('what templates are given is shared by every report: read-only', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tradeoffs-shared-'));
    await cp(path.join(REPO_ROOT, 'test', 'fixtures', 'golden'), root, {recursive: true});
    await writeFile(
      path.join(root, 'templates', 'a-mutates.mdx'),
      `---
title: A mutates
summary: Tries to change what the next report reads.
---

export const attempts = [
  () => { catalog.scenario('golden-training').cluster.gpus = 1 },
  () => { estimate('golden-training').gpuHours = 0 },
  () => { sweep('golden-training')[0].hardwareName = 'changed' },
  () => { catalog.scenario('golden-training').sweep.hardware.reverse() },
  () => { catalog.hardware[0].name = 'changed' },
  () => { catalog.chip = () => catalog.model('llama-3.1-405b') },
].map((attempt) => { try { attempt(); return 'changed' } catch { return 'refused' } })

Attempts: {attempts.join(' ')}.
`,
    );
    await writeFile(
      path.join(root, 'templates', 'b-reads.mdx'),
      `---
title: B reads
summary: Reads what the report before it tried to change.
---

Reads: {catalog.scenario('golden-training').cluster.gpus} GPUs, {format(estimate('golden-training').gpuHours, 'GPU-h')}, {sweep('golden-training')[0].hardwareName}, {catalog.scenario('golden-training').sweep.hardware.join(' ')}, {catalog.hardware[0].name}, {catalog.chip('h100-sxm').id}.
`,
    );
  });
  afterAll(() => rm(root, {recursive: true, force: true}));

  it('refuses every change, and a shard+merge build equals a single build', async () => {
    const single = runCli(['build', '--no-cache', '--out', 'single'], root);
    expect(single.code, single.stderr).toBe(0);
    const a = await readFile(path.join(root, 'single', 'a-mutates', 'index.html'), 'utf8');
    expect(a).toContain('Attempts: refused refused refused refused refused refused.');
    const b = await readFile(path.join(root, 'single', 'b-reads', 'index.html'), 'utf8');
    // As text: a number and its unit are kept together in a span (keep-units.ts).
    expect(b.replace(/<[^>]+>/g, '')).toMatch(
      /Reads: 16,?384 GPUs, [^,]+ GPU-h, NVIDIA H100 SXM 80GB, h100-sxm a100-sxm, NVIDIA A100 SXM 80GB, h100-sxm\./,
    );
    for (const shard of ['1/2', '2/2'])
      expect(runCli(['build', '--no-cache', '--shard', shard, '--out', `shard-${shard[0]}`], root).code).toBe(0);
    expect(runCli(['merge', 'shard-1', 'shard-2', '--out', 'merged'], root).code).toBe(0);
    expect(await hashTree(path.join(root, 'merged'))).toBe(await hashTree(path.join(root, 'single')));
  });
});

describe('a chart two reports draw alike is drawn once per build', () => {
  let root: string;
  const twin = (title: string) => `---
title: ${title}
summary: Draws the chart its twin draws.
---

export const runs = sweep('golden-training')

# ${title}

<Chart
  id="days"
  caption="Days on each chip."
  spec={{
    data: { values: runs.map((run) => ({ chip: run.hardwareName, days: run.wallClockDays, zero: -0 })) },
    mark: 'bar',
    encoding: { y: { field: 'chip', type: 'nominal', title: null }, x: { field: 'days', type: 'quantitative', title: 'Days' } },
  }}
/>
`;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tradeoffs-twins-'));
    await cp(path.join(REPO_ROOT, 'test', 'fixtures', 'golden'), root, {recursive: true});
    // Adjacent names: two shards of two draw one each, where a single build draws the second from the first.
    await writeFile(path.join(root, 'templates', 'twin-a.mdx'), twin('Twin A'));
    await writeFile(path.join(root, 'templates', 'twin-b.mdx'), twin('Twin B'));
  });
  afterAll(() => rm(root, {recursive: true, force: true}));

  it('gives the bytes of a build that draws each report apart (shards, merged), with and without a cache', async () => {
    const single = runCli(['build', '--no-cache', '--out', 'single'], root);
    expect(single.code, single.stderr).toBe(0);
    const cached = runCli(['build', '--cache', 'cache', '--out', 'cached'], root);
    expect(cached.code, cached.stderr).toBe(0);
    for (const shard of ['1/2', '2/2'])
      expect(runCli(['build', '--no-cache', '--shard', shard, '--out', `shard-${shard[0]}`], root).code).toBe(0);
    expect(runCli(['merge', 'shard-1', 'shard-2', '--no-cache', '--out', 'merged'], root).code).toBe(0);
    const site = await hashTree(path.join(root, 'single'));
    expect(await hashTree(path.join(root, 'merged'))).toBe(site);
    expect(await hashTree(path.join(root, 'cached'))).toBe(site);
    const svgOf = async (slug: string) =>
      /<svg[\s\S]*?<\/svg>/.exec(await readFile(path.join(root, 'single', slug, 'index.html'), 'utf8'))?.[0];
    expect(await svgOf('twin-b')).toBeDefined();
    expect((await svgOf('twin-b'))?.replaceAll('twin-b', 'twin-a')).toBe(await svgOf('twin-a'));
  });
});
