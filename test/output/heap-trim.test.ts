// Between reports and pages, the build collects its garbage once the heap has grown past its live set by a step.
import {getHeapStatistics} from 'node:v8';
import {describe, expect, it} from 'vitest';
import {
  DEFAULT_HEAP_GROWING_PERCENT,
  heapGrowingPercent,
  heapStepBytes,
  heapTrimmer,
  LEAN_TEMPLATE_PROCESS_FROM_REPORTS,
  TEMPLATE_SEMI_SPACE_MB,
  templateSemiSpaceMb,
} from '../../src/output/heap-trim.js';

const MB = 2 ** 20;

/**
 * Put about `mb` MB on the heap (arrays of doubles; not array buffers, which the heap does not count) and
 * drop it: the heap's size while it was held.
 */
function leaveGarbage(mb: number): number {
  const held = Array.from({length: mb}, (_, index) => new Array<number>(MB / 8).fill(index + 0.5));
  expect(held).toHaveLength(mb);
  return getHeapStatistics().used_heap_size;
}

describe('heapTrimmer', () => {
  it('collects once the heap has grown by the step, and the garbage goes', () => {
    const trim = heapTrimmer(16 * MB);
    const grown = leaveGarbage(64);
    trim();
    expect(getHeapStatistics().used_heap_size).toBeLessThan(grown - 32 * MB);
  });

  it('leaves a heap that has not grown by the step alone', () => {
    const trim = heapTrimmer(1024 * MB);
    const grown = leaveGarbage(64);
    trim();
    // Nothing collected: the dropped arrays are still counted (V8 collects later, on its own schedule).
    expect(getHeapStatistics().used_heap_size).toBeGreaterThan(grown - 32 * MB);
  });

  it('is off unless TRADEOFFS_HEAP_STEP_MB asks for a step of whole MB', () => {
    expect(heapStepBytes({})).toBe(0);
    expect(heapStepBytes({TRADEOFFS_HEAP_STEP_MB: '48'})).toBe(48 * MB);
    for (const value of ['0', '-4', '1.5', 'lots', '']) expect(heapStepBytes({TRADEOFFS_HEAP_STEP_MB: value})).toBe(0);
  });

  it('lets the heap grow by the default percentage unless TRADEOFFS_HEAP_GROWING_PERCENT says otherwise', () => {
    expect(heapGrowingPercent({})).toBe(DEFAULT_HEAP_GROWING_PERCENT);
    expect(heapGrowingPercent({TRADEOFFS_HEAP_GROWING_PERCENT: '50'})).toBe(50);
    // 0: V8's own factor.
    expect(heapGrowingPercent({TRADEOFFS_HEAP_GROWING_PERCENT: '0'})).toBe(0);
    for (const value of ['-4', '1.5', 'lots', ''])
      expect(heapGrowingPercent({TRADEOFFS_HEAP_GROWING_PERCENT: value})).toBe(DEFAULT_HEAP_GROWING_PERCENT);
  });

  it("caps a large site's template process's young generation, and leaves a small site's to V8", () => {
    expect(templateSemiSpaceMb(LEAN_TEMPLATE_PROCESS_FROM_REPORTS)).toBe(TEMPLATE_SEMI_SPACE_MB);
    expect(templateSemiSpaceMb(200)).toBe(TEMPLATE_SEMI_SPACE_MB);
    expect(templateSemiSpaceMb(LEAN_TEMPLATE_PROCESS_FROM_REPORTS - 1)).toBeUndefined();
    expect(templateSemiSpaceMb(10)).toBeUndefined();
  });
});
