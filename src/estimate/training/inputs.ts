import type {Precision} from '../../data/schemas/common.js';
import type {Parallelism, Recipe} from '../../data/schemas/training.js';
import type {TrainingSetup} from './layout.js';
import type {LayoutConstraints} from './search.js';

/** The layout knobs a data record fixes; the rest are left to a search. */
export function layoutConstraints(parallelism: Parallelism | undefined): LayoutConstraints {
  if (!parallelism) return {};
  const constraints: Record<string, unknown> = {
    tp: parallelism.tp,
    pp: parallelism.pp,
    ep: parallelism.ep,
    cp: parallelism.cp,
    zero: parallelism.zero,
    microBatchSize: parallelism.micro_batch_size,
    recompute: parallelism.recompute,
    schedule: parallelism.schedule,
    virtualStages: parallelism.virtual_stages,
    unevenStages: parallelism.uneven_stages,
  };
  for (const key of Object.keys(constraints)) if (constraints[key] === undefined) delete constraints[key];
  return constraints as LayoutConstraints;
}

/** A training setup from data fields, with the recipe's defaults. */
export function trainingSetup(options: {
  gpus: number;
  seqLen: number;
  globalBatchTokens: number;
  precision: Precision;
  recipe: Recipe | undefined;
  goodput?: number;
}): TrainingSetup {
  return {
    gpus: options.gpus,
    seqLen: options.seqLen,
    globalBatchTokens: options.globalBatchTokens,
    gemmPrecision: options.precision === 'fp8' ? 'fp8' : options.precision === 'fp16' ? 'fp16' : 'bf16',
    flashAttention: options.recipe?.flash_attention ?? true,
    sequenceParallel: options.recipe?.sequence_parallel ?? true,
    momentBytes: options.recipe?.moment_bytes ?? 4,
    overlapDataParallel: options.recipe?.overlap_data_parallel ?? true,
    goodput: options.goodput ?? 1,
  };
}
