// The models' errors are fitted once per build (by the template process) and cached by what they are fitted
// from; a cache entry is input: one that is not what its schema describes is a miss, refitted and replaced.
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {BuildCache} from '../../src/build/build-cache.js';
import {modelErrorsKey, siteModelErrors} from '../../src/build/model-errors.js';
import type {ModelErrorsAnswer} from '../../src/build/template-runner.js';
import type {UsageKey} from '../../src/data/catalog-usage.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tradeoffs-model-errors-'));
});
afterEach(() => rm(dir, {recursive: true, force: true}));

const TRAINING = {mu: 0.1, sigma: 0.2, medianAbsolute: 0.15, runs: 12, betweenChips: 0.05};
const SERVING = {mu: -0.05, sigma: 0.3, medianAbsolute: 0.2, runs: 9};

/** A runner that counts the fits it is asked for. */
function countingRunner(answer: Omit<ModelErrorsAnswer, 'id' | 'kind'> = {training: TRAINING, serving: SERVING}) {
  const runner = {
    fits: 0,
    modelErrors: async (): Promise<ModelErrorsAnswer> => {
      runner.fits++;
      return {id: 0, kind: 'model-errors', ...answer};
    },
  };
  return runner;
}

const hashes = (references: string) =>
  new Map<UsageKey, string>([
    ['references:*', references],
    ['models:*', 'm'],
    ['hardware:*', 'h'],
    ['techniques:*', 't'],
    ['scenarios:*', 's'],
  ]);

describe('siteModelErrors', () => {
  it('fits once, then reads the fit back from the cache', async () => {
    const cache = new BuildCache(dir);
    const runner = countingRunner();
    const key = modelErrorsKey('tool', hashes('r'));
    expect(await siteModelErrors(cache, key, runner)).toEqual({training: TRAINING, serving: SERVING});
    expect(await siteModelErrors(cache, key, runner)).toEqual({training: TRAINING, serving: SERVING});
    expect(runner.fits).toBe(1);
  });

  it('keeps "no model error" (no runs to fit) as such', async () => {
    const cache = new BuildCache(dir);
    const runner = countingRunner({training: undefined, serving: SERVING});
    const key = modelErrorsKey('tool', hashes('r'));
    await siteModelErrors(cache, key, runner);
    expect(await siteModelErrors(cache, key, runner)).toEqual({training: undefined, serving: SERVING});
    expect(runner.fits).toBe(1);
  });

  it('is keyed by the tool and what the calibrations read, not by scenarios', () => {
    const key = modelErrorsKey('tool', hashes('r'));
    expect(modelErrorsKey('tool', hashes('r2'))).not.toBe(key);
    expect(modelErrorsKey('tool2', hashes('r'))).not.toBe(key);
    expect(modelErrorsKey('tool', new Map([...hashes('r'), ['scenarios:*', 's2']]))).toBe(key);
  });

  it.each([
    ['not JSON', '{"training":'],
    ['the wrong shape', JSON.stringify({training: {...TRAINING, sigma: -1}, serving: null})],
    ['an extra field', JSON.stringify({training: null, serving: null, code: 'x'})],
  ])('takes an entry that is %s for a miss: fitted again and replaced', async (_, text) => {
    const cache = new BuildCache(dir);
    const key = modelErrorsKey('tool', hashes('r'));
    await mkdir(path.join(dir, 'model-errors'), {recursive: true});
    await writeFile(path.join(dir, 'model-errors', `${key}.json`), text);
    const runner = countingRunner();
    expect(await siteModelErrors(cache, key, runner)).toEqual({training: TRAINING, serving: SERVING});
    expect(runner.fits).toBe(1);
    expect(JSON.parse(await readFile(path.join(dir, 'model-errors', `${key}.json`), 'utf8'))).toEqual({
      training: TRAINING,
      serving: SERVING,
    });
  });

  it('fits every time without a cache folder', async () => {
    const runner = countingRunner();
    const key = modelErrorsKey('tool', hashes('r'));
    await siteModelErrors(new BuildCache(undefined), key, runner);
    await siteModelErrors(new BuildCache(undefined), key, runner);
    expect(runner.fits).toBe(2);
  });
});
