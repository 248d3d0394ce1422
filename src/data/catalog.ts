import type {Hardware} from './schemas/hardware.js';
import type {Model} from './schemas/model.js';
import type {Reference} from './schemas/reference.js';
import type {SourceRecord} from './schemas/source.js';
import type {Scenario} from './schemas/scenario.js';
import type {Technique} from './schemas/technique.js';
import type {UncertainLeaf} from './split-uncertain.js';
import type {DataPath, YamlSource} from './yaml-source.js';

/** Where a record came from, so later stages can place their messages on it. */
export interface RecordOrigin {
  readonly source: YamlSource;
  /** The record's path inside its file (`[2]` for the third entry of a list, `[]` for a whole file). */
  readonly path: DataPath;
}

/** Every validated record of a project, by id, with ids already resolved. */
export interface Catalog {
  readonly hardware: ReadonlyMap<string, Hardware>;
  readonly models: ReadonlyMap<string, Model>;
  readonly scenarios: ReadonlyMap<string, Scenario>;
  /** Published training runs and serving results to calibrate against (`data/references.yaml`, optional). */
  readonly references: ReadonlyMap<string, Reference>;
  /** When each technique became available (`data/techniques.yaml`, optional). */
  readonly techniques: ReadonlyMap<string, Technique>;
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
