/**
 * Speed of the uncertainty machinery on DeepSeek-V3 pre-training (2,048 H800):
 * (a) 10,000 Monte Carlo samples of a full training estimate through
 * `trainingWithRanges` (goal: under 200 ms on one core, median of 3 runs
 * after a warm-up), for the scenario as written (stated MFU: the predicted
 * step is skipped while sampling) and for a copy whose efficiency is
 * predicted (every sample runs the step-time model on the scenario's layout);
 * (b) one-at-a-time sensitivity over every continuous input of the scenario
 * and its hardware, for GPU-hours and cost. Returns printable lines.
 * Run with `npx tsx -e "import('./bench/uncertainty.ts').then(m=>m.benchUncertainty()).then(l=>console.log(l.join('\n')))"`.
 * Under tsx every inner closure gets a `__name()` wrapper (see bench/estimator.ts), so times there run high.
 */
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Catalog} from '../src/data/catalog.js';
import {loadCheckedCatalog} from '../src/check/check-catalog.js';
import type {TrainingScenario} from '../src/data/schemas/scenario.js';
import {Diagnostics} from '../src/diagnostics/diagnostics.js';
import type {SamplingOptions} from '../src/estimate/uncertainty/monte-carlo.js';
import {scenarioSensitivity} from '../src/estimate/kinds.js';
import {trainingWithRanges, type RangedTrainingEstimate} from '../src/estimate/training/training-ranges.js';
import type {SensitivityRow} from '../src/estimate/uncertainty/sensitivity.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCENARIO_ID = 'deepseek-v3-pretraining';
const SAMPLING: SamplingOptions = {samples: 10_000, seed: 1};
const ROUNDS = 3;
const MONTE_CARLO_GOAL_MS = 200;

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
const millions = (value: number | undefined) => (value === undefined ? 'n/a' : `${(value / 1e6).toFixed(3)}M`);

/** Time `run` once to warm up, then `ROUNDS` times; the median and every run in ms. */
function timed<T>(run: () => T): {result: T; medianMs: number; runsMs: number[]} {
  let result = run();
  const runsMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    result = run();
    runsMs.push(performance.now() - start);
  }
  return {result, medianMs: median(runsMs), runsMs};
}

/**
 * The scenario with its stated efficiency removed, so the efficiency comes from the predicted step on its
 * layout. The uncertainty and continuous-input maps are keyed by record identity: the copy gets the
 * original's entries (the same leaves, at the same paths).
 */
function withPredictedEfficiency(
  catalog: Catalog,
  scenario: TrainingScenario,
): {catalog: Catalog; scenario: TrainingScenario} {
  const predicted: TrainingScenario = {...scenario, efficiency: undefined};
  const uncertainty = new Map(catalog.uncertainty);
  const leaves = catalog.uncertainty.get(scenario);
  if (leaves) uncertainty.set(predicted, [...leaves]);
  const continuous = new Map(catalog.continuous);
  const paths = catalog.continuous.get(scenario);
  if (paths)
    continuous.set(
      predicted,
      paths.filter((inputPath) => inputPath[0] !== 'efficiency'),
    );
  return {catalog: {...catalog, uncertainty, continuous}, scenario: predicted};
}

function describeMonteCarlo(
  label: string,
  run: {result: RangedTrainingEstimate; medianMs: number; runsMs: number[]},
  leaves: number,
): string[] {
  const cost = run.result.ranges?.costUsd;
  const hours = run.result.ranges?.gpuHours;
  return [
    `${label}: ${run.medianMs.toFixed(1)} ms (runs: ${run.runsMs.map((time) => time.toFixed(1)).join(', ')} ms), ${leaves} uncertain input(s), ${(SAMPLING.samples / (run.medianMs / 1000)).toLocaleString('en-US', {maximumFractionDigits: 0})} samples/s`,
    `  MFU ${(run.result.mfu * 100).toFixed(1)}% (${run.result.mfuSource}); GPU-hours p50 ${millions(hours?.p50)}; cost p5 ${millions(cost?.p5)} · p50 ${millions(cost?.p50)} · p95 ${millions(cost?.p95)} USD`,
    `  goal: under ${MONTE_CARLO_GOAL_MS} ms: ${verdict(run.medianMs < MONTE_CARLO_GOAL_MS)}`,
  ];
}

function describeSensitivity(
  label: string,
  output: string,
  run: {result: SensitivityRow[]; medianMs: number; runsMs: number[]},
  inputs: number,
): string[] {
  const top = run.result[0];
  const moving = run.result.filter((row) => row.swing > 0).length;
  return [
    `${label}, ${output}: ${run.medianMs.toFixed(2)} ms (runs: ${run.runsMs.map((time) => time.toFixed(2)).join(', ')} ms), ${run.result.length} of ${inputs} continuous inputs ranked, ${moving} move it`,
    top === undefined
      ? '  nothing ranked'
      : `  first: ${top.input}${top.ranged ? ' (ranged)' : ' (±10%)'}, swing ${top.swing.toPrecision(3)}`,
  ];
}

export async function benchUncertainty(): Promise<string[]> {
  const diagnostics = new Diagnostics();
  const catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  if (diagnostics.hasErrors) throw new Error('the catalog has errors; run `tradeoffs check`');
  const scenario = catalog.scenarios.get(SCENARIO_ID);
  if (!scenario || scenario.kind !== 'training') throw new Error(`the catalog has no training scenario ${SCENARIO_ID}`);
  const hardware = catalog.hardware.get(scenario.cluster.hardware);
  if (!hardware) throw new Error(`the catalog has no hardware ${scenario.cluster.hardware}`);
  const leaves = (catalog.uncertainty.get(scenario)?.length ?? 0) + (catalog.uncertainty.get(hardware)?.length ?? 0);
  const inputs = (catalog.continuous.get(scenario)?.length ?? 0) + (catalog.continuous.get(hardware)?.length ?? 0);
  const predicted = withPredictedEfficiency(catalog, scenario);
  const predictedInputs =
    (predicted.catalog.continuous.get(predicted.scenario)?.length ?? 0) +
    (catalog.continuous.get(hardware)?.length ?? 0);

  // (a) Monte Carlo.
  const stated = timed(() => trainingWithRanges(catalog, scenario, {}, SAMPLING));
  const withPrediction = timed(() => trainingWithRanges(predicted.catalog, predicted.scenario, {}, SAMPLING));
  if (!stated.result.ranges?.costUsd || !withPrediction.result.ranges?.costUsd)
    throw new Error('no cost range: the scenario lost its uncertain price');
  if (withPrediction.result.mfuSource !== 'predicted') throw new Error('the copy still uses a stated efficiency');

  // (b) Sensitivity over every continuous input.
  const sensitivity = (['gpuHours', 'costUsd'] as const).flatMap((output) => [
    ...describeSensitivity(
      'stated MFU',
      output,
      timed(() => scenarioSensitivity(catalog, scenario, output)),
      inputs,
    ),
    ...describeSensitivity(
      'predicted MFU',
      output,
      timed(() => scenarioSensitivity(predicted.catalog, predicted.scenario, output)),
      predictedInputs,
    ),
  ]);

  return [
    `uncertainty bench: ${SCENARIO_ID} on ${scenario.cluster.gpus.toLocaleString('en-US')} × ${hardware.id}, Node ${process.version}, median of ${ROUNDS} runs after a warm-up`,
    '',
    `(a) trainingWithRanges, ${SAMPLING.samples.toLocaleString('en-US')} samples (seed ${SAMPLING.seed}):`,
    ...describeMonteCarlo('stated MFU (prediction skipped while sampling)', stated, leaves),
    ...describeMonteCarlo('predicted MFU (efficiency removed, step predicted per sample)', withPrediction, leaves),
    '',
    '(b) scenarioSensitivity, every continuous input of the scenario and its hardware:',
    ...sensitivity,
  ];
}
