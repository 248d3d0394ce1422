import {describe, expect, it} from 'vitest';
import {chipRates} from '../../../src/estimate/chip-rates.js';
import {MODEL_CONSTANTS} from '../../../src/estimate/model-constants.js';
import {beyondCalibration, stagesBeyondCalibration} from '../../../src/estimate/training/calibrated-span.js';
import {predictStep} from '../../../src/estimate/training/step-time.js';
import {gptProfile, layoutOf, setupOf, testChip} from '../../helpers/training-fixtures.js';

/**
 * A step the host's dispatch of the routed experts sets extrapolates the
 * host-dispatch constant when its experts per GPU lie outside the span of
 * the calibration runs it was fitted on (2 to 32); the estimate says so.
 */

// 16 layers of 256 small experts (top 8): little GPU work per expert, so the host sets the step.
const moe = gptProfile({
  layers: 16,
  ffn: {kind: 'moe', experts: 256, active: 8, expert_d_ff: 512, gated: true},
  declared: {params_total: 20e9, source: 'example'},
});
const rates = chipRates(testChip());
const setup = setupOf({gpus: 8, seqLen: 1024, globalBatchTokens: 8 * 1024 * 4});
const span = MODEL_CONSTANTS.hostSecondsPerLocalExpert.calibratedSpan!;

describe('a step beyond the calibrated span of the host-dispatch constant', () => {
  it('is named when the host sets it at more experts per GPU than the fit saw', () => {
    // ep 1: all 256 experts on each GPU, far past 32.
    const step = predictStep(moe, setup, layoutOf({dp: 8, ep: 1}), rates);
    expect(step.hostBound).toBe(true);
    expect(beyondCalibration(moe.experts, step)).toContain(`256 ${span.quantity}`);
  });

  it('is not named inside the span, nor when the host does not set the step (full CUDA graphs)', () => {
    // ep 8: 32 experts per GPU, the span's edge.
    const inside = predictStep(moe, setup, layoutOf({dp: 8, ep: 8}), rates);
    expect(inside.hostBound).toBe(true);
    expect(beyondCalibration(moe.experts, inside)).toBeUndefined();
    const graphed = predictStep(moe, {...setup, cudaGraphs: 'full'}, layoutOf({dp: 8, ep: 1}), rates);
    expect(graphed.hostBound).toBe(false);
    expect(beyondCalibration(moe.experts, graphed)).toBeUndefined();
  });

  it("lists a scenario's reasons once each, in stage order, and none when every stage is inside", () => {
    const beyond = predictStep(moe, setup, layoutOf({dp: 8, ep: 1}), rates);
    const inside = predictStep(moe, setup, layoutOf({dp: 8, ep: 8}), rates);
    const reasons = stagesBeyondCalibration(moe.experts, [
      {prediction: {step: beyond}},
      {prediction: undefined},
      {prediction: {step: beyond}},
    ]);
    expect(reasons).toEqual([beyondCalibration(moe.experts, beyond)]);
    expect(stagesBeyondCalibration(moe.experts, [{prediction: {step: inside}}])).toEqual([]);
  });
});
