import type {Catalog} from '../../data/catalog.js';
import {DelegatingMap} from '../../data/delegating-map.js';
import {withLinkedMemory} from '../chip-rates.js';
import type {Hardware} from '../../data/schemas/hardware.js';
import type {DataPath} from '../../data/yaml-source.js';
import type {OutputTable} from '../outputs.js';
import {monteCarloDraws, type SamplingOptions, type UncertainRecord} from './monte-carlo.js';
import {inputRange, sensitivity, type SensitivityRow} from './sensitivity.js';

/** The catalog a ranged estimate reads: records, their uncertain leaves and their continuous inputs. */
export type UncertaintyCatalog = Pick<Catalog, 'hardware' | 'models' | 'uncertainty' | 'continuous'> &
  Partial<Pick<Catalog, 'techniques'>>;
/** The records an estimate looks up: the hardware and the models, some of them sampled copies, and the technique dates. */
export type Slice = Pick<Catalog, 'hardware' | 'models'> & Partial<Pick<Catalog, 'techniques'>>;

/**
 * Whether a chip has uncertain numbers that move its rates (compute, memory,
 * links): an uncertain price alone leaves every predicted step as it is, so
 * Monte Carlo draws may share the nominal one.
 */
export function ratesUncertain(catalog: UncertaintyCatalog, hardwareId: string): boolean {
  const hardware = catalog.hardware.get(hardwareId);
  return (hardware ? (catalog.uncertainty.get(hardware) ?? []) : []).some((leaf) => leaf.path[0] !== 'price');
}

/**
 * Every output of a scenario point on each draw of a seeded Monte Carlo over
 * the uncertain inputs of the scenario and its hardware, and of any
 * `extras` (the model's constants and its own error, drawn after them in
 * each sample and passed to `evaluate` in order), in draw order
 * (monteCarloDraws; rangesOfDraws gives the p5–p95 ranges): the scenario
 * is the first record, its hardware the second and the extras after them,
 * so two scenario points draw an input they share alike. Undefined when
 * none is uncertain (or no samples are asked for).
 */
export function drawsOf<S extends {readonly model: string}, E>(
  catalog: UncertaintyCatalog,
  scenario: S,
  hardwareId: string,
  evaluate: (slice: Slice, sampled: S, extras: readonly unknown[]) => E,
  outputs: OutputTable<E>,
  sampling: SamplingOptions,
  extras: ReadonlyArray<UncertainRecord<unknown>> = [],
): Record<string, Float64Array> | undefined {
  const hardware = catalog.hardware.get(hardwareId) as Hardware;
  const scenarioLeaves = catalog.uncertainty.get(scenario) ?? [];
  const hardwareLeaves = catalog.uncertainty.get(hardware) ?? [];
  const extraLeaves = extras.reduce((count, record) => count + record.leaves.length, 0);
  if (scenarioLeaves.length + hardwareLeaves.length + extraLeaves === 0 || sampling.samples <= 0) return undefined;
  // The model is never sampled, and the nominal estimate has looked it up (so a tracked catalog has
  // recorded its use): draws read it from the view, not the catalog. Without uncertain hardware every
  // draw has the nominal record too: one view serves them all.
  const model = catalog.models.get(scenario.model);
  const models = model === undefined ? catalog.models : new OverlayMap(catalog.models, scenario.model, model);
  const nominalSlice = hardwareLeaves.length === 0 ? withHardware(catalog, hardware, models) : undefined;
  const reads: Record<string, (estimate: E) => number | undefined> = {};
  for (const [name, info] of Object.entries(outputs)) reads[name] = info.read;
  return monteCarloDraws<[S, Hardware, ...unknown[]], E>(
    [{nominal: scenario, leaves: scenarioLeaves}, {nominal: hardware, leaves: hardwareLeaves}, ...extras],
    (sampledScenario, sampledHardware, ...sampledExtras) =>
      evaluate(nominalSlice ?? withHardware(catalog, sampledHardware, models), sampledScenario, sampledExtras),
    reads,
    sampling,
  );
}

/**
 * Rank every continuous input of a scenario point (the scenario's and its
 * hardware's) by how far it moves one output across its range: the p5–p95
 * of its distribution where it has one, else ±10%.
 */
export function sensitivityOf<S extends object>(
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
  const nominal = catalog.hardware.get(hardware.id);
  const linked = nominal === undefined || nominal === hardware ? hardware : withLinkedMemory(nominal, hardware);
  return {hardware: new OverlayMap(catalog.hardware, hardware.id, linked), models, techniques: catalog.techniques};
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
