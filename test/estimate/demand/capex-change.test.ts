import {describe, expect, it} from 'vitest';
import {CAPEX_HELD_WITHIN, capexChange} from '../../../src/estimate/demand/capex-change.js';

const item = (before: number[], after: number[]) =>
  ({kind: 'capex', name: 'Buyer', year: '2025', before_usd: before, after_usd: after, source: 'test'}) as const;

describe('capexChange', () => {
  it('compares guidance midpoints, and counts a change within the default share as held', () => {
    expect(capexChange(item([60e9, 65e9], [64e9, 72e9])).change).toBeCloseTo(68 / 62.5 - 1, 12);
    expect(capexChange(item([80e9], [88.2e9])).direction).toBe('raised');
    expect(capexChange(item([87.8e9], [88.2e9])).direction).toBe('held');
    expect(capexChange(item([100e9], [90e9])).direction).toBe('cut');
  });

  it('puts the boundary at the default share, each way', () => {
    expect(capexChange(item([100], [100 * (1 + CAPEX_HELD_WITHIN)])).direction).toBe('raised');
    expect(capexChange(item([100], [100 * (1 + CAPEX_HELD_WITHIN / 2)])).direction).toBe('held');
    expect(capexChange(item([100], [100 * (1 - CAPEX_HELD_WITHIN)])).direction).toBe('cut');
  });
});
