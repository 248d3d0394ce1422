import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {copyProject, editFile, REPO_ROOT, runCli} from '../helpers/project.js';

/**
 * Uncertain inputs through the CLI: `tradeoffs check` on uncertain numbers in
 * data, and `tradeoffs estimate --samples --seed --sensitivity --output`.
 * (The distributions and the Monte Carlo themselves: test/estimate/uncertainty.)
 */

const PRICE_INPUT = 'deepseek-v3-pretraining.cost.usd_per_gpu_hour';

describe('uncertain numbers in data', () => {
  // Each test runs the CLI's check twice on a fresh copy (every report rendered, both calibrations run):
  // the unit project's timeout (vitest.config.ts) is the safety net against a hang, not a speed limit.
  describe('through `tradeoffs check`', () => {
    const scenarioFile = 'data/scenarios/deepseek-v3-pretraining.yaml';
    const priceRange = '{low: 1.5, mode: 2.0, high: 3.0}';
    let project: {root: string; cleanup: () => Promise<void>};
    beforeAll(async () => {
      project = await copyProject();
    });
    afterAll(async () => project.cleanup());

    /** The line and columns of the price value in the edited file, as the reporter prints them. */
    const pricePlace = async (value: string) => {
      const lines = (await readFile(path.join(project.root, scenarioFile), 'utf8')).split('\n');
      const line = lines.findIndex((text) => text.includes(`usd_per_gpu_hour: ${value}`));
      const column = (lines[line] as string).indexOf(value) + 1;
      return `${line + 1}:${column}-${line + 1}:${column + value.length}`;
    };

    it('reports a range with low > mode as a schema error at its position', async () => {
      const bad = '{low: 2.5, mode: 2.0, high: 3.0}';
      await editFile(project.root, scenarioFile, priceRange, bad);
      const result = runCli(['check'], project.root);
      await editFile(project.root, scenarioFile, bad, priceRange);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(scenarioFile);
      const place = await pricePlace(priceRange);
      expect(result.stderr).toMatch(
        new RegExp(
          `${place} +error +\`cost\\.usd_per_gpu_hour\`: expected low <= mode <= high, got 2\\.5, 2, 3 +schema`,
        ),
      );
    });

    it('rejects a normal price whose mean − 3 sd is negative, and accepts one that stays positive', async () => {
      const bad = '{dist: normal, mean: 2.0, sd: 1.0}';
      await editFile(project.root, scenarioFile, priceRange, bad);
      const result = runCli(['check'], project.root);
      const place = await pricePlace(bad);
      const good = '{dist: normal, mean: 2.0, sd: 0.5}';
      await editFile(project.root, scenarioFile, bad, good);
      const accepted = runCli(['check'], project.root);
      await editFile(project.root, scenarioFile, good, priceRange);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `${place} +error +\`cost\\.usd_per_gpu_hour\`: expected mean ± 3 sd to stay in range, got -1 +schema`,
        ),
      );
      expect(accepted.code, accepted.stderr).toBe(0);
    });
  });
});

// ---------------------------------------------------------------------------
// CLI

describe('tradeoffs estimate with uncertainty', () => {
  const json = (seed: number) => {
    const result = runCli(
      ['estimate', 'deepseek-v3-pretraining', '--samples', '500', '--seed', String(seed), '--json'],
      REPO_ROOT,
    );
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };
  let seven: string;
  beforeAll(() => {
    seven = json(7);
  });

  it('gives identical JSON for the same seed and another cost range for another seed', () => {
    expect(json(7)).toBe(seven);
    const first = JSON.parse(seven);
    const eight = JSON.parse(json(8));
    expect(first.sampling).toEqual({samples: 500, seed: 7});
    expect(eight.ranges.costUsd).not.toEqual(first.ranges.costUsd);
    expect(eight.ranges.gpuHours).toEqual(first.ranges.gpuHours);
    expect(eight.costUsd).toBe(first.costUsd);
  });

  it('prints the median with the 5th–95th percentiles, as in `$5.69M ($4.5–7.3M)`', () => {
    const ranges = JSON.parse(seven).ranges;
    const result = runCli(['estimate', 'deepseek-v3-pretraining', '--samples', '500', '--seed', '7'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Median and 5th–95th percentiles of 500 samples (seed 7)');
    const match = /\n {2}Cost +\$(\d+(?:\.\d+)?)M \(\$(\d+(?:\.\d+)?)–(\d+(?:\.\d+)?)M\)\n/.exec(result.stdout);
    expect(match, result.stdout).not.toBeNull();
    const [p50, p5, p95] = [match![1], match![2], match![3]].map(Number) as [number, number, number];
    expect(Math.abs(p50 - ranges.costUsd.p50 / 1e6)).toBeLessThanOrEqual(0.005 * p50 + 0.005);
    expect(Math.abs(p5 - ranges.costUsd.p5 / 1e6)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(p95 - ranges.costUsd.p95 / 1e6)).toBeLessThanOrEqual(0.05);
    // Outputs with no spread print as one number.
    expect(result.stdout).toMatch(/\n {2}GPU-hours +2\.67M GPU-h\n/);
  });

  it('lists the price first with --sensitivity --output costUsd', () => {
    const result = runCli(['estimate', 'deepseek-v3-pretraining', '--sensitivity', '--output', 'costUsd'], REPO_ROOT);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    const header = lines.findIndex((line) => line.startsWith('Sensitivity of Cost:'));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toMatch(
      new RegExp(`^ {2}${PRICE_INPUT.replace(/\./g, '\\.')} +1\\.69–2\\.73 +\\$4\\.5\\dM → \\$7\\.\\d+M$`),
    );

    const asJson = JSON.parse(
      runCli(['estimate', 'deepseek-v3-pretraining', '--sensitivity', '--output', 'costUsd', '--json'], REPO_ROOT)
        .stdout,
    );
    expect(asJson.sensitivity.output).toBe('costUsd');
    expect(asJson.sensitivity.ranking[0].input).toBe(PRICE_INPUT);
  });

  it('refuses an unknown --output and a fractional --samples as wrong usage (exit 2)', () => {
    const output = runCli(['estimate', 'deepseek-v3-pretraining', '--sensitivity', '--output', 'nope'], REPO_ROOT);
    expect(output.code).toBe(2);
    expect(output.stderr).toContain('unknown output `nope`');
    const samples = runCli(['estimate', 'deepseek-v3-pretraining', '--samples', '1.5'], REPO_ROOT);
    expect(samples.code).toBe(2);
    expect(samples.stderr).toContain('--samples expects a whole number from 1 to 1,000,000, got `1.5`');
  });

  it('prints the cost per million output tokens of deepseek-v3-serving, with its range', () => {
    const result = runCli(['estimate', 'deepseek-v3-serving'], REPO_ROOT);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('prefill on 32, decode on 144 × NVIDIA H800');
    expect(result.stdout).toMatch(
      /\n {2}Cost per million output tokens \(at the stated load\) +\$\d[\d.]* \(\$[\d.]+–[\d.]+\)\n/,
    );
    expect(result.stdout).toMatch(/\n {2}KV cache per token +70\.3 kB\n/);
  });
});
