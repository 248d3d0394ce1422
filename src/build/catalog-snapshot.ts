import type {Catalog, RecordOrigin} from '../data/catalog.js';
import type {UncertainLeaf} from '../data/split-uncertain.js';
import {parseYamlSource, type DataPath, type YamlSource} from '../data/yaml-source.js';
import {Diagnostics} from '../diagnostics/diagnostics.js';
import {Distribution, type DistributionSpec} from '../uncertain/distribution.js';

/**
 * A checked catalog as it crosses to the template process: the same record
 * maps (plain data), and for each record (the same objects, which structured
 * clone keeps as shared references) the file it came from and its uncertain
 * numbers as distribution specs. Not the parsed YAML: positions in the data
 * are for loading and checking, which are done by then.
 */
export interface CatalogSnapshot {
  readonly hardware: Catalog['hardware'];
  readonly models: Catalog['models'];
  readonly scenarios: Catalog['scenarios'];
  readonly references: Catalog['references'];
  readonly sources: Catalog['sources'];
  readonly techniques: Catalog['techniques'];
  readonly origins: ReadonlyMap<
    object,
    {readonly file: string; readonly path: DataPath; readonly inherited?: readonly string[]}
  >;
  readonly invalidIds: ReadonlySet<string>;
  readonly uncertainty: ReadonlyMap<object, ReadonlyArray<{readonly path: DataPath; readonly spec: DistributionSpec}>>;
  readonly continuous: Catalog['continuous'];
  readonly written: Catalog['written'];
}

export function snapshotCatalog(catalog: Catalog): CatalogSnapshot {
  const origins = new Map<object, {file: string; path: DataPath; inherited?: string[]}>();
  for (const [record, origin] of catalog.origins)
    origins.set(record, {
      file: origin.source.path,
      path: origin.path,
      ...(origin.inherited ? {inherited: origin.inherited.map((source) => source.path)} : {}),
    });
  const uncertainty = new Map<object, Array<{path: DataPath; spec: DistributionSpec}>>();
  for (const [record, leaves] of catalog.uncertainty)
    uncertainty.set(
      record,
      leaves.map((leaf) => ({path: leaf.path, spec: leaf.distribution.spec})),
    );
  return {
    hardware: catalog.hardware,
    models: catalog.models,
    scenarios: catalog.scenarios,
    references: catalog.references,
    sources: catalog.sources,
    techniques: catalog.techniques,
    origins,
    invalidIds: catalog.invalidIds,
    uncertainty,
    continuous: catalog.continuous,
    written: catalog.written,
  };
}

/**
 * The catalog again, from a snapshot that crossed: what the estimator and
 * the templates read of it is as it was; each record's origin names its
 * file, with an empty parse of it in place of the text.
 */
export function restoreCatalog(snapshot: CatalogSnapshot): Catalog {
  const sources = new Map<string, YamlSource>();
  const sourceOf = (file: string): YamlSource => {
    let source = sources.get(file);
    if (!source) {
      source = parseYamlSource(file, '', new Diagnostics());
      if (!source) throw new Error(`cannot stand in for ${file}`);
      sources.set(file, source);
    }
    return source;
  };
  const origins = new Map<object, RecordOrigin>();
  for (const [record, origin] of snapshot.origins)
    origins.set(record, {
      source: sourceOf(origin.file),
      path: origin.path,
      ...(origin.inherited ? {inherited: origin.inherited.map(sourceOf)} : {}),
    });
  const uncertainty = new Map<object, UncertainLeaf[]>();
  for (const [record, leaves] of snapshot.uncertainty)
    uncertainty.set(
      record,
      leaves.map((leaf) => ({path: leaf.path, distribution: new Distribution(leaf.spec)})),
    );
  return {
    hardware: snapshot.hardware,
    models: snapshot.models,
    scenarios: snapshot.scenarios,
    references: snapshot.references,
    sources: snapshot.sources,
    techniques: snapshot.techniques,
    origins,
    invalidIds: snapshot.invalidIds,
    uncertainty,
    continuous: snapshot.continuous,
    written: snapshot.written,
  };
}
