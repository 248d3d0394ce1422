import {cp, mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {compareManifests, comparisonMarkdown, comparisonText} from '../../src/output/compare.js';
import type {ManifestReport, SiteManifest} from '../../src/output/manifest.js';
import {editFile, REPO_ROOT, runCli} from '../helpers/project.js';

function manifest(reports: ManifestReport[]): SiteManifest {
  return {
    format: 1,
    tool: {version: '0', vega: '0', vegaLite: '0', font: 'Inter', fingerprint: 'x'},
    sampling: {samples: 1000, seed: 1},
    pdf: false,
    inputs: {},
    reports,
    warnings: [],
    files: {},
  };
}

function report(
  slug: string,
  numbers: Array<[id: string, value: number | null, text: string]>,
  title = `Report ${slug}`,
): ManifestReport {
  return {
    slug,
    title,
    template: `templates/${slug}.mdx`,
    templateHash: '',
    uses: {},
    numbers: numbers.map(([id, value, text]) => ({id, label: `Label of ${id}`, value, unit: 'GPU-h', text})),
  };
}

describe('comparing two builds', () => {
  const before = manifest([
    report('a', [
      ['s.gpuHours', 100, '100 GPU-h'],
      ['s.costUsd', 50, '$50'],
      ['s.days', 10, '10 days'],
      ['s.energy', 0, '0 MWh'],
    ]),
    report('gone', [['t.gpuHours', 1, '1 GPU-h']]),
  ]);
  const after = manifest([
    report(
      'a',
      [
        ['s.gpuHours', 100.5, '100 GPU-h'],
        ['s.costUsd', 40, '$40'],
        ['s.days', 12, '12 days'],
        ['s.energy', 3, '3 MWh'],
        ['s.new', 1, '1'],
      ],
      'Report a | with a pipe',
    ),
    report('added', [['u.gpuHours', 1, '1 GPU-h']]),
  ]);

  it('lists the numbers both builds print that moved beyond the threshold, largest first', () => {
    const comparison = compareManifests(before, after, 0.01);
    expect(comparison.compared).toBe(4);
    expect(comparison.moved.map((number) => number.id)).toEqual(['s.energy', 's.costUsd', 's.days']);
    expect(comparison.moved[2]?.change).toBeCloseTo(0.2);
    expect(comparison.addedReports).toEqual(['Report added']);
    expect(comparison.removedReports).toEqual(['Report gone']);
    // A 0.5% move is below a 1% threshold and above a 0.1% one.
    expect(compareManifests(before, after, 0.001).moved.map((number) => number.id)).toContain('s.gpuHours');
  });

  it('prints text for a log and Markdown for a CI job summary, escaping table cells', () => {
    const comparison = compareManifests(before, after, 0.01);
    const text = comparisonText(comparison);
    expect(text).toMatch(/^3 of 4 figure\(s\) moved by more than 1%:\n/);
    expect(text).toContain('  Report a | with a pipe: Label of s.days 10 days → 12 days (+20%)  [s.days]\n');
    expect(text).toContain('Label of s.costUsd $50 → $40 (-20%)');
    expect(text).toContain('Label of s.energy 0 MWh → 3 MWh (new value)');
    expect(text).toContain('New report: Report added\nRemoved report: Report gone\n');
    const markdown = comparisonMarkdown(comparison);
    expect(markdown).toContain('| Report | Figure | Before | After | Change |');
    expect(markdown).toContain(
      '| Report a \\| with a pipe | Label of s.days <br><sub>`s.days`</sub> | 10 days | 12 days | +20% |',
    );
    expect(comparisonText(compareManifests(before, before, 0.01))).toBe(
      'No figure moved by more than 1% (5 compared).\n',
    );
  });
});

describe('tradeoffs build --compare and tradeoffs compare', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tradeoffs-compare-'));
    await cp(path.join(REPO_ROOT, 'test', 'fixtures', 'golden'), root, {recursive: true});
    const first = runCli(['build', '--out', 'before'], root);
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(() => rm(root, {recursive: true, force: true}));

  it('says which key figures moved after a price change, as text and as Markdown', async () => {
    await editFile(
      root,
      'data/scenarios/golden-training.yaml',
      'usd_per_gpu_hour: {low: 1.5, mode: 2.0, high: 3.0}',
      'usd_per_gpu_hour: {low: 1.8, mode: 2.3, high: 3.3}',
    );
    const result = runCli(['build', '--out', 'after', '--compare', 'before', '--markdown', 'summary.md'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /\n\d+ of \d+ figure\(s\) moved by more than 1%:\n[^]*\n {2}Golden report: Cost \$[\d.]+M \(.*\) → \$[\d.]+M \(.*\) \(\+1\d%\) {2}\[golden-training\.costUsd\]\n/,
    );
    // Numbers in tables move too: the ScenarioTable's cost of each sweep point, named by where it is.
    expect(result.stdout).toMatch(
      /\n {2}Golden report: [^\n]+ · Cost \$[\d.]+M \(.*\) → \$[\d.]+M \(.*\) \(\+1\d%\) {2}\[figure [a-z-]+ table 1: [^\n]+ \/ Cost\]\n/,
    );
    const markdown = await readFile(path.join(root, 'summary.md'), 'utf8');
    expect(markdown).toMatch(
      /^### What changed in the reports\n\n\d+ of \d+ figure\(s\) moved by more than 1%:\n\n\| Report \| Figure \|/,
    );
    expect(markdown).toContain('| Golden report | Cost <br><sub>`golden-training.costUsd`</sub> |');
    // The standalone command reads two sites (or manifests) and says the same.
    const standalone = runCli(['compare', 'before', 'after/manifest.json', '--threshold', '20'], root);
    expect(standalone.code, standalone.stderr).toBe(0);
    expect(standalone.stdout).toMatch(/^No figure moved by more than 20% \(\d+ compared\)\.\n$/);
  });

  it('names the folder that holds no manifest, exit 1', () => {
    const result = runCli(['compare', 'nowhere', 'after'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/nowhere\n.*error\s+No site manifest here: expected a site built by tradeoffs/);
  });
});
