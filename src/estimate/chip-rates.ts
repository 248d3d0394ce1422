import type {Hardware} from '../data/schemas/hardware.js';
import {NOMINAL_CONSTANTS, type ConstantValues} from './model-constants.js';
import {BYTES_PER_MIB, gigaToUnit, teraToUnit} from './units.js';

export type GemmPrecision = 'bf16' | 'fp16' | 'fp8';

/**
 * Where a precision's achievable matmul rate comes from: measured on the
 * chip (`achievable_tflops`), extrapolated from the chip's measured share of
 * peak in another precision, or from the cross-chip default share.
 */
export type RateBasis = 'measured' | 'other-precision' | 'cross-chip';

/** Rates of one GPU, in FLOP/s and bytes/s, derived from its catalog record and the model constants. */
export interface ChipRates {
  readonly hardwareId: string;
  /** The 16-bit dense peak MFU is counted against: BF16, or FP16 on a chip without BF16. */
  readonly peakBf16FlopsPerSecond: number;
  readonly gemmFlopsPerSecond: Readonly<Partial<Record<GemmPrecision, number>>>;
  /** Where each precision's rate comes from; anything but `measured` is an extrapolation the estimates flag. */
  readonly gemmRateBasis: Readonly<Partial<Record<GemmPrecision, RateBasis>>>;
  readonly attentionFlopsPerSecond: number;
  readonly hbmBytesPerSecond: number;
  readonly memoryBytes: number;
  readonly scaleUpBytesPerSecond: number;
  readonly scaleOutBytesPerSecond: number;
  readonly scaleUpLatencySeconds: number;
  readonly scaleOutLatencySeconds: number;
  readonly domainGpus: number;
  /** The model constants these rates were derived with; the step model reads the rest of them here. */
  readonly constants: ConstantValues;
}

/** A cluster's own scale-out network, when it differs from the chip record's (data: `cluster.network`). */
export interface ClusterNetwork {
  readonly scaleOutGbPerSecond?: number;
  readonly scaleOutLatencySeconds?: number;
  readonly achievableFraction?: number;
}

/**
 * The rates of a chip: achievable matmul rates (measured MAMF, else
 * extrapolated, see RateBasis) times the kernel efficiency, attention at its
 * share of the BF16 rate, HBM and links at their achievable fractions (the
 * chip's measured ones, else the defaults), and the cluster's own network
 * when it has one.
 */
export function chipRates(
  hardware: Hardware,
  constants: ConstantValues = NOMINAL_CONSTANTS,
  network: ClusterNetwork = {},
): ChipRates {
  const peak16 = sixteenBitPeakTflops(hardware);
  // A precision with no measurement takes the chip's measured share of peak in another precision (the same
  // silicon's efficiency), and only a chip with no measurement at all the cross-chip default.
  const measuredFraction = measuredShareOfPeak(hardware);
  const basis: Partial<Record<GemmPrecision, RateBasis>> = {};
  const achievable = (precision: GemmPrecision): number | undefined => {
    const peak = hardware.peak_tflops[precision];
    if (peak === undefined) return undefined;
    const measured = hardware.achievable_tflops?.[precision];
    let tflops: number;
    if (measured !== undefined) {
      basis[precision] = 'measured';
      tflops = measured;
    } else if (measuredFraction !== undefined) {
      basis[precision] = 'other-precision';
      tflops = peak * measuredFraction * constants.otherPrecisionFractionRatio;
    } else {
      basis[precision] = 'cross-chip';
      tflops = peak * constants.defaultAchievableMatmulFraction;
    }
    return teraToUnit(tflops) * constants.kernelEfficiency;
  };
  const bf16 = achievable('bf16');
  const fp16 = achievable('fp16');
  const sixteen = (bf16 ?? fp16) as number;
  return {
    hardwareId: hardware.id,
    peakBf16FlopsPerSecond: teraToUnit(peak16),
    gemmFlopsPerSecond: {bf16, fp16, fp8: achievable('fp8')},
    gemmRateBasis: basis,
    attentionFlopsPerSecond: sixteen * constants.attentionFractionOfMatmul,
    hbmBytesPerSecond:
      teraToUnit(hardware.memory.bandwidth_tb_per_s) *
      (hardware.memory.achievable_fraction ?? constants.defaultHbmFraction),
    memoryBytes: deviceMemoryBytes(hardware),
    scaleUpBytesPerSecond:
      gigaToUnit(hardware.scale_up.bandwidth_gb_per_s) *
      (hardware.scale_up.achievable_fraction ?? constants.defaultLinkFraction),
    scaleOutBytesPerSecond:
      gigaToUnit(network.scaleOutGbPerSecond ?? hardware.scale_out.bandwidth_gb_per_s) *
      (network.achievableFraction ?? hardware.scale_out.achievable_fraction ?? constants.defaultLinkFraction),
    scaleUpLatencySeconds: constants.scaleUpLatencySeconds,
    scaleOutLatencySeconds: network.scaleOutLatencySeconds ?? constants.scaleOutLatencySeconds,
    domainGpus: hardware.scale_up.domain_gpus,
    constants,
  };
}

/** The chip's 16-bit dense peak in TFLOP/s: BF16, or FP16 on a chip that has no BF16 (V100, T4). */
export function sixteenBitPeakTflops(hardware: Hardware): number {
  return (hardware.peak_tflops.bf16 ?? hardware.peak_tflops.fp16) as number;
}

/** The chip's measured achievable share of peak in its first measured precision (BF16, FP16, FP8), if any. */
function measuredShareOfPeak(hardware: Hardware): number | undefined {
  for (const precision of ['bf16', 'fp16', 'fp8'] as const) {
    const measured = hardware.achievable_tflops?.[precision];
    const peak = hardware.peak_tflops[precision];
    if (measured !== undefined && peak !== undefined) return measured / peak;
  }
  return undefined;
}

/** Whether the rate of `precision` on these rates is an extrapolation rather than a measurement. */
export function isExtrapolated(rates: ChipRates, precision: GemmPrecision): boolean {
  const basis = rates.gemmRateBasis[precision];
  return basis !== undefined && basis !== 'measured';
}

/**
 * A chip's memory in bytes as the device reports it (`nvidia-smi`'s MiB: an "80 GB" H100 holds 81,559 MiB,
 * 85.5e9 bytes) where the data gives it, else the marketed capacity in decimal GB. Training and serving
 * divide up the same capacity.
 */
export function deviceMemoryBytes(hardware: Hardware): number {
  return hardware.memory.reported_mib === undefined
    ? gigaToUnit(hardware.memory.capacity_gb)
    : hardware.memory.reported_mib * BYTES_PER_MIB;
}

/**
 * A sampled or varied copy of a chip record whose marketed capacity moved, with the capacity the
 * device reports moved by the same factor: the two fields are one quantity read two ways, and the
 * estimator reads `reported_mib` where the data gives it (deviceMemoryBytes), so an input that varies
 * `capacity_gb` must vary what the estimate reads, or a sensitivity chart shows memory as mattering
 * not at all.
 */
export function withLinkedMemory(nominal: Hardware, varied: Hardware): Hardware {
  const reported = varied.memory.reported_mib;
  if (
    reported === undefined ||
    reported !== nominal.memory.reported_mib ||
    varied.memory.capacity_gb === nominal.memory.capacity_gb
  )
    return varied;
  const scale = varied.memory.capacity_gb / nominal.memory.capacity_gb;
  return {...varied, memory: {...varied.memory, reported_mib: reported * scale}};
}
