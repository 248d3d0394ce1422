// The explorer's engine (src/client/explorer/engine.ts), run in Node as the browser runs it: a scenario
// as YAML text through the CLI's steps, estimated by the core. (test/e2e/explorer.test.ts checks the
// page in Chromium against the CLI itself.)
import '../../../src/client/explorer/zod-jitless.js';
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {createEngine, scenarioFile, type Engine, type EngineResult} from '../../../src/client/explorer/engine.js';
import {estimateJson} from '../../../src/client/explorer/estimate-json.js';
import {outputText} from '../../../src/client/explorer/results-view.js';
import {kindSchema} from '../../../src/client/explorer/schema-fields.js';
import {draftScenario} from '../../../src/client/explorer/scenario-yaml.js';
import type {Edit, PointInput} from '../../../src/client/explorer/state.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import type {Catalog} from '../../../src/data/catalog.js';
import {readCatalogJson, writeCatalogJson, type LoadedCatalog} from '../../../src/data/catalog-json.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {estimatePoint, outputsOf, printedNumbers, type EstimateContext} from '../../../src/estimate/kinds.js';
import {trainingModelError} from '../../../src/estimate/training/calibrate-catalog.js';
import {DEFAULT_SAMPLING} from '../../../src/estimate/uncertainty/monte-carlo.js';
import {REPO_ROOT} from '../../helpers/project.js';

let catalog: Catalog;
let loaded: LoadedCatalog;
let engine: Engine;
// The model's own error, as the build writes it into the page and `tradeoffs estimate` computes it.
let context: EstimateContext;

beforeAll(async () => {
  catalog = await loadCheckedCatalog(REPO_ROOT, new Diagnostics());
  const modelError = trainingModelError(catalog);
  context = {modelError: () => modelError};
  loaded = readCatalogJson(JSON.parse(writeCatalogJson(catalog, modelError)));
  engine = createEngine(loaded);
});

function run(id: string, edits: readonly Edit[] = [], point: PointInput = {}, samples = DEFAULT_SAMPLING.samples) {
  const written = loaded.writtenScenarios.get(id);
  if (!written) throw new Error(`no scenario ${id}`);
  const draft = draftScenario(written, edits, kindSchema(String(written.kind))!);
  return {
    draft,
    result: engine.run({
      file: scenarioFile(draft.id),
      text: draft.text,
      point,
      sampling: {...DEFAULT_SAMPLING, samples},
    }),
  };
}

const reasons = (result: EngineResult) => result.messages.map((message) => `${message.severity}: ${message.reason}`);

describe('the explorer engine', () => {
  it("estimates every scenario of data/ from its YAML as the core does from the build's catalog: the same JSON", () => {
    expect(catalog.scenarios.size).toBeGreaterThan(10);
    for (const [id, scenario] of catalog.scenarios) {
      const {result} = run(id);
      expect(reasons(result), id).toEqual([]);
      const expected = estimatePoint(catalog, scenario, {}, DEFAULT_SAMPLING, context);
      expect(result.json, id).toBe(
        estimateJson(expected, DEFAULT_SAMPLING, catalog.uncertainty.get(scenario)?.length ?? 0),
      );
    }
  });

  it('estimates a sweep point as `tradeoffs estimate --hardware --precision` does', () => {
    const scenario = catalog.scenarios.get('deepseek-v3-precision-by-chip')!;
    const {result} = run('deepseek-v3-precision-by-chip', [], {hardware: 'a100-sxm', precision: 'bf16'});
    const expected = estimatePoint(
      catalog,
      scenario,
      {hardware: 'a100-sxm', precision: 'bf16'},
      DEFAULT_SAMPLING,
      context,
    );
    expect(result.json).toBe(estimateJson(expected, DEFAULT_SAMPLING, catalog.uncertainty.get(scenario)?.length ?? 0));
  });

  it('says what the CLI says of an invalid scenario, at the line and field: FP8 on a chip without it', () => {
    const {draft, result} = run('deepseek-v3-pretraining', [{path: ['cluster', 'hardware'], value: 'a100-sxm'}]);
    expect(result.estimate).toBeUndefined();
    const [message] = result.messages;
    expect(message).toMatchObject({
      file: 'data/scenarios/deepseek-v3-pretraining-what-if.yaml',
      severity: 'error',
      ruleId: 'invalid-value',
      path: ['precision'],
    });
    expect(message?.reason).toMatch(/^Hardware `a100-sxm` does not support fp8, expected one of `tf32`, `bf16`/);
    expect(draft.text.split('\n')[(message?.line ?? 0) - 1]).toBe('precision: fp8');
  });

  it('says what the CLI says of a layout that does not divide, of text for a number, and of an unknown chip or technique', () => {
    const layout = run('deepseek-v3-pretraining', [{path: ['parallelism', 'tp'], value: 3}]).result;
    expect(reasons(layout)[0]).toMatch(/^error: Layout of `deepseek-v3-pretraining-what-if`: tp 3/);
    expect(layout.messages[0]?.path).toEqual(['parallelism', 'tp']);
    const text = run('deepseek-v3-pretraining', [{path: ['cluster', 'gpus'], value: 'many'}]).result;
    expect(reasons(text)).toEqual(['error: `cluster.gpus`: expected number, got string `many`']);
    const point = run('deepseek-v3-pretraining', [], {hardware: 'h100', technique: 'nope'}).result;
    expect(point.messages.map((message) => `${message.file} ${message.reason}`)).toEqual([
      '<command line> Unknown hardware id `h100`, did you mean `h100-sxm`?',
      '<command line> Unknown technique set `nope`, and no technique set is defined',
    ]);
  });

  it('never gives a number that is not finite: an input that would overflow is refused at its field, as in a build', () => {
    const {result} = run('deepseek-v3-pretraining', [{path: ['workload', 'tokens'], value: 1e300}]);
    expect(result.estimate).toBeUndefined();
    expect(reasons(result)[0]).toMatch(/`workload\.tokens`: 1e300 tokens is impossible for a run length/);
  });

  it('says a point that cannot run is not feasible, as the CLI does, and prints no number it lacks', () => {
    const {result} = run('deepseek-v3-best-layout-by-chip', [], {gpus: '8'});
    expect(result.messages).toEqual([]);
    expect(result.estimate && 'infeasible' in result.estimate && result.estimate.infeasible).toBe(
      'no layout fits in memory',
    );
    expect(outputText(result.estimate!, 'gpuHours')).toBe('–');
    expect(JSON.parse(result.json!)).toMatchObject({infeasible: 'no layout fits in memory', gpuHours: null});
  });

  it('gives finite numbers or messages, never NaN on the page, whatever the reader types in', () => {
    const number = fc.oneof(
      fc.double({min: -1e6, max: 1e20, noNaN: true}),
      fc.integer({min: -5, max: 100_000}),
      fc.constantFrom('', 'x', '1e', null),
    );
    fc.assert(
      fc.property(
        fc.record({gpus: number, price: number, tokens: number, mfu: number}),
        ({gpus, price, tokens, mfu}) => {
          const {result} = run(
            'deepseek-v3-post-training',
            [
              {path: ['cluster', 'gpus'], value: gpus},
              {path: ['cost', 'usd_per_gpu_hour'], value: price},
              {path: ['workload', 'tokens'], value: tokens},
              {path: ['efficiency', 'mfu'], value: mfu},
            ],
            {},
            50,
          );
          if (!result.estimate) {
            expect(result.messages.some((message) => message.severity === 'error')).toBe(true);
            return;
          }
          const infeasible = 'infeasible' in result.estimate && result.estimate.infeasible !== undefined;
          for (const [name, value] of printedNumbers(result.estimate))
            if (value !== undefined && !infeasible) expect(Number.isFinite(value), name).toBe(true);
          for (const name of Object.keys(outputsOf(result.estimate) ?? {}))
            expect(outputText(result.estimate, name)).not.toMatch(/NaN|undefined/);
          expect(result.json).not.toMatch(/NaN/);
        },
      ),
      {seed: 19, numRuns: 60},
    );
  });
});
