// Kept estimates are input: a hit only for the same key, tool, sampling and records; anything else is a miss.
import {readdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {serialize} from 'node:v8';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {estimateCache, type EstimateCacheOptions} from '../../src/build/estimate-cache.js';
import type {UsageKey} from '../../src/data/catalog-usage.js';
import type {AnyEstimate} from '../../src/estimate/kinds.js';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {UsageRecorder, trackCatalog} from '../../src/data/catalog-usage.js';
import {createTemplateScope} from '../../src/render/template-scope.js';
import {hashRecords} from '../../src/data/record-hashes.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tradeoffs-estimates-'));
});
afterEach(() => rm(dir, {recursive: true, force: true}));

// An estimate's shape as the store sees it: plain data with a kind (undefined and -0 included, which JSON would lose).
const VALUE = {
  kind: 'demand',
  points: [{factor: 2, low: -0, note: undefined}],
  nan: Number.NaN,
} as unknown as AnyEstimate;
const USED = new Set<UsageKey>(['scenarios:a', 'hardware:h100-sxm']);

function options(hashes: Record<string, string>, more: Partial<EstimateCacheOptions> = {}): EstimateCacheOptions {
  return {
    dir,
    fingerprint: 'tool',
    sampling: {samples: 1000, seed: 1},
    hashes: new Map(Object.entries(hashes) as Array<[UsageKey, string]>),
    ...more,
  };
}

const HASHES = {'scenarios:a': 's1', 'hardware:h100-sxm': 'h1'};

describe('estimateCache', () => {
  it('gives back what was kept, exactly, with the records it read', () => {
    estimateCache(options(HASHES)).set('["a"]', VALUE, USED);
    const hit = estimateCache(options(HASHES)).get('["a"]');
    expect(hit?.used.slice().sort()).toEqual(['hardware:h100-sxm', 'scenarios:a']);
    expect(Object.is((hit?.value as unknown as {points: Array<{low: number}>}).points[0]?.low, -0)).toBe(true);
    expect('note' in ((hit?.value as unknown as {points: object[]}).points[0] as object)).toBe(true);
    expect(hit?.value).toStrictEqual(VALUE);
  });

  it('misses when a record it read changed, or another tool, sampling or key asks', () => {
    estimateCache(options(HASHES)).set('["a"]', VALUE, USED);
    expect(estimateCache(options({...HASHES, 'hardware:h100-sxm': 'h2'})).get('["a"]')).toBeUndefined();
    expect(estimateCache(options({'scenarios:a': 's1'})).get('["a"]')).toBeUndefined();
    expect(estimateCache(options(HASHES, {fingerprint: 'other'})).get('["a"]')).toBeUndefined();
    expect(estimateCache(options(HASHES, {sampling: {samples: 1000, seed: 2}})).get('["a"]')).toBeUndefined();
    expect(estimateCache(options(HASHES)).get('["b"]')).toBeUndefined();
  });

  it('takes a corrupt entry, or one that is not an estimate, as a miss', async () => {
    const store = estimateCache(options(HASHES));
    store.set('["a"]', VALUE, USED);
    const [name] = await readdir(path.join(dir, 'estimates'));
    const file = path.join(dir, 'estimates', name as string);
    await writeFile(file, 'not a serialisation');
    expect(store.get('["a"]')).toBeUndefined();
    await writeFile(file, serialize({key: '["a"]', uses: {}, value: {points: []}}));
    expect(store.get('["a"]')).toBeUndefined();
    await writeFile(file, serialize({key: '["a"]', uses: {}, value: new Map([['kind', 'demand']])}));
    expect(store.get('["a"]')).toBeUndefined();
    await writeFile(file, serialize({key: '["b"]', uses: {}, value: VALUE}));
    expect(store.get('["a"]')).toBeUndefined();
    await writeFile(file, serialize({key: '["a"]', uses: {}, value: VALUE}));
    expect(store.get('["a"]')?.value).toStrictEqual(VALUE);
  });

  it('keeps nothing that is not plain data', async () => {
    estimateCache(options(HASHES)).set('["a"]', {kind: 'x', at: new Date(0)} as unknown as AnyEstimate, USED);
    await expect(readdir(path.join(dir, 'estimates'))).rejects.toThrow();
  });

  it('makes a template scope give the estimate it computed, and the records behind it, from the store', async () => {
    const diagnostics = new Diagnostics();
    const catalog = await loadCheckedCatalog('.', diagnostics);
    const hashes = hashRecords(catalog);
    const first = new UsageRecorder();
    const computed = await first.collect(() =>
      createTemplateScope(
        trackCatalog(catalog, first),
        {samples: 50, seed: 1},
        first,
        estimateCache(options({}, {hashes})),
      ).estimate('compute-demand-rebound'),
    );
    const second = new UsageRecorder();
    const store = estimateCache(options({}, {hashes}));
    let asked = 0;
    const kept = await second.collect(() =>
      createTemplateScope(trackCatalog(catalog, second), {samples: 50, seed: 1}, second, {
        get: (key) => {
          asked++;
          return store.get(key);
        },
        set: () => expect.unreachable('a kept estimate is not kept again'),
      }).estimate('compute-demand-rebound'),
    );
    expect(asked).toBe(1);
    expect(kept.value).toStrictEqual(computed.value);
    expect([...kept.used].sort()).toEqual([...computed.used].sort());
    expect(computed.used).toContain('scenarios:compute-demand-rebound');
  });
});
