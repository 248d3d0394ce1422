import {z} from 'zod';
import type {Nominal} from '../../uncertain/distribution.js';
import {idSchema, positiveInteger, positiveNumber, precisionSchema, sourceSchema} from './common.js';
import {availabilitySchema, networkSchema, parallelismSchema, recipeSchema} from './training.js';
import {inferenceReferenceSchema} from './inference-reference.js';
import {measured} from './quantity.js';
import {batchShorterThanSequence, runShorterThanOneStep} from './run-length.js';

/**
 * What a lab published about a run's efficiency or outcome: MFU (model
 * FLOPs, with its attention convention: `none` is 6N per token), HFU
 * (FLOPs executed, recomputation included, as Megatron-LM's Table 1), both
 * over the 16-bit dense peak; a step (iteration) time; tokens per second
 * per GPU; or, with the run's tokens, GPU-hours or energy, which include
 * the run's lost time; or a FLOP count.
 */
const reportedSchema = z.discriminatedUnion('metric', [
  z.strictObject({
    metric: z.literal('mfu'),
    attention: z.enum(['none', 'causal', 'non-causal']),
    value: measured('mfu', z.number().gt(0).lte(1)),
    source: sourceSchema,
  }),
  z.strictObject({
    metric: z.literal('hfu'),
    /** Attention FLOPs as counted: Megatron's Eq. 3 (Narayanan et al. 2021) counts them non-causal. */
    attention: z.enum(['causal', 'non-causal']).optional(),
    value: measured('mfu', z.number().gt(0).lte(1)),
    source: sourceSchema,
  }),
  z.strictObject({
    metric: z.literal('step_seconds'),
    value: measured('step_seconds', positiveNumber),
    source: sourceSchema,
  }),
  z.strictObject({
    metric: z.literal('tokens_per_second_per_gpu'),
    value: measured('tokens_per_second_per_gpu', positiveNumber),
    source: sourceSchema,
  }),
  z.strictObject({metric: z.literal('gpu_hours'), value: measured('gpu_hours', positiveNumber), source: sourceSchema}),
  z.strictObject({
    metric: z.literal('energy_mwh'),
    value: measured('energy_mwh', positiveNumber),
    source: sourceSchema,
  }),
  z.strictObject({
    metric: z.literal('training_flops'),
    attention: z.enum(['none', 'causal', 'non-causal']).default('none'),
    value: measured('training_flops', positiveNumber),
    source: sourceSchema,
  }),
]);
export type ReportedFigure = z.infer<typeof reportedSchema>;

/** A published training run, to predict without being told its efficiency and compare. */
export const referenceRunSchema = z
  .strictObject({
    id: idSchema,
    /** Training runs may say so; published serving results say `kind: inference` (inference-reference.ts). */
    kind: z.literal('training').optional(),
    name: z.string().min(1),
    model: idSchema,
    /** Omitted for a FLOP-count reference (no hardware needed). */
    cluster: z
      .strictObject({
        hardware: idSchema,
        gpus: measured('gpus', positiveInteger),
        /** The cluster's own scale-out network, when it differs from the chip record's. */
        network: networkSchema.optional(),
      })
      .optional(),
    workload: z.strictObject({
      tokens: measured('training_tokens', positiveNumber).optional(),
      seq_len: measured('seq_len', positiveInteger),
      global_batch_tokens: measured('batch_tokens', positiveNumber).optional(),
    }),
    precision: precisionSchema.default('bf16'),
    recipe: recipeSchema.optional(),
    /** Techniques the search may use for the knobs the paper leaves out: those of its date, or named lists. */
    available: availabilitySchema.optional(),
    /** The layout as published; knobs left out are chosen by a search over the rest. */
    parallelism: parallelismSchema.optional(),
    reported: reportedSchema,
    /**
     * A run added to the calibration set after the estimator was built (issue #14's held-out runs):
     * `tradeoffs calibrate` reports the errors with and without them.
     */
    held_out: z.boolean().default(false),
    notes: z.string().optional(),
  })
  .superRefine((run, context) => {
    const needsTokens = run.reported.metric === 'gpu_hours' || run.reported.metric === 'energy_mwh';
    if (needsTokens && run.workload.tokens === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['workload', 'tokens'],
        message: `Missing field \`tokens\`, expected the run's tokens: reported ${run.reported.metric} is for all of them`,
      });
    }
    const shortRun = runShorterThanOneStep(run.workload);
    if (shortRun) context.addIssue({code: 'custom', path: ['workload', 'tokens'], message: shortRun});
    const shortBatch = batchShorterThanSequence(run.workload);
    if (shortBatch) context.addIssue({code: 'custom', path: ['workload', 'global_batch_tokens'], message: shortBatch});
  });
export type ReferenceRun = Nominal<z.infer<typeof referenceRunSchema>>;

/** A published serving result (`kind: inference`), with its setup's uncertain numbers at their nominal values. */
export type InferenceReference = Nominal<z.infer<typeof inferenceReferenceSchema>>;

/** An entry of data/references.yaml: a training run (no `kind`, or `kind: training`) or a serving result. */
export const referenceSchema = z.discriminatedUnion('kind', [referenceRunSchema, inferenceReferenceSchema]);
export type Reference = ReferenceRun | InferenceReference;

/** Whether a reference is a published serving result. */
export function isInferenceReference(reference: Reference): reference is InferenceReference {
  return reference.kind === 'inference';
}
