import type {z} from 'zod';
import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {DATA_FILES} from '../project.js';
import {projectFiles, readFailure} from './project-files.js';
import {withoutRecords, writtenPaths, type Catalog, type RecordOrigin} from './catalog.js';
import {resolveExtends, type ScenarioFile} from './extends.js';
import {resolveIds, resolveReferenceIds} from './resolve-ids.js';
import {hardwareSchema} from './schemas/hardware.js';
import {modelSchema} from './schemas/model.js';
import {referenceRunSchema} from './schemas/reference.js';
import {sourceRecordSchema} from './schemas/source.js';
import {scenarioSchema, type Scenario} from './schemas/scenario.js';
import {splitUncertain, type UncertainLeaf} from './split-uncertain.js';
import {continuousInputPaths} from './continuous-inputs.js';
import type {DataPath} from './yaml-source.js';
import type {Nominal} from '../uncertain/distribution.js';
import {validateAt, validateLayered} from './validate.js';
import {parseYamlSource, positionAt, rangeToPosition, yamlData, type YamlSource} from './yaml-source.js';

/** How the loader reads a project's files, by path relative to its root (with `/`). */
export interface DataReader {
  /** A file's text; rejects with the errno (`code`) when it cannot be read. */
  readText(file: string): Promise<string>;
  /** The names in a folder; rejects with the errno when it cannot be read. */
  list(folder: string): Promise<string[]>;
  exists(file: string): boolean;
}

/** The files of the project at `root`, on disk (links only within the project, regular files only: project-files.ts). */
export function diskReader(root: string): DataReader {
  const {readText, list, exists} = projectFiles(root);
  return {readText, list, exists};
}

/**
 * Load, validate and resolve a project's data (`data/`). Every problem in
 * every file is recorded in `diagnostics`; the catalog holds the records that
 * were valid, so callers decide whether to stop on errors. Whether the valid
 * records make sense together (layouts that fit, parameter counts) is the
 * check stage's question (src/check/). The files are
 * read from disk, or through `reader` (tests give the files in memory).
 */
export async function loadCatalog(
  root: string,
  diagnostics: Diagnostics,
  reader: DataReader = diskReader(root),
): Promise<Catalog> {
  const origins = new Map<object, RecordOrigin>();
  const invalidIds = new Set<string>();
  const uncertainty = new Map<object, UncertainLeaf[]>();
  const continuous = new Map<object, DataPath[]>();
  const written = new Map<object, ReadonlySet<string>>();
  const tracking = {origins, invalidIds, uncertainty, continuous, written};
  const hardware = await loadList(reader, DATA_FILES.hardware, hardwareSchema, 'hardware', tracking, diagnostics);
  const models = await loadList(reader, DATA_FILES.models, modelSchema, 'model', tracking, diagnostics);
  const scenarios = new Map<string, Scenario>();
  const files: ScenarioFile[] = [];
  for (const file of await listYamlFiles(reader, DATA_FILES.scenarios, diagnostics)) {
    const source = await readYaml(reader, file, diagnostics);
    const data = source && yamlData(source, diagnostics);
    if (source && data) files.push({source, value: data.value});
  }
  const resolved = resolveExtends(files, scenarioSchema, diagnostics);
  const indexOf = new Map<string, number>();
  resolved.forEach((each, index) => {
    const id = (files[index]?.value as {id?: unknown} | null)?.id;
    if (each && typeof id === 'string' && !indexOf.has(id)) indexOf.set(id, index);
  });
  // Parents first: a variant of a scenario that fails validation is left out without repeating its parent's messages.
  const validated = new Map<number, Scenario | undefined>();
  const validate = (index: number): Scenario | undefined => {
    if (validated.has(index)) return validated.get(index);
    validated.set(index, undefined);
    const each = resolved[index];
    if (!each) return undefined;
    const parentIndex = each.parent === undefined ? undefined : indexOf.get(each.parent);
    if (parentIndex !== undefined && !validate(parentIndex)) return undefined;
    const result = validateLayered(scenarioSchema, each.value, each.layers, diagnostics);
    if (!result) return undefined;
    const {nominal: scenario, leaves} = splitUncertain(result);
    if (scenarios.has(scenario.id)) {
      duplicateId(
        each.source,
        [],
        'scenario',
        scenario.id,
        origins.get(scenarios.get(scenario.id) as object),
        diagnostics,
      );
      return undefined;
    }
    scenarios.set(scenario.id, scenario);
    origins.set(scenario, {
      source: each.source,
      path: [],
      inherited: each.layers.slice(1).map((layer) => layer.source),
    });
    written.set(scenario, writtenPaths(each.value));
    if (leaves.length > 0) uncertainty.set(scenario, leaves);
    continuous.set(scenario, continuousInputPaths(scenarioSchema, scenario));
    validated.set(index, scenario);
    return scenario;
  };
  files.forEach((file, index) => {
    const scenario = validate(index);
    const id = (file.value as {id?: unknown} | null)?.id;
    // References to a scenario that failed (a variant's `extends`) are not reported again.
    if (!scenario && typeof id === 'string' && !scenarios.has(id)) invalidIds.add(`scenario:${id}`);
  });
  const references = reader.exists(DATA_FILES.references)
    ? await loadList(reader, DATA_FILES.references, referenceRunSchema, 'reference', tracking, diagnostics)
    : new Map();
  const sources = reader.exists(DATA_FILES.sources)
    ? await loadList(reader, DATA_FILES.sources, sourceRecordSchema, 'source', tracking, diagnostics)
    : new Map();
  const catalog: Catalog = {
    hardware,
    models,
    scenarios,
    references,
    sources,
    origins,
    invalidIds,
    uncertainty,
    continuous,
    written,
  };
  return withoutRecords(catalog, {
    scenarios: resolveIds(catalog, diagnostics),
    references: resolveReferenceIds(catalog, diagnostics),
  });
}

async function loadList<Schema extends z.ZodType<{id: string}>>(
  reader: DataReader,
  file: string,
  schema: Schema,
  kind: string,
  {
    origins,
    invalidIds,
    uncertainty,
    continuous,
    written,
  }: {
    origins: Map<object, RecordOrigin>;
    invalidIds: Set<string>;
    uncertainty: Map<object, UncertainLeaf[]>;
    continuous: Map<object, DataPath[]>;
    written: Map<object, ReadonlySet<string>>;
  },
  diagnostics: Diagnostics,
): Promise<Map<string, Nominal<z.infer<Schema>>>> {
  const records = new Map<string, Nominal<z.infer<Schema>>>();
  const source = await readYaml(reader, file, diagnostics);
  const data = source && yamlData(source, diagnostics);
  // A file that cannot be read at all: references to its kind are not reported again as unknown ids.
  if (!source || !data) {
    invalidIds.add(`${kind}:*`);
    return records;
  }
  const items = data.value;
  if (!Array.isArray(items)) {
    diagnostics.error(
      file,
      `Expected a list of ${kind} records, got ${items === null ? 'an empty file' : typeof items === 'object' ? 'a mapping' : typeof items}`,
      positionAt(source, []),
      'schema',
    );
    invalidIds.add(`${kind}:*`);
    return records;
  }
  items.forEach((item, index) => {
    const validated = validateAt(schema, item, source, [index], diagnostics);
    if (!validated) {
      const id = (item as {id?: unknown} | null)?.id;
      if (typeof id === 'string') invalidIds.add(`${kind}:${id}`);
      return;
    }
    const {nominal: record, leaves} = splitUncertain(validated);
    const id = (record as {id: string}).id;
    if (records.has(id)) {
      duplicateId(source, [index], kind, id, origins.get(records.get(id) as object), diagnostics);
      return;
    }
    records.set(id, record);
    origins.set(record as object, {source, path: [index]});
    written.set(record as object, writtenPaths(item));
    if (leaves.length > 0) uncertainty.set(record as object, leaves);
    continuous.set(record as object, continuousInputPaths(schema, record));
  });
  return records;
}

function duplicateId(
  source: YamlSource,
  path: Array<string | number>,
  kind: string,
  id: string,
  first: RecordOrigin | undefined,
  diagnostics: Diagnostics,
): void {
  const place = positionAt(source, [...path, 'id']);
  const firstPlace = first ? positionAt(first.source, [...first.path, 'id']) : undefined;
  const where =
    first && firstPlace
      ? ` (first defined at ${first.source.path}:${firstPlace.start.line}:${firstPlace.start.column})`
      : '';
  diagnostics.error(
    source.path,
    `Duplicate ${kind} id \`${id}\`${where}, expected each id once`,
    place,
    'duplicate-id',
  );
}

async function readYaml(reader: DataReader, file: string, diagnostics: Diagnostics): Promise<YamlSource | undefined> {
  let text: string;
  try {
    text = await reader.readText(file);
  } catch (error) {
    diagnostics.error(file, `Cannot read file: ${readFailure(error)}`, undefined, 'io-error');
    return undefined;
  }
  const source = parseYamlSource(file, text, diagnostics);
  if (source && source.document.contents === null) {
    diagnostics.error(file, 'Expected YAML data, got an empty file', rangeToPosition(source, [0, 0]), 'schema');
    return undefined;
  }
  return source;
}

async function listYamlFiles(reader: DataReader, folder: string, diagnostics: Diagnostics): Promise<string[]> {
  try {
    const names = await reader.list(folder);
    return names
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => `${folder}/${name}`);
  } catch (error) {
    diagnostics.error(folder, `Cannot read folder: ${readFailure(error)}`, undefined, 'io-error');
    return [];
  }
}
