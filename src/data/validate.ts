import {printable} from '../diagnostics/printable.js';
import type {z} from 'zod';
import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {nearestId} from '../diagnostics/nearest-id.js';
import {definitionOf, unwrapped} from './schema-walk.js';
import {formatPath} from './field-path.js';
import {implausibleValues} from './plausibility.js';
import {isScalar} from 'yaml';
import {layerHolding} from './extends.js';
import {keyNodeAt, nodeAt, rangeToPosition, type DataPath, type YamlSource} from './yaml-source.js';

type Issue = z.core.$ZodIssue;

/**
 * Validate `value` (the data found at `basePath` in `source`) against a zod
 * schema. Every issue becomes a message placed on the YAML node it concerns;
 * the result is the parsed value, or `undefined` when anything was wrong
 * (a value impossible for its quantity included: plausibility.ts).
 */
export function validateAt<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  source: YamlSource,
  basePath: DataPath,
  diagnostics: Diagnostics,
): z.infer<Schema> | undefined {
  return validateIn(schema, value, () => ({source, basePath}), diagnostics);
}

/**
 * Validate data merged from several files (a scenario and the ones it
 * `extends`, its own first): each message goes to the file that holds the
 * field it is about most deeply, so an inherited field's problem is shown
 * where it is written.
 */
export function validateLayered<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  layers: ReadonlyArray<{readonly source: YamlSource}>,
  diagnostics: Diagnostics,
): z.infer<Schema> | undefined {
  const [own] = layers;
  if (!own) throw new RangeError('validateLayered needs at least one layer');
  return validateIn(
    schema,
    value,
    (path) => ({source: (layerHolding(layers, path) ?? own).source, basePath: []}),
    diagnostics,
  );
}

/** Where the field at a path (relative to the value) is written: a file, and the value's own path in it. */
type Locate = (path: DataPath) => {source: YamlSource; basePath: DataPath};

function validateIn<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  locate: Locate,
  diagnostics: Diagnostics,
): z.infer<Schema> | undefined {
  const result = schema.safeParse(value);
  if (result.success) {
    // Valid number by number; now whether each number is plausible for what it measures (plausibility.ts).
    const implausible = implausibleValues(schema, value);
    for (const {path, severity, message} of implausible) {
      const {source, basePath} = locate(path);
      const range = nodeAt(source, [...basePath, ...path])?.range ?? [0, 0];
      const place = rangeToPosition(source, [range[0], range[1]]);
      if (severity === 'error') diagnostics.error(source.path, message, place, 'implausible-value');
      else diagnostics.warn(source.path, message, place, 'implausible-value');
    }
    return implausible.some((each) => each.severity === 'error') ? undefined : result.data;
  }
  const literal = (path: ReadonlyArray<string | number>) => {
    const {source, basePath} = locate(path);
    const node = nodeAt(source, [...basePath, ...path]);
    return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
  };
  const described = result.error.issues.flatMap((issue) => describeIssue(issue, value, schema, literal));
  // A misspelt key (`gpu` for `gpus`) is one mistake: say so once, at the key, not also as a missing field.
  const suggested = new Set(
    described.flatMap((each) => (each.suggested ? [`${formatPath(each.path)}\0${each.suggested}`] : [])),
  );
  for (const {path, keyName, reason, missing} of described) {
    if (missing !== undefined && suggested.has(`${formatPath(path)}\0${missing}`)) continue;
    const {source, basePath} = locate(keyName === undefined ? path : [...path, keyName]);
    const fullPath = [...basePath, ...path];
    const node = keyName === undefined ? nodeAt(source, fullPath) : keyNodeAt(source, fullPath, keyName);
    const range = node?.range ?? [0, 0];
    diagnostics.error(source.path, reason, rangeToPosition(source, [range[0], range[1]]), 'schema');
  }
  return undefined;
}

interface Described {
  path: Array<string | number>;
  /** Set when the message is about a key rather than a value. */
  keyName?: string;
  reason: string;
  /** The field a "missing field" message is about. */
  missing?: string;
  /** The field an "unknown field" message suggests instead. */
  suggested?: string;
}

/** The text of the scalar at a path, as written in the file (`1e400`, `.nan`). */
type Literal = (path: ReadonlyArray<string | number>) => string | undefined;

function describeIssue(issue: Issue, root: unknown, schema: z.ZodType, literal: Literal): Described[] {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  const field = path.length > 0 ? `\`${formatPath(path)}\`` : 'the record';
  const actual = valueAt(root, path);
  switch (issue.code) {
    case 'invalid_type': {
      if (actual === undefined) {
        const name = path.at(-1);
        return [
          {
            path: path.slice(0, -1),
            reason: `Missing field \`${String(name)}\`, expected ${issue.expected}`,
            missing: String(name),
          },
        ];
      }
      if (typeof actual === 'number' && !Number.isFinite(actual)) {
        const written = literal(path);
        const what = Number.isNaN(actual)
          ? 'not a number'
          : /^[+-]?\.inf$/i.test(written ?? '')
            ? 'infinite'
            : 'beyond the largest number, about 1.8e308';
        return [{path, reason: `${field}: expected a finite number, got \`${written ?? String(actual)}\` (${what})`}];
      }
      return [{path, reason: `${field}: expected ${issue.expected}, got ${describeValue(actual)}`}];
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const relation = issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      const what =
        issue.origin === 'array' || issue.origin === 'string' ? `length ${relation} ${bound}` : `${relation} ${bound}`;
      return [{path, reason: `${field}: expected ${issue.origin} ${what}, got ${describeValue(actual)}`}];
    }
    case 'unrecognized_keys': {
      const allowed = objectKeysAt(schema, root, path);
      return issue.keys.map((key) => {
        const suggestion = allowed ? nearestId(key, allowed) : undefined;
        const expected = suggestion
          ? `did you mean \`${suggestion}\`?`
          : allowed
            ? `expected one of ${allowed.map((name) => `\`${name}\``).join(', ')}`
            : 'remove it';
        return {
          path,
          keyName: key,
          reason: `Unknown field \`${printable(key)}\` in ${field}, ${expected}`,
          suggested: suggestion,
        };
      });
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const options = (issue as {options?: unknown[]}).options ?? [];
        return [
          {
            path,
            reason: `${field}: expected one of ${options.map((option) => `\`${String(option)}\``).join(', ')}, got ${describeValue(actual)}`,
          },
        ];
      }
      // A union such as an uncertain number: explain the alternative that came closest.
      const branches = (issue as {errors?: Issue[][]}).errors ?? [];
      // A branch the value is not even the kind of (a number for a mapping, the literal `search` for a mapping) explains least.
      const score = (issues: Issue[]) =>
        issues.length +
        (issues.some(
          (each) => (each.code === 'invalid_type' || each.code === 'invalid_value') && each.path.length === 0,
        )
          ? 100
          : 0);
      const best = [...branches].sort((a, b) => score(a) - score(b))[0];
      if (best && best.length > 0) {
        return best.flatMap((inner) =>
          describeIssue({...inner, path: [...issue.path, ...inner.path]} as Issue, root, schema, literal),
        );
      }
      return [{path, reason: `${field}: ${issue.message}`}];
    }
    case 'invalid_key': {
      // A record's key (`files`, `uses`): said at the key, with what the key schema expects.
      const key = String(path.at(-1));
      const parent = path.slice(0, -1);
      const expected = (issue as {issues?: Issue[]}).issues?.[0]?.message ?? 'expected another key';
      return [
        {
          path: parent,
          keyName: key,
          reason: `Unexpected key \`${printable(key)}\` in ${parent.length > 0 ? `\`${formatPath(parent)}\`` : 'the record'}, ${expected}`,
        },
      ];
    }
    case 'invalid_value':
      return [
        {
          path,
          reason: `${field}: expected one of ${issue.values.map((option) => `\`${String(option)}\``).join(', ')}, got ${describeValue(actual)}`,
        },
      ];
    default:
      return [{path, reason: `${field}: ${issue.message}`}];
  }
}

function valueAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `string \`${printable(value.length > 40 ? `${value.slice(0, 40)}…` : value)}\``;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/** The field names an object schema allows at `path`, walking arrays, optionals and discriminated unions. */
function objectKeysAt(schema: z.ZodType, root: unknown, path: ReadonlyArray<string | number>): string[] | undefined {
  let current: z.core.$ZodType | undefined = schema;
  let value = root;
  for (let index = 0; index <= path.length && current;) {
    const inner = unwrapped(current);
    if (inner) {
      current = inner;
      continue;
    }
    const def = definitionOf(current);
    switch (def.type) {
      case 'union': {
        const options = def.options as z.core.$ZodType[];
        const discriminator = def.discriminator as string | undefined;
        const tag =
          discriminator && value && typeof value === 'object'
            ? (value as Record<string, unknown>)[discriminator]
            : undefined;
        current = options.find((option) => {
          const shape = (option._zod.def as unknown as {shape?: Record<string, z.core.$ZodType>}).shape;
          const literal = shape?.[discriminator ?? '']?._zod.def as unknown as {values?: unknown[]} | undefined;
          return literal?.values?.includes(tag);
        });
        continue;
      }
      default:
        break;
    }
    if (index === path.length) {
      return def.type === 'object' ? Object.keys(def.shape as object) : undefined;
    }
    const segment = path[index] as string | number;
    if (def.type === 'object') current = (def.shape as Record<string, z.core.$ZodType>)[String(segment)];
    else if (def.type === 'array') current = def.element as z.core.$ZodType;
    else return undefined;
    value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[segment] : undefined;
    index++;
  }
  return undefined;
}
