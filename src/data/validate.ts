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
      const atUnion = valueAt(root, path);
      const best = [...branches].sort((a, b) => branchDistance(a, atUnion) - branchDistance(b, atUnion))[0];
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

/** A branch the value is not even the kind of (a number for a mapping, the literal `search` for a mapping). */
const NOT_THE_KIND = 100;

/**
 * How far a union's value is from one of its branches, by the branch's issues (paths relative to the value):
 * the branch with the fewest mistakes is the one the author meant. Each unknown key is a mistake, and a missing
 * field one; a nested union counts as its nearest branch; a value that is not the branch's kind at all (wrong
 * type at the top, or a discriminated union whose discriminator key it lacks) is furthest. So
 * `{valu: …, source: …}` is read as a misspelt `{value, source}`, not as a distribution missing `dist`.
 */
function branchDistance(issues: readonly Issue[], value: unknown): number {
  let distance = 0;
  for (const each of issues) {
    const path = each.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    const actual = valueAt(value, path);
    if ((each.code === 'invalid_type' || each.code === 'invalid_value') && path.length === 0) distance += NOT_THE_KIND;
    else if (each.code === 'unrecognized_keys') distance += each.keys.length;
    else if (each.code === 'invalid_union' && actual === undefined)
      distance += 'discriminator' in each && each.discriminator && path.length === 1 ? NOT_THE_KIND : 1;
    else if (each.code === 'invalid_union') {
      const nested = (each as {errors?: Issue[][]}).errors ?? [];
      distance += nested.length > 0 ? Math.min(...nested.map((branch) => branchDistance(branch, actual))) : 1;
    } else distance += 1;
  }
  return distance;
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
/** Of a plain union's options (nested unions' too), the object whose fields share the most keys with the value (the first on a tie). */
function nearestObjectOption(options: readonly z.core.$ZodType[], value: unknown): z.core.$ZodType | undefined {
  const keys = value && typeof value === 'object' ? Object.keys(value) : [];
  let best: z.core.$ZodType | undefined;
  let bestShared = -1;
  for (const option of objectOptions(options)) {
    const shared = keys.filter((key) => key in (definitionOf(option).shape as object)).length;
    if (shared > bestShared) [best, bestShared] = [option, shared];
  }
  return best;
}

/** The object schemas among a union's options, unwrapped, nested unions flattened. */
function objectOptions(options: readonly z.core.$ZodType[]): z.core.$ZodType[] {
  return options.flatMap((option) => {
    let inner: z.core.$ZodType = option;
    for (let next = unwrapped(inner); next; next = unwrapped(inner)) inner = next;
    const def = definitionOf(inner);
    if (def.type === 'object') return [inner];
    if (def.type === 'union') return objectOptions(def.options as z.core.$ZodType[]);
    return [];
  });
}

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
        current = discriminator
          ? options.find((option) => {
              const shape = (option._zod.def as unknown as {shape?: Record<string, z.core.$ZodType>}).shape;
              const literal = shape?.[discriminator]?._zod.def as unknown as {values?: unknown[]} | undefined;
              return literal?.values?.includes(tag);
            })
          : nearestObjectOption(options, value);
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
