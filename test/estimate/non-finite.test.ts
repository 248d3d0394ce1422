import {describe, expect, it} from 'vitest';
import {nonFiniteOutputs, nonFiniteReason} from '../../src/estimate/non-finite.js';
import {estimatePoint} from '../../src/estimate/kinds.js';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {REPO_ROOT} from '../helpers/project.js';

describe('non-finite outputs', () => {
  it('names the printed numbers that are not finite, in the one wording the build, the CLI and the explorer share', async () => {
    const catalog = await loadCheckedCatalog(REPO_ROOT, new Diagnostics());
    const scenario = catalog.scenarios.get('deepseek-v3-pretraining')!;
    const estimate = estimatePoint(catalog, scenario, {}, {samples: 10, seed: 1});
    expect(nonFiniteOutputs(estimate)).toEqual([]);
    const overflowing = nonFiniteOutputs({...estimate, costUsd: Infinity, gpuHours: Number.NaN} as typeof estimate);
    expect(overflowing).toEqual(expect.arrayContaining(['costUsd = Infinity', 'gpuHours = NaN']));
    expect(nonFiniteReason('x', ['a = Infinity'], 'data/scenarios/x.yaml')).toBe(
      'The estimate of `x` is not a finite number (a = Infinity): an input in data/scenarios/x.yaml, or of its model or hardware, is far too large or too small, expected realistic magnitudes',
    );
    expect(nonFiniteReason('x', ['a', 'b', 'c', 'd', 'e'])).toMatch(/\(a, b, c, d, …\): an input is far too large/);
  });
});
