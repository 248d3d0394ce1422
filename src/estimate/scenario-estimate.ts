import type {Catalog} from '../data/catalog.js';
import type {Hardware} from '../data/schemas/hardware.js';
import type {TrainingScenario} from '../data/schemas/scenario.js';
import {estimateTrainingRun, type TrainingRunEstimate} from './training-run.js';

/** A scenario's estimate, with what it was computed for. */
export interface ScenarioEstimate extends TrainingRunEstimate {
  readonly scenarioId: string;
  readonly modelId: string;
  readonly hardwareId: string;
  readonly hardwareName: string;
  readonly gpus: number;
  readonly tokens: number;
  readonly mfu: number;
  readonly usdPerGpuHour: number | undefined;
}

/** What a scenario point may change. */
export interface ScenarioOverrides {
  readonly hardware?: string;
}

/**
 * Estimate a training scenario from the catalog, optionally on other hardware
 * (same GPU count, same MFU: the first-order "same run elsewhere" question).
 * The price comes from the scenario when it states one for its own hardware,
 * else from the chip's catalog price.
 */
export function estimateScenario(
  catalog: Pick<Catalog, 'hardware' | 'models'>,
  scenario: TrainingScenario,
  overrides: ScenarioOverrides = {},
): ScenarioEstimate {
  const hardwareId = overrides.hardware ?? scenario.cluster.hardware;
  const hardware = lookUp(catalog.hardware, hardwareId, 'hardware');
  const model = lookUp(catalog.models, scenario.model, 'model');
  const usdPerGpuHour = priceFor(scenario, hardware);
  const estimate = estimateTrainingRun({
    model,
    hardware,
    gpus: scenario.cluster.gpus,
    tokens: scenario.workload.tokens,
    seqLen: scenario.workload.seq_len,
    mfu: scenario.efficiency.mfu,
    mfuAttention: scenario.efficiency.attention,
    peakPrecision: scenario.efficiency.peak_precision,
    usdPerGpuHour,
    powerFractionOfTdp: scenario.energy?.power_fraction_of_tdp ?? 1,
    pue: scenario.energy?.pue ?? 1,
  });
  return {
    ...estimate,
    scenarioId: scenario.id,
    modelId: model.id,
    hardwareId: hardware.id,
    hardwareName: hardware.name,
    gpus: scenario.cluster.gpus,
    tokens: scenario.workload.tokens,
    mfu: scenario.efficiency.mfu,
    usdPerGpuHour,
  };
}

/** One estimate per point of the scenario's sweep (its own hardware when it has none). */
export function sweepScenario(catalog: Pick<Catalog, 'hardware' | 'models'>, scenario: TrainingScenario): ScenarioEstimate[] {
  const hardwareIds = scenario.sweep?.hardware ?? [scenario.cluster.hardware];
  return hardwareIds.map((hardware) => estimateScenario(catalog, scenario, {hardware}));
}

function priceFor(scenario: TrainingScenario, hardware: Hardware): number | undefined {
  if (scenario.cost && hardware.id === scenario.cluster.hardware) return scenario.cost.usd_per_gpu_hour;
  return hardware.price?.usd_per_gpu_hour;
}

function lookUp<T>(records: ReadonlyMap<string, T>, id: string, kind: string): T {
  const record = records.get(id);
  if (record === undefined) throw new RangeError(`unknown ${kind} id \`${id}\``);
  return record;
}
