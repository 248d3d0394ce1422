import type {Precision} from '../data/schemas/common.js';

/** Unit conversions used by the estimation core. Quantities carry their unit in their name. */

export const SECONDS_PER_HOUR = 3600;
export const SECONDS_PER_DAY = 86_400;
export const JOULES_PER_MEGAWATT_HOUR = 3.6e9;

/** TFLOP/s (as in vendor datasheets) to FLOP/s. */
export const teraToUnit = (tera: number): number => tera * 1e12;
/** A rate in units as tera-units (FLOP/s as TFLOP/s). */
export const unitToTera = (units: number): number => units / 1e12;
/** GB/s or GB (decimal, as in datasheets) to bytes per second or bytes. */
export const gigaToUnit = (giga: number): number => giga * 1e9;
/** Bytes in a MiB (binary, as `nvidia-smi` reports memory). */
export const BYTES_PER_MIB = 2 ** 20;

/**
 * Bytes one value takes at each precision: FP32 and TF32 (stored in 32-bit
 * words) 4, BF16 and FP16 2, FP8 and INT8 1, FP6 ¾, FP4 ½ (IEEE 754; OCP
 * Microscaling Formats v1.0, block scales not counted).
 */
export const BYTES_PER_VALUE: Readonly<Record<Precision, number>> = {
  fp32: 4,
  tf32: 4,
  bf16: 2,
  fp16: 2,
  fp8: 1,
  fp6: 0.75,
  fp4: 0.5,
  int8: 1,
};
