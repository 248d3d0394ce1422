import {z} from 'zod';
import {idSchema, positiveInteger, positiveNumber, precisionSchema, sourceSchema} from './common.js';
import {parallelismSchema, recipeSchema} from './training.js';
import type {Nominal} from '../../uncertain/distribution.js';
import {inferenceReferenceSchema} from './inference-reference.js';

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
  /** Training runs may say so; published serving results say `kind: inference` (inference-reference.ts). */
  kind: z.literal('training').optional(),
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
  /** The layout as published; knobs left out are chosen by a search over the rest. */
  parallelism: parallelismSchema.optional(),
  reported: reportedSchema,
  notes: z.string().optional(),
});
export type ReferenceRun = z.infer<typeof referenceRunSchema>;

/** A published serving result (`kind: inference`), with its setup's uncertain numbers at their nominal values. */
export type InferenceReference = Nominal<z.infer<typeof inferenceReferenceSchema>>;

/** An entry of data/references.yaml: a training run (no `kind`, or `kind: training`) or a serving result. */
export const referenceSchema = z.discriminatedUnion('kind', [referenceRunSchema, inferenceReferenceSchema]);
export type Reference = ReferenceRun | InferenceReference;

/** Whether a reference is a published serving result. */
export function isInferenceReference(reference: Reference): reference is InferenceReference {
  return reference.kind === 'inference';
}
