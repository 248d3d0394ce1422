import {chipRates} from '../estimate/chip-rates.js';
import {validateConstraints, type LayoutProblem} from '../estimate/training/layout.js';
import {profileModel} from '../estimate/model-profile.js';
import {anyLayoutFits, searchLayouts} from '../estimate/training/search.js';
import {layoutConstraints, trainingSetup} from '../estimate/training/inputs.js';
import type {Catalog} from '../data/catalog.js';
import {isInferenceReference} from '../data/schemas/reference.js';
import {scenariosOfKind} from '../data/scenario-kinds.js';
import type {Parallelism, Recipe} from '../data/schemas/training.js';
import type {DataPath} from '../data/yaml-source.js';
import type {CheckedCollection, CheckProblem} from './check-problem.js';

/** Where each layout problem belongs in a record's YAML. */
const FIELD_PATHS: Record<LayoutProblem['field'], DataPath> = {
  tp: ['parallelism', 'tp'],
  pp: ['parallelism', 'pp'],
  dp: ['parallelism'],
  ep: ['parallelism', 'ep'],
  cp: ['parallelism', 'cp'],
  zero: ['parallelism', 'zero'],
  microBatchSize: ['parallelism', 'micro_batch_size'],
  recompute: ['parallelism', 'recompute'],
  schedule: ['parallelism', 'schedule'],
  virtualStages: ['parallelism', 'virtual_stages'],
  unevenStages: ['parallelism', 'uneven_stages'],
  gpus: ['cluster', 'gpus'],
  globalBatchTokens: ['workload', 'global_batch_tokens'],
};

interface LayoutSubject {
  readonly collection: CheckedCollection;
  readonly id: string;
  readonly modelId: string;
  readonly hardwareId: string;
  readonly gpus: number;
  readonly seqLen: number;
  readonly globalBatchTokens: number;
  readonly precision: Parameters<typeof trainingSetup>[0]['precision'];
  readonly recipe: Recipe | undefined;
  readonly parallelism: Parallelism | 'search';
}

/**
 * Check the layouts scenarios and reference runs give: each fixed degree
 * must divide what it splits (a positioned error saying what would be
 * valid), and at least one layout within them must fit in memory.
 * Each problem is an error: the checked catalog leaves the record out.
 */
export function checkLayouts(catalog: Catalog): CheckProblem[] {
  const subjects: LayoutSubject[] = [];
  for (const scenario of scenariosOfKind(catalog.scenarios.values(), 'training')) {
    if (!scenario.parallelism || scenario.workload.global_batch_tokens === undefined) continue;
    subjects.push({
      collection: 'scenarios',
      id: scenario.id,
      modelId: scenario.model,
      hardwareId: scenario.cluster.hardware,
      gpus: scenario.cluster.gpus,
      seqLen: scenario.workload.seq_len,
      globalBatchTokens: scenario.workload.global_batch_tokens,
      precision: scenario.precision,
      recipe: scenario.recipe,
      parallelism: scenario.parallelism,
    });
  }
  for (const run of catalog.references.values()) {
    if (isInferenceReference(run) || !run.cluster || run.workload.global_batch_tokens === undefined) continue;
    subjects.push({
      collection: 'references',
      id: run.id,
      modelId: run.model,
      hardwareId: run.cluster.hardware,
      gpus: run.cluster.gpus,
      seqLen: run.workload.seq_len,
      globalBatchTokens: run.workload.global_batch_tokens,
      precision: run.precision,
      recipe: run.recipe,
      parallelism: run.parallelism ?? 'search',
    });
  }
  return subjects.flatMap((subject) => checkSubject(catalog, subject));
}

function checkSubject(catalog: Catalog, subject: LayoutSubject): CheckProblem[] {
  const model = catalog.models.get(subject.modelId);
  const hardware = catalog.hardware.get(subject.hardwareId);
  if (!model || !hardware) return [];
  const problem = (path: DataPath, message: string): CheckProblem => ({
    severity: 'error',
    collection: subject.collection,
    id: subject.id,
    path,
    message,
    rule: 'invalid-value',
  });
  const profile = profileModel(model);
  const setup = trainingSetup(subject);
  const constraints = subject.parallelism === 'search' ? {} : layoutConstraints(subject.parallelism);
  const invalid = validateConstraints(profile, setup, constraints);
  if (invalid.length > 0) {
    return invalid.map((each) => problem(FIELD_PATHS[each.field], `Layout of \`${subject.id}\`: ${each.message}`));
  }
  const rates = chipRates(hardware);
  // One layout that fits is enough; only when none does is the whole search run, to say how close it came.
  if (anyLayoutFits(profile, setup, rates, constraints)) return [];
  const result = searchLayouts(profile, setup, rates, constraints, 1);
  const closest = result.closest;
  const detail = closest
    ? `the closest needs ${(closest.memory.totalBytes / 1e9).toFixed(1)} GB of ${(closest.memory.capacityBytes / 1e9).toFixed(0)} GB per GPU (${(-closest.memory.headroomBytes / 1e9).toFixed(1)} GB too much)`
    : `none of the ${result.considered} layouts considered is valid`;
  return [
    problem(
      [subject.parallelism === 'search' ? 'cluster' : 'parallelism'],
      `No layout of \`${subject.id}\` fits on ${subject.gpus} × ${hardware.id}: ${detail}; expected fewer fixed knobs, more GPUs or more memory`,
    ),
  ];
}
