import {el, idOf, type Child} from './dom.js';
import type {FormField, FormGroup} from './form-model.js';
import type {Path} from './state.js';

/**
 * The form's controls, drawn from the form model (form-model.ts): a labelled
 * control per field, a fieldset per group. Every change is an edit of the
 * scenario (a path and the value written there, `null` to leave the field
 * out): typing edits as it goes, and a change of a group's shape (adding a
 * price, switching a layout to the search) asks for the form to be redrawn.
 */

export interface FormEvents {
  edit(path: Path, value: unknown, redraw: boolean): void;
  /** The value a group the reader adds starts with. */
  initialOf(field: FormField, group: FormGroup): Record<string, unknown>;
}

const INPUT_PREFIX = 'f';

/** The id of the control of a field (the first input of its fieldset, for a range). */
export function controlId(path: Path): string {
  return idOf(INPUT_PREFIX, path);
}

export function renderFields(fields: readonly FormField[], events: FormEvents): HTMLElement[] {
  return fields.map((field) => renderField(field, events));
}

function renderField(field: FormField, events: FormEvents): HTMLElement {
  if (field.group) return renderGroup(field, field.group, events);
  const control = field.control;
  switch (control?.type) {
    case 'uncertain':
      return uncertainField(field, control.integer, events);
    case 'choice':
      return choiceField(field, control.options, events);
    case 'boolean':
      return booleanField(field, events);
    case 'numbers':
      return textField(field, events, 'numbers');
    case 'number':
      return textField(field, events, control.integer ? 'integer' : 'number');
    default:
      return textField(field, events, 'text');
  }
}

/** A field's wrapper: the control and the place its problems are shown. */
function wrap(field: FormField, children: readonly Child[], className = 'field'): HTMLElement {
  return el('div', {className, 'data-path': field.path.join('.')}, children);
}

/** Text the reader typed as data: a number when it reads as one, else the text (the checks then say what is wrong). */
export function readNumber(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed) ? Number(trimmed) : trimmed;
}

function writtenText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(writtenText).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function textField(field: FormField, events: FormEvents, kind: 'integer' | 'number' | 'numbers' | 'text'): HTMLElement {
  const id = controlId(field.path);
  const input = el('input', {
    id,
    name: field.path.join('.'),
    type: 'text',
    inputmode: kind === 'integer' ? 'numeric' : kind === 'text' ? undefined : 'decimal',
    autocomplete: 'off',
    spellcheck: 'false',
    value: writtenText(field.value),
    placeholder: field.optional ? field.unset : undefined,
  });
  const read = () =>
    kind === 'text'
      ? input.value === ''
        ? null
        : input.value
      : kind === 'numbers'
        ? input.value.trim() === ''
          ? null
          : input.value.split(',').map((part) => readNumber(part))
        : readNumber(input.value);
  input.addEventListener('input', () => events.edit(field.path, read(), false));
  return wrap(field, [el('label', {for: id}, [field.label]), input]);
}

function choiceField(
  field: FormField,
  options: ReadonlyArray<{readonly value: unknown; readonly label: string}>,
  events: FormEvents,
): HTMLElement {
  const id = controlId(field.path);
  const select = el('select', {id, name: field.path.join('.')});
  const all = [...options];
  // A value the address set that is not among the choices (an unknown chip): shown, so the check's message has its field.
  if (field.value !== undefined && !all.some((option) => option.value === field.value))
    all.push({value: field.value, label: `${writtenText(field.value)} (not a choice here)`});
  if (field.optional) select.append(option('', field.unset, field.value === undefined));
  for (const each of all) select.append(option(JSON.stringify(each.value), each.label, each.value === field.value));
  // A choice may change what the form shows (notes, what the chip's price is): the form is drawn again.
  select.addEventListener('change', () =>
    events.edit(field.path, select.value === '' ? null : JSON.parse(select.value), true),
  );
  return wrap(field, [el('label', {for: id}, [field.label]), select]);
}

function option(value: string, label: string, selected: boolean): HTMLOptionElement {
  const element = el('option', {value}, [label]);
  element.selected = selected;
  return element;
}

function booleanField(field: FormField, events: FormEvents): HTMLElement {
  const id = controlId(field.path);
  if (field.optional && field.value === undefined && !/^Default/.test(field.unset)) {
    return choiceField(
      field,
      [
        {value: true, label: 'Yes'},
        {value: false, label: 'No'},
      ],
      events,
    );
  }
  const input = el('input', {id, name: field.path.join('.'), type: 'checkbox'});
  input.checked = field.value === true;
  input.addEventListener('change', () => events.edit(field.path, input.checked, true));
  return wrap(field, [input, ' ', el('label', {for: id}, [field.label])], 'field field-check');
}

/** The forms an uncertain number may take, with the parameters each writes. */
const FORMS = [
  {form: 'number', label: 'A number', params: ['value']},
  {form: 'triangular', label: 'A range: low, most likely, high', params: ['low', 'mode', 'high']},
  {form: 'uniform', label: 'Uniform between low and high', params: ['low', 'high']},
  {form: 'normal', label: 'Normal: mean and standard deviation', params: ['mean', 'sd']},
  {form: 'lognormal', label: 'Log-normal: median and sigma', params: ['median', 'sigma']},
] as const;
type Form = (typeof FORMS)[number]['form'];

const PARAM_LABELS: Readonly<Record<string, string>> = {
  value: 'Value',
  low: 'Low',
  mode: 'Most likely',
  high: 'High',
  mean: 'Mean',
  sd: 'Standard deviation',
  median: 'Median',
  sigma: 'Sigma (of the logarithm)',
};

function formOf(value: unknown): Form | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') return 'number';
  const record = value as Record<string, unknown>;
  if (record.dist === 'uniform' || record.dist === 'normal' || record.dist === 'lognormal') return record.dist;
  return 'triangular';
}

/** The middle of a value in any form, to carry over when the reader changes its form. */
function nominalOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const first = [record.mode, record.mean, record.median].find((each) => typeof each === 'number');
  if (typeof first === 'number') return first;
  return typeof record.low === 'number' && typeof record.high === 'number' ? (record.low + record.high) / 2 : undefined;
}

function inForm(form: Form, nominal: number | undefined): unknown {
  switch (form) {
    case 'number':
      return nominal ?? null;
    case 'triangular':
      return {low: nominal, mode: nominal, high: nominal};
    case 'uniform':
      return {dist: 'uniform', low: nominal, high: nominal};
    case 'normal':
      return {dist: 'normal', mean: nominal};
    case 'lognormal':
      return {dist: 'lognormal', median: nominal};
  }
}

function uncertainField(field: FormField, integer: boolean, events: FormEvents): HTMLElement {
  const form = formOf(field.value);
  const id = controlId(field.path);
  const formSelect = el('select', {id: `${id}-form`, name: `${field.path.join('.')}.form`});
  if (field.optional) formSelect.append(option('', field.unset, form === undefined));
  for (const each of FORMS) formSelect.append(option(each.form, each.label, each.form === form));
  formSelect.addEventListener('change', () =>
    events.edit(
      field.path,
      formSelect.value === '' ? null : inForm(formSelect.value as Form, nominalOf(field.value)),
      true,
    ),
  );
  const spec = FORMS.find((each) => each.form === form);
  const record =
    field.value && typeof field.value === 'object' ? (field.value as Record<string, unknown>) : {value: field.value};
  const inputs = (spec?.params ?? []).map((param, index) => {
    const inputId = index === 0 ? id : `${id}-${param}`;
    const input = el('input', {
      id: inputId,
      name: `${field.path.join('.')}${param === 'value' ? '' : `.${param}`}`,
      type: 'text',
      inputmode: integer ? 'numeric' : 'decimal',
      autocomplete: 'off',
      spellcheck: 'false',
      value: writtenText(record[param]),
    });
    return {param, input, label: el('label', {for: inputId}, [PARAM_LABELS[param] ?? param])};
  });
  const read = (): unknown => {
    if (form === 'number') return readNumber(inputs[0]?.input.value ?? '');
    const value: Record<string, unknown> = form === 'triangular' ? {} : {dist: form};
    for (const {param, input} of inputs) {
      const number = readNumber(input.value);
      if (number !== null) value[param] = number;
    }
    return value;
  };
  for (const {input} of inputs) input.addEventListener('input', () => events.edit(field.path, read(), false));
  return el('fieldset', {className: 'field field-uncertain', 'data-path': field.path.join('.')}, [
    el('legend', {}, [field.label]),
    el('div', {className: 'field'}, [el('label', {for: `${id}-form`}, ['Given as']), formSelect]),
    ...inputs.map(({label, input}) => el('div', {className: 'field'}, [label, input])),
  ]);
}

function renderGroup(field: FormField, group: FormGroup, events: FormEvents): HTMLElement {
  const present = field.value !== undefined && field.value !== null;
  const chosenWord = group.instead?.chosen === true;
  const children: Child[] = [el('legend', {}, [field.label])];
  if (group.note) children.push(el('p', {className: 'field-note'}, [group.note]));
  const id = controlId(field.path);
  if (group.instead) {
    // A group that may instead be a word: the search.
    const select = el('select', {id, name: field.path.join('.')});
    if (field.optional) select.append(option('', field.unset, !present));
    select.append(option('word', group.instead.label, chosenWord));
    select.append(option('given', 'Given: the knobs below (the search chooses the rest)', present && !chosenWord));
    select.addEventListener('change', () =>
      events.edit(
        field.path,
        select.value === '' ? null : select.value === 'word' ? group.instead?.value : events.initialOf(field, group),
        true,
      ),
    );
    children.push(el('div', {className: 'field'}, [el('label', {for: id}, ['Layout']), select]));
  } else if (field.optional) {
    const input = el('input', {id, name: field.path.join('.'), type: 'checkbox'});
    input.checked = present;
    input.addEventListener('change', () =>
      events.edit(field.path, input.checked ? events.initialOf(field, group) : null, true),
    );
    children.push(
      el('div', {className: 'field field-check'}, [input, ' ', el('label', {for: id}, [`Set: ${field.label}`])]),
    );
  }
  if (group.variants && present) {
    const variants = group.variants;
    const variantId = `${id}-variant`;
    const select = el('select', {id: variantId, name: `${field.path.join('.')}.variant`});
    variants.labels.forEach((label, index) => select.append(option(String(index), label, index === variants.chosen)));
    select.addEventListener('change', () =>
      events.edit(field.path, {...variants.initials[Number(select.value)]}, true),
    );
    children.push(el('div', {className: 'field'}, [el('label', {for: variantId}, ['Given as']), select]));
  }
  if (present && !chosenWord) children.push(...renderFields(group.fields, events));
  return el(
    'fieldset',
    {
      className: field.path.length === 1 ? 'field-group' : 'field-group field-subgroup',
      'data-path': field.path.join('.'),
    },
    children,
  );
}
