import {DEFAULT_ENERGY} from '../../estimate/energy.js';
import {fieldLabel, groupNote, unsetLabel, valueLabel} from './labels.js';
import {choicesOf, isInteger, shapeOf, typeOf, unionOptions, unwrap, type Schema} from './schema-fields.js';
import type {Path} from './state.js';

/**
 * The explorer's form, read from the scenario schema alongside the
 * scenario's values: one control per field the schema declares (a number,
 * a range, a choice, a switch, a list of numbers), in groups as the data
 * nests them. Nothing here lists today's fields: a field added to the
 * schema appears, labelled from its name.
 */

export type Control =
  | {readonly type: 'number'; readonly integer: boolean}
  | {readonly type: 'uncertain'; readonly integer: boolean}
  | {readonly type: 'choice'; readonly options: ReadonlyArray<{readonly value: unknown; readonly label: string}>}
  | {readonly type: 'boolean'}
  | {readonly type: 'numbers'}
  | {readonly type: 'text'};

/** One field of the form: a control, or a group of fields. */
export interface FormField {
  readonly key: string;
  readonly path: Path;
  readonly label: string;
  /** The field may be left out (optional, or filled by a default). */
  readonly optional: boolean;
  /** What leaving it out means (`chosen by the search`, `default 1`). */
  readonly unset: string;
  /** The value now (undefined when left out). */
  readonly value: unknown;
  readonly control?: Control;
  readonly group?: FormGroup;
}

export interface FormGroup {
  readonly fields: readonly FormField[];
  /** A short note on what the group means, when one helps. */
  readonly note?: string;
  /** For a group that may instead be a word (`parallelism: search`): that word, and whether it is chosen. */
  readonly instead?: {readonly value: string; readonly label: string; readonly chosen: boolean};
  /** For a group with several forms (`cost`: rented or owned): each form's label and which one it is. */
  readonly variants?: {
    readonly labels: readonly string[];
    readonly chosen: number;
    /** The value each form starts with when the reader switches to it. */
    readonly initials: ReadonlyArray<Readonly<Record<string, unknown>>>;
  };
  /** The values a new group starts with (its defaults and required words), when the reader adds it. */
  readonly initial: Readonly<Record<string, unknown>>;
}

/** What the form needs besides the schema: the ids it may choose from. */
export interface FormContext {
  readonly hardware: ReadonlyArray<{readonly id: string; readonly name: string}>;
  readonly models: ReadonlyArray<{readonly id: string; readonly name: string}>;
  /** The source a group the reader adds is given. */
  readonly readerSource: string;
}

/** Top-level fields the explorer does not offer: what the scenario is, the published figures, the sweep (its points are offered apart). */
const NOT_OFFERED = new Set(['id', 'name', 'kind', 'description', 'reported', 'sweep']);

/** The form of a scenario: its kind's schema and its values as written. */
export function scenarioForm(
  schema: Schema,
  value: Readonly<Record<string, unknown>>,
  context: FormContext,
): FormField[] {
  const shape = shapeOf(schema) ?? {};
  return Object.entries(shape)
    .filter(([key]) => !NOT_OFFERED.has(key))
    .map(([key, field]) => formField(field, [key], value[key], context));
}

function formField(schema: Schema, path: Path, value: unknown, context: FormContext): FormField {
  const key = String(path.at(-1));
  const {schema: inner, optional, defaultValue, uncertain} = unwrap(schema);
  const base = {
    key,
    path,
    label: fieldLabel(path),
    optional,
    unset: unsetLabel(path, defaultValue, energyDefault(path)),
    value,
  };
  if (uncertain) return {...base, control: {type: 'uncertain', integer: numberIsInteger(inner)}};
  const type = typeOf(inner);
  if (type === 'object') return {...base, group: objectGroup(inner, path, value, context)};
  if (type === 'union') {
    const options = unionOptions(inner) ?? [];
    const words = options.filter((option) => typeOf(option) === 'literal');
    const objects = options.filter((option) => typeOf(option) === 'object');
    if (objects.length === 1 && words.length === 1) {
      // A group that may instead be a word: `parallelism: search`.
      const word = String(choicesOf(words[0] as Schema)?.[0]);
      const group = objectGroup(objects[0] as Schema, path, typeof value === 'object' ? value : undefined, context);
      return {
        ...base,
        group: {...group, instead: {value: word, label: valueLabel(path, word), chosen: value === word}},
      };
    }
    if (objects.length === options.length && objects.length > 1) {
      const shapes = objects.map((option) => Object.keys(shapeOf(option) ?? {}));
      const keys = value && typeof value === 'object' ? Object.keys(value) : [];
      const chosen = Math.max(
        0,
        shapes.findIndex((fields) => keys.every((each) => fields.includes(each))),
      );
      const group = objectGroup(objects[chosen] as Schema, path, value, context);
      return {
        ...base,
        group: {
          ...group,
          variants: {
            labels: shapes.map((fields) => fieldLabel([...path, fields.find((each) => each !== 'source') ?? ''])),
            chosen,
            initials: objects.map((option) => objectGroup(option, path, undefined, context).initial),
          },
        },
      };
    }
  }
  const choices = choicesOf(inner);
  if (choices) return {...base, control: {type: 'choice', options: choices.map((each) => choice(path, each))}};
  if (type === 'number') return {...base, control: {type: 'number', integer: isInteger(inner)}};
  if (type === 'boolean') return {...base, control: {type: 'boolean'}};
  if (type === 'array' && typeOf(arrayElement(inner)) === 'number') return {...base, control: {type: 'numbers'}};
  if (type === 'string' && (key === 'hardware' || key === 'model')) {
    const records = key === 'hardware' ? context.hardware : context.models;
    return {
      ...base,
      control: {type: 'choice', options: records.map((record) => ({value: record.id, label: record.name}))},
    };
  }
  return {...base, control: {type: 'text'}};
}

function objectGroup(schema: Schema, path: Path, value: unknown, context: FormContext): FormGroup {
  const shape = shapeOf(schema) ?? {};
  const record = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const fields = Object.entries(shape)
    .filter(([key]) => key !== 'source')
    .map(([key, field]) => formField(field, [...path, key], record[key], context));
  const note = groupNote(path);
  return {fields, initial: initialOf(schema, context), ...(note ? {note} : {})};
}

/**
 * What a group starts with when the reader adds it: the reader as the
 * source it requires, the first choice of a required choice, its required
 * groups in turn; required numbers are left for the reader (the checks
 * then ask for them), never invented.
 */
function initialOf(schema: Schema, context: FormContext): Record<string, unknown> {
  const initial: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shapeOf(schema) ?? {})) {
    const unwrapped = unwrap(field);
    if (unwrapped.optional) continue;
    if (key === 'source') initial.source = context.readerSource;
    else if (typeOf(field) === 'object') initial[key] = initialOf(field, context);
    else {
      const choices = choicesOf(field);
      if (choices && choices.length > 0) initial[key] = choices[0];
    }
  }
  return initial;
}

function choice(path: Path, value: string | number | boolean): {value: unknown; label: string} {
  return {value, label: valueLabel(path, value)};
}

function arrayElement(schema: Schema): Schema {
  return (unwrap(schema).schema._zod.def as unknown as {element: Schema}).element;
}

/** Whether an uncertain number's plain-number form takes whole numbers only. */
function numberIsInteger(schema: Schema): boolean {
  const number = (unionOptions(schema) ?? []).find((option) => typeOf(option) === 'number');
  return number ? isInteger(number) : false;
}

/** The core's default for an energy assumption left out (src/estimate/energy.ts), by field name. */
function energyDefault(path: Path): number | undefined {
  if (path[0] !== 'energy' || path.length !== 2) return undefined;
  const byField: Record<string, number> = {
    power_fraction_of_tdp: DEFAULT_ENERGY.powerFractionOfTdp,
    node_overhead: DEFAULT_ENERGY.nodeOverhead,
    pue: DEFAULT_ENERGY.pue,
    grid_kg_co2_per_kwh: DEFAULT_ENERGY.gridKgCo2PerKwh,
  };
  return byField[String(path[1])];
}
