// The checked catalog as JSON (src/data/catalog-json.ts), which the explorer page carries: read back,
// it is the catalog the build estimated from, ranges and continuous inputs included.
import {beforeAll, describe, expect, it} from 'vitest';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import type {Catalog} from '../../src/data/catalog.js';
import {readCatalogJson, writeCatalogJson} from '../../src/data/catalog-json.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {REPO_ROOT} from '../helpers/project.js';

let catalog: Catalog;
beforeAll(async () => {
  const diagnostics = new Diagnostics();
  catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  expect(diagnostics.errorCount).toBe(0);
});

const specs = (leaves: readonly {path: ReadonlyArray<string | number>; distribution: {spec: unknown}}[] = []) =>
  leaves.map((leaf) => ({path: leaf.path, spec: leaf.distribution.spec}));

describe('the catalog as JSON', () => {
  it('reads back to the same records, in the same order, with the same uncertain and continuous inputs', () => {
    const loaded = readCatalogJson(JSON.parse(writeCatalogJson(catalog)));
    for (const collection of ['hardware', 'models', 'scenarios'] as const) {
      const original: ReadonlyMap<string, object> = catalog[collection];
      const read: ReadonlyMap<string, object> = loaded[collection];
      expect([...read.keys()], collection).toEqual([...original.keys()]);
      for (const [id, record] of original) {
        const copy = read.get(id) as object;
        // The same values, keys in the same order (estimates copy records, and their JSON follows key order).
        expect(JSON.stringify(copy), `${collection} ${id}`).toBe(JSON.stringify(record));
        expect(specs(loaded.uncertainty.get(copy)), `${collection} ${id} ranges`).toEqual(
          specs(catalog.uncertainty.get(record)),
        );
        expect(loaded.continuous.get(copy), `${collection} ${id} continuous`).toEqual(catalog.continuous.get(record));
      }
    }
    expect(catalog.uncertainty.size).toBeGreaterThan(0);
  });

  it('writes the same bytes for the same catalog, and each scenario as its file writes it', () => {
    const text = writeCatalogJson(catalog);
    expect(writeCatalogJson(catalog)).toBe(text);
    const loaded = readCatalogJson(JSON.parse(text));
    const written = loaded.writtenScenarios.get('deepseek-v3-pretraining');
    expect(written?.cost).toMatchObject({usd_per_gpu_hour: {low: 1.5, mode: 2, high: 3}});
  });

  it('refuses JSON that is not a catalog, or a record its schema refuses, naming it', () => {
    expect(() => readCatalogJson({format: 2})).toThrow(/not one this tool writes/);
    const json = JSON.parse(writeCatalogJson(catalog));
    json.hardware[1].memory.capacity_gb = -1;
    expect(() => readCatalogJson(json)).toThrow(/hardware 2 of the catalog: `memory.capacity_gb`/);
  });
});
