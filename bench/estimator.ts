/**
 * Speed of the training step-time model: single `predictStep` estimates per
 * second for DeepSeek-V3 on 2,048 H800s (goal: over a million), and a full
 * `searchLayouts` over the same run (goal: under 100 ms). Both figures are
 * medians of several timed windows after a warm-up long enough for V8 to
 * reach optimised code, printed with their min–max: one short window swings
 * with the JIT's timing and the machine's load.
 * Last, the heap bytes one estimate allocates (V8's sampling heap profiler):
 * the machine's load does not move it, where the rate swings by about 10%
 * between processes; the JIT's inlining does, by a few per cent (what it
 * inlines, escape analysis can keep off the heap).
 * Returns printable lines for `bench/run.ts`. `npm run bench` bundles the
 * benchmarks without esbuild's `keepNames` (as the CLI is bundled): under
 * tsx every inner closure gets a `__name()` wrapper, about 4× slower.
 */
import type {HeapProfiler} from 'node:inspector';
import {Session} from 'node:inspector/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {loadCheckedCatalog} from '../src/check/check-catalog.js';
import {Diagnostics} from '../src/diagnostics/diagnostics.js';
import {chipRates} from '../src/estimate/chip-rates.js';
import type {Layout, TrainingSetup} from '../src/estimate/training/layout.js';
import {profileModel} from '../src/estimate/model-profile.js';
import {searchLayouts} from '../src/estimate/training/search.js';
import {predictStep} from '../src/estimate/training/step-time.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const ESTIMATES_GOAL_PER_SECOND = 1e6;
const SEARCH_GOAL_MS = 100;
/** Warm-up before timing: long enough for V8 to optimise `predictStep` and what it calls (about a second). */
const WARM_UP_MS = 1000;
/** Timed windows of estimates; the figure is their median. */
const WINDOWS = 7;
/** Each window runs batches for at least this long. */
const WINDOW_MS = 500;
const BATCH = 10_000;
/** Estimates over which the heap allocations are sampled, and the profiler's mean bytes between samples. */
const ALLOCATION_ESTIMATES = 100_000;
const ALLOCATION_SAMPLING_BYTES = 256;
/** Warm-up searches, then timed ones; the figure is their median. */
const SEARCH_WARM_UP_ROUNDS = 3;
const SEARCH_ROUNDS = 9;

/** DeepSeek-V3 pre-training (DeepSeek-V3 report §3.2, §4.2): 2,048 H800s, 15,360 sequences of 4,096 tokens per step, FP8. */
const SETUP: TrainingSetup = {
  gpus: 2048,
  seqLen: 4096,
  globalBatchTokens: 15360 * 4096,
  gemmPrecision: 'fp8',
  flashAttention: true,
  sequenceParallel: true,
  momentBytes: 2,
  overlapDataParallel: true,
  goodput: 1,
};

const LAYOUT: Layout = {
  tp: 1,
  pp: 16,
  dp: 128,
  ep: 64,
  etp: 1,
  cp: 1,
  zero: 1,
  microBatchSize: 1,
  recompute: 'selective',
  schedule: 'dualpipe',
  virtualStages: 1,
  unevenStages: true,
};

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
const span = (values: readonly number[], format: (value: number) => string) =>
  `${format(Math.min(...values))}–${format(Math.max(...values))}`;

export async function benchEstimator(): Promise<string[]> {
  const diagnostics = new Diagnostics();
  const catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  const model = catalog.models.get('deepseek-v3');
  const hardware = catalog.hardware.get('h800-sxm');
  if (model === undefined || hardware === undefined)
    throw new Error('the catalog has no deepseek-v3 model or h800-sxm hardware');
  const profile = profileModel(model);
  const rates = chipRates(hardware);

  // (a) Single estimates: warm up, then windows of batches; the sum keeps every result live.
  let checksum = 0;
  const warmUpStart = performance.now();
  while (performance.now() - warmUpStart < WARM_UP_MS) {
    for (let index = 0; index < BATCH; index++) checksum += predictStep(profile, SETUP, LAYOUT, rates).stepSeconds;
  }
  const windowRates: number[] = [];
  // The same per second of the process's CPU time: on a shared machine, apart from the time it waited for a core.
  const windowCpuRates: number[] = [];
  let estimates = 0;
  let sum = 0;
  for (let window = 0; window < WINDOWS; window++) {
    let windowEstimates = 0;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    let elapsedMs = 0;
    while (elapsedMs < WINDOW_MS) {
      for (let index = 0; index < BATCH; index++) sum += predictStep(profile, SETUP, LAYOUT, rates).stepSeconds;
      windowEstimates += BATCH;
      elapsedMs = performance.now() - start;
    }
    const cpu = process.cpuUsage(cpuStart);
    estimates += windowEstimates;
    windowRates.push(windowEstimates / (elapsedMs / 1000));
    windowCpuRates.push(windowEstimates / ((cpu.user + cpu.system) / 1e6));
  }
  checksum += sum;
  const perSecond = median(windowRates);
  const stepSeconds = predictStep(profile, SETUP, LAYOUT, rates).stepSeconds;
  if (!Number.isFinite(checksum) || Math.abs(sum / estimates - stepSeconds) > 1e-9 * stepSeconds) {
    throw new Error(`estimates disagree: mean ${sum / estimates} s, single ${stepSeconds} s`);
  }

  // (b) A full layout search: warm-up rounds, then the median of timed rounds.
  const constraints = {unevenStages: true};
  let result = searchLayouts(profile, SETUP, rates, constraints);
  for (let round = 1; round < SEARCH_WARM_UP_ROUNDS; round++)
    result = searchLayouts(profile, SETUP, rates, constraints);
  const times: number[] = [];
  for (let round = 0; round < SEARCH_ROUNDS; round++) {
    const searchStart = performance.now();
    result = searchLayouts(profile, SETUP, rates, constraints);
    times.push(performance.now() - searchStart);
  }
  const searchMs = median(times);
  const best = result.ranked[0];

  // (c) Heap bytes per estimate, after the timed parts (the profiler's sampling would slow them).
  const bytes = await allocatedBytesPerEstimate(() => predictStep(profile, SETUP, LAYOUT, rates).stepSeconds);

  return [
    `estimator bench: DeepSeek-V3 on 2,048 H800 (${hardware.id}), Node ${process.version}`,
    '',
    `predictStep, one estimate (tp 1, pp 16, dp 128, ep 64, DualPipe, FP8): step ${stepSeconds.toFixed(3)} s`,
    `  ${Math.round(perSecond).toLocaleString('en-US')} estimates/s, median of ${WINDOWS} windows of ${WINDOW_MS} ms after ${WARM_UP_MS} ms of warm-up (min–max ${span(windowRates, (rate) => Math.round(rate).toLocaleString('en-US'))}; ${estimates.toLocaleString('en-US')} estimates; checksum ${checksum.toExponential(6)})`,
    `  per second of CPU time: ${Math.round(median(windowCpuRates)).toLocaleString('en-US')} (min–max ${span(windowCpuRates, (rate) => Math.round(rate).toLocaleString('en-US'))}; for context, the goal is on the wall clock)`,
    `  goal: over ${ESTIMATES_GOAL_PER_SECOND.toLocaleString('en-US')} estimates/s: ${verdict(perSecond > ESTIMATES_GOAL_PER_SECOND)}`,
    `  heap allocated per estimate: ${Math.round(bytes).toLocaleString('en-US')} bytes (sampled every ${ALLOCATION_SAMPLING_BYTES} bytes over ${ALLOCATION_ESTIMATES.toLocaleString('en-US')} estimates; for context: the load does not move it, the JIT's inlining by a few per cent)`,
    '',
    `searchLayouts, full search (unevenStages: true), median of ${SEARCH_ROUNDS} after ${SEARCH_WARM_UP_ROUNDS} warm-up rounds: ${searchMs.toFixed(1)} ms (min–max ${span(times, (time) => time.toFixed(1))} ms)`,
    `  considered ${result.considered.toLocaleString('en-US')} layouts, ${result.feasible.toLocaleString('en-US')} feasible`,
    best === undefined
      ? '  no feasible layout'
      : `  fastest: ${describeLayout(best.layout)}: step ${best.stepSeconds.toFixed(3)} s, MFU ${(best.mfu * 100).toFixed(1)}%`,
    `  goal: under ${SEARCH_GOAL_MS} ms: ${verdict(searchMs < SEARCH_GOAL_MS)}`,
  ];
}

/**
 * Mean heap bytes one call of `estimate` allocates, from V8's sampling heap
 * profiler with the objects the collector has already freed kept in the
 * profile (the estimator's objects are short-lived).
 */
async function allocatedBytesPerEstimate(estimate: () => number): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: ALLOCATION_SAMPLING_BYTES,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    let sum = 0;
    for (let index = 0; index < ALLOCATION_ESTIMATES; index++) sum += estimate();
    const {profile} = await session.post('HeapProfiler.stopSampling');
    if (!Number.isFinite(sum)) throw new Error('an estimate was not finite while its allocations were sampled');
    return bytesOfSamples(profile.head) / ALLOCATION_ESTIMATES;
  } finally {
    session.disconnect();
  }
}

/** The sampled bytes of a node of the profile's call tree and of all below it. */
function bytesOfSamples(node: HeapProfiler.SamplingHeapProfileNode): number {
  let bytes = node.selfSize;
  for (const child of node.children) bytes += bytesOfSamples(child);
  return bytes;
}

function describeLayout(layout: Layout): string {
  const {tp, pp, dp, ep, cp, zero, microBatchSize, recompute, schedule, virtualStages} = layout;
  return `tp ${tp}, pp ${pp}, dp ${dp}, ep ${ep}, cp ${cp}, ZeRO-${zero}, micro-batch ${microBatchSize}, ${recompute} recompute, ${schedule}${schedule === 'interleaved' ? ` ×${virtualStages}` : ''}`;
}
