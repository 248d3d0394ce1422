import {describe, expect, it} from 'vitest';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {figureKey} from '../../src/check/setups.js';
import {loadMemoryCatalog} from '../helpers/memory-data.js';

/** src/check/same-setup.ts: one real-world setup, described twice with different assumptions, is a warning. */

const RUN = `id: run
name: A run
kind: training
model: dense
cluster: {hardware: chip, gpus: 64}
workload: {tokens: 1e9, seq_len: 2048, global_batch_tokens: 1048576}
precision: bf16
parallelism: {tp: 2, pp: 2, source: "a layout"}
goodput: {value: {low: 0.9, mode: 0.95, high: 1}, source: "a goodput"}
`;

const load = (files: Record<string, string>) => loadMemoryCatalog(files, loadCheckedCatalog);

describe('checkSameSetups', () => {
  it('warns, naming both, when two unrelated scenarios describe one setup under other assumptions', async () => {
    const {messages} = await load({
      'data/scenarios/run.yaml': RUN,
      'data/scenarios/twin.yaml': RUN.replace('id: run', 'id: twin').replace(
        'low: 0.9, mode: 0.95',
        'low: 0.85, mode: 0.95',
      ),
    });
    expect(messages).toEqual([
      'data/scenarios/twin.yaml:1:5 warning `twin` describes the same setup as `run` under other assumptions (goodput): the same run would show two values; make one extend the other, or give them the same assumptions',
    ]);
  });

  it('finds the setup at a point of a sweep, and says which', async () => {
    const {messages} = await load({
      'data/scenarios/run.yaml': RUN,
      'data/scenarios/sweep.yaml': RUN.replace('id: run', 'id: sweep')
        .replace('hardware: chip', 'hardware: other-chip')
        .replace(
          'goodput: {value: {low: 0.9, mode: 0.95, high: 1}, source: "a goodput"}',
          'goodput: {value: 1, source: "none lost"}',
        )
        .concat('sweep: {hardware: [chip, other-chip]}\n'),
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /^data\/scenarios\/sweep\.yaml:1:5 warning `sweep` \(hardware chip\) describes the same setup as `run` under other assumptions \(goodput\)/,
    );
  });

  it('accepts variants that extend one another, and twins with the same assumptions', async () => {
    const {messages} = await load({
      'data/scenarios/run.yaml': RUN,
      'data/scenarios/variant.yaml':
        'id: variant\nextends: run\nname: No lost time\ngoodput: {value: 1, source: "none lost"}\n',
      'data/scenarios/other.yaml': RUN.replace('id: run', 'id: other').replace('gpus: 64', 'gpus: 128'),
    });
    expect(messages).toEqual([]);
    // An unrelated copy with the run's own assumptions is the same figure, not a conflict (beside a variant
    // with another goodput it would be one: it is outside the variant's family).
    const twins = await load({
      'data/scenarios/run.yaml': RUN,
      'data/scenarios/twin.yaml': RUN.replace('id: run', 'id: twin'),
    });
    expect(twins.messages).toEqual([]);
  });

  it('gives one figure key to one setup and assumptions, wherever it is written', async () => {
    const {catalog} = await load({
      'data/scenarios/run.yaml': RUN,
      'data/scenarios/by-chip.yaml':
        'id: by-chip\nextends: run\nname: On each chip\nsweep: {hardware: [chip, other-chip]}\n',
      'data/scenarios/owned.yaml':
        'id: owned\nextends: run\nname: Owned\ncost: {owned: {capex_usd_per_gpu: 30000, lifetime_years: 4, usd_per_kwh: 0.1}, source: "assumed"}\n',
    });
    const key = (id: string, point = {}) => figureKey(catalog, catalog.scenarios.get(id)!, point, 'gpuHours');
    expect(key('by-chip', {hardware: 'chip'})).toBe(key('run'));
    expect(key('by-chip', {hardware: 'other-chip'})).not.toBe(key('run'));
    expect(key('owned')).not.toBe(key('run'));
    expect(key('run')).toMatch(/^[0-9a-f]{16}\.gpuHours$/);
  });
});
