import {describe, expect, it} from 'vitest';
import {errorGroups, type GroupedRow} from '../../../src/estimate/calibration/error-groups.js';

const row = (
  id: string,
  modelId: string,
  hardwareId: string | undefined,
  precision: string,
  ratio?: number,
): GroupedRow => ({
  id,
  modelId,
  hardwareId,
  precision,
  looThroughputRatio: ratio,
});

const ffnOf = (modelId: string) =>
  modelId.startsWith('moe') ? 'moe' : modelId.startsWith('dense') ? 'dense' : undefined;

describe('errorGroups', () => {
  it('groups by kind of model, chip and precision, in that order, with the median and the extremes in speed terms', () => {
    const groups = errorGroups(
      [
        row('a', 'moe-x', 'gb200', 'fp8', 1.3),
        row('b', 'dense-y', 'h100', 'bf16', 0.9),
        row('c', 'moe-z', 'gb200', 'fp8', 1.1),
        row('d', 'moe-x', 'gb200', 'bf16', 1.0),
        row('e', 'dense-y', 'a100', 'bf16', 1.2),
      ],
      ffnOf,
    );
    expect(groups.map((group) => `${group.ffn} ${group.hardwareId} ${group.precision}`)).toEqual([
      'dense a100 bf16',
      'dense h100 bf16',
      'moe gb200 bf16',
      'moe gb200 fp8',
    ]);
    const fp8 = groups[3];
    expect(fp8?.runIds).toEqual(['a', 'c']);
    expect(fp8?.modelIds).toEqual(['moe-x', 'moe-z']);
    expect(fp8?.medianSpeedError).toBeCloseTo(0.2, 12);
    expect(fp8?.lowestSpeedError).toBeCloseTo(0.1, 12);
    expect(fp8?.highestSpeedError).toBeCloseTo(0.3, 12);
  });

  it('leaves out runs with no leave-one-out prediction, no chip or an unknown model', () => {
    const groups = errorGroups(
      [
        row('a', 'dense-y', 'h100', 'bf16', 1.05),
        row('b', 'dense-y', 'h100', 'bf16'),
        row('c', 'dense-y', undefined, 'bf16', 1.2),
        row('d', 'other', 'h100', 'bf16', 1.2),
      ],
      ffnOf,
    );
    expect(groups).toHaveLength(1);
    expect(groups[0]?.runIds).toEqual(['a']);
    expect(groups[0]?.medianSpeedError).toBeCloseTo(0.05, 12);
  });
});
