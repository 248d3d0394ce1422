import {z} from 'zod';
import {idSchema, positiveInteger, positiveNumber, sourceSchema} from './common.js';

/**
 * An accelerator. Rates are dense (no structured sparsity); link bandwidths
 * are per GPU and per direction.
 */
export const hardwareSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  vendor: z.string().min(1),
  /** Dense peak rate per precision, in TFLOP/s. */
  peak_tflops: z.strictObject({
    fp32: positiveNumber.optional(),
    tf32: positiveNumber.optional(),
    bf16: positiveNumber,
    fp16: positiveNumber.optional(),
    fp8: positiveNumber.optional(),
    fp6: positiveNumber.optional(),
    fp4: positiveNumber.optional(),
    int8: positiveNumber.optional(),
    source: sourceSchema,
  }),
  /**
   * Achievable dense matmul rate per precision, in TFLOP/s: the maximum
   * achievable matmul FLOPS measured on large shapes (stas00's MAMF). Where a
   * chip has no measurement the estimator uses a default fraction of peak.
   */
  achievable_tflops: z
    .strictObject({
      bf16: positiveNumber.optional(),
      fp16: positiveNumber.optional(),
      fp8: positiveNumber.optional(),
      source: sourceSchema,
    })
    .optional(),
  memory: z.strictObject({
    capacity_gb: positiveNumber,
    bandwidth_tb_per_s: positiveNumber,
    source: sourceSchema,
  }),
  /** The scale-up domain (NVLink, xGMI): bandwidth per GPU per direction, and GPUs per domain. */
  scale_up: z.strictObject({
    bandwidth_gb_per_s: positiveNumber,
    domain_gpus: positiveInteger,
    /** Share of the nominal bandwidth collectives achieve (default in the estimator). */
    achievable_fraction: z.number().gt(0).lte(1).optional(),
    source: sourceSchema,
  }),
  /** The scale-out network (InfiniBand, RoCE): bandwidth per GPU per direction. */
  scale_out: z.strictObject({
    bandwidth_gb_per_s: positiveNumber,
    achievable_fraction: z.number().gt(0).lte(1).optional(),
    source: sourceSchema,
  }),
  power: z.strictObject({
    tdp_w: positiveNumber,
    source: sourceSchema,
  }),
  /** A rental price per GPU-hour, dated; prices are volatile. */
  price: z
    .strictObject({
      usd_per_gpu_hour: positiveNumber,
      as_of: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'expected a date as YYYY-MM or YYYY-MM-DD'),
      source: sourceSchema,
    })
    .optional(),
  notes: z.string().optional(),
});

export type Hardware = z.infer<typeof hardwareSchema>;
export const hardwareFileSchema = z.array(hardwareSchema);
