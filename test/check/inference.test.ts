import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {checkInference} from '../../src/check/inference.js';
import {isInferenceReference, type InferenceReference} from '../../src/data/schemas/reference.js';
import type {InferenceScenario} from '../../src/data/schemas/scenario.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {REPO_ROOT} from '../helpers/project.js';

/** The serving deployments of scenarios and published results (src/check/inference.ts). */

let catalog: Catalog;
beforeAll(async () => {
  const diagnostics = new Diagnostics();
  catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  expect(diagnostics.hasErrors).toBe(false);
});

const withScenario = (scenario: InferenceScenario): Catalog => ({
  ...catalog,
  scenarios: new Map([...catalog.scenarios, [scenario.id, scenario]]),
});
const deepseek = () => catalog.scenarios.get('deepseek-v3-serving') as InferenceScenario;

describe('checking serving deployments', () => {
  it('accepts the bundled scenarios and published serving results', () => {
    expect(checkInference(catalog).filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('asks for whole expert slots per GPU: 256 + 32 slots over EP144 is two each, over EP128 it is not whole', () => {
    const base = deepseek();
    const scenario = {
      ...base,
      deployment: {...base.deployment, decode: {...base.deployment.decode, gpus: 128, ep: 128}},
    };
    const [problem] = checkInference(withScenario(scenario)).filter((each) => each.id === base.id);
    expect(problem?.path).toEqual(['deployment', 'decode', 'ep']);
    expect(problem?.message).toMatch(/must divide the 288 expert slots \(256 experts and 32 redundant copies\)/);
  });

  it('refuses redundant experts on a dense model', () => {
    const base = catalog.scenarios.get('llama-3.1-405b-serving') as InferenceScenario;
    const scenario = {
      ...base,
      deployment: {...base.deployment, decode: {...base.deployment.decode, redundant_experts: 8}},
    };
    const problems = checkInference(withScenario(scenario)).filter((each) => each.id === base.id);
    expect(problems.map((problem) => problem.path)).toContainEqual(['deployment', 'decode', 'redundant_experts']);
  });

  it('says by how much the weights overflow when they leave no room for a KV cache', () => {
    const base = catalog.scenarios.get('llama-3.1-405b-serving') as InferenceScenario;
    const scenario = {...base, deployment: {decode: {...base.deployment.decode, gpus: 4, tp: 4}}};
    const [problem] = checkInference(withScenario(scenario)).filter((each) => each.id === base.id);
    expect(problem?.message).toMatch(/the weights need 10\d\.\d GB per GPU and leave no KV cache/);
  });

  it('checks published serving results the same way, placing the problem on the reference', () => {
    const reference = [...catalog.references.values()].find(isInferenceReference) as InferenceReference;
    const broken: InferenceReference = {
      ...reference,
      deployment: {...reference.deployment, decode: {...reference.deployment.decode, tp: 3}},
    };
    const problems = checkInference({
      ...catalog,
      references: new Map([...catalog.references, [reference.id, broken]]),
    }).filter((each) => each.id === reference.id);
    expect(problems[0]?.collection).toBe('references');
    expect(problems[0]?.path).toEqual(['deployment', 'decode', 'tp']);
  });
});
