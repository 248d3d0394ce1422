import {describe, expect, it} from 'vitest';
import {isWritten, placeOf, type Catalog} from '../../src/data/catalog.js';
import {loadCatalog, type DataReader} from '../../src/data/load-catalog.js';
import type {TrainingScenario} from '../../src/data/schemas/scenario.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';

/** `extends:` (src/data/extends.ts): a variant is its parent's data with its own fields written over it. */

const HARDWARE = `- id: chip
  name: A chip
  vendor: Nobody
  peak_tflops: {bf16: 1000, fp8: 2000, source: "example"}
  memory: {capacity_gb: 80, bandwidth_tb_per_s: 3, source: "example"}
  scale_up: {bandwidth_gb_per_s: 400, domain_gpus: 8, source: "example"}
  scale_out: {bandwidth_gb_per_s: 50, source: "example"}
  power: {tdp_w: 700, source: "example"}
`;
const MODELS = `- id: dense
  name: Dense
  layers: 4
  d_model: 1024
  vocab: 32000
  tied_embeddings: false
  attention: {kind: mha, heads: 8, head_dim: 128}
  ffn: {kind: dense, d_ff: 4096, gated: false}
  declared: {params_total: 115876864, source: "example"}
  source: "example"
`;
const PARENT = `id: base
name: The base run
description: Not inherited.
kind: training
model: dense
cluster: {hardware: chip, gpus: 64}
workload: {tokens: 1e9, seq_len: 2048, global_batch_tokens: 1048576}
precision: bf16
parallelism: {tp: 2, pp: 2, source: "the base layout"}
goodput: {value: {low: 0.9, mode: 0.95, high: 1}, source: "the base goodput"}
cost: {usd_per_gpu_hour: 2, source: "a rental price"}
reported: {gpu_hours: 100, source: "a report"}
`;

async function load(scenarios: Record<string, string>): Promise<{catalog: Catalog; messages: string[]}> {
  const files: Record<string, string> = {
    'data/hardware.yaml': HARDWARE,
    'data/models.yaml': MODELS,
    ...Object.fromEntries(Object.entries(scenarios).map(([name, text]) => [`data/scenarios/${name}`, text])),
  };
  const reader: DataReader = {
    readText: async (file) => {
      const text = files[file];
      if (text === undefined) throw Object.assign(new Error('missing'), {code: 'ENOENT'});
      return text;
    },
    list: async () => Object.keys(scenarios),
    exists: (file) => file in files,
  };
  const diagnostics = new Diagnostics();
  const catalog = await loadCatalog('.', diagnostics, reader);
  const messages = diagnostics.files.flatMap((file) =>
    file.messages.map((message) => `${file.path}:${message.line}:${message.column} ${message.reason}`),
  );
  return {catalog, messages};
}

const training = (catalog: Catalog, id: string) => catalog.scenarios.get(id) as TrainingScenario;

describe('extends', () => {
  it('merges groups field by field and keeps what the variant does not write', async () => {
    const {catalog, messages} = await load({
      'base.yaml': PARENT,
      'variant.yaml': `id: variant\nextends: base\nname: More GPUs\ncluster: {gpus: 128}\nsweep: {gpus: [64, 128]}\n`,
    });
    expect(messages).toEqual([]);
    const variant = training(catalog, 'variant');
    expect(variant.cluster).toEqual({hardware: 'chip', gpus: 128});
    expect(variant.workload.seq_len).toBe(2048);
    expect(variant.parallelism).toEqual({tp: 2, pp: 2, source: 'the base layout'});
    expect(variant.extends).toBe('base');
    expect(variant.description).toBeUndefined();
    expect(variant.name).toBe('More GPUs');
    // The parent's uncertain numbers are the variant's too, in the same order (so the same draws).
    expect(catalog.uncertainty.get(variant)).toEqual(catalog.uncertainty.get(training(catalog, 'base')));
  });

  it('replaces a layout whole: it is one choice, not a set of fields', async () => {
    const {catalog, messages} = await load({
      'base.yaml': PARENT,
      'variant.yaml': `id: variant\nextends: base\nname: Searched\nparallelism: {pp: 4}\n`,
    });
    expect(messages).toEqual([]);
    expect(training(catalog, 'variant').parallelism).toEqual({pp: 4});
  });

  it('replaces numbers, ranges and choices of form whole, and removes a field given null', async () => {
    const {catalog, messages} = await load({
      'base.yaml': PARENT,
      'variant.yaml': [
        'id: variant',
        'extends: base',
        'name: Owned, no report',
        'goodput: {value: 1, source: "no lost time"}',
        'cost: {owned: {capex_usd_per_gpu: 30000, lifetime_years: 4, usd_per_kwh: 0.1}, source: "a purchase price"}',
        'reported: null',
        '',
      ].join('\n'),
    });
    expect(messages).toEqual([]);
    const variant = training(catalog, 'variant');
    expect(variant.goodput).toEqual({value: 1, source: 'no lost time'});
    expect(variant.cost).toEqual({
      owned: {capex_usd_per_gpu: 30000, lifetime_years: 4, utilization: 1, usd_per_kwh: 0.1},
      source: 'a purchase price',
    });
    expect(variant.reported).toBeUndefined();
    expect(catalog.uncertainty.get(variant) ?? []).toEqual([]);
  });

  it('applies a chain of parents, nearest last', async () => {
    const {catalog, messages} = await load({
      'a.yaml': PARENT,
      'b.yaml': `id: b\nextends: base\nname: B\nprecision: fp8\n`,
      'c.yaml': `id: c\nextends: b\nname: C\ncluster: {gpus: 32}\n`,
    });
    expect(messages).toEqual([]);
    expect(training(catalog, 'c').precision).toBe('fp8');
    expect(training(catalog, 'c').cluster.gpus).toBe(32);
    expect(training(catalog, 'c').extends).toBe('b');
  });

  it('asks a variant that changes a sourced group for its own source', async () => {
    const {catalog, messages} = await load({
      'base.yaml': PARENT,
      'variant.yaml': `id: variant\nextends: base\nname: No lost time\ngoodput: {value: 1}\n`,
    });
    expect(messages).toEqual([
      'data/scenarios/variant.yaml:4:18 `goodput.value` overrides `base`, whose `source` for `goodput` describes its own values: give `goodput` a `source` here too',
    ]);
    expect(catalog.scenarios.has('variant')).toBe(false);
    expect(catalog.scenarios.has('base')).toBe(true);
  });

  it('names an unknown parent with the nearest id, at `extends`', async () => {
    const {catalog, messages} = await load({
      'base.yaml': PARENT,
      'variant.yaml': `id: variant\nextends: bsae\nname: V\n`,
    });
    expect(messages).toEqual([
      'data/scenarios/variant.yaml:2:10 Unknown parent scenario id `bsae`, did you mean `base`?',
    ]);
    expect(catalog.scenarios.has('variant')).toBe(false);
  });

  it('refuses a cycle, at each `extends` on it', async () => {
    const {catalog, messages} = await load({
      'a.yaml': `id: a\nextends: b\nname: A\n`,
      'b.yaml': `id: b\nextends: a\nname: B\n`,
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^data\/scenarios\/b\.yaml:2:10 `extends` makes a cycle \(`a` → `b` → `a`\)/);
    expect(catalog.scenarios.size).toBe(0);
  });

  it('refuses a variant of another kind', async () => {
    const {messages} = await load({
      'base.yaml': PARENT,
      'variant.yaml': `id: variant\nextends: base\nname: V\nkind: demand\n`,
    });
    expect(messages).toEqual([
      'data/scenarios/variant.yaml:4:7 A variant keeps the kind of the scenario it extends: `base` is `training`, got `demand`',
    ]);
  });

  it('places a problem with an inherited field in the file that writes it, once', async () => {
    const {catalog, messages} = await load({
      'base.yaml': PARENT.replace('seq_len: 2048', 'seq_len: -1'),
      'variant.yaml': `id: variant\nextends: base\nname: V\ncluster: {gpus: 128}\n`,
    });
    expect(messages).toEqual(['data/scenarios/base.yaml:7:34 `workload.seq_len`: expected number > 0, got -1']);
    expect(catalog.scenarios.size).toBe(0);
    expect(catalog.invalidIds.has('scenario:variant')).toBe(true);
  });

  it('places a variant’s own problem in its own file', async () => {
    const {messages} = await load({
      'base.yaml': PARENT,
      'variant.yaml': `id: variant\nextends: base\nname: V\ncluster: {gpus: 0}\n`,
    });
    expect(messages).toEqual(['data/scenarios/variant.yaml:4:17 `cluster.gpus`: expected number > 0, got 0']);
  });

  it('tells inherited fields, written ones and defaults apart', async () => {
    const {catalog} = await load({
      'base.yaml': PARENT,
      'variant.yaml': `id: variant\nextends: base\nname: V\ncluster: {gpus: 128}\n`,
    });
    const variant = training(catalog, 'variant');
    expect(isWritten(catalog, variant, ['parallelism', 'tp'])).toBe(true);
    expect(isWritten(catalog, variant, ['goodput', 'value'])).toBe(true);
    expect(isWritten(catalog, variant, ['cluster', 'gpus'])).toBe(true);
    expect(variant.recipe).toBeUndefined();
    const origin = catalog.origins.get(variant)!;
    expect(placeOf(origin, ['cluster', 'gpus']).file).toBe('data/scenarios/variant.yaml');
    expect(placeOf(origin, ['parallelism', 'tp']).file).toBe('data/scenarios/base.yaml');
    expect(placeOf(origin, ['parallelism', 'tp']).place?.start.line).toBe(9);
  });
});
