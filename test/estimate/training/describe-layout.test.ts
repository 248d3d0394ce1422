import {describe, expect, it} from 'vitest';
import {describeParallelism} from '../../../src/estimate/training/describe-layout.js';

describe('describeParallelism', () => {
  it('names the knobs a run states, in the words of papers', () => {
    // DeepSeek-V3 report §3.2: PP16 DualPipe, EP64, ZeRO-1, no TP.
    expect(describeParallelism({tp: 1, pp: 16, ep: 64, zero: 1, schedule: 'dualpipe'})).toBe(
      'no TP, PP 16 with DualPipe, EP 64, ZeRO-1',
    );
    expect(
      describeParallelism({
        tp: 8,
        pp: 4,
        schedule: 'interleaved',
        virtual_stages: 3,
        micro_batch_size: 2,
        recompute: 'full',
      }),
    ).toBe('TP 8, PP 4 with interleaved 1F1B (3 virtual stages), micro-batch 2, full recompute');
    expect(describeParallelism({tp: 2, pp: 1, zero: 0, cp: 16, etp: 1, ep: 1, uneven_stages: true})).toBe(
      'TP 2, no PP, no EP, expert TP 1, CP 16, no ZeRO, uneven stages',
    );
  });

  it('names a schedule without a stated pipeline depth, and says when nothing is stated', () => {
    expect(describeParallelism({schedule: 'zero-bubble', recompute: 'none'})).toBe(
      'the zero-bubble schedule, no recompute',
    );
    expect(describeParallelism('search')).toBe('every knob searched');
    expect(describeParallelism(undefined)).toBe('every knob searched');
  });

  it('changes with the data: a page reading it follows an edited layout', () => {
    expect(describeParallelism({tp: 1, pp: 8, ep: 32, zero: 1, schedule: 'dualpipe'})).toBe(
      'no TP, PP 8 with DualPipe, EP 32, ZeRO-1',
    );
  });
});
