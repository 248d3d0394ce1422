import type {z} from 'zod';
import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {unknownIdReason} from '../diagnostics/nearest-id.js';
import {definitionOf, unwrapped} from './schema-walk.js';
import {positionAt, type DataPath, type YamlSource} from './yaml-source.js';

/** One scenario file as read: its source and its data, before validation. */
export interface ScenarioFile {
  readonly source: YamlSource;
  readonly value: unknown;
}

/** A scenario's data with its `extends:` chain applied: what validation sees. */
export interface ResolvedScenario {
  /** The file the scenario is written in. */
  readonly source: YamlSource;
  /** Its own data merged over its ancestors' (not yet validated). */
  readonly value: unknown;
  /** The files its fields come from, its own first, then its parent's, and so on. */
  readonly layers: readonly ScenarioFile[];
  /** The id of the scenario it extends, if any. */
  readonly parent: string | undefined;
}

/** Fields a variant never inherits: it names and describes itself, and says what it extends. */
const OWN_FIELDS = new Set(['id', 'name', 'description', 'extends']);

/**
 * Apply `extends: <scenario id>` to every scenario file. A variant starts
 * from its parent's data (the parent's own `extends:` applied first) and
 * overrides only what it writes:
 *
 * - a group of fields (`cluster`, `workload`, `parallelism`, `goodput`,
 *   `sweep`…) merges field by field, recursively;
 * - anything else is replaced whole: a number, a range or distribution, a
 *   list, and a choice between forms (`cost:` rented or owned, and
 *   `parallelism:`, `search` or a layout: a variant gives its whole layout);
 * - `null` removes an inherited field (`reported: null`);
 * - `id`, `name`, `description` are the variant's own, never inherited;
 * - a variant that changes a field of a group with a `source` gives that
 *   group its own `source`: the inherited one describes the parent's values.
 *
 * An unknown parent, a cycle, a change of `kind` or an override without its
 * source is a positioned error in the variant's file; the variant is then
 * left out (undefined in the result), as is every variant of a scenario
 * that is left out.
 */
export function resolveExtends(
  files: readonly ScenarioFile[],
  schema: z.core.$ZodType,
  diagnostics: Diagnostics,
): Array<ResolvedScenario | undefined> {
  const byId = new Map<string, ScenarioFile>();
  for (const file of files) {
    const id = idOf(file.value);
    if (id !== undefined && !byId.has(id)) byId.set(id, file);
  }
  const resolved = new Map<ScenarioFile, ResolvedScenario | undefined>();
  const resolving: ScenarioFile[] = [];

  const resolve = (file: ScenarioFile): ResolvedScenario | undefined => {
    if (resolved.has(file)) return resolved.get(file);
    const parentId = parentOf(file, diagnostics);
    if (parentId === false) return remember(file, undefined);
    if (parentId === undefined)
      return remember(file, {source: file.source, value: file.value, layers: [file], parent: undefined});
    const parentFile = byId.get(parentId);
    if (!parentFile) {
      diagnostics.error(
        file.source.path,
        unknownIdReason('scenario', parentId, byId.keys()).replace(/^Unknown/, 'Unknown parent'),
        positionAt(file.source, ['extends']),
        'unknown-id',
      );
      return remember(file, undefined);
    }
    if (parentFile === file || resolving.includes(parentFile)) {
      const cycle = [...resolving.slice(resolving.indexOf(parentFile)), file, parentFile].map((each) =>
        idOf(each.value),
      );
      diagnostics.error(
        file.source.path,
        `\`extends\` makes a cycle (${cycle.map((id) => `\`${id}\``).join(' → ')}), expected a chain that ends in a scenario without \`extends\``,
        positionAt(file.source, ['extends']),
        'extends',
      );
      return remember(file, undefined);
    }
    resolving.push(file);
    const parent = resolve(parentFile);
    resolving.pop();
    // A parent with problems has said so in its own file; its variants are left out without repeating it.
    if (!parent) return remember(file, undefined);
    const child = file.value as Record<string, unknown>;
    const parentValue = parent.value as Record<string, unknown>;
    if (child.kind !== undefined && child.kind !== parentValue.kind) {
      diagnostics.error(
        file.source.path,
        `A variant keeps the kind of the scenario it extends: \`${parentId}\` is \`${String(parentValue.kind)}\`, got \`${String(child.kind)}\``,
        positionAt(file.source, ['kind']),
        'extends',
      );
      return remember(file, undefined);
    }
    const problems: Array<{path: DataPath; reason: string}> = [];
    const value = mergeData(optionFor(schema, parentValue.kind), parentValue, child, [], parentId, problems);
    for (const problem of problems)
      diagnostics.error(file.source.path, problem.reason, positionAt(file.source, problem.path), 'extends');
    if (problems.length > 0) return remember(file, undefined);
    return remember(file, {source: file.source, value, layers: [file, ...parent.layers], parent: parentId});
  };

  const remember = (file: ScenarioFile, result: ResolvedScenario | undefined) => {
    resolved.set(file, result);
    return result;
  };

  return files.map(resolve);
}

/** The id a scenario file gives itself, if it is text. */
function idOf(value: unknown): string | undefined {
  const id = isRecord(value) ? value.id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** The parent id a file names, undefined for none, false (with an error) when `extends` is not an id. */
function parentOf(file: ScenarioFile, diagnostics: Diagnostics): string | undefined | false {
  if (!isRecord(file.value) || !('extends' in file.value)) return undefined;
  const parent = file.value.extends;
  if (typeof parent === 'string' && parent.length > 0) return parent;
  diagnostics.error(
    file.source.path,
    '`extends`: expected the id of the scenario this one varies',
    positionAt(file.source, ['extends']),
    'schema',
  );
  return false;
}

/**
 * Merge a variant's data over its parent's, as the schema says: objects of
 * fields merge key by key, anything else is replaced; `null` removes.
 * Overrides of a sourced group without a new `source` go to `problems`.
 */
function mergeData(
  schema: z.core.$ZodType | undefined,
  parent: unknown,
  child: unknown,
  path: DataPath,
  parentId: string,
  problems: Array<{path: DataPath; reason: string}>,
): unknown {
  const shape = schema && objectShape(schema);
  if (!shape || !isRecord(parent) || !isRecord(child)) return child;
  const root = path.length === 0;
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (root && OWN_FIELDS.has(key)) continue;
    if (!(key in child)) merged[key] = value;
    else if (child[key] !== null)
      merged[key] = mergeData(shape[key], value, child[key], [...path, key], parentId, problems);
  }
  for (const [key, value] of Object.entries(child)) if (!(key in parent) && value !== null) merged[key] = value;
  if (root) for (const key of OWN_FIELDS) if (key in child && child[key] !== null) merged[key] = child[key];
  // The parent's source describes the parent's values: a variant that changes any of them says where its own come from.
  if ('source' in parent && !('source' in child)) {
    const changed = Object.keys(child).filter((key) => key !== 'source' && !(root && OWN_FIELDS.has(key)));
    const group = root ? 'the scenario' : `\`${path.join('.')}\``;
    for (const key of changed)
      problems.push({
        path: [...path, key],
        reason: `\`${[...path, key].join('.')}\` overrides \`${parentId}\`, whose \`source\` for ${group} describes its own values: give ${group} a \`source\` here too`,
      });
  }
  return merged;
}

/** The fields of an object schema (through wrappers), or undefined for anything that is replaced whole. */
function objectShape(schema: z.core.$ZodType): Record<string, z.core.$ZodType> | undefined {
  let current: z.core.$ZodType | undefined = schema;
  while (current) {
    const inner = unwrapped(current);
    if (!inner) break;
    current = inner;
  }
  if (!current) return undefined;
  const definition = definitionOf(current);
  return definition.type === 'object' ? (definition.shape as Record<string, z.core.$ZodType>) : undefined;
}

/** The option of a discriminated union (`kind:`) for a tag, or the schema itself when it is not one. */
function optionFor(schema: z.core.$ZodType, tag: unknown): z.core.$ZodType | undefined {
  const definition = definitionOf(schema);
  if (definition.type !== 'union' || typeof definition.discriminator !== 'string') return schema;
  const key = definition.discriminator;
  return (definition.options as z.core.$ZodType[]).find((option) => {
    const field = objectShape(option)?.[key];
    const values = field && (definitionOf(field) as {values?: unknown[]}).values;
    return values?.includes(tag);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Of `layers` (a variant's file first, then its ancestors'), the one that holds `path` deepest: where a message about it goes. */
export function layerHolding<Layer extends {readonly source: YamlSource}>(
  layers: readonly Layer[],
  path: DataPath,
): Layer | undefined {
  let best: Layer | undefined;
  let bestDepth = -1;
  for (const layer of layers) {
    const depth = existingDepth(layer.source, path);
    if (depth > bestDepth) {
      best = layer;
      bestDepth = depth;
    }
  }
  return best;
}

/** How many segments of `path` exist in the document. */
function existingDepth(source: YamlSource, path: DataPath): number {
  for (let depth = path.length; depth > 0; depth--) if (source.document.hasIn(path.slice(0, depth))) return depth;
  return 0;
}
