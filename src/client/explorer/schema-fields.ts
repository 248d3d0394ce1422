import type {z} from 'zod';
import {definitionOf} from '../../data/schema-walk.js';
import {scenarioSchema} from '../../data/schemas/scenario.js';
import {UNCERTAIN} from '../../data/schemas/uncertain.js';
import type {Path} from './state.js';

/**
 * Reading the scenario schema (src/data/schemas/scenario.ts) the way the
 * explorer's form needs it: which fields a kind has, which are optional or
 * defaulted, which hold uncertain numbers. The form is made from the schema,
 * so a field added there appears in the explorer without a change here.
 */

export type Schema = z.core.$ZodType;

/** A schema without its wrappers, and what the wrappers said. */
export interface Unwrapped {
  readonly schema: Schema;
  readonly optional: boolean;
  /** The default a `.default()` wrapper fills in, when it has one. */
  readonly defaultValue?: unknown;
  /** An uncertain number (`uncertain()` in src/data/schemas/uncertain.ts): a number, a range or a distribution. */
  readonly uncertain: boolean;
}

/** Strip optional, default, nullable, readonly and pipe wrappers, noting what they said. */
export function unwrap(schema: Schema): Unwrapped {
  let current = schema;
  let optional = false;
  let defaultValue: unknown;
  let hasDefault = false;
  let uncertain = false;
  for (;;) {
    if ((current as z.ZodType).description === UNCERTAIN) uncertain = true;
    const definition = definitionOf(current);
    if (definition.type === 'optional' || definition.type === 'nullable' || definition.type === 'readonly') {
      if (definition.type === 'optional') optional = true;
      current = definition.innerType as Schema;
    } else if (definition.type === 'default') {
      optional = true;
      hasDefault = true;
      defaultValue = definition.defaultValue;
      current = definition.innerType as Schema;
    } else if (definition.type === 'pipe') {
      current = definition.in as Schema;
    } else {
      break;
    }
  }
  return {schema: current, optional, uncertain, ...(hasDefault ? {defaultValue} : {})};
}

/** The fields of an object schema, in the order it declares them; undefined for any other schema. */
export function shapeOf(schema: Schema): Readonly<Record<string, Schema>> | undefined {
  const definition = definitionOf(unwrap(schema).schema);
  return definition.type === 'object' ? (definition.shape as Record<string, Schema>) : undefined;
}

/** The options of a union schema (after unwrapping); undefined for any other schema. */
export function unionOptions(schema: Schema): readonly Schema[] | undefined {
  const definition = definitionOf(unwrap(schema).schema);
  return definition.type === 'union' ? (definition.options as Schema[]) : undefined;
}

/** The schema of one kind of scenario (`kind: training`), from the scenario schema's discriminated union. */
export function kindSchema(kind: string): Schema | undefined {
  return unionOptions(scenarioSchema)?.find((option) => {
    const literal = shapeOf(option)?.kind;
    const values = literal ? (definitionOf(literal).values as unknown[] | undefined) : undefined;
    return values?.includes(kind) ?? false;
  });
}

/**
 * The schema of the field at `path` below `schema`: through objects, arrays,
 * and unions (the option that has the next key, or the first object option).
 */
export function schemaAt(schema: Schema, path: Path): Schema | undefined {
  let current: Schema | undefined = schema;
  for (const segment of path) {
    if (!current) return undefined;
    const inner: Schema = unwrap(current).schema;
    const definition = definitionOf(inner);
    if (definition.type === 'object') {
      current = (definition.shape as Record<string, Schema>)[String(segment)];
    } else if (definition.type === 'array') {
      current = definition.element as Schema;
    } else if (definition.type === 'union') {
      const options = definition.options as Schema[];
      const option = options.find((each) => shapeOf(each)?.[String(segment)] !== undefined);
      current = option ? shapeOf(option)?.[String(segment)] : undefined;
    } else {
      return undefined;
    }
  }
  return current;
}

/** Whether a number schema only takes whole numbers. */
export function isInteger(schema: Schema): boolean {
  return (unwrap(schema).schema as {isInt?: unknown}).isInt === true;
}

/** The literal values a schema allows when it allows only a few (an enum, a literal, a union of literals). */
export function choicesOf(schema: Schema): ReadonlyArray<string | number | boolean> | undefined {
  const inner = unwrap(schema).schema;
  const definition = definitionOf(inner);
  if (definition.type === 'enum') return Object.values(definition.entries as Record<string, string>);
  if (definition.type === 'literal') return definition.values as Array<string | number | boolean>;
  if (definition.type === 'union') {
    const all: Array<string | number | boolean> = [];
    for (const option of definition.options as Schema[]) {
      const values = choicesOf(option);
      if (!values || unwrap(option).uncertain) return undefined;
      all.push(...values);
    }
    return all;
  }
  return undefined;
}

/** The type of a schema after unwrapping: `object`, `number`, `string`, `boolean`, `union`, `array`, … */
export function typeOf(schema: Schema): string {
  return definitionOf(unwrap(schema).schema).type;
}
