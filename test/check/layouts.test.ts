import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {checkLayouts} from '../../src/check/layouts.js';
import type {TrainingScenario} from '../../src/data/schemas/scenario.js';
import type {ReferenceRun} from '../../src/data/schemas/reference.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {PUBLISHED_MEMORY_TOLERANCE} from '../../src/estimate/training/search.js';
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

/** A BF16 run of `model` on H100s with every knob searched and the default recipe. */
const searchedOn = (
  id: string,
  model: string,
  gpus: number,
  workload: NonNullable<TrainingScenario['workload']>,
): TrainingScenario => ({
  ...base(),
  id,
  efficiency: undefined,
  recipe: undefined,
  available: undefined,
  model,
  cluster: {hardware: 'h100-sxm', gpus},
  precision: 'bf16',
  workload,
  parallelism: 'search',
});

describe('checkLayouts', () => {
  it('accepts the bundled scenarios and reference runs', () => {
    expect(checkLayouts(catalog)).toEqual([]);
  });

  it('refuses a swept GPU count the layout cannot be valid on, at that count (red team 14: the page showed a dash)', () => {
    // DeepSeek's layout (PP 16 × EP 64, TP 1) divides 2,048 GPUs, not 3,000: `estimate --gpus 3000` refuses it too.
    const predicted = catalog.scenarios.get('deepseek-v3-pretraining-predicted') as TrainingScenario;
    const problems = checkLayouts(withScenario({...predicted, sweep: {gpus: [2048, 3000]}}));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({severity: 'error', path: ['sweep', 'gpus', 1]});
    expect(problems[0]?.message).toMatch(/^Swept GPU count 3,000 of `deepseek-v3-pretraining-predicted`: /);
    expect(checkLayouts(withScenario({...predicted, sweep: {gpus: [1024, 4096]}}))).toEqual([]);
  });

  // The fit rule (search.ts): a published layout is evidence that it fitted; any other must fit by the model.
  const llama8k = () => catalog.references.get('llama-3.1-405b-8k-gpus') as ReferenceRun;
  const withReference = (run: ReferenceRun): Catalog => ({
    ...catalog,
    scenarios: new Map(),
    references: new Map([[run.id, run]]),
  });

  it("takes a published reference run's layout as fitting when the memory model puts it over the memory (calibrate lists it)", () => {
    // Llama 3.1 405B trained its 8K stage on 8,192 GPUs without recomputation (Herd §3.3.2); the model's
    // layout (ZeRO-2, as Herd §3.3.2's FSDP) needs 95.5 GB of the H100's 85.5 GB.
    expect(checkLayouts(withReference(llama8k()))).toEqual([]);
  });

  it('refuses the same layout when nobody published it', () => {
    const run = llama8k();
    const unpublished = {...run, parallelism: {...run.parallelism, source: '[D] a layout one might try'}};
    const [problem, ...rest] = checkLayouts(withReference(unpublished));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({severity: 'error', rule: 'invalid-value', path: ['parallelism']});
    expect(problem?.message).toMatch(
      /No layout of `llama-3\.1-405b-8k-gpus` fits on 8192 × h100-sxm: the closest needs 95\.5 GB of 85\.5 GB/,
    );
  });

  it("takes a scenario's own layout as published only with an [A] or [T] source", () => {
    const over = {
      tp: 1,
      pp: 16,
      ep: 64,
      zero: 1 as const,
      recompute: 'none' as const,
      schedule: '1f1b' as const,
      uneven_stages: true,
    };
    const scenario = (source: string): TrainingScenario => ({
      ...base(),
      id: 'deepseek-without-recompute',
      parallelism: {...over, source},
    });
    const published = checkLayouts(withScenario(scenario('[A] as if DeepSeek had published it')));
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({severity: 'warning', rule: 'memory-fit', path: ['parallelism']});
    expect(published[0]?.message).toMatch(
      /^Layout of `deepseek-without-recompute` is taken as fitting on 2048 × h800-sxm as published: the memory model puts its least memory-hungry reading \(.*no recompute · 1f1b\) at [\d.]+ GB of 85\.5 GB per GPU/,
    );
    const assumed = checkLayouts(withScenario(scenario('an assumption')));
    expect(assumed.map((problem) => problem.severity)).toEqual(['error']);
  });

  it("refuses a scenario's published-looking layout the model puts further over the memory than its error on published runs", () => {
    // pp 4 without recomputation: the model puts DeepSeek-V3 at about 2.4× the H800's memory, far past the
    // largest over-prediction on any published run (PUBLISHED_MEMORY_TOLERANCE): an edited layout, not a model error.
    const scenario: TrainingScenario = {
      ...base(),
      id: 'deepseek-pp4',
      parallelism: {
        tp: 1,
        pp: 4,
        ep: 64,
        zero: 1,
        recompute: 'none',
        schedule: 'dualpipe',
        uneven_stages: true,
        source: '[A] edited',
      },
    };
    const [problem, ...rest] = checkLayouts(withScenario(scenario));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({severity: 'error', path: ['parallelism']});
    const needed = Number(/the closest needs ([\d.]+) GB of 85\.5 GB/.exec(problem?.message ?? '')?.[1]);
    expect(needed).toBeGreaterThan(85.5 * PUBLISHED_MEMORY_TOLERANCE);
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

  it('says when the global batch splits over the data-parallel ranks of no layout', () => {
    // Red team: a small model on 100,000 GPUs with a 2,048-sequence batch read "none of the 0 layouts considered
    // is; expected fewer fixed knobs", with no knob fixed; and a fixed tp and pp named the knobs, not the batch.
    const searched = searchedOn('batch-too-small', 'llama-3.1-8b', 100_000, {
      tokens: 1e12,
      seq_len: 2048,
      global_batch_tokens: 2048 * 2048,
    });
    const [problem, ...rest] = checkLayouts(withScenario(searched));
    expect(rest).toEqual([]);
    expect(problem?.message).toContain(
      'the global batch of 2,048 sequences splits into whole sequences over the data-parallel ranks of none of the layouts of 100,000 GPUs',
    );
    expect(problem?.message).not.toContain('fewer fixed knobs');
    const fixed = {...searched, cluster: {hardware: 'h100-sxm', gpus: 64}, parallelism: {tp: 1, pp: 1}};
    expect(
      checkLayouts(withScenario({...fixed, workload: {...searched.workload!, global_batch_tokens: 8 * 2048}}))[0]
        ?.message,
    ).toContain('the global batch of 8 sequences splits into whole sequences over the data-parallel ranks of none of');
  });

  it('asks for no fewer fixed knobs when none is fixed', () => {
    // Red team: Llama 3.1 70B searched on 16 H100s: "…; expected fewer fixed knobs, more GPUs or more memory".
    const searched = searchedOn('seventy-on-sixteen', 'llama-3.1-70b', 16, {
      tokens: 1e10,
      seq_len: 8192,
      global_batch_tokens: 128 * 8192,
    });
    const [problem] = checkLayouts(withScenario(searched));
    expect(problem?.message).toMatch(
      /^No layout of `seventy-on-sixteen` fits on 16 × h100-sxm: .*; expected more GPUs or more memory$/,
    );
  });
});
