import type {Catalog} from './catalog.js';
import type {Precision} from './schemas/common.js';
import type {Hardware} from './schemas/hardware.js';

/**
 * The published runs (data/references.yaml) that check the estimator on a
 * chip in a precision: runs on that chip, or on a chip with the same compute
 * rates in that precision (its dense peak and its measured matmul rate, the
 * numbers the step model's compute term reads), in the same precision. An
 * H100 in FP8 is checked by DeepSeek-V3's FP8 run on the H800, the same
 * Hopper compute; a B200 in FP8 by nothing. An empty list marks an estimate
 * that extrapolates the model beyond every published run.
 */
export function calibrationPoints(
  catalog: Pick<Catalog, 'hardware' | 'references'>,
  hardwareId: string,
  precision: Precision,
): string[] {
  const chip = catalog.hardware.get(hardwareId);
  if (!chip) return [];
  const points: string[] = [];
  for (const run of catalog.references.values()) {
    if (!run.cluster || run.precision !== precision) continue;
    const other = catalog.hardware.get(run.cluster.hardware);
    if (other && (other.id === chip.id || sameCompute(other, chip, precision))) points.push(run.id);
  }
  return points.sort();
}

function sameCompute(a: Hardware, b: Hardware, precision: Precision): boolean {
  if (precision !== 'bf16' && precision !== 'fp16' && precision !== 'fp8') return false;
  const measured = a.achievable_tflops?.[precision];
  return (
    a.peak_tflops[precision] === b.peak_tflops[precision] &&
    a.peak_tflops.bf16 === b.peak_tflops.bf16 &&
    measured !== undefined &&
    measured === b.achievable_tflops?.[precision]
  );
}
