import {Document, isMap, isScalar, visit} from 'yaml';
import {schemaAt, shapeOf, unionOptions, unwrap, type Schema} from './schema-fields.js';
import {samePath, type Edit, type Path} from './state.js';

/**
 * A reader's scenario as a data file: the scenario the explorer started
 * from, as written, with the reader's edits, under a new id when anything
 * changed. What the page estimates is this text, checked as
 * `tradeoffs check` checks a file of data/scenarios/, so "Download as
 * scenario" gives a file the CLI reads to the same numbers.
 */

/** The source a group gets when the reader changed a number of it. */
export const READER_SOURCE = "Reader's assumption, set in the tradeoffs explorer";

export interface ScenarioDraft {
  readonly id: string;
  readonly text: string;
  /** The scenario as data (what the text reads as). */
  readonly value: Readonly<Record<string, unknown>>;
  /** The edits that could be written (an edit below a field that is not a mapping cannot). */
  readonly applied: readonly Edit[];
  readonly skipped: readonly Edit[];
}

/** Fields the explorer writes itself when anything changed, unless the reader set them. */
const OWN_FIELDS = new Set(['id', 'name', 'description']);

/** The keys of a distribution as written (`{low, mode, high}`, `{dist: normal, mean, sd}`, …): written in flow style. */
const DISTRIBUTION_KEYS = new Set(['low', 'mode', 'high', 'dist', 'mean', 'sd', 'median', 'sigma']);

export function draftScenario(
  written: Readonly<Record<string, unknown>>,
  edits: readonly Edit[],
  schema: Schema,
): ScenarioDraft {
  const baseId = String(written.id);
  const document = new Document(structuredClone(written));
  const applied: Edit[] = [];
  const skipped: Edit[] = [];
  for (const edit of edits) {
    try {
      if (edit.value === null) document.deleteIn(edit.path);
      else document.setIn(edit.path, document.createNode(edit.value));
      applied.push(edit);
    } catch {
      skipped.push(edit);
    }
  }
  const changed = applied.filter((edit) => !OWN_FIELDS.has(String(edit.path[0])));
  const setByReader = (key: string) => applied.some((edit) => edit.path.length === 1 && edit.path[0] === key);
  if (changed.length > 0) {
    if (!setByReader('id')) document.set('id', `${baseId}-what-if`);
    if (!setByReader('name')) document.set('name', `${String(written.name)} (what if)`);
    if (!setByReader('description'))
      document.set(
        'description',
        `Made in the tradeoffs explorer from ${baseId}, changing ${changed.map((edit) => edit.path.join('.')).join(', ')}.`,
      );
    // The published figures of the run it started from are not this question's.
    document.delete('reported');
    for (const group of sourcedGroups(schema, changed, (path) => document.getIn(path, true))) {
      const node = document.getIn(group, true);
      if (!isMap(node)) continue;
      const before = node.get('source');
      node.set(
        'source',
        typeof before !== 'string' || before.startsWith(READER_SOURCE)
          ? READER_SOURCE
          : `${READER_SOURCE}, in place of: ${before}`,
      );
    }
  }
  visit(document, {
    Map(_key, map) {
      const keys = map.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''));
      if (keys.length > 0 && keys.every((key) => DISTRIBUTION_KEYS.has(key))) map.flow = true;
    },
  });
  const id = String(document.get('id'));
  document.commentBefore = [
    ` Made in the tradeoffs explorer from the scenario ${baseId}.`,
    ` Save it as data/scenarios/${id}.yaml, then: tradeoffs check; tradeoffs estimate ${id}`,
  ].join('\n');
  const value = document.toJS() as unknown;
  return {
    id,
    text: document.toString({lineWidth: 0}),
    value:
      value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {},
    applied,
    skipped,
  };
}

/**
 * The groups (mappings) whose numbers an edit changed and that carry a
 * `source`: for each edit, the nearest mapping at or above it whose schema
 * has a `source` field, when that source is there already or required (a
 * group the reader added).
 */
function sourcedGroups(schema: Schema, edits: readonly Edit[], nodeAt: (path: Path) => unknown): Path[] {
  const groups: Path[] = [];
  for (const edit of edits) {
    if (edit.path.at(-1) === 'source') continue;
    for (let length = edit.path.length; length >= 1; length--) {
      const prefix = edit.path.slice(0, length);
      const node = nodeAt(prefix);
      if (!isMap(node)) continue;
      const keys = node.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''));
      const source = objectShape(schemaAt(schema, prefix), keys)?.source;
      if (!source) continue;
      if ((node.has('source') || !unwrap(source).optional) && !groups.some((group) => samePath(group, prefix)))
        groups.push(prefix);
      break;
    }
  }
  return groups;
}

/** The fields of the object schema a mapping with `keys` is: the object itself, or the union option that has every key. */
function objectShape(
  schema: Schema | undefined,
  keys: readonly string[],
): Readonly<Record<string, Schema>> | undefined {
  if (!schema) return undefined;
  const own = shapeOf(schema);
  if (own) return own;
  for (const option of unionOptions(schema) ?? []) {
    const shape = shapeOf(option);
    if (shape && keys.every((key) => shape[key] !== undefined)) return shape;
  }
  return undefined;
}
