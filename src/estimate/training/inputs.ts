import type {Precision} from '../../data/schemas/common.js';
import type {Parallelism, Recipe} from '../../data/schemas/training.js';
import type {TrainingSetup} from './layout.js';
import type {LayoutConstraints} from './search.js';
import {UNLIMITED, type TechniqueLimits} from './availability.js';

/**
 * Whether a record's layout is one a run was published with: its source is
 * labelled [A] (authors or vendor) or [T]/[T*] (a third party's account of
 * the run). Only the record's own point: a caller that moves the run to
 * other hardware, GPUs or techniques must not pass it on.
 */
export function isPublishedLayout(parallelism: Parallelism | 'search' | undefined): boolean {
  return parallelism !== undefined && parallelism !== 'search' && isPublishedSource(parallelism.source);
}

/** Whether a source is labelled as the authors' or a third party's account ([A], [T], [T*]): a published fact. */
export function isPublishedSource(source: string | undefined): boolean {
  return /^\s*\[(A|T\*?)\]/.test(source ?? '');
}

/**
 * The layout knobs a data record fixes, and the options the search may
 * choose the rest among (the techniques available to the run); the rest
 * are left to a search. `published`: the record's layout is what the run
 * was published with, evidence that it fitted (LayoutConstraints.published).
 */
export function layoutConstraints(
  parallelism: Parallelism | 'search' | undefined,
  limits: TechniqueLimits = UNLIMITED,
  published = false,
): LayoutConstraints {
  const limited: Record<string, unknown> = {};
  if (limits !== UNLIMITED) {
    limited.schedules = limits.schedules;
    limited.recomputes = limits.recomputes;
    limited.zeros = limits.zeros;
    limited.contextParallel = limits.features.context_parallel;
  }
  if (!parallelism || parallelism === 'search') return limited as LayoutConstraints;
  const constraints: Record<string, unknown> = {
    ...limited,
    tp: parallelism.tp,
    pp: parallelism.pp,
    ep: parallelism.ep,
    etp: parallelism.etp,
    cp: parallelism.cp,
    zero: parallelism.zero,
    microBatchSize: parallelism.micro_batch_size,
    recompute: parallelism.recompute,
    schedule: parallelism.schedule,
    virtualStages: parallelism.virtual_stages,
    unevenStages: parallelism.uneven_stages,
    published: published || undefined,
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
  /** The techniques the run had: the recipe's defaults follow them. */
  limits?: TechniqueLimits;
}): TrainingSetup {
  const features = (options.limits ?? UNLIMITED).features;
  return {
    gpus: options.gpus,
    seqLen: options.seqLen,
    globalBatchTokens: options.globalBatchTokens,
    gemmPrecision: options.precision === 'fp8' ? 'fp8' : options.precision === 'fp16' ? 'fp16' : 'bf16',
    flashAttention: options.recipe?.flash_attention ?? features.flash_attention,
    sequenceParallel: options.recipe?.sequence_parallel ?? features.sequence_parallel,
    momentBytes: options.recipe?.moment_bytes ?? 4,
    overlapDataParallel: options.recipe?.overlap_data_parallel ?? features.overlap_data_parallel,
    // Opt-in: Megatron-LM's `--tp-comm-overlap` is a store_true flag (megatron/training/arguments.py).
    overlapTensorParallel: options.recipe?.overlap_tensor_parallel ?? false,
    // Ring attention overlaps the exchange (Liu et al. 2023; Megatron-Core's context parallelism).
    overlapContextParallel: options.recipe?.overlap_context_parallel ?? true,
    // Off unless stated: Megatron's `--cuda-graph-impl` defaults to none.
    cudaGraphs: options.recipe?.cuda_graphs ?? 'none',
    goodput: options.goodput ?? 1,
  };
}
