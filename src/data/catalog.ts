import type {Hardware} from './schemas/hardware.js';
import type {Model} from './schemas/model.js';
import type {ReferenceRun} from './schemas/reference.js';
import type {SourceRecord} from './schemas/source.js';
import type {Scenario} from './schemas/scenario.js';
import type {UncertainLeaf} from './split-uncertain.js';
import type {Position} from 'unist';
import {layerHolding} from './extends.js';
import {positionAt, type DataPath, type YamlSource} from './yaml-source.js';

/** Where a record came from, so later stages can place their messages on it. */
export interface RecordOrigin {
  readonly source: YamlSource;
  /** The record's path inside its file (`[2]` for the third entry of a list, `[]` for a whole file). */
  readonly path: DataPath;
  /** The files of the scenarios it `extends`, nearest first: where its inherited fields are written. */
  readonly inherited?: readonly YamlSource[];
}

/**
 * Where a message about the field at `path` of a record goes: the record's
 * own file, or for an inherited field the file of the scenario it comes from.
 */
export function placeOf(origin: RecordOrigin, path: DataPath): {file: string; place: Position | undefined} {
  const full = [...origin.path, ...path];
  // Only whole-file records (scenarios) extend others, so every layer holds the record at its root.
  const source =
    origin.inherited && origin.inherited.length > 0
      ? (layerHolding([origin, ...origin.inherited.map((each) => ({source: each}))], full)?.source ?? origin.source)
      : origin.source;
  return {file: source.path, place: positionAt(source, full)};
}

/** Every validated record of a project, by id, with ids already resolved. */
export interface Catalog {
  readonly hardware: ReadonlyMap<string, Hardware>;
  readonly models: ReadonlyMap<string, Model>;
  readonly scenarios: ReadonlyMap<string, Scenario>;
  /** Published runs to calibrate against (`data/references.yaml`, optional). */
  readonly references: ReadonlyMap<string, ReferenceRun>;
  /** Works the reports cite (`data/sources.yaml`, optional). */
  readonly sources: ReadonlyMap<string, SourceRecord>;
  /** Where a record (an object held by one of the maps) was loaded from. */
  readonly origins: ReadonlyMap<object, RecordOrigin>;
  /**
   * `kind:id` of records that failed validation (`kind:*` when their whole
   * file did). References to them are not reported again as unknown ids: the
   * record's own error says what is wrong.
   */
  readonly invalidIds: ReadonlySet<string>;
  /** The uncertain numbers of each record (nominal values are in the record itself). */
  readonly uncertainty: ReadonlyMap<object, readonly UncertainLeaf[]>;
  /** The paths of each record's continuous inputs (fields that may be uncertain), for sensitivity. */
  readonly continuous: ReadonlyMap<object, readonly DataPath[]>;
  /**
   * The fields each record's data writes (inherited ones included), as
   * dotted paths of the values written (`goodput.value.low`): a field not
   * among them holds the schema's default.
   */
  readonly written: ReadonlyMap<object, ReadonlySet<string>>;
}

/** Whether a record's data writes the field at `path` (or anything inside it), rather than leaving it to a default. */
export function isWritten(catalog: Pick<Catalog, 'written'>, record: object, path: DataPath): boolean {
  const written = catalog.written.get(record);
  if (!written) return true;
  const field = path.join('.');
  if (written.has(field)) return true;
  for (const each of written) if (each.startsWith(`${field}.`)) return true;
  return false;
}

/** The dotted paths of every value in plain data (objects and lists walked, `null` left out). */
export function writtenPaths(data: unknown): Set<string> {
  const paths = new Set<string>();
  const walk = (value: unknown, path: Array<string | number>) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object') {
      const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
      for (const [key, child] of entries) walk(child, [...path, key]);
      if (entries.length > 0) return;
    }
    if (path.length > 0) paths.add(path.join('.'));
  };
  walk(data, []);
  return paths;
}

/** Whether `id` of `kind` failed validation, alone or with its whole file: references to it are not reported again. */
export function isInvalidId(catalog: Pick<Catalog, 'invalidIds'>, kind: string, id: string): boolean {
  return catalog.invalidIds.has(`${kind}:${id}`) || catalog.invalidIds.has(`${kind}:*`);
}

/** Records to leave out of a catalog, by collection and id. */
export interface RecordDrops {
  readonly models?: ReadonlySet<string>;
  readonly scenarios?: ReadonlySet<string>;
  readonly references?: ReadonlySet<string>;
}

/** The same catalog without some records: the maps that lose any are new, the rest are shared. */
export function withoutRecords(catalog: Catalog, drops: RecordDrops): Catalog {
  const without = <Value>(records: ReadonlyMap<string, Value>, ids: ReadonlySet<string> | undefined) =>
    ids && ids.size > 0 ? new Map([...records].filter(([id]) => !ids.has(id))) : records;
  return {
    ...catalog,
    models: without(catalog.models, drops.models),
    scenarios: without(catalog.scenarios, drops.scenarios),
    references: without(catalog.references, drops.references),
  };
}
