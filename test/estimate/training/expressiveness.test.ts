import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import {parseHardwareRecord} from '../../../src/data/schemas/hardware.js';
import {referenceRunSchema} from '../../../src/data/schemas/reference.js';
import {trainingScenarioSchema, type TrainingScenario} from '../../../src/data/schemas/scenario.js';
import {splitUncertain} from '../../../src/data/split-uncertain.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {chipRates} from '../../../src/estimate/chip-rates.js';
import {NOMINAL_CONSTANTS} from '../../../src/estimate/model-constants.js';
import {predictRun} from '../../../src/estimate/training/calibration.js';
import {estimateTraining} from '../../../src/estimate/training/training-scenario.js';
import {trainingWithRanges} from '../../../src/estimate/training/training-ranges.js';
import {REPO_ROOT} from '../../helpers/project.js';
import {STATED_SCENARIO_WITHOUT_WORKLOAD} from '../../helpers/training-fixtures.js';

/** What issue #14 asks a published run to be writable as: stages, goodput, outcomes, FP16-only chips, cluster networks. */

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCheckedCatalog(REPO_ROOT, new Diagnostics());
});

const scenario = (id: string) => catalog.scenarios.get(id) as TrainingScenario;
const parse = (raw: unknown) => splitUncertain(trainingScenarioSchema.parse(raw)).nominal as TrainingScenario;

describe('multi-stage runs', () => {
  it('add up GPU-hours, days, energy and FLOPs over the stages, and report each', () => {
    const estimate = estimateTraining(catalog, scenario('llama-3.1-405b-stages'));
    expect(estimate.stages.map((stage) => stage.name)).toEqual([
      'pre-training at 8K',
      'long-context pre-training to 128K',
      'annealing',
    ]);
    const sum = (read: (stage: (typeof estimate.stages)[number]) => number) =>
      estimate.stages.reduce((total, stage) => total + read(stage), 0);
    expect(estimate.gpuHours).toBeCloseTo(
      sum((stage) => stage.gpuHours),
      3,
    );
    expect(estimate.wallClockDays).toBeCloseTo(
      sum((stage) => stage.wallClockDays),
      9,
    );
    expect(estimate.energyMegawattHours).toBeCloseTo(
      sum((stage) => stage.energyMegawattHours ?? Number.NaN),
      6,
    );
    expect(estimate.trainingFlops).toBeCloseTo(
      sum((stage) => stage.trainingFlops),
      -15,
    );
    expect(estimate.tokens).toBeCloseTo(15.6e12, -9);
    // Each stage runs its own layout: context parallelism only at 128K.
    expect(estimate.stages.map((stage) => stage.prediction?.step.layout.cp)).toEqual([1, 16, 16]);
    // The 128K stage runs slower per token than the 8K one.
    const [pre, long] = estimate.stages;
    expect(long!.tokensPerSecondPerGpu).toBeLessThan(pre!.tokensPerSecondPerGpu);
    // Meta's 30.84M H100-hours (model card), from the predicted steps and the default goodput: within a fifth.
    expect(Math.abs(estimate.gpuHours / 30.84e6 - 1)).toBeLessThan(0.2);
  });

  it('keeps a single-stage scenario as it was: one stage, the whole run', () => {
    const estimate = estimateTraining(catalog, scenario('deepseek-v3-pretraining'));
    expect(estimate.stages).toHaveLength(1);
    expect(estimate.stages[0]!.name).toBeUndefined();
    expect(estimate.stages[0]!.gpuHours).toBe(estimate.gpuHours);
  });

  it('takes `workload` or `stages`, not both and not neither', () => {
    const base = STATED_SCENARIO_WITHOUT_WORKLOAD;
    const workload = {tokens: 1e12, seq_len: 8192};
    expect(trainingScenarioSchema.safeParse(base).error?.issues[0]?.message).toMatch(/Missing field `workload`/);
    expect(
      trainingScenarioSchema.safeParse({...base, workload, stages: [{name: 'one', workload}]}).error?.issues[0]
        ?.message,
    ).toMatch(/got both/);
    expect(trainingScenarioSchema.safeParse({...base, stages: [{name: 'one', workload}]}).success).toBe(true);
  });
});

describe('goodput', () => {
  it('defaults to a sourced range for predicted runs, and every GPU-hour output says it includes it', () => {
    const estimate = trainingWithRanges(catalog, scenario('llama-3.1-405b-stages'), {}, {samples: 300, seed: 1});
    expect(estimate.goodputSource).toBe('default');
    expect(estimate.goodput).toBe(NOMINAL_CONSTANTS.goodput);
    expect(estimate.goodput).toBeLessThan(1);
    // Its range (0.9 to 1) is one of the draws: the GPU-hours' range includes it.
    expect(estimate.ranges!.gpuHours!.p95).toBeGreaterThan(estimate.ranges!.gpuHours!.p5);
  });

  it('takes none for a stated efficiency (a whole-run MFU already counts the lost time)', () => {
    const estimate = estimateTraining(catalog, scenario('llama-3.1-405b-pretraining'));
    expect(estimate.goodput).toBeUndefined();
  });
});

describe('other published outcomes', () => {
  const run = (reported: Record<string, unknown>, workload: Record<string, unknown> = {}) =>
    splitUncertain(
      referenceRunSchema.parse({
        id: 'example',
        name: 'Example',
        model: 'llama-3-8b',
        cluster: {hardware: 'h100-sxm', gpus: 8},
        workload: {seq_len: 8192, global_batch_tokens: 128 * 8192, ...workload},
        precision: 'bf16',
        parallelism: {tp: 1, pp: 1, cp: 1},
        reported: {source: 'example', ...reported},
      }),
    ).nominal;
  const predict = (reported: Record<string, unknown>, workload?: Record<string, unknown>) =>
    predictRun(
      run(reported, workload),
      catalog.models.get('llama-3-8b')!,
      catalog.hardware.get('h100-sxm')!,
      catalog.techniques.values(),
    );

  it('compares a step time, tokens per second per GPU, GPU-hours and energy, as throughput', () => {
    const tokens = predict({metric: 'tokens_per_second_per_gpu', value: 1000});
    const step = predict({metric: 'step_seconds', value: 10});
    // Same prediction, two readings: the step's tokens over its time.
    expect(step.predicted! * tokens.predicted! * 8).toBeCloseTo(128 * 8192, 0);
    expect(tokens.throughputRatio).toBeCloseTo(tokens.predicted! / 1000, 12);
    expect(step.throughputRatio).toBeCloseTo(10 / step.predicted!, 12);
    const hours = predict({metric: 'gpu_hours', value: 1e4}, {tokens: 1e11});
    // GPU-hours count the default goodput.
    expect(hours.predicted).toBeCloseTo(1e11 / (tokens.predicted! * NOMINAL_CONSTANTS.goodput) / 3600, 6);
    const energy = predict({metric: 'energy_mwh', value: 1000}, {tokens: 1e11});
    expect(energy.predicted).toBeCloseTo((hours.predicted! * 700) / 1e6, 9);
  });

  it('reads an MFU in the "6N, no attention" convention below the one with attention', () => {
    const none = predict({metric: 'mfu', attention: 'none', value: 0.4});
    const causal = predict({metric: 'mfu', attention: 'causal', value: 0.4});
    expect(none.predicted).toBeLessThan(causal.predicted!);
    expect(none.predicted).toBeGreaterThan(0.8 * causal.predicted!);
  });

  it('reads TFLOP/s per GPU as published: model FLOPs as MFU counts them, executed ones as HFU, times the peak', () => {
    const peakTflops = catalog.hardware.get('h100-sxm')!.peak_tflops.bf16!;
    for (const attention of ['none', 'causal', 'non-causal'] as const) {
      const mfu = predict({metric: 'mfu', attention, value: 0.4});
      const rate = predict({metric: 'tflops_per_gpu', counts: 'model', attention, value: 400});
      expect(rate.predicted).toBeCloseTo(mfu.predicted! * peakTflops, 6);
      expect(rate.throughputRatio).toBeCloseTo(rate.predicted! / 400, 12);
    }
    const hfu = predict({metric: 'hfu', attention: 'non-causal', value: 0.4});
    const executed = predict({metric: 'tflops_per_gpu', counts: 'hardware', attention: 'non-causal', value: 400});
    expect(executed.predicted).toBeCloseTo(hfu.predicted! * peakTflops, 6);
    expect(() => run({metric: 'tflops_per_gpu', counts: 'hardware', attention: 'none', value: 400})).toThrow(
      /Hardware FLOPs count the attention/,
    );
  });

  it('needs the tokens for GPU-hours, days and energy', () => {
    expect(() => run({metric: 'gpu_hours', value: 1e4})).toThrow(/Missing field `tokens`/);
    expect(() => run({metric: 'wall_clock_days', value: 20})).toThrow(/Missing field `tokens`/);
  });

  it('compares wall-clock days: the GPU-hours over the GPUs', () => {
    const hours = predict({metric: 'gpu_hours', value: 1e4}, {tokens: 1e11});
    const days = predict({metric: 'wall_clock_days', value: 50}, {tokens: 1e11});
    expect(days.predicted).toBeCloseTo(hours.predicted! / 8 / 24, 9);
    expect(days.throughputRatio).toBeCloseTo(50 / days.predicted!, 12);
  });
});

describe('multi-stage published runs', () => {
  const stage8k: {name: string; workload: Record<string, number>; parallelism?: Record<string, number>} = {
    name: 'at 8K',
    workload: {tokens: 2e11, seq_len: 8192, global_batch_tokens: 128 * 8192},
  };
  const stage32k = {
    name: 'at 32K',
    workload: {tokens: 3e10, seq_len: 32768, global_batch_tokens: 32 * 32768},
    parallelism: {tp: 2, cp: 2, pp: 1},
  };
  const base = {
    id: 'staged',
    name: 'Staged',
    model: 'llama-3-8b',
    cluster: {hardware: 'h100-sxm', gpus: 16},
    precision: 'bf16',
    parallelism: {tp: 1, pp: 1, cp: 1},
  };
  const parseRun = (raw: Record<string, unknown>) => splitUncertain(referenceRunSchema.parse(raw)).nominal;
  const predictOf = (raw: Record<string, unknown>) =>
    predictRun(
      parseRun(raw),
      catalog.models.get('llama-3-8b')!,
      catalog.hardware.get('h100-sxm')!,
      catalog.techniques.values(),
    );

  it('predict the sum of their stages, each with its own workload and layout', () => {
    for (const metric of ['gpu_hours', 'wall_clock_days', 'energy_mwh', 'training_flops'] as const) {
      const reported = {metric, value: 1, source: 'example'};
      const whole = predictOf({...base, stages: [stage8k, stage32k], reported});
      const [first, second] = [stage8k, stage32k].map(
        ({workload, parallelism}) =>
          predictOf({...base, workload, ...(parallelism ? {parallelism} : {}), reported}).predicted!,
      );
      expect(whole.predicted).toBeCloseTo(first! + second!, 6);
    }
    const whole = predictOf({
      ...base,
      stages: [stage8k, stage32k],
      reported: {metric: 'gpu_hours', value: 1, source: 'x'},
    });
    // Each stage's layout, the run's where the stage gives none; the row's layout is the stage with the most hours.
    expect(whole.layouts?.map((layout) => [layout.tp, layout.cp])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(whole.layout).toBe(whole.layouts?.[0]);
  });

  it('take `workload` or `stages`, and report a figure of the whole run', () => {
    const reported = {metric: 'gpu_hours', value: 1, source: 'x'};
    expect(() => parseRun({...base, reported})).toThrow(/Missing field `workload`/);
    expect(() => parseRun({...base, workload: stage8k.workload, stages: [stage8k], reported})).toThrow(
      /`workload` or `stages`, got both/,
    );
    expect(() =>
      parseRun({...base, stages: [stage8k], reported: {metric: 'tokens_per_second_per_gpu', value: 1, source: 'x'}}),
    ).toThrow(/figure of the whole run/);
  });
});

describe('chips and clusters', () => {
  // A V100-like chip: FP16 tensor cores, no BF16 (NVIDIA V100 datasheet: 125 TFLOP/s FP16).
  const fp16Only = {
    id: 'fp16-chip',
    name: 'FP16-only GPU',
    vendor: 'Nobody',
    peak_tflops: {fp16: 125, source: 'example'},
    memory: {capacity_gb: 32, bandwidth_tb_per_s: 0.9, source: 'example'},
    scale_up: {bandwidth_gb_per_s: 150, domain_gpus: 8, source: 'example'},
    scale_out: {bandwidth_gb_per_s: 12.5, source: 'example'},
    power: {tdp_w: 300, source: 'example'},
  };

  it('describes a chip with FP16 and no BF16, and takes its FP16 peak as the 16-bit one', () => {
    const chip = parseHardwareRecord(fp16Only);
    const rates = chipRates(chip);
    expect(rates.peakBf16FlopsPerSecond).toBe(125e12);
    expect(rates.gemmFlopsPerSecond.fp16).toBeGreaterThan(0);
    expect(() => parseHardwareRecord({...fp16Only, peak_tflops: {fp8: 10, source: 'example'}})).toThrow(
      /`bf16` or `fp16`/,
    );
  });

  it('trains a BF16 scenario in FP16 on it', () => {
    const chip = parseHardwareRecord(fp16Only);
    const hardware = new Map(catalog.hardware).set(chip.id, chip);
    const base = scenario('deepseek-v3-best-layout-by-chip');
    const gpt = parse({
      id: 'on-fp16',
      name: 'On an FP16 chip',
      kind: 'training',
      model: 'megatron-gpt-1.7b',
      cluster: {hardware: 'fp16-chip', gpus: 32},
      workload: {tokens: 1e11, seq_len: 2048, global_batch_tokens: 512 * 2048},
      precision: 'bf16',
      parallelism: {tp: 1, pp: 1},
    });
    expect(base).toBeDefined();
    const estimate = estimateTraining({...catalog, hardware}, gpt);
    expect(estimate.precision).toBe('fp16');
    expect(estimate.mfu).toBeGreaterThan(0);
    expect(estimate.mfu).toBeLessThan(1);
  });

  it('lets a cluster carry its own network: a slower fabric slows a step that crosses it', () => {
    const base = scenario('deepseek-v3-best-layout-by-chip');
    const onOwn = (network?: Record<string, unknown>) =>
      estimateTraining(
        catalog,
        parse({
          id: 'network',
          name: 'Network',
          kind: 'training',
          model: 'deepseek-v3',
          cluster: {hardware: 'h800-sxm', gpus: 2048, ...(network ? {network} : {})},
          workload: {tokens: 1e12, seq_len: 4096, global_batch_tokens: 62_914_560},
          precision: 'fp8',
          recipe: {moment_bytes: 2},
          parallelism: {tp: 1, pp: 16, ep: 64, zero: 1, schedule: '1f1b', uneven_stages: true},
        }),
        {},
        {alternatives: false},
      );
    expect(base).toBeDefined();
    const fabric = onOwn();
    const slow = onOwn({scale_out_gb_per_s: 12.5, latency_us: 10, source: 'example'});
    expect(slow.prediction!.step.breakdown.expertParallelSeconds).toBeGreaterThan(
      2 * fabric.prediction!.step.breakdown.expertParallelSeconds,
    );
    expect(slow.gpuHours).toBeGreaterThan(fabric.gpuHours);
  });
});

describe('pipeline splits that count the embedding and the loss', () => {
  // Megatron-Core's account_for_embedding/loss_in_pipeline_split: 126 layers + 2 = 128 slots = 16 stages × 8 chunks.
  const run = (virtualStages: number) => {
    const base = catalog.references.get('llama-3.1-405b-256-gb200-vp8');
    if (base === undefined || !('parallelism' in base)) throw new Error('no llama-3.1-405b-256-gb200-vp8 in data/');
    const raw = {...base, parallelism: {...base.parallelism, virtual_stages: virtualStages}};
    return predictRun(
      splitUncertain(referenceRunSchema.parse(raw)).nominal,
      catalog.models.get('llama-3.1-405b')!,
      catalog.hardware.get('gb200'),
      catalog.techniques.values(),
    );
  };

  it('writes PP 16 × VP 8 for 126 layers as published, with uneven stages', () => {
    expect(run(8).layout?.virtualStages).toBe(8);
    expect(run(8).throughputRatio).toBeGreaterThan(0);
  });

  it('allows no more chunks than the layers, the embedding and the loss', () => {
    // 16 × 9 = 144 chunks > 128 slots.
    expect(run(9).layout).toBeUndefined();
  });
});
