import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {stepOrder} from '../../../src/estimate/training/step-order.js';

describe('the step order layouts are ranked by', () => {
  it('ties the same terms summed in another order (a link-bound step whatever its recomputation)', () => {
    // Three terms whose two orders of summation differ in the last bit: ranked as they are, the last bit chose.
    const [a, b, c] = [1.6923262494400562, 1.4374688545862175, 0.04396577620150066];
    expect(a + b + c).not.toBe(a + (b + c));
    expect(stepOrder(a + b + c)).toBe(stepOrder(a + (b + c)));
  });

  it('keeps the order of steps that differ by more than rounding', () => {
    fc.assert(
      fc.property(
        fc.double({min: 1e-3, max: 1e4, noNaN: true}),
        fc.double({min: 1e-6, max: 1, noNaN: true}),
        (step, share) => {
          expect(stepOrder(step * (1 + share))).toBeGreaterThan(stepOrder(step));
        },
      ),
    );
  });
});
