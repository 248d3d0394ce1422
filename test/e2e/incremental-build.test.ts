import {readdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {copyProject, editFile, hashTree, runCli} from '../helpers/project.js';

/**
 * Incremental builds of the bundled project: a rebuild redoes only the
 * reports whose template or data records changed, says why, and gives the
 * same bytes as a cold build; sharded builds merge into that same site.
 */
describe('incremental builds', () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  const site = () => path.join(project.root, 'reports');
  /** A cold build of the project as it is now, into `folder`: no cache, everything rendered. */
  const coldBuild = (folder: string) => {
    const result = runCli(['build', '--no-cache', '--out', folder], project.root);
    expect(result.code, result.stderr).toBe(0);
    return path.join(project.root, folder);
  };

  beforeAll(async () => {
    project = await copyProject();
    const first = runCli(['build'], project.root);
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(() => project.cleanup());

  it('does nothing when nothing changed, and leaves the site untouched', async () => {
    const before = await hashTree(site());
    const indexTime = (await stat(path.join(site(), 'index.html'))).mtimeMs;
    const result = runCli(['build'], project.root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^Up to date: reports already holds the site of these inputs \(9 report\(s\)\); nothing to do/,
    );
    expect(await hashTree(site())).toBe(before);
    expect((await stat(path.join(site(), 'index.html'))).mtimeMs).toBe(indexTime);
  });

  it('rebuilds only the report that uses a changed scenario, says why, and matches a cold build byte for byte', async () => {
    await editFile(
      project.root,
      'data/scenarios/deepseek-v3-pretraining-owned.yaml',
      'usd_per_kwh: {low: 0.05, mode: 0.08, high: 0.12}',
      'usd_per_kwh: {low: 0.05, mode: 0.09, high: 0.12}',
    );
    const result = runCli(['build'], project.root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^Rendering 1 of 9 report\(s\): deepseek-v3-reconstructed \(data\/scenarios\/deepseek-v3-pretraining-owned\.yaml `deepseek-v3-pretraining-owned` changed\)\n/,
    );
    expect(await hashTree(site())).toBe(await hashTree(coldBuild('cold-1')));
  });

  it('rebuilds only the report whose template changed', async () => {
    await editFile(project.root, 'templates/calibration.mdx', /^title: (.*)$/m, 'title: $1, revised');
    const result = runCli(['build'], project.root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^Rendering 1 of 9 report\(s\): calibration \(templates\/calibration\.mdx changed\)\n/,
    );
    // Its new title is in every page's navigation: the whole site is laid out again from the cached reports.
    expect(await readFile(path.join(site(), 'index.html'), 'utf8')).toContain(
      'Calibration against published runs, revised',
    );
    expect(await hashTree(site())).toBe(await hashTree(coldBuild('cold-2')));
  });

  it('rebuilds every report that read a changed hardware record, and only those', async () => {
    await editFile(project.root, 'data/hardware.yaml', /(- id: mi300x[\s\S]*?tdp_w: )(\d+)/, '$1$2.5');
    const result = runCli(['build'], project.root);
    expect(result.code, result.stderr).toBe(0);
    const plan = /^Rendering (\d+) of 9 report\(s\): (.*)$/m.exec(result.stdout);
    expect(plan, result.stdout).not.toBeNull();
    const rebuilt = (plan?.[2] ?? '').split(/, (?=[a-z0-9-]+ \()/).map((entry) => entry.split(' ')[0]);
    // The MI300X is in every report that sweeps over chips, and in the calibration page's list of the
    // chips no published run checks; not in a report about DeepSeek's own H800 run.
    expect(rebuilt).toContain('deepseek-v3-on-other-hardware');
    expect(rebuilt).not.toContain('where-the-efficiency-came-from');
    expect(result.stdout).toContain('data/hardware.yaml `mi300x` changed');
    expect(await hashTree(site())).toBe(await hashTree(coldBuild('cold-3')));
  });

  it('treats a damaged cache entry as missing', async () => {
    const entries = path.join(project.root, '.tradeoffs', 'cache', 'reports');
    expect((await readdir(entries)).sort()).toContain('calibration.json');
    await writeFile(path.join(entries, 'calibration.json'), '{"truncated": ');
    await rm(path.join(site(), 'calibration', 'index.html'));
    const result = runCli(['build'], project.root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Rendering 1 of 9 report\(s\): calibration \(not in the cache\)\n/);
    expect(await hashTree(site())).toBe(await hashTree(coldBuild('cold-4')));
  });

  it('rebuilds a site whose files were changed by hand, from the cache', async () => {
    await writeFile(path.join(site(), 'index.html'), 'edited');
    // A report's page the next build would take from the site in place (page-cache.ts): only as it was made.
    await writeFile(path.join(site(), 'methodology', 'index.html'), 'edited');
    const result = runCli(['build'], project.root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Rendering 0 of 9 report\(s\): all unchanged, taken from the cache\n/);
    expect(await readFile(path.join(site(), 'index.html'), 'utf8')).toMatch(/^<!doctype html>/);
    expect(await readFile(path.join(site(), 'methodology', 'index.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('joins shards into the site a single build makes, byte for byte', async () => {
    for (const shard of ['1/3', '2/3', '3/3']) {
      const result = runCli(['build', '--shard', shard, '--out', `shards/${shard[0]}`], project.root);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`Built shard ${shard}: [23] report\\(s\\)`));
    }
    const merged = runCli(['merge', 'shards/3', 'shards/1', 'shards/2', '--out', 'merged'], project.root);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/^Merged 3 shard\(s\): 9 report\(s\) into merged/m);
    expect(await hashTree(path.join(project.root, 'merged'))).toBe(await hashTree(site()));
  });

  it('refuses to merge an incomplete or mixed set of shards', async () => {
    const missing = runCli(['merge', 'shards/1', 'shards/3', '--out', 'merged'], project.root);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /<command line>\n.*error\s+Missing shard 2\/3: pass every shard folder of the build/,
    );
    const twice = runCli(['merge', 'shards/1', 'shards/1', 'shards/2', '--out', 'merged'], project.root);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/shards\/1\/shard\.json\n.*error\s+Shard 1\/3 is given twice/);
    await editFile(project.root, 'templates/calibration.mdx', /, revised$/m, ', revised again');
    const other = runCli(['build', '--shard', '2/3', '--out', 'shards/2'], project.root);
    expect(other.code, other.stderr).toBe(0);
    const mixed = runCli(['merge', 'shards/1', 'shards/2', 'shards/3', '--out', 'merged'], project.root);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(
      /Built from other inputs than .*shard\.json: rebuild every shard from the same commit/,
    );
    const notShard = runCli(['merge', 'reports', '--out', 'merged'], project.root);
    expect(notShard.code).toBe(1);
    expect(notShard.stderr).toMatch(/reports\/shard\.json\n.*error\s+Not a shard: no shard\.json here/);
  });

  it('prints a line per report with --progress (as in CI), then the per-stage timings', () => {
    const fresh = runCli(['build', '--no-cache', '--progress', '--out', 'progress-fresh'], project.root);
    expect(fresh.stdout).toMatch(
      /^Rendering 9 of 9 report\(s\): the cache is off \(--no-cache\)\n\[1\/9\] rendering answers\n\[2\/9\] rendering calibration\n[\s\S]*\[9\/9\] rendering where-the-efficiency-came-from\nBuilt 9 report\(s\) with \d+ chart\(s\) into progress-fresh \(load \d+ ms, .*evaluate \d+ ms, charts \d+ ms, layout \d+ ms, write \d+ ms\)\n$/,
    );
  });

  it('refuses a malformed --shard, naming the limit on n, exit 2', () => {
    for (const shard of ['0/2', '3/2', 'a/b', '1/0', '1/1001']) {
      const result = runCli(['build', '--shard', shard], project.root);
      expect(result.code, shard).toBe(2);
      expect(result.stderr).toContain(`--shard expects k/n with 1 ≤ k ≤ n ≤ 1,000 (as 2/4), got \`${shard}\``);
    }
  });
});
