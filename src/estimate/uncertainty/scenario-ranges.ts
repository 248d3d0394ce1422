import type {Catalog} from '../../data/catalog.js';
import {DelegatingMap} from '../../data/delegating-map.js';
import type {Hardware} from '../../data/schemas/hardware.js';
import type {InferenceScenario, TrainingScenario} from '../../data/schemas/scenario.js';
import type {DataPath} from '../../data/yaml-source.js';
import {estimateInference, type InferenceEstimate, type InferenceOverrides} from '../inference/inference-scenario.js';
import {DEFAULT_SAMPLING, monteCarloOutputs, type Range, type SamplingOptions} from './monte-carlo.js';
import {chipRates} from '../chip-rates.js';
import {profileModel} from '../model-profile.js';
import {
  INFERENCE_OUTPUTS,
  isInferenceOutput,
  isTrainingOutput,
  TRAINING_OUTPUTS,
  type InferenceOutputName,
  type OutputInfo,
  type TrainingOutputName,
} from '../outputs.js';
import {
  estimateScenario,
  type EstimateOptions,
  type ScenarioEstimate,
  type ScenarioOverrides,
} from '../training/training-scenario.js';
import {inputRange, sensitivity, type SensitivityRow} from './sensitivity.js';

type UncertaintyCatalog = Pick<Catalog, 'hardware' | 'models' | 'uncertainty' | 'continuous'>;
type Slice = Pick<Catalog, 'hardware' | 'models'>;

/** A training estimate with the p5–p95 range of every output, when any input is uncertain. */
export interface RangedEstimate extends ScenarioEstimate {
  readonly ranges: Readonly<Partial<Record<TrainingOutputName, Range>>> | undefined;
}

/** An inference estimate with the p5–p95 range of every output, when any input is uncertain. */
export interface RangedInferenceEstimate extends InferenceEstimate {
  readonly ranges: Readonly<Partial<Record<InferenceOutputName, Range>>> | undefined;
}

/**
 * Estimate a training scenario point and, when the scenario or its hardware
 * has uncertain inputs, run a seeded Monte Carlo over them: every output
 * gets its 5th, 50th and 95th percentiles.
 */
export function estimateWithRanges(
  catalog: UncertaintyCatalog,
  scenario: TrainingScenario,
  overrides: ScenarioOverrides = {},
  sampling: SamplingOptions = DEFAULT_SAMPLING,
  search?: EstimateOptions['search'],
): RangedEstimate {
  const estimate = estimateScenario(catalog, scenario, overrides, {search});
  // Sampling needs the outputs only: with a stated efficiency they do not depend on the predicted step,
  // and the runners-up of a prediction are never read. The model is not sampled, so neither is its profile.
  const model = catalog.models.get(scenario.model);
  // A search's choice of layout is kept from the nominal estimate: samples re-predict that layout, not search again.
  // The step depends on the hardware and the layout, not on a scenario's tokens, price, goodput or energy
  // factors: unless the hardware itself is uncertain, every sample shares the nominal prediction.
  const hardwareUncertain =
    (catalog.uncertainty.get(catalog.hardware.get(estimate.hardwareId) as object) ?? []).length > 0;
  const options = {
    predict: !scenario.efficiency,
    alternatives: false,
    profile: model ? profileModel(model) : undefined,
    layout: estimate.prediction?.step.layout,
    prediction: hardwareUncertain ? undefined : estimate.prediction,
    // Sampled chips never repeat, so their searches would only fill the build's cache with keys that never hit.
    search: hardwareUncertain ? undefined : search,
  };
  const evaluate = (slice: Slice, sampled: TrainingScenario) => estimateScenario(slice, sampled, overrides, options);
  const ranges = rangesOf(catalog, scenario, estimate.hardwareId, evaluate, TRAINING_OUTPUTS, sampling);
  return {...estimate, ranges: ranges as RangedEstimate['ranges']};
}

/** The same for an inference scenario point. */
export function inferenceWithRanges(
  catalog: UncertaintyCatalog,
  scenario: InferenceScenario,
  overrides: InferenceOverrides = {},
  sampling: SamplingOptions = DEFAULT_SAMPLING,
): RangedInferenceEstimate {
  const estimate = estimateInference(catalog, scenario, overrides);
  // The model is not sampled, so neither is its profile; the chip's rates are shared unless the hardware is uncertain.
  const model = catalog.models.get(scenario.model);
  const hardware = catalog.hardware.get(estimate.hardwareId) as Hardware;
  const hardwareUncertain = (catalog.uncertainty.get(hardware) ?? []).length > 0;
  const options = {
    curve: false,
    profile: model ? profileModel(model) : undefined,
    rates: hardwareUncertain ? undefined : chipRates(hardware),
  };
  const evaluate = (slice: Slice, sampled: InferenceScenario) => estimateInference(slice, sampled, overrides, options);
  const ranges = rangesOf(catalog, scenario, estimate.hardwareId, evaluate, INFERENCE_OUTPUTS, sampling);
  return {...estimate, ranges: ranges as RangedInferenceEstimate['ranges']};
}

/**
 * Rank every continuous input of a scenario point (the scenario's and its
 * hardware's) by how far it moves one output across its range: the p5–p95
 * of its distribution where it has one, else ±10%.
 */
export function scenarioSensitivity(
  catalog: UncertaintyCatalog,
  scenario: TrainingScenario | InferenceScenario,
  output: string,
  overrides: ScenarioOverrides & InferenceOverrides = {},
): SensitivityRow[] {
  if (scenario.kind === 'training') {
    if (!isTrainingOutput(output)) throw new RangeError(`unknown output \`${output}\``);
    const read = TRAINING_OUTPUTS[output].read;
    const hardwareId = overrides.hardware ?? scenario.cluster.hardware;
    return sensitivityOf(catalog, scenario, hardwareId, (slice, varied) =>
      read(estimateScenario(slice, varied, overrides, {predict: !scenario.efficiency})),
    );
  }
  if (!isInferenceOutput(output)) throw new RangeError(`unknown output \`${output}\``);
  const read = INFERENCE_OUTPUTS[output].read as (estimate: InferenceEstimate) => number | undefined;
  return sensitivityOf(catalog, scenario, overrides.hardware ?? scenario.hardware, (slice, varied) =>
    read(estimateInference(slice, varied, overrides, {curve: false})),
  );
}

function rangesOf<S extends {readonly model: string}, E>(
  catalog: UncertaintyCatalog,
  scenario: S,
  hardwareId: string,
  evaluate: (slice: Slice, sampled: S) => E,
  outputs: Readonly<Record<string, OutputInfo<E>>>,
  sampling: SamplingOptions,
): Record<string, Range> | undefined {
  const hardware = catalog.hardware.get(hardwareId) as Hardware;
  const scenarioLeaves = catalog.uncertainty.get(scenario) ?? [];
  const hardwareLeaves = catalog.uncertainty.get(hardware) ?? [];
  if (scenarioLeaves.length + hardwareLeaves.length === 0 || sampling.samples <= 0) return undefined;
  // The model is never sampled, and the nominal estimate has looked it up (so a tracked catalog has
  // recorded its use): draws read it from the view, not the catalog. Without uncertain hardware every
  // draw has the nominal record too: one view serves them all.
  const model = catalog.models.get(scenario.model);
  const models = model === undefined ? catalog.models : new OverlayMap(catalog.models, scenario.model, model);
  const nominalSlice = hardwareLeaves.length === 0 ? withHardware(catalog, hardware, models) : undefined;
  const reads: Record<string, (estimate: E) => number | undefined> = {};
  for (const [name, info] of Object.entries(outputs)) reads[name] = info.read;
  return monteCarloOutputs<[S, Hardware], E>(
    [
      {nominal: scenario, leaves: scenarioLeaves},
      {nominal: hardware, leaves: hardwareLeaves},
    ],
    (sampledScenario, sampledHardware) =>
      evaluate(nominalSlice ?? withHardware(catalog, sampledHardware, models), sampledScenario),
    reads,
    sampling,
  );
}

function sensitivityOf<S extends object>(
  catalog: UncertaintyCatalog,
  scenario: S & {readonly id: string},
  hardwareId: string,
  evaluate: (slice: Slice, varied: S) => number | undefined,
): SensitivityRow[] {
  const hardware = catalog.hardware.get(hardwareId) as Hardware;
  const inputsOf = (record: object, prefix: string) => {
    const leaves = catalog.uncertainty.get(record) ?? [];
    return (catalog.continuous.get(record) ?? []).flatMap((path) => {
      const nominal = valueAt(record, path);
      if (typeof nominal !== 'number') return [];
      const leaf = leaves.find((candidate) => samePath(candidate.path, path));
      return [inputRange(`${prefix}.${path.join('.')}`, path, nominal, leaf?.distribution)];
    });
  };
  return sensitivity<[S, Hardware]>(
    [
      {nominal: scenario, inputs: inputsOf(scenario, scenario.id)},
      {nominal: hardware, inputs: inputsOf(hardware, hardware.id)},
    ],
    (variedScenario, variedHardware) => evaluate(withHardware(catalog, variedHardware), variedScenario),
  );
}

/** The catalog's maps with one hardware record swapped for a sampled copy (a view: other records are still looked up one by one). */
function withHardware(
  catalog: UncertaintyCatalog,
  hardware: Hardware,
  models: Slice['models'] = catalog.models,
): Slice {
  return {hardware: new OverlayMap(catalog.hardware, hardware.id, hardware), models};
}

/** A map that reads through to `inner` but answers `id` with `value`. */
class OverlayMap<V> extends DelegatingMap<V> {
  constructor(
    private readonly inner: ReadonlyMap<string, V>,
    private readonly id: string,
    private readonly value: V,
  ) {
    super();
  }

  get(key: string): V | undefined {
    return key === this.id ? this.value : this.inner.get(key);
  }

  has(key: string): boolean {
    return key === this.id || this.inner.has(key);
  }

  protected whole(): ReadonlyMap<string, V> {
    return new Map(this.inner).set(this.id, this.value);
  }
}

function valueAt(record: object, path: DataPath): unknown {
  let value: unknown = record;
  for (const key of path) value = (value as Record<string | number, unknown> | undefined)?.[key];
  return value;
}

function samePath(a: DataPath, b: DataPath): boolean {
  return a.length === b.length && a.every((segment, index) => segment === b[index]);
}
