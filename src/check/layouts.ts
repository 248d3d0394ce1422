import {chipRates} from '../estimate/chip-rates.js';
import {validateConstraints, type LayoutProblem} from '../estimate/training/layout.js';
import {profileModel} from '../estimate/model-profile.js';
import {
  anyLayoutFits,
  knobsThatEmptySearch,
  searchLayouts,
  type LayoutConstraints,
} from '../estimate/training/search.js';
import {layoutConstraints, trainingSetup} from '../estimate/training/inputs.js';
import type {Catalog} from '../data/catalog.js';
import {scenariosOfKind} from '../data/scenario-kinds.js';
import type {Availability, Parallelism, Recipe} from '../data/schemas/training.js';
import {techniqueLimits, type TechniqueLimits} from '../estimate/training/availability.js';
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

/** The YAML name of each layout knob a scenario or reference run may fix. */
const YAML_KNOBS: Record<
  Exclude<keyof LayoutConstraints, 'schedules' | 'recomputes' | 'zeros' | 'contextParallel'>,
  string
> = {
  tp: 'tp',
  pp: 'pp',
  dp: 'dp',
  ep: 'ep',
  cp: 'cp',
  zero: 'zero',
  microBatchSize: 'micro_batch_size',
  recompute: 'recompute',
  schedule: 'schedule',
  virtualStages: 'virtual_stages',
  unevenStages: 'uneven_stages',
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
  readonly available: Availability | undefined;
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
      available: scenario.available,
    });
  }
  for (const run of catalog.references.values()) {
    if (!run.cluster || run.workload.global_batch_tokens === undefined) continue;
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
      available: run.available,
    });
  }
  return subjects.flatMap((subject) => checkSubject(catalog, subject));
}

/** The techniques a subject fixes (layout knobs, recipe flags, FP8) that its `available` rules out, where each is. */
function unavailableTechniques(
  subject: LayoutSubject,
  limits: TechniqueLimits,
): Array<{path: DataPath; message: string}> {
  const found: Array<{path: DataPath; message: string}> = [];
  const refuse = (path: DataPath, what: string, key: string) =>
    found.push({path, message: `${what} is not available to this run (${limits.reasons.get(key) ?? 'not listed'})`});
  const parallelism = subject.parallelism === 'search' ? undefined : subject.parallelism;
  if (parallelism?.schedule !== undefined && !limits.schedules.includes(parallelism.schedule))
    refuse(['parallelism', 'schedule'], `schedule \`${parallelism.schedule}\``, `schedule:${parallelism.schedule}`);
  if (parallelism?.recompute !== undefined && !limits.recomputes.includes(parallelism.recompute))
    refuse(
      ['parallelism', 'recompute'],
      `recompute \`${parallelism.recompute}\``,
      `recompute:${parallelism.recompute}`,
    );
  if (parallelism?.zero !== undefined && !limits.zeros.includes(parallelism.zero))
    refuse(['parallelism', 'zero'], `ZeRO stage ${parallelism.zero}`, `zero:${parallelism.zero}`);
  if (parallelism?.cp !== undefined && parallelism.cp > 1 && !limits.features.context_parallel)
    refuse(['parallelism', 'cp'], 'context parallelism', 'feature:context_parallel');
  const flags = [
    ['flash_attention', subject.recipe?.flash_attention],
    ['sequence_parallel', subject.recipe?.sequence_parallel],
    ['overlap_data_parallel', subject.recipe?.overlap_data_parallel],
  ] as const;
  for (const [feature, value] of flags)
    if (value === true && !limits.features[feature])
      refuse(['recipe', feature], `\`${feature}: true\``, `feature:${feature}`);
  if (subject.precision === 'fp8' && !limits.features.fp8) refuse(['precision'], 'FP8 training', 'feature:fp8');
  return found;
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
  const limits = techniqueLimits(catalog.techniques.values(), subject.available);
  const unavailable = unavailableTechniques(subject, limits);
  if (unavailable.length > 0)
    return unavailable.map(({path, message}) => problem(path, `Layout of \`${subject.id}\`: ${message}`));
  const setup = trainingSetup({...subject, limits});
  const constraints = layoutConstraints(subject.parallelism, limits);
  const invalid = validateConstraints(profile, setup, constraints);
  if (invalid.length > 0) {
    return invalid.map((each) => problem(FIELD_PATHS[each.field], `Layout of \`${subject.id}\`: ${each.message}`));
  }
  const rates = chipRates(hardware);
  // One layout that fits is enough; only when none does is the whole search run, to say how close it came.
  if (anyLayoutFits(profile, setup, rates, constraints)) return [];
  const result = searchLayouts(profile, setup, rates, constraints, 1);
  const closest = result.closest;
  if (!closest) {
    // Nothing valid to consider: name the fixed knob that leaves nothing, where one alone does.
    const culprits = knobsThatEmptySearch(profile, setup, rates, constraints);
    const named = culprits.map(
      (key) => `\`${YAML_KNOBS[key as keyof typeof YAML_KNOBS]}: ${String(constraints[key])}\``,
    );
    const culprit = culprits[0];
    return [
      problem(
        culprit === undefined ? ['parallelism'] : ['parallelism', YAML_KNOBS[culprit as keyof typeof YAML_KNOBS]],
        culprit === undefined
          ? `No layout of \`${subject.id}\` is valid on ${subject.gpus} × ${hardware.id}: none of the ${result.considered} layouts considered is; expected fewer fixed knobs`
          : `No layout of \`${subject.id}\` is valid on ${subject.gpus} × ${hardware.id}: the fixed ${named.join(' or ')} leaves none of the ${result.considered} layouts considered valid; expected another value or the knob left to the search`,
      ),
    ];
  }
  const detail = `the closest needs ${(closest.memory.totalBytes / 1e9).toFixed(1)} GB of ${(closest.memory.capacityBytes / 1e9).toFixed(0)} GB per GPU (${(-closest.memory.headroomBytes / 1e9).toFixed(1)} GB too much)`;
  return [
    problem(
      [subject.parallelism === 'search' ? 'cluster' : 'parallelism'],
      `No layout of \`${subject.id}\` fits on ${subject.gpus} × ${hardware.id}: ${detail}; expected fewer fixed knobs, more GPUs or more memory`,
    ),
  ];
}
