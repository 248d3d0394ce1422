import {chipRates} from '../estimate/chip-rates.js';
import {validateConstraints, type LayoutProblem} from '../estimate/training/layout.js';
import {profileModel} from '../estimate/model-profile.js';
import {
  anyLayoutFits,
  knobsThatEmptySearch,
  searchLayouts,
  type LayoutConstraints,
  PUBLISHED_MEMORY_TOLERANCE,
} from '../estimate/training/search.js';
import {isPublishedLayout, layoutConstraints, trainingSetup} from '../estimate/training/inputs.js';
import {describeLayout} from '../estimate/training/describe-layout.js';
import type {Catalog} from '../data/catalog.js';
import {isInferenceReference, referenceStages} from '../data/schemas/reference.js';
import {predictableStage} from '../estimate/training/calibration.js';
import {scenariosOfKind} from '../data/scenario-kinds.js';
import {trainingStages} from '../estimate/training/training-scenario.js';
import type {Availability, Parallelism, Recipe} from '../data/schemas/training.js';
import type {TrainingScenario} from '../data/schemas/scenario.js';
import {techniqueLimits, type TechniqueLimits} from '../estimate/training/availability.js';
import type {DataPath} from '../data/yaml-source.js';
import type {CheckedCollection, CheckProblem} from './check-problem.js';

/** Where a subject's fields are in its record's YAML: a stage's own, or the record's. */
interface SubjectPaths {
  readonly parallelism: DataPath;
  readonly workload: DataPath;
  readonly gpus: DataPath;
  readonly recipe: DataPath;
}

const RECORD_PATHS: SubjectPaths = {
  parallelism: ['parallelism'],
  workload: ['workload'],
  gpus: ['cluster', 'gpus'],
  recipe: ['recipe'],
};

/**
 * Where a stage's fields are in its record's YAML: the stage's own where it gives one (`stages[i].parallelism`),
 * else the record's; a record without stages is its own one stage.
 */
function stagePaths(stages: readonly object[] | undefined, index: number): SubjectPaths {
  const own = stages?.[index];
  if (!own) return RECORD_PATHS;
  const keys = new Set(Object.keys(own));
  const at = (field: string, fallback: DataPath): DataPath => (keys.has(field) ? ['stages', index, field] : fallback);
  return {
    parallelism: at('parallelism', RECORD_PATHS.parallelism),
    workload: ['stages', index, 'workload'],
    gpus: at('gpus', RECORD_PATHS.gpus),
    recipe: at('recipe', RECORD_PATHS.recipe),
  };
}

/** Where each layout problem belongs in a record's YAML. */
function fieldPath(field: LayoutProblem['field'], paths: SubjectPaths): DataPath {
  switch (field) {
    case 'gpus':
      return paths.gpus;
    case 'globalBatchTokens':
      return [...paths.workload, 'global_batch_tokens'];
    case 'dp':
      return paths.parallelism;
    default:
      return [...paths.parallelism, YAML_KNOBS[field]];
  }
}

/** The YAML name of each layout knob a scenario or reference run may fix. */
const YAML_KNOBS: Record<
  Exclude<keyof LayoutConstraints, 'schedules' | 'recomputes' | 'zeros' | 'contextParallel' | 'published'>,
  string
> = {
  tp: 'tp',
  pp: 'pp',
  dp: 'dp',
  ep: 'ep',
  etp: 'etp',
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
  readonly paths: SubjectPaths;
  /** `stage \`name\` of ` for a stage of a multi-stage run, else empty. */
  readonly stageLabel: string;
}

/**
 * Check the layouts scenarios and reference runs give, stage by stage:
 * each fixed degree must divide what it splits (a positioned error saying
 * what would be valid), every technique must be available to the run, and
 * at least one layout within them must fit in memory. Each problem is an
 * error (the checked catalog leaves the record out), except that a layout
 * published with the run ([A] or [T] source) is taken as fitting: when the
 * memory model finds no reading of it that fits, a scenario gets a warning
 * at the layout with the model's figures (a reference run's figures are
 * `tradeoffs calibrate`'s memory section).
 */
export function checkLayouts(catalog: Catalog): CheckProblem[] {
  const subjects: LayoutSubject[] = [];
  for (const scenario of scenariosOfKind(catalog.scenarios.values(), 'training')) {
    const own = scenario.stages;
    trainingStages(scenario).forEach((stage, index) => {
      if (!stage.parallelism || stage.globalBatchTokens === undefined) return;
      subjects.push({
        collection: 'scenarios',
        id: scenario.id,
        modelId: scenario.model,
        hardwareId: scenario.cluster.hardware,
        gpus: stage.gpus,
        seqLen: stage.seqLen,
        globalBatchTokens: stage.globalBatchTokens,
        precision: scenario.precision,
        recipe: stage.recipe,
        parallelism: stage.parallelism,
        available: scenario.available,
        paths: stagePaths(own, index),
        stageLabel: stage.name === undefined ? '' : `stage \`${stage.name}\` of `,
      });
    });
  }
  for (const run of catalog.references.values()) {
    if (isInferenceReference(run) || !run.cluster) continue;
    const {cluster} = run;
    const own = run.stages;
    referenceStages(run).forEach((stage, index) => {
      const inputs = predictableStage(stage);
      if (!inputs) return;
      subjects.push({
        collection: 'references',
        id: run.id,
        modelId: run.model,
        hardwareId: cluster.hardware,
        gpus: inputs.gpus,
        seqLen: inputs.seqLen,
        globalBatchTokens: inputs.globalBatchTokens,
        precision: run.precision,
        recipe: inputs.recipe,
        parallelism: stage.parallelism ?? 'search',
        available: run.available,
        paths: stagePaths(own, index),
        stageLabel: stage.name === undefined ? '' : `stage \`${stage.name}\` of `,
      });
    });
  }
  return [
    ...subjects.flatMap((subject) => checkSubject(catalog, subject)),
    ...scenariosOfKind(catalog.scenarios.values(), 'training').flatMap((scenario) => checkSweptGpus(catalog, scenario)),
  ];
}

/**
 * A training scenario's `sweep.gpus`: each count must be one its layout can
 * be valid on (the fixed degrees divide it, the batch splits into whole
 * micro-batches over its data-parallel ranks), in every stage the count
 * applies to (those without their own `gpus`), as `tradeoffs estimate
 * --gpus` requires of a count. Fitting in memory is the estimate's to say
 * (a larger count fits more easily, a smaller one is an answer too).
 */
function checkSweptGpus(catalog: Catalog, scenario: TrainingScenario): CheckProblem[] {
  const counts = scenario.sweep?.gpus;
  const model = catalog.models.get(scenario.model);
  if (!counts || !model) return [];
  const profile = profileModel(model);
  const limits = techniqueLimits(catalog.techniques.values(), scenario.available);
  const stages = trainingStages(scenario).filter(
    (stage, index) => scenario.stages?.[index]?.gpus === undefined && stage.parallelism && stage.globalBatchTokens,
  );
  return counts.flatMap((gpus, index) => {
    for (const stage of stages) {
      const setup = trainingSetup({
        gpus,
        seqLen: stage.seqLen,
        globalBatchTokens: stage.globalBatchTokens as number,
        precision: scenario.precision,
        recipe: stage.recipe,
        limits,
      });
      const [invalid] = validateConstraints(
        profile,
        setup,
        layoutConstraints(stage.parallelism as Parallelism | 'search', limits),
      );
      if (!invalid) continue;
      const label = stage.name === undefined ? '' : `stage \`${stage.name}\` of `;
      return [
        {
          severity: 'error' as const,
          collection: 'scenarios' as const,
          id: scenario.id,
          path: ['sweep', 'gpus', index],
          message: `Swept GPU count ${gpus.toLocaleString('en-US')} of ${label}\`${scenario.id}\`: ${invalid.message}`,
          rule: 'invalid-value',
        },
      ];
    }
    return [];
  });
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
    refuse(
      [...subject.paths.parallelism, 'schedule'],
      `schedule \`${parallelism.schedule}\``,
      `schedule:${parallelism.schedule}`,
    );
  if (parallelism?.recompute !== undefined && !limits.recomputes.includes(parallelism.recompute))
    refuse(
      ['parallelism', 'recompute'],
      `recompute \`${parallelism.recompute}\``,
      `recompute:${parallelism.recompute}`,
    );
  if (parallelism?.zero !== undefined && !limits.zeros.includes(parallelism.zero))
    refuse([...subject.paths.parallelism, 'zero'], `ZeRO stage ${parallelism.zero}`, `zero:${parallelism.zero}`);
  if (parallelism?.cp !== undefined && parallelism.cp > 1 && !limits.features.context_parallel)
    refuse([...subject.paths.parallelism, 'cp'], 'context parallelism', 'feature:context_parallel');
  const flags = [
    ['flash_attention', subject.recipe?.flash_attention],
    ['sequence_parallel', subject.recipe?.sequence_parallel],
    ['overlap_data_parallel', subject.recipe?.overlap_data_parallel],
  ] as const;
  for (const [feature, value] of flags)
    if (value === true && !limits.features[feature])
      refuse([...subject.paths.recipe, feature], `\`${feature}: true\``, `feature:${feature}`);
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
    return unavailable.map(({path, message}) =>
      problem(path, `Layout of ${subject.stageLabel}\`${subject.id}\`: ${message}`),
    );
  const setup = trainingSetup({...subject, limits});
  const published = isPublishedLayout(subject.parallelism);
  const constraints = layoutConstraints(subject.parallelism, limits);
  const invalid = validateConstraints(profile, setup, constraints);
  if (invalid.length > 0) {
    return invalid.map((each) =>
      problem(
        fieldPath(each.field, subject.paths),
        `Layout of ${subject.stageLabel}\`${subject.id}\`: ${each.message}`,
      ),
    );
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
    // Nothing even considered: every layout's data-parallel degree leaves a fraction of a sequence per rank
    // (a micro-batch of 1 is always tried), so the batch, not a knob, is what to change.
    const sequences = setup.globalBatchTokens / setup.seqLen;
    const batch =
      result.considered === 0
        ? `the global batch of ${sequences.toLocaleString('en-US')} sequences splits into whole sequences over the data-parallel ranks of none of the layouts of ${subject.gpus.toLocaleString('en-US')} GPUs`
        : undefined;
    if (batch && culprit === undefined)
      return [
        problem(
          [...subject.paths.workload, 'global_batch_tokens'],
          `No layout of ${subject.stageLabel}\`${subject.id}\` is valid on ${subject.gpus.toLocaleString('en-US')} × ${hardware.id}: ${batch}; expected a global batch of a multiple of the data-parallel degree (GPUs / (tp × pp × cp)) in sequences, or another GPU count`,
        ),
      ];
    return [
      problem(
        culprit === undefined
          ? subject.paths.parallelism
          : [...subject.paths.parallelism, YAML_KNOBS[culprit as keyof typeof YAML_KNOBS]],
        culprit === undefined
          ? `No layout of ${subject.stageLabel}\`${subject.id}\` is valid on ${subject.gpus} × ${hardware.id}: none of the ${result.considered} layouts considered is; expected fewer fixed knobs`
          : `No layout of ${subject.stageLabel}\`${subject.id}\` is valid on ${subject.gpus} × ${hardware.id}: the fixed ${named.join(' or ')} leaves none of the ${result.considered} layouts considered valid${batch ? `: with it, ${batch}` : ''}; expected another value or the knob left to the search${batch ? ', or a larger global batch' : ''}`,
      ),
    ];
  }
  const ratio = closest.memory.totalBytes / closest.memory.capacityBytes;
  if (published && (subject.collection === 'references' || ratio <= PUBLISHED_MEMORY_TOLERANCE)) {
    // A published layout is evidence that it fitted (search.ts, LayoutConstraints.published): it is
    // taken as fitting, within the memory model's known error (PUBLISHED_MEMORY_TOLERANCE). A reference
    // run's disagreement is the memory model's calibration evidence, listed by `tradeoffs calibrate`
    // rather than on every check; a scenario's is warned where its layout is written.
    if (subject.collection === 'references') return [];
    return [
      {
        ...problem(
          subject.paths.parallelism,
          `Layout of ${subject.stageLabel}\`${subject.id}\` is taken as fitting on ${subject.gpus} × ${hardware.id} as published: the memory model puts its least memory-hungry reading (${describeLayout(closest.layout)}) at ${(closest.memory.totalBytes / 1e9).toFixed(1)} GB of ${(closest.memory.capacityBytes / 1e9).toFixed(1)} GB per GPU (${((ratio - 1) * 100).toFixed(1)}% over), so the model over-predicts this run's memory by at least that; \`tradeoffs calibrate\` lists the same ratio for every published reference run`,
        ),
        severity: 'warning',
        rule: 'memory-fit',
      },
    ];
  }
  const detail = `the closest needs ${(closest.memory.totalBytes / 1e9).toFixed(1)} GB of ${(closest.memory.capacityBytes / 1e9).toFixed(1)} GB per GPU (${(-closest.memory.headroomBytes / 1e9).toFixed(1)} GB too much)`;
  return [
    problem(
      subject.parallelism === 'search' ? ['cluster'] : subject.paths.parallelism,
      `No layout of ${subject.stageLabel}\`${subject.id}\` fits on ${subject.gpus} × ${hardware.id}: ${detail}; expected ${subject.parallelism === 'search' ? '' : 'fewer fixed knobs, '}more GPUs or more memory`,
    ),
  ];
}
