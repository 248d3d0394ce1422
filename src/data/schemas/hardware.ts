import {z} from 'zod';
import {endsOf, type Nominal} from '../../uncertain/distribution.js';
import {splitUncertain} from '../split-uncertain.js';
import {idSchema, positiveInteger, positiveNumber, sourceSchema} from './common.js';
import {uncertain} from './uncertain.js';
import {measured} from './quantity.js';
import type {QuantityName} from '../plausible-ranges.js';

/** A positive number holding `quantity` (src/data/plausible-ranges.ts) that may be a range or a distribution. */
const positive = (quantity: QuantityName) => measured(quantity, uncertain(positiveNumber));
const share = () => measured('fraction', uncertain(z.number().gt(0).lte(1)));

/** A date a price was quoted: `YYYY-MM` or `YYYY-MM-DD`, a day that exists. */
const quoteDate = z.string().refine(isCalendarDate, 'expected a date that exists, as YYYY-MM or YYYY-MM-DD');

/**
 * A chip's price record. Rental kinds: `on-demand` (pay by the hour, no
 * commitment), `reserved` (a committed term), `assumed` (a price a report
 * assumed rather than quoted). `owned`: capital over the busy hours of the
 * chip's life plus the power it draws (src/estimate/cost.ts). Every record
 * says when it was quoted (`as_of`) and where.
 */
export const priceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.enum(['on-demand', 'reserved', 'assumed']),
    usd_per_gpu_hour: positive('usd_per_gpu_hour'),
    as_of: quoteDate,
    source: sourceSchema,
  }),
  z.strictObject({
    kind: z.literal('owned'),
    capex_usd_per_gpu: positive('capex_usd_per_gpu'),
    lifetime_years: positive('lifetime_years'),
    utilization: share().default(1),
    usd_per_kwh: positive('usd_per_kwh'),
    as_of: quoteDate,
    source: sourceSchema,
  }),
]);
export type PriceRecord = Nominal<z.infer<typeof priceSchema>>;
export type PriceKind = PriceRecord['kind'];

/**
 * An accelerator. Rates are dense (no structured sparsity); link bandwidths
 * are per GPU and per direction.
 */
export const hardwareSchema = z
  .strictObject({
    id: idSchema,
    name: z.string().min(1),
    vendor: z.string().min(1),
    /**
     * Dense peak rate per precision, in TFLOP/s. A chip has BF16 or FP16 or
     * both: one without BF16 (V100, T4) trains in FP16, and its FP16 peak is
     * the denominator of its MFU.
     */
    peak_tflops: z
      .strictObject({
        fp32: positive('tflops').optional(),
        tf32: positive('tflops').optional(),
        bf16: positive('tflops').optional(),
        fp16: positive('tflops').optional(),
        fp8: positive('tflops').optional(),
        fp6: positive('tflops').optional(),
        fp4: positive('tflops').optional(),
        int8: positive('tflops').optional(),
        source: sourceSchema,
      })
      .refine((peak) => peak.bf16 !== undefined || peak.fp16 !== undefined, {
        message: 'Missing field `bf16` or `fp16`, expected the 16-bit dense peak (a chip has one or both)',
      }),
    /**
     * Achievable dense matmul rate per precision, in TFLOP/s: the maximum
     * achievable matmul FLOPS measured on large shapes (stas00's MAMF). A
     * precision without a measurement takes the chip's measured share of peak
     * in another precision, and a chip without any the cross-chip default
     * (src/estimate/model-constants.ts): its estimates say they are
     * extrapolated, and their ranges are wider. `fp4` (block-scaled FP4
     * GEMMs, NVFP4) is read by the serving model only.
     */
    achievable_tflops: z
      .strictObject({
        bf16: positive('tflops').optional(),
        fp16: positive('tflops').optional(),
        fp8: positive('tflops').optional(),
        fp4: positive('tflops').optional(),
        source: sourceSchema,
      })
      .optional(),
    memory: z.strictObject({
      capacity_gb: positive('capacity_gb'),
      /**
       * The capacity the device reports, in MiB (`nvidia-smi`'s total, `rocm-smi`'s bytes / 2^20), or the
       * vendor's GiB figure × 1,024 where no device reading is published: what serving engines divide up.
       * An "80 GB" H100 reports 81,559 MiB (79.65 GiB, 85.5e9 bytes).
       */
      reported_mib: measured('capacity_mib', positiveInteger).optional(),
      bandwidth_tb_per_s: positive('memory_tb_per_s'),
      /** Share of the nominal bandwidth memory-bound kernels achieve, measured (default in the estimator). */
      achievable_fraction: share().optional(),
      source: sourceSchema,
    }),
    /** The scale-up domain (NVLink, xGMI): bandwidth per GPU per direction, and GPUs per domain. */
    scale_up: z.strictObject({
      bandwidth_gb_per_s: positive('link_gb_per_s'),
      domain_gpus: measured('domain_gpus', positiveInteger),
      /** Share of the nominal bandwidth collectives achieve (default in the estimator). */
      achievable_fraction: share().optional(),
      source: sourceSchema,
    }),
    /** The scale-out network (InfiniBand, RoCE): bandwidth per GPU per direction. */
    scale_out: z.strictObject({
      bandwidth_gb_per_s: positive('link_gb_per_s'),
      achievable_fraction: share().optional(),
      source: sourceSchema,
    }),
    power: z.strictObject({
      /** Board power; left out where the vendor publishes none (energy is then not estimated). */
      tdp_w: positive('tdp_w').optional(),
      source: sourceSchema,
    }),
    /**
     * What a GPU-hour costs, dated, and of which kind: an on-demand or reserved
     * rental quote, a price someone assumed (DeepSeek's $2), or owning the chip
     * (its purchase price spread over its busy hours, plus power).
     */
    price: priceSchema.optional(),
    notes: z.string().optional(),
  })
  .superRefine((chip, context) => {
    // What a chip achieves cannot exceed its peak: a rate above it is a slip (another precision, or sparse).
    for (const precision of ['bf16', 'fp16', 'fp8', 'fp4'] as const) {
      const [rate, peak] = [chip.achievable_tflops?.[precision], chip.peak_tflops[precision]];
      if (rate === undefined || peak === undefined) continue;
      const [rateLow] = endsOf(rate);
      const [, peakHigh] = endsOf(peak);
      if (rateLow > peakHigh)
        context.addIssue({
          code: 'custom',
          path: ['achievable_tflops', precision],
          message: `expected at most the ${precision} peak (${peakHigh} TFLOP/s): a chip achieves no more than its peak, got ${rateLow}`,
        });
    }
  });

/** `YYYY-MM` or `YYYY-MM-DD`, a month and day that exist (`2025-13` and `2025-02-30` do not: builds stamp the newest into PDFs). */
function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), match[3] === undefined ? 1 : Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return month >= 1 && month <= 12 && day >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export type Hardware = Nominal<z.infer<typeof hardwareSchema>>;
export const hardwareFileSchema = z.array(hardwareSchema);

/** Validate one hardware record and take its nominal values (tests and tools that build records in code). */
export function parseHardwareRecord(raw: unknown): Hardware {
  return splitUncertain(hardwareSchema.parse(raw)).nominal;
}
