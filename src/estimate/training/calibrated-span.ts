import {MODEL_CONSTANTS} from '../model-constants.js';
import type {StepEstimate} from './step-time.js';

/**
 * Why a predicted step lies beyond the layouts its fitted constants were
 * fitted on, or undefined. A step whose MoE layers wait for the host's
 * dispatch of the routed experts (StepEstimate.hostBound), at a count of experts per GPU outside the span of the calibration
 * runs the host-dispatch constant acts on (model-constants.ts,
 * calibratedSpan), extrapolates that fit: its ranges hold the constant's
 * spread over those runs, not what happens beyond them.
 */
export function beyondCalibration(experts: number, step: StepEstimate): string | undefined {
  const span = MODEL_CONSTANTS.hostSecondsPerLocalExpert.calibratedSpan;
  if (!step.hostBound || span === undefined) return undefined;
  const perGpu = experts / step.layout.ep;
  if (perGpu >= span.low && perGpu <= span.high) return undefined;
  return `the host's dispatch of ${perGpu} ${span.quantity} paces the MoE layers, outside the ${span.low} to ${span.high} the host-dispatch constant was fitted on`;
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * The distinct reasons of a scenario's predicted stages (beyondCalibration), in stage order. Monte Carlo
 * samples call this per draw: a shared empty list when no stage is beyond, the common case.
 */
export function stagesBeyondCalibration(
  experts: number,
  stages: readonly {readonly prediction?: {readonly step: StepEstimate} | undefined}[],
): readonly string[] {
  let reasons = NONE;
  for (const stage of stages) {
    const reason = stage.prediction && beyondCalibration(experts, stage.prediction.step);
    if (reason !== undefined && !reasons.includes(reason)) reasons = [...reasons, reason];
  }
  return reasons;
}
