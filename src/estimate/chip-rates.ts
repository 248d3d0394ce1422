import type {Hardware} from '../data/schemas/hardware.js';
import {gigaToUnit, teraToUnit} from './units.js';

/**
 * Share of the dense peak a matmul achieves on a chip with no measurement
 * in the data: the median of the BF16 MAMF fractions in stas00's table
 * (86.9, 83.6, 80.3, 76.8, 60.4, 51.4%) [D].
 */
export const DEFAULT_ACHIEVABLE_MATMUL_FRACTION = 0.785;
/**
 * Attention (FlashAttention) relative to the achievable matmul rate:
 * FlashAttention-2 reaches 50–73% of the A100's peak forward and less
 * backward (Dao 2023), about 0.6–0.8 of the A100's MAMF, and about 335
 * TFLOP/s on H100 (0.42 of its MAMF); 0.55 sits between.
 */
export const ATTENTION_FRACTION_OF_MATMUL = 0.55;
/**
 * Share of the achievable matmul rate real training kernels sustain end to
 * end (shapes smaller than the MAMF benchmark's, kernel launch gaps, casts
 * and the optimizer's own kernels). A single constant for every chip and
 * model, fitted to the calibration set (data/references.yaml) [D]: 0.68,
 * 0.70, 0.72, 0.75 and 0.80 gave median absolute errors of 5.2, 4.3, 3.6,
 * 4.0 and 8.2%, and largest errors of 15.4, 13.7, 12.0, 14.8 and 20.4%.
 */
export const KERNEL_EFFICIENCY = 0.72;
/** Share of nominal link bandwidth collectives achieve: DeepSeek sees ~160 of 200 GB/s NVLink and ~40 of 50 GB/s IB (ISCA'25 §4.1, §4.3). */
export const DEFAULT_LINK_FRACTION = 0.8;
/** Share of nominal HBM bandwidth memory-bound kernels achieve [?]: a common rule of thumb, not measured here. */
export const HBM_FRACTION = 0.8;

/** Rates of one GPU, in FLOP/s and bytes/s, derived from its catalog record. */
export interface ChipRates {
  readonly hardwareId: string;
  readonly peakBf16FlopsPerSecond: number;
  readonly gemmFlopsPerSecond: Readonly<Partial<Record<'bf16' | 'fp16' | 'fp8', number>>>;
  readonly attentionFlopsPerSecond: number;
  readonly hbmBytesPerSecond: number;
  readonly memoryBytes: number;
  readonly scaleUpBytesPerSecond: number;
  readonly scaleOutBytesPerSecond: number;
  readonly domainGpus: number;
}

export function chipRates(hardware: Hardware): ChipRates {
  // A precision with no measurement takes the chip's measured BF16 share of peak (the same silicon's
  // efficiency), and only a chip with no measurement at all the cross-chip default.
  const measuredBf16 = hardware.achievable_tflops?.bf16;
  const fallbackFraction =
    measuredBf16 === undefined ? DEFAULT_ACHIEVABLE_MATMUL_FRACTION : measuredBf16 / hardware.peak_tflops.bf16;
  const achievable = (precision: 'bf16' | 'fp16' | 'fp8'): number | undefined => {
    const peak = hardware.peak_tflops[precision];
    if (peak === undefined) return undefined;
    return teraToUnit(hardware.achievable_tflops?.[precision] ?? peak * fallbackFraction) * KERNEL_EFFICIENCY;
  };
  const bf16 = achievable('bf16') as number;
  return {
    hardwareId: hardware.id,
    peakBf16FlopsPerSecond: teraToUnit(hardware.peak_tflops.bf16),
    gemmFlopsPerSecond: {bf16, fp16: achievable('fp16'), fp8: achievable('fp8')},
    attentionFlopsPerSecond: bf16 * ATTENTION_FRACTION_OF_MATMUL,
    hbmBytesPerSecond: teraToUnit(hardware.memory.bandwidth_tb_per_s) * HBM_FRACTION,
    memoryBytes: gigaToUnit(hardware.memory.capacity_gb),
    scaleUpBytesPerSecond:
      gigaToUnit(hardware.scale_up.bandwidth_gb_per_s) *
      (hardware.scale_up.achievable_fraction ?? DEFAULT_LINK_FRACTION),
    scaleOutBytesPerSecond:
      gigaToUnit(hardware.scale_out.bandwidth_gb_per_s) *
      (hardware.scale_out.achievable_fraction ?? DEFAULT_LINK_FRACTION),
    domainGpus: hardware.scale_up.domain_gpus,
  };
}
