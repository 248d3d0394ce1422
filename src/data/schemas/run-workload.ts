import type {z} from 'zod';
import {batchShorterThanSequence, runShorterThanOneStep} from './run-length.js';

type Workload = Parameters<typeof runShorterThanOneStep>[0];

/**
 * A training run, a scenario or a published reference run alike, gives its
 * `workload` (one stage) or its `stages` (each with its workload), exactly
 * one: the issue when it gives neither or both.
 */
export function checkWorkloadOrStages(
  run: {readonly workload?: unknown; readonly stages?: unknown},
  context: z.RefinementCtx,
): void {
  if ((run.workload === undefined) !== (run.stages === undefined)) return;
  context.addIssue({
    code: 'custom',
    path: [],
    message:
      run.workload === undefined
        ? 'Missing field `workload`, expected the tokens and sequence length (or `stages`, one workload each)'
        : 'Expected `workload` or `stages`, got both: a multi-stage run gives each stage its workload',
  });
}

/** A run's (or a stage's) workload at `path` that is shorter than one step, or whose batch is shorter than a sequence. */
export function checkWorkloadLength(
  workload: Workload,
  path: ReadonlyArray<string | number>,
  context: z.RefinementCtx,
): void {
  const shortRun = runShorterThanOneStep(workload);
  if (shortRun) context.addIssue({code: 'custom', path: [...path, 'tokens'], message: shortRun});
  const shortBatch = batchShorterThanSequence(workload);
  if (shortBatch) context.addIssue({code: 'custom', path: [...path, 'global_batch_tokens'], message: shortBatch});
}
