import type {Precision} from './schemas/common.js';
import type {Scenario} from './schemas/scenario.js';
import type {DataPath} from './yaml-source.js';

/** The kinds of scenario (`kind:` in a scenario file): one zod schema each (schemas/scenario.ts). */
export type ScenarioKind = Scenario['kind'];
export type ScenarioOfKind<K extends ScenarioKind> = Extract<Scenario, {readonly kind: K}>;

/**
 * One function per scenario kind, each taking scenarios of its kind: a table
 * the compiler checks is complete, so a new kind cannot be forgotten.
 */
export type PerKind<Result, Args extends unknown[] = []> = {
  readonly [K in ScenarioKind]: (scenario: ScenarioOfKind<K>, ...args: Args) => Result;
};

/** Call the function of `table` for the scenario's own kind. */
export function onKind<Result, Args extends unknown[]>(
  table: PerKind<Result, Args>,
  scenario: Scenario,
  ...args: Args
): Result {
  return callOnKind(table, scenario.kind, scenario, args);
}

// A generic kind lets the compiler match the table's function to the scenario's type (TypeScript 4.6's
// correlated unions); `onKind` passes the scenario's own kind, so the two always agree.
function callOnKind<K extends ScenarioKind, Result, Args extends unknown[]>(
  table: PerKind<Result, Args>,
  kind: K,
  scenario: ScenarioOfKind<K>,
  args: Args,
): Result {
  return table[kind](scenario, ...args);
}

/** The scenarios of one kind, in the order given. */
export function scenariosOfKind<K extends ScenarioKind>(
  scenarios: Iterable<Scenario>,
  kind: K,
): Array<ScenarioOfKind<K>> {
  return [...scenarios].filter((scenario): scenario is ScenarioOfKind<K> => scenario.kind === kind);
}

/** The records a scenario names by id (its model and hardware), and where in the scenario it names them. */
export interface ScenarioReferences {
  readonly model: string;
  /** The hardware it runs on, and the path of that id in the scenario. */
  readonly hardware: {readonly id: string; readonly path: DataPath};
  /** The other hardware its sweep runs on (`sweep.hardware`). */
  readonly sweepHardware: readonly string[];
  /**
   * The precision whose peak rate a stated efficiency is measured against: every chip it runs on needs it.
   * Undefined without a stated efficiency: a predicted MFU is over the chip's own 16-bit peak (BF16, or FP16 on
   * a chip without BF16), which every chip has.
   */
  readonly peakPrecision: Precision | undefined;
  /** The precision its GEMMs run in, which its own hardware must support, when the scenario fixes one. */
  readonly gemmPrecision: Precision | undefined;
}

const REFERENCES: PerKind<ScenarioReferences | undefined> = {
  training: (scenario) => ({
    model: scenario.model,
    hardware: {id: scenario.cluster.hardware, path: ['cluster', 'hardware']},
    sweepHardware: scenario.sweep?.hardware ?? [],
    peakPrecision: scenario.efficiency?.peak_precision,
    gemmPrecision: scenario.precision,
  }),
  inference: (scenario) => ({
    model: scenario.model,
    hardware: {id: scenario.hardware, path: ['hardware']},
    sweepHardware: scenario.sweep?.hardware ?? [],
    peakPrecision: undefined,
    gemmPrecision: undefined,
  }),
  // The demand model names no records.
  demand: () => undefined,
};

/** What a scenario refers to by id, for id resolution and the assumptions behind its numbers; undefined for none. */
export function scenarioReferences(scenario: Scenario): ScenarioReferences | undefined {
  return onKind(REFERENCES, scenario);
}
