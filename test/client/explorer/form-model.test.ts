// The explorer's form, read from the scenario schema (src/client/explorer/form-model.ts).
import {z} from 'zod';
import {beforeAll, describe, expect, it} from 'vitest';
import {scenarioForm, type FormContext, type FormField} from '../../../src/client/explorer/form-model.js';
import {kindSchema, shapeOf} from '../../../src/client/explorer/schema-fields.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import {readCatalogJson, writeCatalogJson, type LoadedCatalog} from '../../../src/data/catalog-json.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {REPO_ROOT} from '../../helpers/project.js';

let loaded: LoadedCatalog;
let context: FormContext;
beforeAll(async () => {
  loaded = readCatalogJson(JSON.parse(writeCatalogJson(await loadCheckedCatalog(REPO_ROOT, new Diagnostics()))));
  context = {
    hardware: [...loaded.hardware.values()].map(({id, name}) => ({id, name})),
    models: [...loaded.models.values()].map(({id, name}) => ({id, name})),
    readerSource: 'reader',
  };
});

/** Every field of a form, groups and their fields, depth first. */
function flatten(fields: readonly FormField[]): FormField[] {
  return fields.flatMap((field) => [field, ...flatten(field.group?.fields ?? [])]);
}

const fieldAt = (fields: readonly FormField[], path: string) =>
  flatten(fields).find((field) => field.path.join('.') === path);

describe('the form of a scenario', () => {
  it("offers every field of each scenario's kind, in the schema's order, each labelled and with a control or fields", () => {
    for (const written of loaded.writtenScenarios.values()) {
      const schema = kindSchema(String(written.kind))!;
      const fields = scenarioForm(schema, written, context);
      const offered = Object.keys(shapeOf(schema)!).filter(
        (key) => !['id', 'name', 'kind', 'description', 'reported', 'sweep'].includes(key),
      );
      expect(
        fields.map((field) => field.key),
        String(written.id),
      ).toEqual(offered);
      for (const field of flatten(fields)) {
        expect(field.label, field.path.join('.')).toMatch(/^[A-Z]/);
        expect(Boolean(field.control) !== Boolean(field.group), field.path.join('.')).toBe(true);
      }
    }
  });

  it('reads choices, ranges, word-or-group and either-or groups from the schema', () => {
    const fields = scenarioForm(
      kindSchema('training')!,
      loaded.writtenScenarios.get('deepseek-v3-pretraining')!,
      context,
    );
    expect(fieldAt(fields, 'cluster.hardware')?.control).toMatchObject({type: 'choice'});
    const chips = fieldAt(fields, 'cluster.hardware')?.control;
    expect(chips?.type === 'choice' && chips.options.map((option) => option.value)).toEqual([
      ...loaded.hardware.keys(),
    ]);
    expect(fieldAt(fields, 'cluster.gpus')?.control).toEqual({type: 'number', integer: true});
    expect(fieldAt(fields, 'workload.tokens')?.control).toEqual({type: 'uncertain', integer: false});
    expect(fieldAt(fields, 'cost.usd_per_gpu_hour')?.value).toEqual({low: 1.5, mode: 2, high: 3});
    expect(fieldAt(fields, 'precision')?.control).toMatchObject({type: 'choice'});
    expect(fieldAt(fields, 'parallelism')?.group?.instead).toMatchObject({value: 'search', chosen: false});
    expect(fieldAt(fields, 'parallelism.tp')).toMatchObject({optional: true, unset: 'Chosen by the search', value: 1});
    expect(fieldAt(fields, 'parallelism.zero')?.control).toMatchObject({
      type: 'choice',
      options: [0, 1, 2, 3].map((value) => ({value, label: `ZeRO-${value}`})),
    });
    expect(fieldAt(fields, 'cost')?.group?.variants?.labels).toEqual(['Price (USD per GPU-hour)', 'Owned GPUs']);
    expect(fieldAt(fields, 'energy')).toMatchObject({optional: true, value: undefined});
    expect(fieldAt(fields, 'energy.pue')?.unset).toBe('Default: 1');
    expect(fieldAt(fields, 'goodput')?.group?.initial).toEqual({source: 'reader'});
  });

  it('offers a field added to a schema, labelled from its name', () => {
    const schema = z.strictObject({
      id: z.string(),
      kind: z.literal('training'),
      spare_gpus_per_node: z.number().int().optional(),
    });
    const fields = scenarioForm(schema, {id: 'x', kind: 'training'}, context);
    expect(fields).toEqual([
      expect.objectContaining({
        key: 'spare_gpus_per_node',
        label: 'Spare GPUs per node',
        control: {type: 'number', integer: true},
      }),
    ]);
  });
});

describe('a group the reader adds or switches', () => {
  it('starts with its required words and groups, never an invented number, and is told apart by its fields', () => {
    const written = loaded.writtenScenarios.get('deepseek-v3-pretraining')!;
    const fields = scenarioForm(kindSchema('training')!, written, context);
    const variants = fieldAt(fields, 'cost')?.group?.variants;
    expect(variants?.initials).toEqual([{source: 'reader'}, {owned: {}, source: 'reader'}]);
    const owned = scenarioForm(kindSchema('training')!, {...written, cost: variants?.initials[1]}, context);
    expect(fieldAt(owned, 'cost')?.group?.variants?.chosen).toBe(1);
    expect(fieldAt(owned, 'cost.owned.capex_usd_per_gpu')).toMatchObject({value: undefined, optional: false});
    expect(fieldAt(fields, 'efficiency')?.group?.initial).toEqual({attention: 'none', source: 'reader'});
  });
});
