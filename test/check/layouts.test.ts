import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {checkLayouts} from '../../src/check/layouts.js';
import type {TrainingScenario} from '../../src/data/schemas/scenario.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {REPO_ROOT} from '../helpers/project.js';

let catalog: Catalog;

beforeAll(async () => {
  catalog = await loadCheckedCatalog(REPO_ROOT, new Diagnostics());
});

/** The repository's catalog with one training scenario in place of all of them, and no references. */
function withScenario(scenario: TrainingScenario): Catalog {
  return {...catalog, scenarios: new Map([[scenario.id, scenario]]), references: new Map()};
}

const base = () => catalog.scenarios.get('deepseek-v3-pretraining') as TrainingScenario;

describe('checkLayouts', () => {
  it('accepts the bundled scenarios', () => {
    expect(checkLayouts(catalog)).toEqual([]);
  });

  it('names the fixed knob that leaves no layout to consider', () => {
    // 61 layers on 16 stages (uneven) make at most 3 chunks per stage: 5 cannot be. (16,384 sequences
    // per step make 128 micro-batches per pipeline, a multiple of pp as interleaving needs.)
    const scenario: TrainingScenario = {
      ...base(),
      id: 'interleaved-five',
      efficiency: undefined,
      workload: {...base().workload!, global_batch_tokens: 16_384 * 4096},
      parallelism: {tp: 1, pp: 16, ep: 64, schedule: 'interleaved', virtual_stages: 5, uneven_stages: true},
    };
    const [problem, ...rest] = checkLayouts(withScenario(scenario));
    expect(rest).toEqual([]);
    expect(problem?.path).toEqual(['parallelism', 'virtual_stages']);
    expect(problem?.message).toContain('`virtual_stages: 5`');
  });
});
