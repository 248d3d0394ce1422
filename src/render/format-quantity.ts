import type {OutputUnit} from '../estimate/outputs.js';

const SI_PREFIXES = [
  {exponent: 24, symbol: 'Y'},
  {exponent: 21, symbol: 'Z'},
  {exponent: 18, symbol: 'E'},
  {exponent: 15, symbol: 'P'},
  {exponent: 12, symbol: 'T'},
  {exponent: 9, symbol: 'G'},
  {exponent: 6, symbol: 'M'},
  {exponent: 3, symbol: 'k'},
] as const;

/** Short-scale suffixes for counts and money, as readers of these reports expect ("2.66M GPU-h", "$5.3M"). */
const COUNT_SUFFIXES = [
  {exponent: 12, symbol: 'T'},
  {exponent: 9, symbol: 'B'},
  {exponent: 6, symbol: 'M'},
  {exponent: 3, symbol: 'k'},
] as const;

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** Round to `digits` significant digits and drop trailing zeros. */
export function significant(value: number, digits = 3): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(digits));
  return withMinusSign((Math.abs(rounded) >= 10_000 ? GROUPED : PLAIN).format(rounded));
}

/** Printed numbers take the minus sign (U+2212), not the hyphen, as the prose typed around them does. */
const withMinusSign = (text: string): string => (text.startsWith('-') ? `−${text.slice(1)}` : text);

// Formatters are costly to create (toLocaleString makes one per call): make two, once.
const GROUPED = new Intl.NumberFormat('en-US', {maximumFractionDigits: 20, useGrouping: true});
const PLAIN = new Intl.NumberFormat('en-US', {maximumFractionDigits: 20, useGrouping: false});

/**
 * Round to a fixed number of decimals and drop trailing zeros: percentages
 * keep one precision whatever their size (3.6%, 38.9%, 0.4%), so the same
 * share never reads 3.6% on one page and 3.61% on another.
 */
export function decimals(value: number, places: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toFixed(places));
  return withMinusSign((Math.abs(rounded) >= 10_000 ? GROUPED : PLAIN).format(rounded === 0 ? 0 : rounded));
}

/**
 * Format a number with its unit, the same way everywhere on the site:
 * three significant digits, short-scale suffixes for counts and money, SI
 * prefixes for rates, powers of ten for totals of FLOPs; percentages with
 * one decimal (`digits` − 2 of them).
 */
export function formatQuantity(value: number | undefined, unit: OutputUnit | string, digits = 3): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return `${value < 0 ? '−' : ''}∞`;
  switch (unit) {
    case 'fraction':
      return percentText(value, Math.max(0, digits - 2));
    case 'USD':
      return `${value < 0 ? '−' : ''}$${withSuffix(Math.abs(value), COUNT_SUFFIXES, digits)}`;
    case 'FLOP':
      return `${scientific(value, digits)} FLOP`;
    case 'FLOP/s':
      return `${withSuffix(value, SI_PREFIXES, digits, ' ')}FLOP/s`;
    case 'params':
      return withSuffix(value, COUNT_SUFFIXES, digits);
    case 'MWh':
      return `${withSuffix(value * 1e6, SI_PREFIXES, digits, ' ')}Wh`;
    case 'kWh':
      return `${withSuffix(value * 1e3, SI_PREFIXES, digits, ' ')}Wh`;
    case 's':
      return Math.abs(value) < 1 ? `${significant(value * 1000, digits)} ms` : `${significant(value, digits)} s`;
    case 'bytes':
      return `${withSuffix(value, SI_PREFIXES, digits, ' ')}B`;
    case 'device memory':
      // A chip's memory as its device reports it, in decimal bytes like every other byte count, with the binary
      // figure its datasheet's "80 GB" approximates: `85.5 GB (79.6 GiB)`, not a bare 85.5 GB beside an 80GB name.
      return `${withSuffix(value, SI_PREFIXES, digits, ' ')}B (${significant(value / 2 ** 30, digits)} GiB)`;
    case 'tCO2e':
      return `${withSuffix(value, COUNT_SUFFIXES, digits)} t CO2e`;
    case 'kgCO2e':
      return `${withSuffix(value, COUNT_SUFFIXES, digits)} kg CO2e`;
    case 'times':
      return timesText(value, digits);
    case 'days':
      return `${significant(value, digits)} ${Number(value.toPrecision(digits)) === 1 ? 'day' : 'days'}`;
    default:
      return `${withSuffix(value, COUNT_SUFFIXES, digits)} ${unit}`;
  }
}

/** The most decimals a share takes to show that it is not 0. */
const MAX_PERCENT_DECIMALS = 6;

/**
 * A share in percent with `places` decimals, more where those would round a
 * share that is not 0 to 0 (1e-4 reads `0.01%`, never `0%`), as a factor
 * that is not 1 never reads `1×`; one below a millionth of a percent reads
 * `<0.000001%`.
 */
function percentText(value: number, places: number): string {
  const percent = value * 100;
  let shown = places;
  while (value !== 0 && Number(percent.toFixed(shown)) === 0 && shown < MAX_PERCENT_DECIMALS) shown += 1;
  if (value !== 0 && Number(percent.toFixed(shown)) === 0)
    return `${percent < 0 ? '>−' : '<'}${decimals(10 ** -MAX_PERCENT_DECIMALS, MAX_PERCENT_DECIMALS)}%`;
  return `${decimals(percent, shown)}%`;
}

/**
 * Two shares compared in one sentence ("beats it by 10.63%, beyond the
 * model's error of 10.58%"), in percent with the fewest decimals, from
 * one, at which two different shares read differently: a verdict decided
 * on the exact values never sits beside two equal-looking figures.
 */
export function percentsApart(first: number, second: number): [string, string] {
  let shown = 1;
  const apart = () => (first * 100).toFixed(shown) !== (second * 100).toFixed(shown);
  while (first !== second && !apart() && shown < MAX_PERCENT_DECIMALS) shown += 1;
  return [percentText(first, shown), percentText(second, shown)];
}

/** The most significant digits a factor takes to show how far it is from 1. */
const MAX_FACTOR_DIGITS = 6;

/**
 * A factor: `digits` significant digits, more where those would round a
 * factor that is not 1 to 1 (1.001 reads `1.001×`, 0.996 `0.996×`, never
 * `1×`), so no factor reads as no change unless it is one; one within a
 * millionth of 1 reads `≈1×`.
 */
function timesText(value: number, digits: number): string {
  let shown = digits;
  while (value !== 1 && Number(value.toPrecision(shown)) === 1 && shown < MAX_FACTOR_DIGITS) shown += 1;
  if (value !== 1 && Number(value.toPrecision(shown)) === 1) return '≈1×';
  return `${withSuffix(value, COUNT_SUFFIXES, shown)}×`;
}

function withSuffix(
  value: number,
  suffixes: ReadonlyArray<{exponent: number; symbol: string}>,
  digits: number,
  separator = '',
): string {
  const magnitude = Math.abs(value);
  for (const {exponent, symbol} of suffixes) {
    const scale = 10 ** exponent;
    // Compare after rounding, so 999,999 becomes "1M" rather than "1000k".
    if (Number((magnitude / scale).toPrecision(digits)) >= 1)
      return `${significant(value / scale, digits)}${separator}${symbol}`;
  }
  return `${significant(value, digits)}${separator && ' '}`;
}

/** `3.71×10²⁴`; plain digits below a million. */
export function scientific(value: number, digits = 3): string {
  // Decide on the rounded value, so 999,999 reads like a million does.
  if (Math.abs(Number(value.toPrecision(digits))) < 1e6) return significant(value, digits);
  const [mantissa = '0', exponent = '0'] = value.toExponential(digits - 1).split('e');
  const power = [...String(Number(exponent))]
    .map((char) => (char === '-' ? '⁻' : SUPERSCRIPT_DIGITS[Number(char)]))
    .join('');
  return `${withMinusSign(String(Number(mantissa)))}×10${power}`;
}

/**
 * A median with its p5–p95 range, the unit written once when both ends share
 * it: `2.67M GPU-h (2.3–3.1M GPU-h)`, `$5.7M ($4.5–7.3M)`, `38.9% (35.2–42.1%)`;
 * ends in different units stay whole: `1.92 s (710 ms–3.9 s)`. A range whose
 * ends round to the same text is left out.
 */
export function formatRange(
  range: {p5: number; p50: number; p95: number},
  unit: OutputUnit | string,
  digits = 3,
): string {
  const middle = formatQuantity(range.p50, unit, digits);
  // Percentages keep their one precision at the ends too; other units round their ends to two digits.
  const endDigits = unit === 'fraction' ? digits : 2;
  const low = formatQuantity(range.p5, unit, endDigits);
  const high = formatQuantity(range.p95, unit, endDigits);
  if (low === high) return middle;
  const a = NUMBER_PARTS.exec(low);
  const b = NUMBER_PARTS.exec(high);
  if (a && b && a[1] === b[1] && a[3] === b[3]) return `${middle} (${a[1]}${a[2]}–${b[2]}${b[3]})`;
  return `${middle} (${low}–${high})`;
}

/** A formatted quantity as prefix (`$`), number (with any ×10ⁿ) and suffix (`M GPU-h`). */
const NUMBER_PARTS = /^([^\d]*?)(-?[\d.,]+(?:×10[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)?)(.*)$/;
