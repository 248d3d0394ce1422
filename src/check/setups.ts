import type {Catalog} from '../data/catalog.js';
import {stableJson} from '../data/record-hashes.js';
import {onKind, type PerKind} from '../data/scenario-kinds.js';
import {recipeSchema} from '../data/schemas/training.js';
import type {Scenario} from '../data/schemas/scenario.js';
import type {UncertainLeaf} from '../data/split-uncertain.js';
import type {SweepPoint} from '../estimate/kinds.js';
import {sha256} from '../tool/hash.js';

/**
 * What a scenario point describes, in two parts: the real-world `setup`
 * (model, chip, GPU count, workload, precision, layout and recipe for
 * training; model, chip, deployment and traffic for serving) and the
 * `assumptions` its figures also depend on (a stated MFU, goodput, price,
 * energy factors; elasticity and pass-through for demand). Uncertain
 * numbers appear as their distributions, so two ranges with the same mode
 * are told apart.
 */
export interface PointDescription {
  readonly setup: unknown;
  readonly assumptions: unknown;
}

/** The recipe every scenario runs with where it writes none (the schema's defaults). */
const DEFAULT_RECIPE = withoutSource(recipeSchema.parse({}));

const DESCRIBE: PerKind<PointDescription | undefined, [Catalog, SweepPoint, Readonly<Record<string, unknown>>]> = {
  training: (scenario, catalog, point, specs) => {
    const hardwareId = point.hardware ?? scenario.cluster.hardware;
    const wanted = point.precision ?? scenario.precision;
    const hardware = catalog.hardware.get(hardwareId);
    const precision = hardware && hardware.peak_tflops[wanted] === undefined ? 'bf16' : wanted;
    const technique =
      point.technique === undefined
        ? undefined
        : scenario.sweep?.techniques?.find((set) => set.name === point.technique);
    const base = scenario.parallelism;
    const parallelism =
      base === undefined
        ? undefined
        : base === 'search' && !technique?.parallelism
          ? 'search'
          : withoutSource({...(base === 'search' ? {} : base), ...technique?.parallelism});
    return {
      setup: {
        kind: scenario.kind,
        model: scenario.model,
        hardware: hardwareId,
        gpus: point.gpus ?? scenario.cluster.gpus,
        workload: specs.workload,
        precision,
        parallelism,
        recipe: {...DEFAULT_RECIPE, ...withoutSource(scenario.recipe ?? {}), ...technique?.recipe},
      },
      assumptions: {
        efficiency: withoutSource(specs.efficiency),
        goodput: (specs.goodput as {value?: unknown} | undefined)?.value,
        cost: withoutSource(specs.cost),
        energy: withoutSource(specs.energy),
      },
    };
  },
  inference: (scenario, _catalog, point, specs) => {
    const workload = withoutSource(specs.workload) as Record<string, unknown>;
    const speculative = specs.speculative as {draft_tokens?: unknown; acceptance?: unknown} | undefined;
    return {
      setup: {
        kind: scenario.kind,
        model: scenario.model,
        hardware: point.hardware ?? scenario.hardware,
        precision: scenario.precision,
        deployment: withoutSource(scenario.deployment),
        workload: point.concurrency === undefined ? workload : {...workload, concurrency: point.concurrency},
        draftTokens: speculative?.draft_tokens,
      },
      assumptions: {
        acceptance: speculative?.acceptance,
        cost: withoutSource(specs.cost),
        energy: withoutSource(specs.energy),
      },
    };
  },
  demand: (scenario, _catalog, _point, specs) => ({
    setup: {kind: scenario.kind, efficiencyFactors: scenario.efficiency_factors},
    // A pass-through with its own source is the same assumption as the bare value.
    assumptions: {elasticity: specs.elasticity, passThrough: sourcedValue(specs.pass_through)},
  }),
};

/** What one point of a scenario's sweep describes: its setup and its assumptions. */
export function describeScenarioPoint(
  catalog: Pick<Catalog, 'hardware' | 'uncertainty'>,
  scenario: Scenario,
  point: SweepPoint = {},
): PointDescription | undefined {
  const specs = withDistributions(scenario, catalog.uncertainty.get(scenario) ?? []);
  return onKind(DESCRIBE, scenario, catalog as Catalog, point, specs);
}

/**
 * A short key for a figure: the same for every scenario point with the same
 * setup and assumptions, whatever scenario it is written in, so the build
 * can check that a figure shows one value wherever it is printed.
 */
export function figureKey(
  catalog: Pick<Catalog, 'hardware' | 'uncertainty'>,
  scenario: Scenario,
  point: SweepPoint,
  output: string,
): string | undefined {
  const description = describeScenarioPoint(catalog, scenario, point);
  return description && `${sha256(stableJson(description)).slice(0, 16)}.${output}`;
}

/** The scenario a variant's `extends:` chain starts from (itself when it extends none). */
export function familyOf(catalog: Pick<Catalog, 'scenarios'>, scenario: Scenario): string {
  let current = scenario;
  const seen = new Set<string>();
  while (current.extends !== undefined && !seen.has(current.id)) {
    seen.add(current.id);
    const parent = catalog.scenarios.get(current.extends);
    if (!parent) break;
    current = parent;
  }
  return current.id;
}

/** A copy of a record's top-level fields with each uncertain number replaced by its distribution's spec. */
function withDistributions(record: object, leaves: readonly UncertainLeaf[]): Readonly<Record<string, unknown>> {
  const copy = structuredClone(record) as Record<string, unknown>;
  for (const leaf of leaves) {
    let node = copy as Record<string | number, unknown>;
    for (const key of leaf.path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[leaf.path.at(-1) as string | number] = {distribution: leaf.distribution.spec};
  }
  return copy;
}

/** The value of a `{value, source}` pair, else the value itself. */
function sourcedValue(value: unknown): unknown {
  return value !== null && typeof value === 'object' && 'source' in value && 'value' in value ? value.value : value;
}

function withoutSource<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const {source: _source, ...rest} = value as Record<string, unknown>;
  return rest as T;
}
