import {z} from 'zod';
import {idSchema, positiveInteger, positiveNumber, precisionSchema, sourceSchema} from './common.js';
import {parallelismSchema, recipeSchema} from './training.js';
import {measured} from './quantity.js';
import {batchShorterThanSequence, runShorterThanOneStep} from './run-length.js';

/**
 * What a lab published about a run's efficiency: MFU (model FLOPs, with its
 * attention convention) or HFU (FLOPs executed, recomputation included, as
 * Megatron-LM's Table 1), both over the BF16 dense peak; or a FLOP count.
 */
const reportedSchema = z.discriminatedUnion('metric', [
  z.strictObject({
    metric: z.literal('mfu'),
    attention: z.enum(['causal', 'non-causal']),
    value: measured('mfu', z.number().gt(0).lte(1)),
    source: sourceSchema,
  }),
  z.strictObject({metric: z.literal('hfu'), value: measured('mfu', z.number().gt(0).lte(1)), source: sourceSchema}),
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
    name: z.string().min(1),
    model: idSchema,
    /** Omitted for a FLOP-count reference (no hardware needed). */
    cluster: z.strictObject({hardware: idSchema, gpus: measured('gpus', positiveInteger)}).optional(),
    workload: z.strictObject({
      tokens: measured('training_tokens', positiveNumber).optional(),
      seq_len: measured('seq_len', positiveInteger),
      global_batch_tokens: measured('batch_tokens', positiveNumber).optional(),
    }),
    precision: precisionSchema.default('bf16'),
    recipe: recipeSchema.optional(),
    /** The layout as published; knobs left out are chosen by a search over the rest. */
    parallelism: parallelismSchema.optional(),
    reported: reportedSchema,
    notes: z.string().optional(),
  })
  .superRefine((run, context) => {
    const shortRun = runShorterThanOneStep(run.workload);
    if (shortRun) context.addIssue({code: 'custom', path: ['workload', 'tokens'], message: shortRun});
    const shortBatch = batchShorterThanSequence(run.workload);
    if (shortBatch) context.addIssue({code: 'custom', path: ['workload', 'global_batch_tokens'], message: shortBatch});
  });
export type ReferenceRun = z.infer<typeof referenceRunSchema>;
