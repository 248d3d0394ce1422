/**
 * Speed of the serving estimator: a full serving estimate of a scenario
 * point with its batch/latency curve and context curve
 * (estimateInference, as a report draws it; goal: under 5 ms, median of
 * rounds), and the serving calibration with its leave-one-out refits.
 * Returns printable lines for `bench/run.ts`.
 */
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {loadCheckedCatalog} from '../src/check/check-catalog.js';
import type {InferenceScenario} from '../src/data/schemas/scenario.js';
import {Diagnostics} from '../src/diagnostics/diagnostics.js';
import {calibrateServing} from '../src/estimate/inference/calibration.js';
import {inferenceWithRanges} from '../src/estimate/inference/inference-ranges.js';
import {estimateInference} from '../src/estimate/inference/inference-scenario.js';
import {servingProfile} from '../src/estimate/inference/serving-profile.js';
import {profileModel} from '../src/estimate/model-profile.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ESTIMATE_GOAL_MS = 5;
const ROUNDS = 200;
const CALIBRATION_ROUNDS = 3;

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

export async function benchServing(): Promise<string[]> {
  const diagnostics = new Diagnostics();
  const catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  const lines: string[] = [];
  for (const id of ['deepseek-v3-serving', 'llama-3.1-405b-serving']) {
    const scenario = catalog.scenarios.get(id) as InferenceScenario | undefined;
    if (!scenario || scenario.kind !== 'inference') throw new Error(`the catalog has no inference scenario ${id}`);
    const model = catalog.models.get(scenario.model);
    if (!model) throw new Error(`the catalog has no model ${scenario.model}`);
    // A report's first estimate of a scenario: the model's profile is computed too.
    const once = () => {
      const estimate = estimateInference(catalog, scenario, {}, {profile: servingProfile(model, profileModel(model))});
      return estimate.batchCurve.length + estimate.contextCurve.length + estimate.outputTokensPerSecondPerGpu;
    };
    let checksum = 0;
    for (let round = 0; round < 20; round++) checksum += once();
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const start = performance.now();
      checksum += once();
      times.push(performance.now() - start);
    }
    const estimate = estimateInference(catalog, scenario);
    if (!Number.isFinite(checksum)) throw new Error('the serving estimate is not finite');
    const ms = median(times);
    const rangesStart = performance.now();
    const ranged = inferenceWithRanges(catalog, scenario);
    const rangesMs = performance.now() - rangesStart;
    if (!ranged.ranges) throw new Error(`${id} has no uncertain input`);
    lines.push(
      `${id}: full serving estimate with a ${estimate.batchCurve.length}-point batch curve and a ${estimate.contextCurve.length}-point context curve, median of ${ROUNDS}: ${ms.toFixed(3)} ms (goal under ${ESTIMATE_GOAL_MS} ms: ${verdict(ms < ESTIMATE_GOAL_MS)})`,
      `  with p5–p95 ranges (1,000 Monte Carlo samples, no curves): ${rangesMs.toFixed(0)} ms`,
    );
  }
  const calibrationTimes: number[] = [];
  let figures = 0;
  for (let round = 0; round < CALIBRATION_ROUNDS; round++) {
    const start = performance.now();
    figures = calibrateServing(catalog).rows.length;
    calibrationTimes.push(performance.now() - start);
  }
  lines.push(
    `calibrateServing, ${figures} reported figures with the fit and a leave-one-out refit per reference, median of ${CALIBRATION_ROUNDS}: ${median(calibrationTimes).toFixed(0)} ms`,
  );
  return lines;
}
