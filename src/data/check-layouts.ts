import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {chipRates} from '../estimate/chip-rates.js';
import {validateConstraints, type LayoutProblem} from '../estimate/layout.js';
import {profileModel} from '../estimate/model-profile.js';
import {anyLayoutFits, searchLayouts} from '../estimate/search.js';
import {layoutConstraints, trainingSetup} from '../estimate/training-inputs.js';
import type {Catalog, RecordOrigin} from './catalog.js';
import type {Parallelism, Recipe} from './schemas/training.js';
import {positionAt, type DataPath} from './yaml-source.js';

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
  readonly id: string;
  readonly modelId: string;
  readonly hardwareId: string;
  readonly gpus: number;
  readonly seqLen: number;
  readonly globalBatchTokens: number;
  readonly precision: Parameters<typeof trainingSetup>[0]['precision'];
  readonly recipe: Recipe | undefined;
  readonly parallelism: Parallelism | 'search';
  readonly origin: RecordOrigin;
}

/**
 * Check the layouts scenarios and reference runs give: each fixed degree
 * must divide what it splits (a positioned error saying what would be
 * valid), and at least one layout within them must fit in memory.
 * Records that fail are removed from the catalog.
 */
export function checkLayouts(catalog: Catalog, diagnostics: Diagnostics): void {
  const subjects: Array<{subject: LayoutSubject; remove: () => void}> = [];
  for (const scenario of catalog.scenarios.values()) {
    const origin = catalog.origins.get(scenario);
    if (
      !origin ||
      scenario.kind !== 'training' ||
      !scenario.parallelism ||
      scenario.workload.global_batch_tokens === undefined
    )
      continue;
    subjects.push({
      subject: {
        id: scenario.id,
        modelId: scenario.model,
        hardwareId: scenario.cluster.hardware,
        gpus: scenario.cluster.gpus,
        seqLen: scenario.workload.seq_len,
        globalBatchTokens: scenario.workload.global_batch_tokens,
        precision: scenario.precision,
        recipe: scenario.recipe,
        parallelism: scenario.parallelism,
        origin,
      },
      remove: () => (catalog.scenarios as Map<string, unknown>).delete(scenario.id),
    });
  }
  for (const run of catalog.references.values()) {
    const origin = catalog.origins.get(run);
    if (!origin || !run.cluster || run.workload.global_batch_tokens === undefined) continue;
    subjects.push({
      subject: {
        id: run.id,
        modelId: run.model,
        hardwareId: run.cluster.hardware,
        gpus: run.cluster.gpus,
        seqLen: run.workload.seq_len,
        globalBatchTokens: run.workload.global_batch_tokens,
        precision: run.precision,
        recipe: run.recipe,
        parallelism: run.parallelism ?? 'search',
        origin,
      },
      remove: () => (catalog.references as Map<string, unknown>).delete(run.id),
    });
  }
  for (const {subject, remove} of subjects) {
    if (!checkSubject(catalog, subject, diagnostics)) remove();
  }
}

function checkSubject(catalog: Catalog, subject: LayoutSubject, diagnostics: Diagnostics): boolean {
  const model = catalog.models.get(subject.modelId);
  const hardware = catalog.hardware.get(subject.hardwareId);
  if (!model || !hardware) return false;
  const {source, path} = subject.origin;
  const profile = profileModel(model);
  const setup = trainingSetup(subject);
  const constraints = subject.parallelism === 'search' ? {} : layoutConstraints(subject.parallelism);
  const problems = validateConstraints(profile, setup, constraints);
  for (const problem of problems) {
    diagnostics.error(
      source.path,
      `Layout of \`${subject.id}\`: ${problem.message}`,
      positionAt(source, [...path, ...FIELD_PATHS[problem.field]]),
      'invalid-value',
    );
  }
  if (problems.length > 0) return false;
  const rates = chipRates(hardware);
  // One layout that fits is enough; only when none does is the whole search run, to say how close it came.
  if (anyLayoutFits(profile, setup, rates, constraints)) return true;
  const result = searchLayouts(profile, setup, rates, constraints, 1);
  const closest = result.closest;
  const detail = closest
    ? `the closest needs ${(closest.memory.totalBytes / 1e9).toFixed(1)} GB of ${(closest.memory.capacityBytes / 1e9).toFixed(0)} GB per GPU (${(-closest.memory.headroomBytes / 1e9).toFixed(1)} GB too much)`
    : `none of the ${result.considered} layouts considered is valid`;
  diagnostics.error(
    source.path,
    `No layout of \`${subject.id}\` fits on ${subject.gpus} × ${hardware.id}: ${detail}; expected fewer fixed knobs, more GPUs or more memory`,
    positionAt(source, [...path, subject.parallelism === 'search' ? 'cluster' : 'parallelism']),
    'invalid-value',
  );
  return false;
}
