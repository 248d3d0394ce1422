import type {Hardware} from '../../data/schemas/hardware.js';
import {deviceMemoryBytes, sixteenBitPeakTflops} from '../chip-rates.js';
import {NOMINAL_CONSTANTS} from '../model-constants.js';
import {gigaToUnit, teraToUnit} from '../units.js';
import type {ServingConstantValues} from './serving-constants.js';

/**
 * What one GPU sustains in serving kernels, in FLOP/s and bytes/s: its
 * measured achievable matmul rate (MAMF, or the default share of peak where
 * the data has none) times the serving kernels' shares of it
 * (serving-constants.ts), HBM at the shares memory-bound kernels reach, and
 * its links at their achievable shares. A stack's `kernel_efficiency`
 * scales every kernel rate.
 */
export interface ServingRates {
  readonly hardwareId: string;
  /** Large-shape GEMMs at the weights' precision (weight-only quantisation computes at BF16 on a chip without the precision). */
  readonly gemmFlopsPerSecond: number;
  /** The routed experts' GEMMs, at the experts' precision. */
  readonly expertGemmFlopsPerSecond: number;
  readonly attentionFlopsPerSecond: number;
  /** Streaming weights in memory-bound GEMMs. */
  readonly weightBytesPerSecond: number;
  /** Reading the KV cache, and other memory-bound kernels. */
  readonly kvBytesPerSecond: number;
  readonly scaleUpBytesPerSecond: number;
  readonly scaleOutBytesPerSecond: number;
  readonly domainGpus: number;
  /** The device's memory as it reports it (what engines divide up). */
  readonly deviceBytes: number;
  /**
   * Whether a GEMM rate (the weights', the experts' or attention's) has no measurement on the chip in its
   * precision and is extrapolated from another precision's share of peak, or from the cross-chip default.
   */
  readonly extrapolated: boolean;
}

type GemmPrecision = 'bf16' | 'fp8' | 'fp4';

export function servingRates(
  hardware: Hardware,
  weights: GemmPrecision,
  experts: GemmPrecision,
  constants: ServingConstantValues,
  kernelEfficiency = 1,
  linkEfficiency = 1,
): ServingRates {
  // A precision with no measurement takes the chip's measured 16-bit share of peak (the same silicon), and a chip
  // with no measurement at all the cross-chip default (model-constants.ts, shared with training); either way the
  // rate is extrapolated. A chip without BF16 (V100, T4) computes 16-bit GEMMs in FP16. Block-scaled FP4 GEMMs
  // reach a smaller share of their peak than 16-bit ones (`fp4ShareRatio`, from the one chip measured in both).
  const {defaultAchievableMatmulFraction, defaultLinkFraction} = NOMINAL_CONSTANTS;
  const measured16 = hardware.achievable_tflops?.bf16 ?? hardware.achievable_tflops?.fp16;
  const fraction =
    measured16 === undefined ? defaultAchievableMatmulFraction : measured16 / sixteenBitPeakTflops(hardware);
  let extrapolated = false;
  const achievable = (precision: GemmPrecision | 'fp16'): number | undefined => {
    const peak = hardware.peak_tflops[precision];
    if (peak === undefined) return undefined;
    const measured = hardware.achievable_tflops?.[precision];
    if (measured !== undefined) return teraToUnit(measured);
    extrapolated = true;
    return teraToUnit(peak * fraction * (precision === 'fp4' ? constants.fp4ShareRatio : 1));
  };
  const sixteen = (): number => (achievable('bf16') ?? achievable('fp16')) as number;
  const rate = (precision: GemmPrecision): number =>
    precision === 'bf16' ? sixteen() : (achievable(precision) ?? (precision === 'fp4' ? rate('fp8') : sixteen()));
  const bf16 = sixteen();
  const gemmFlopsPerSecond = rate(weights);
  const expertFlopsPerSecond = rate(experts);
  // The serving kernels' HBM shares were measured on the H800 (FlashMLA, DeepGEMM), whose memory-bound kernels reach
  // `referenceHbmFraction` of nominal: a chip whose own measured fraction (or the default) is lower reads
  // proportionally slower.
  const hbmScale =
    (hardware.memory.achievable_fraction ?? NOMINAL_CONSTANTS.defaultHbmFraction) / constants.referenceHbmFraction;
  const hbm = teraToUnit(hardware.memory.bandwidth_tb_per_s) * hbmScale;
  return {
    hardwareId: hardware.id,
    gemmFlopsPerSecond: gemmFlopsPerSecond * constants.gemmFractionOfAchievable * kernelEfficiency,
    expertGemmFlopsPerSecond: expertFlopsPerSecond * constants.gemmFractionOfAchievable * kernelEfficiency,
    attentionFlopsPerSecond: bf16 * constants.attentionFractionOfAchievable * kernelEfficiency,
    weightBytesPerSecond: hbm * constants.weightStreamHbmFraction * kernelEfficiency,
    kvBytesPerSecond: hbm * constants.attentionHbmFraction * kernelEfficiency,
    scaleUpBytesPerSecond:
      gigaToUnit(hardware.scale_up.bandwidth_gb_per_s) *
      (hardware.scale_up.achievable_fraction ?? defaultLinkFraction) *
      linkEfficiency,
    scaleOutBytesPerSecond:
      gigaToUnit(hardware.scale_out.bandwidth_gb_per_s) *
      (hardware.scale_out.achievable_fraction ?? defaultLinkFraction) *
      linkEfficiency,
    domainGpus: hardware.scale_up.domain_gpus,
    deviceBytes: deviceMemoryBytes(hardware),
    extrapolated,
  };
}
