import type {Catalog} from '../data/catalog.js';
import type {Precision} from '../data/schemas/common.js';
import type {TrainingScenario} from '../data/schemas/scenario.js';
import type {Parallelism, Recipe} from '../data/schemas/training.js';
import {chipRates} from '../estimate/chip-rates.js';
import {profileModel} from '../estimate/model-profile.js';
import {layoutConstraints, trainingSetup} from '../estimate/training/inputs.js';
import {validateConstraints} from '../estimate/training/layout.js';
import {anyLayoutFits} from '../estimate/training/search.js';
import type {TrainingOverrides} from '../estimate/training/training-scenario.js';

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
  catalog: Pick<Catalog, 'hardware' | 'models'>,
  scenario: TrainingScenario,
  overrides: TrainingOverrides,
): UnusableGpus | undefined {
  const {parallelism, workload} = scenario;
  const globalBatchTokens = workload.global_batch_tokens;
  if (!parallelism || globalBatchTokens === undefined) return undefined;
  const hardware = catalog.hardware.get(overrides.hardware ?? scenario.cluster.hardware);
  const model = catalog.models.get(scenario.model);
  if (!hardware || !model) return undefined;
  const technique = scenario.sweep?.techniques?.find((set) => set.name === overrides.technique);
  const wanted = overrides.precision ?? scenario.precision;
  const precision: Precision = hardware.peak_tflops[wanted] === undefined ? 'bf16' : wanted;
  const merged: Parallelism | 'search' = technique?.parallelism
    ? {...(parallelism === 'search' ? {} : parallelism), ...technique.parallelism}
    : parallelism;
  const constraints = merged === 'search' ? {} : layoutConstraints(merged);
  const profile = profileModel(model);
  const rates = chipRates(hardware);
  const setupFor = (gpus: number) =>
    trainingSetup({
      gpus,
      seqLen: workload.seq_len,
      globalBatchTokens,
      precision,
      recipe: technique?.recipe ? ({...scenario.recipe, ...technique.recipe} as Recipe) : scenario.recipe,
      goodput: scenario.goodput?.value,
    });
  const usable = (gpus: number) =>
    validateConstraints(profile, setupFor(gpus), constraints).length === 0 &&
    anyLayoutFits(profile, setupFor(gpus), rates, constraints);
  const gpus = overrides.gpus ?? scenario.cluster.gpus;
  if (usable(gpus)) return undefined;
  const problems = validateConstraints(profile, setupFor(gpus), constraints);
  const reason =
    problems[0]?.message ??
    `no layout ${merged === 'search' ? '' : 'with its fixed knobs '}is valid and fits in memory on ${gpus.toLocaleString('en-US')} × ${hardware.id}`;
  let below: number | undefined;
  let above: number | undefined;
  for (let step = 1; step <= gpus && (below === undefined || above === undefined); step++) {
    if (below === undefined && gpus - step >= 1 && usable(gpus - step)) below = gpus - step;
    if (above === undefined && usable(gpus + step)) above = gpus + step;
  }
  return {gpus, reason, below, above};
}
