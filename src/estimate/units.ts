/** Unit conversions used by the estimation core. Quantities carry their unit in their name. */

export const SECONDS_PER_HOUR = 3600;
export const SECONDS_PER_DAY = 86_400;
export const JOULES_PER_MEGAWATT_HOUR = 3.6e9;

/** TFLOP/s (as in vendor datasheets) to FLOP/s. */
export const teraToUnit = (tera: number): number => tera * 1e12;
/** GB/s or GB (decimal, as in datasheets) to bytes per second or bytes. */
export const gigaToUnit = (giga: number): number => giga * 1e9;
