import {z} from 'zod';
import type {Catalog} from './catalog.js';
import {continuousInputPaths} from './continuous-inputs.js';
import type {Nominal} from '../uncertain/distribution.js';
import {hardwareSchema} from './schemas/hardware.js';
import {modelSchema} from './schemas/model.js';
import {scenarioSchema} from './schemas/scenario.js';
import {techniqueSchema} from './schemas/technique.js';
import {writtenDistribution} from './schemas/uncertain.js';
import {splitUncertain, type UncertainLeaf} from './split-uncertain.js';
import type {DataPath} from './yaml-source.js';

/**
 * A checked catalog as JSON, for the in-browser explorer: every hardware,
 * model and scenario record as its data file would write it (numbers, and
 * ranges in their written form `{low, mode, high}`), in the catalog's order,
 * with the techniques' dates (data/techniques.yaml) and the training model's
 * own error as the build computed it from data/references.yaml (the
 * calibration is too slow to redo on a page). Reading it validates every
 * record again with the same schemas and splits off the ranges as loading a
 * file does, so the browser estimates from the records, uncertain inputs,
 * continuous inputs and model error the build estimated from.
 */

export const CATALOG_JSON_FORMAT = 1;

type Written = Record<string, unknown>;

/** The collections of a catalog the JSON carries. */
export type WrittenCollections = Pick<Catalog, 'hardware' | 'models' | 'scenarios' | 'uncertainty'> &
  Partial<Pick<Catalog, 'techniques'>>;

/**
 * The training (or serving) model's leave-one-out error, as src/estimate/calibration/model-error.ts fits it: a
 * log-normal of predicted over reported throughput (the shape of its ModelError, without importing the core).
 */
const ffnModelErrorSchema = z.strictObject({
  mu: z.number(),
  sigma: z.number().nonnegative(),
  medianAbsolute: z.number().nonnegative(),
  runs: z.number().int().positive(),
});
export const modelErrorSchema = ffnModelErrorSchema.extend({
  /** The spread of the model's bias between the calibrated chips (widens the error on chips with no measured rate). */
  betweenChips: z.number().nonnegative().optional(),
  /** The same fit over the dense and the MoE runs alone (src/estimate/calibration/model-error.ts). */
  byFfn: z.strictObject({dense: ffnModelErrorSchema.optional(), moe: ffnModelErrorSchema.optional()}).optional(),
  /** The correlation of its errors on two runs of one model on one chip (a factor between them keeps that share out). */
  setupCorrelation: z.number().min(0).max(1).optional(),
  /** Each setup's calibration runs: how many, and their mean ln(predicted / reported). */
  setups: z
    .record(z.string(), z.strictObject({runs: z.number().int().positive(), meanLogRatio: z.number()}))
    .optional(),
});
export type WrittenModelError = z.infer<typeof modelErrorSchema>;

/** The catalog as JSON text: keys in the records' own order, so the same catalog gives the same bytes. */
export function writeCatalogJson(
  catalog: WrittenCollections,
  modelError?: WrittenModelError,
  servingModelError?: WrittenModelError,
): string {
  const written = <T extends object>(records: ReadonlyMap<string, T>) =>
    [...records.values()].map((record) => writtenRecord(record, catalog.uncertainty.get(record) ?? []));
  return JSON.stringify({
    format: CATALOG_JSON_FORMAT,
    hardware: written(catalog.hardware),
    models: written(catalog.models),
    scenarios: written(catalog.scenarios),
    techniques: written(catalog.techniques ?? new Map()),
    ...(modelError ? {modelError: writtenModelError(modelError)} : {}),
    ...(servingModelError ? {servingModelError: writtenModelError(servingModelError)} : {}),
  });
}

/** A model error's fields as the schema has them (the core's object may carry more). */
function writtenModelError(error: WrittenModelError): WrittenModelError {
  return {
    mu: error.mu,
    sigma: error.sigma,
    medianAbsolute: error.medianAbsolute,
    runs: error.runs,
    ...(error.betweenChips === undefined ? {} : {betweenChips: error.betweenChips}),
    ...(error.byFfn === undefined ? {} : {byFfn: error.byFfn}),
    ...(error.setupCorrelation === undefined ? {} : {setupCorrelation: error.setupCorrelation}),
    ...(error.setups === undefined ? {} : {setups: error.setups}),
  };
}

/** A nominal record with its uncertain leaves put back in their written form. */
export function writtenRecord(record: object, leaves: readonly UncertainLeaf[]): Written {
  const copy = plainCopy(record);
  for (const leaf of leaves) {
    let node = copy;
    for (const key of leaf.path.slice(0, -1)) node = node[key as string] as Written;
    node[leaf.path[leaf.path.length - 1] as string] = writtenDistribution(leaf.distribution.spec);
  }
  return copy;
}

/** A deep copy of validated data (plain objects, arrays, strings, numbers, booleans). */
function plainCopy(value: object): Written {
  const copy = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(copy);
    if (item !== null && typeof item === 'object') {
      const result: Written = {};
      for (const [key, child] of Object.entries(item)) if (child !== undefined) result[key] = copy(child);
      return result;
    }
    return item;
  };
  return copy(value) as Written;
}

/** A catalog read back from its JSON: what an estimate reads, and each scenario as written. */
export interface LoadedCatalog extends Pick<
  Catalog,
  'hardware' | 'models' | 'scenarios' | 'techniques' | 'uncertainty' | 'continuous'
> {
  /** The training model's own error the build's ranges include, when it had published runs to fit it to. */
  readonly modelError: WrittenModelError | undefined;
  /** The serving model's own error the build's serving ranges include. */
  readonly servingModelError: WrittenModelError | undefined;
  /** Each scenario as its file would write it, by id. */
  readonly writtenScenarios: ReadonlyMap<string, Readonly<Written>>;
}

const catalogJsonSchema = z.strictObject({
  format: z.literal(CATALOG_JSON_FORMAT),
  hardware: z.array(z.record(z.string(), z.unknown())),
  models: z.array(z.record(z.string(), z.unknown())),
  scenarios: z.array(z.record(z.string(), z.unknown())),
  techniques: z.array(z.record(z.string(), z.unknown())),
  modelError: modelErrorSchema.optional(),
  servingModelError: modelErrorSchema.optional(),
});

/**
 * Read a catalog's JSON (as parsed): each record validated with its schema.
 * Throws an Error naming the first record that is not valid, which only a
 * changed or damaged page can cause (the build wrote it from checked data).
 */
export function readCatalogJson(value: unknown): LoadedCatalog {
  const parsed = catalogJsonSchema.safeParse(value);
  if (!parsed.success) throw new Error(`the catalog is not one this tool writes: ${parsed.error.issues[0]?.message}`);
  const maps = {uncertainty: new Map<object, UncertainLeaf[]>(), continuous: new Map<object, DataPath[]>()};
  const hardware = readRecords(parsed.data.hardware, hardwareSchema, 'hardware', maps);
  const models = readRecords(parsed.data.models, modelSchema, 'model', maps);
  const scenarios = readRecords(parsed.data.scenarios, scenarioSchema, 'scenario', maps);
  const techniques = readRecords(parsed.data.techniques, techniqueSchema, 'technique', maps);
  const writtenScenarios = new Map<string, Written>();
  for (const written of parsed.data.scenarios) writtenScenarios.set(String(written.id), written);
  return {
    hardware,
    models,
    scenarios,
    techniques,
    ...maps,
    writtenScenarios,
    modelError: parsed.data.modelError,
    servingModelError: parsed.data.servingModelError,
  };
}

function readRecords<Schema extends z.ZodType<{id: string}>>(
  records: ReadonlyArray<Written>,
  schema: Schema,
  kind: string,
  maps: {uncertainty: Map<object, UncertainLeaf[]>; continuous: Map<object, DataPath[]>},
): Map<string, Nominal<z.infer<Schema>>> {
  const map = new Map<string, Nominal<z.infer<Schema>>>();
  records.forEach((written, index) => {
    const result = schema.safeParse(written);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(
        `${kind} ${index + 1} of the catalog: \`${issue?.path.join('.') ?? ''}\` ${issue?.message ?? ''}`,
      );
    }
    const {nominal, leaves} = splitUncertain(result.data);
    const id = (nominal as {id: string}).id;
    map.set(id, nominal);
    if (leaves.length > 0) maps.uncertainty.set(nominal as object, leaves);
    maps.continuous.set(nominal as object, continuousInputPaths(schema, nominal));
  });
  return map;
}
