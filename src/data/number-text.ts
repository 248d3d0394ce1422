/** A number as data writes it: `80`, `3.35`, `0.001`, `1.48e13`. */
export function numberText(value: number): string {
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3))
    return value
      .toExponential(3)
      .replace(/\.?0+e/, 'e')
      .replace('e+', 'e');
  return Number(value.toPrecision(4)).toLocaleString('en-US', {maximumFractionDigits: 6});
}
