import {z} from 'zod';
import {idSchema, positiveInteger, positiveNumber, precisionSchema, sourceSchema} from './common.js';
import {availabilitySchema, parallelismSchema, recipeSchema} from './training.js';

/**
 * What a lab published about a run's efficiency: MFU (model FLOPs, with its
 * attention convention) or HFU (FLOPs executed, recomputation included, as
 * Megatron-LM's Table 1), both over the BF16 dense peak; or a FLOP count.
 */
const reportedSchema = z.discriminatedUnion('metric', [
  z.strictObject({
    metric: z.literal('mfu'),
    attention: z.enum(['causal', 'non-causal']),
    value: z.number().gt(0).lte(1),
    source: sourceSchema,
  }),
  z.strictObject({metric: z.literal('hfu'), value: z.number().gt(0).lte(1), source: sourceSchema}),
  z.strictObject({
    metric: z.literal('training_flops'),
    attention: z.enum(['none', 'causal', 'non-causal']).default('none'),
    value: positiveNumber,
    source: sourceSchema,
  }),
]);
export type ReportedFigure = z.infer<typeof reportedSchema>;

/** A published training run, to predict without being told its efficiency and compare. */
export const referenceRunSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  model: idSchema,
  /** Omitted for a FLOP-count reference (no hardware needed). */
  cluster: z.strictObject({hardware: idSchema, gpus: positiveInteger}).optional(),
  workload: z.strictObject({
    tokens: positiveNumber.optional(),
    seq_len: positiveInteger,
    global_batch_tokens: positiveNumber.optional(),
  }),
  precision: precisionSchema.default('bf16'),
  recipe: recipeSchema.optional(),
  /** Techniques the search may use for the knobs the paper leaves out: those of its date, or named lists. */
  available: availabilitySchema.optional(),
  /** The layout as published; knobs left out are chosen by a search over the rest. */
  parallelism: parallelismSchema.optional(),
  reported: reportedSchema,
  notes: z.string().optional(),
});
export type ReferenceRun = z.infer<typeof referenceRunSchema>;
