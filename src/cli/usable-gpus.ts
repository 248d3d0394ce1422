import type {Catalog} from '../data/catalog.js';
import type {Precision} from '../data/schemas/common.js';
import type {TrainingScenario} from '../data/schemas/scenario.js';
import type {Parallelism, Recipe} from '../data/schemas/training.js';
import {chipRates} from '../estimate/chip-rates.js';
import {NOMINAL_CONSTANTS} from '../estimate/model-constants.js';
import {techniqueLimits} from '../estimate/training/availability.js';
import {profileModel} from '../estimate/model-profile.js';
import {layoutConstraints, trainingSetup} from '../estimate/training/inputs.js';
import {validateConstraints} from '../estimate/training/layout.js';
import {anyLayoutFits} from '../estimate/training/search.js';
import {
  clusterNetwork,
  runnablePrecision,
  trainingStages,
  type TrainingOverrides,
} from '../estimate/training/training-scenario.js';

/** Why a training scenario's layout cannot run on a point of the command line, and the GPU counts nearest to it that can. */
export interface UnusableGpus {
  readonly gpus: number;
  readonly reason: string;
  readonly below: number | undefined;
  readonly above: number | undefined;
}

/**
 * Whether the scenario's layout (its fixed knobs, the rest searched) can
 * run on the GPU count and chip of `overrides`: some layout is valid (the
 * degrees divide the GPUs, the batch splits into whole micro-batches) and
 * fits in memory. When none can, the reason and the nearest GPU counts
 * below and above that can (searched up to twice the count asked for).
 * `undefined` when it can, or when the scenario predicts no step.
 */
export function unusableGpus(
  catalog: Pick<Catalog, 'hardware' | 'models'> & Partial<Pick<Catalog, 'techniques'>>,
  scenario: TrainingScenario,
  overrides: TrainingOverrides,
): UnusableGpus | undefined {
  const hardware = catalog.hardware.get(overrides.hardware ?? scenario.cluster.hardware);
  const model = catalog.models.get(scenario.model);
  if (!hardware || !model) return undefined;
  const technique = scenario.sweep?.techniques?.find((set) => set.name === overrides.technique);
  const wanted = overrides.precision ?? scenario.precision;
  // As the estimate runs it: a chip without the precision computes in its 16-bit one (FP16 on a V100).
  const precision: Precision = runnablePrecision(hardware, wanted);
  // The techniques the scenario could have used (its `available`), as its estimate's search has them.
  const limits = techniqueLimits(catalog.techniques?.values(), scenario.available);
  const profile = profileModel(model);
  const rates = chipRates(hardware, NOMINAL_CONSTANTS, clusterNetwork(scenario.cluster.network));
  // Each stage that predicts its step (a single-stage run is one), with its own batch, layout and recipe.
  const stages = trainingStages(scenario).flatMap((stage) => {
    const {parallelism, globalBatchTokens} = stage;
    if (!parallelism || globalBatchTokens === undefined) return [];
    const merged: Parallelism | 'search' = technique?.parallelism
      ? {...(parallelism === 'search' ? {} : parallelism), ...technique.parallelism}
      : parallelism;
    const constraints = layoutConstraints(merged, limits);
    const setupFor = (gpus: number) =>
      trainingSetup({
        gpus,
        seqLen: stage.seqLen,
        globalBatchTokens,
        precision,
        recipe: technique?.recipe ? ({...stage.recipe, ...technique.recipe} as Recipe) : stage.recipe,
        goodput: scenario.goodput?.value,
      });
    const usable = (gpus: number) =>
      validateConstraints(profile, setupFor(gpus), constraints).length === 0 &&
      anyLayoutFits(profile, setupFor(gpus), rates, constraints);
    return [{stage, merged, constraints, setupFor, usable, gpus: overrides.gpus ?? stage.gpus}];
  });
  const failing = stages.find((each) => !each.usable(each.gpus));
  if (!failing) return undefined;
  const {gpus, merged} = failing;
  const problems = validateConstraints(profile, failing.setupFor(gpus), failing.constraints);
  const reason =
    (scenario.stages && failing.stage.name !== undefined ? `stage \`${failing.stage.name}\`: ` : '') +
    (problems[0]?.message ??
      `no layout ${merged === 'search' ? '' : 'with its fixed knobs '}is valid and fits in memory on ${gpus.toLocaleString('en-US')} × ${hardware.id}`);
  // The nearest counts every stage can use, when they share one count (a single stage, or --gpus for all).
  const shared = stages.length === 1 || overrides.gpus !== undefined;
  const usable = (count: number) => stages.every((each) => each.usable(count));
  let below: number | undefined;
  let above: number | undefined;
  for (let step = 1; shared && step <= gpus && (below === undefined || above === undefined); step++) {
    if (below === undefined && gpus - step >= 1 && usable(gpus - step)) below = gpus - step;
    if (above === undefined && usable(gpus + step)) above = gpus + step;
  }
  return {gpus, reason, below, above};
}
