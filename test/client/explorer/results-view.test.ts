// What the explorer prints of an estimate (src/client/explorer/results-view.ts), without a DOM.
import {describe, expect, it} from 'vitest';
import {extrapolationOf, outputText} from '../../../src/client/explorer/results-view.js';
import type {AnyEstimate} from '../../../src/estimate/kinds.js';

const training = (fields: Record<string, unknown>) => ({kind: 'training', ...fields}) as unknown as AnyEstimate;

describe('the explorer’s estimate', () => {
  it('flags an extrapolated estimate as the CLI words it, whatever form the mark takes', () => {
    expect(extrapolationOf(training({}))).toBeUndefined();
    expect(extrapolationOf(training({extrapolated: false}))).toBeUndefined();
    expect(extrapolationOf(training({extrapolated: true, prediction: {rateBasis: 'cross-chip'}}))).toBe(
      "the chip's matmul rate is extrapolated, not measured (cross-chip): its ranges are wider",
    );
    expect(extrapolationOf(training({extrapolated: true}))).toBe('outside the range the estimator was calibrated on');
    expect(extrapolationOf(training({extrapolated: 'beyond 8,192 GPUs'}))).toBe('beyond 8,192 GPUs');
    expect(extrapolationOf(training({extrapolated: {reasons: ['a', 'b']}}))).toBe('a; b');
  });

  it('prints an output as the reports do: the median and range when uncertain, a dash for a missing number', () => {
    const estimate = training({
      gpuHours: 2.664e6,
      costUsd: undefined,
      ranges: {gpuHours: {p5: 2.3e6, p50: 2.67e6, p95: 3.1e6}},
    });
    expect(outputText(estimate, 'gpuHours')).toBe('2.67M GPU-h (2.3–3.1M GPU-h)');
    expect(outputText(estimate, 'costUsd')).toBe('–');
    expect(outputText(estimate, 'nope')).toBe('–');
  });
});
