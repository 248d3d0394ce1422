import {describe, expect, it} from 'vitest';
import {CHOICE_KNOBS, type SearchResult} from '../../../src/estimate/training/search.js';
import type {StepEstimate} from '../../../src/estimate/training/step-time.js';
import {choiceGaps} from '../../../src/estimate/training/training-scenario.js';
import {layoutOf} from '../../helpers/training-fixtures.js';

/** A step of `seconds` at a layout: choiceGaps reads only these two. */
const stepAt = (seconds: number, overrides: Parameters<typeof layoutOf>[0]): StepEstimate =>
  ({stepSeconds: seconds, layout: layoutOf(overrides)}) as StepEstimate;

const byKnob = (entries: Partial<Record<(typeof CHOICE_KNOBS)[number], [number | string, StepEstimate][]>>) =>
  Object.fromEntries(
    CHOICE_KNOBS.map((knob) => [knob, new Map(entries[knob] ?? [])]),
  ) as unknown as SearchResult['bestByKnob'];

describe('the choices the search reports', () => {
  it('leave out a knob whose other value gives the same step (red team 14: "ZeRO stage 0 beats ZeRO stage 1 by 0.0%" at one data-parallel rank)', () => {
    const best = stepAt(10, {dp: 1, zero: 0, microBatchSize: 1});
    const gaps = choiceGaps(
      best,
      byKnob({
        zero: [
          [0, best],
          [1, stepAt(10 * (1 + 1e-15), {dp: 1, zero: 1, microBatchSize: 1})],
        ],
        microBatchSize: [
          [1, best],
          [2, stepAt(11, {dp: 1, zero: 0, microBatchSize: 2})],
        ],
      }),
      undefined,
    );
    expect(gaps.map((gap) => gap.knob)).toEqual(['microBatchSize']);
    expect(gaps[0]?.gap).toBeCloseTo(0.1, 12);
  });
});
