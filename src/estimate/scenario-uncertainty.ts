import type {Catalog} from '../data/catalog.js';
import type {Hardware} from '../data/schemas/hardware.js';
import type {TrainingScenario} from '../data/schemas/scenario.js';
import type {DataPath} from '../data/yaml-source.js';
import {DEFAULT_SAMPLING, monteCarlo, type Range, type SamplingOptions} from './monte-carlo.js';
import {isTrainingOutput, TRAINING_OUTPUTS, type TrainingOutputName} from './outputs.js';
import {estimateScenario, type ScenarioEstimate, type ScenarioOverrides} from './scenario-estimate.js';
import {inputRange, sensitivity, type SensitivityRow} from './sensitivity.js';

type UncertaintyCatalog = Pick<Catalog, 'hardware' | 'models' | 'uncertainty' | 'continuous'>;

/** A scenario estimate with the p5–p95 range of every output, when any input is uncertain. */
export interface RangedEstimate extends ScenarioEstimate {
  readonly ranges: Readonly<Partial<Record<TrainingOutputName, Range>>> | undefined;
}

/**
 * Estimate a scenario point and, when the scenario or its hardware has
 * uncertain inputs, run a seeded Monte Carlo over them: every output gets
 * its 5th, 50th and 95th percentiles.
 */
export function estimateWithRanges(
  catalog: UncertaintyCatalog,
  scenario: TrainingScenario,
  overrides: ScenarioOverrides = {},
  sampling: SamplingOptions = DEFAULT_SAMPLING,
): RangedEstimate {
  const estimate = estimateScenario(catalog, scenario, overrides);
  const hardware = catalog.hardware.get(estimate.hardwareId) as Hardware;
  const scenarioLeaves = catalog.uncertainty.get(scenario) ?? [];
  const hardwareLeaves = catalog.uncertainty.get(hardware) ?? [];
  if (scenarioLeaves.length + hardwareLeaves.length === 0 || sampling.samples <= 0) return {...estimate, ranges: undefined};
  const ranges = monteCarlo<[TrainingScenario, Hardware]>(
    [
      {nominal: scenario, leaves: scenarioLeaves},
      {nominal: hardware, leaves: hardwareLeaves},
    ],
    (sampledScenario, sampledHardware) => outputsOf(estimateScenario(withHardware(catalog, sampledHardware), sampledScenario, overrides, {predict: !scenario.efficiency})),
    sampling,
  );
  return {...estimate, ranges: ranges as RangedEstimate['ranges']};
}

/**
 * Rank every continuous input of a scenario point (the scenario's and its
 * hardware's) by how far it moves one output across its range: the p5–p95
 * of its distribution where it has one, else ±10%.
 */
export function scenarioSensitivity(
  catalog: UncertaintyCatalog,
  scenario: TrainingScenario,
  output: string,
  overrides: ScenarioOverrides = {},
): SensitivityRow[] {
  if (!isTrainingOutput(output)) throw new RangeError(`unknown output \`${output}\``);
  const hardware = catalog.hardware.get(overrides.hardware ?? scenario.cluster.hardware) as Hardware;
  const inputsOf = (record: object, prefix: string) => {
    const leaves = catalog.uncertainty.get(record) ?? [];
    return (catalog.continuous.get(record) ?? []).flatMap((path) => {
      const nominal = valueAt(record, path);
      if (typeof nominal !== 'number') return [];
      const leaf = leaves.find((candidate) => samePath(candidate.path, path));
      return [inputRange(`${prefix}.${path.join('.')}`, path, nominal, leaf?.distribution)];
    });
  };
  const read = TRAINING_OUTPUTS[output].read;
  return sensitivity<[TrainingScenario, Hardware]>(
    [
      {nominal: scenario, inputs: inputsOf(scenario, scenario.id)},
      {nominal: hardware, inputs: inputsOf(hardware, hardware.id)},
    ],
    (variedScenario, variedHardware) => read(estimateScenario(withHardware(catalog, variedHardware), variedScenario, overrides, {predict: !scenario.efficiency})),
  );
}

function outputsOf(estimate: ScenarioEstimate): Record<string, number | undefined> {
  const outputs: Record<string, number | undefined> = {};
  for (const [name, info] of Object.entries(TRAINING_OUTPUTS)) outputs[name] = info.read(estimate);
  return outputs;
}

/** The catalog's maps with one hardware record swapped for a sampled copy. */
function withHardware(catalog: UncertaintyCatalog, hardware: Hardware): Pick<Catalog, 'hardware' | 'models'> {
  const map = new Map(catalog.hardware);
  map.set(hardware.id, hardware);
  return {hardware: map, models: catalog.models};
}

function valueAt(record: object, path: DataPath): unknown {
  let value: unknown = record;
  for (const key of path) value = (value as Record<string | number, unknown> | undefined)?.[key];
  return value;
}

function samePath(a: DataPath, b: DataPath): boolean {
  return a.length === b.length && a.every((segment, index) => segment === b[index]);
}
