import {z} from 'zod';
import {idSchema, positiveInteger, positiveNumber, sourceSchema} from './common.js';
import {servingSetupShape} from './inference.js';
import {measured} from './quantity.js';

/**
 * What a published serving result reports, per GPU or per node as it was
 * published. Throughputs are at the load the source describes: a saturated
 * benchmark (`saturated: true`, prefill measured at full capacity), or the
 * operating point its latency target or concurrency sets, averaged over the
 * day when the setup states a load.
 */
export const reportedServingSchema = z
  .strictObject({
    output_tokens_per_second_per_gpu: measured('serving_tokens_per_second', positiveNumber).optional(),
    output_tokens_per_second_per_node: measured('serving_tokens_per_second', positiveNumber).optional(),
    input_tokens_per_second_per_gpu: measured('serving_tokens_per_second', positiveNumber).optional(),
    input_tokens_per_second_per_node: measured('serving_tokens_per_second', positiveNumber).optional(),
    /** GPUs per node of the per-node figures. */
    gpus_per_node: measured('gpus', positiveInteger).optional(),
    tokens_per_second_per_user: measured('tokens_per_second_per_user', positiveNumber).optional(),
    ttft_seconds: measured('latency_seconds', positiveNumber).optional(),
    itl_seconds: measured('latency_seconds', positiveNumber).optional(),
    /** The prefill figure was measured with prefill saturated (an isolated or offline benchmark). */
    saturated: z.boolean().default(false),
    source: sourceSchema,
  })
  .superRefine((reported, context) => {
    const figures = [
      reported.output_tokens_per_second_per_gpu,
      reported.output_tokens_per_second_per_node,
      reported.input_tokens_per_second_per_gpu,
      reported.input_tokens_per_second_per_node,
      reported.tokens_per_second_per_user,
      reported.ttft_seconds,
      reported.itl_seconds,
    ];
    if (figures.every((figure) => figure === undefined)) {
      context.addIssue({code: 'custom', path: [], message: 'Expected at least one reported figure'});
    }
    const perNode =
      reported.output_tokens_per_second_per_node !== undefined ||
      reported.input_tokens_per_second_per_node !== undefined;
    if (perNode && reported.gpus_per_node === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['gpus_per_node'],
        message: 'Missing field `gpus_per_node`, expected a number: per-node figures need it',
      });
    }
  });
export type ReportedServing = z.infer<typeof reportedServingSchema>;

/** A published serving result: the setup as published, and what it reported (to predict and compare). */
export const inferenceReferenceSchema = z.strictObject({
  id: idSchema,
  kind: z.literal('inference'),
  name: z.string().min(1),
  /** When it was published (YYYY-MM or YYYY-MM-DD). */
  published: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'expected a date as YYYY-MM or YYYY-MM-DD'),
  ...servingSetupShape,
  reported: reportedServingSchema,
  notes: z.string().optional(),
});
