import type {Range} from './uncertainty/monte-carlo.js';

/** The unit an output is expressed in; formatting keys off it. */
export type OutputUnit =
  | 'GPU-h'
  | 'days'
  | 'USD'
  | 'MWh'
  | 'kWh'
  | 'tCO2e'
  | 'kgCO2e'
  | 'FLOP'
  | 'FLOP/s'
  | 'tokens/s'
  | 'fraction'
  | 'params'
  | 's'
  | 'bytes'
  | 'tokens'
  | 'sequences';

/** One output of an estimate: its label, its unit, and how to read it. */
export interface OutputInfo<Estimate> {
  readonly label: string;
  readonly unit: OutputUnit;
  readonly read: (estimate: Estimate) => number | undefined;
}

/** The outputs of one kind of estimate that templates can print by name. */
export type OutputTable<Estimate> = Readonly<Record<string, OutputInfo<Estimate>>>;

/** Whether `name` is one of the outputs of `table`. */
export function isOutputOf<Table extends OutputTable<never>>(table: Table, name: string): name is keyof Table & string {
  return Object.hasOwn(table, name);
}

/**
 * Every output of an estimate by name, then the 5th, 50th and 95th
 * percentiles of each uncertain one (`costUsd.p5`): the numbers a page may
 * print, in that order.
 */
export function outputNumbers<Estimate>(
  table: OutputTable<Estimate>,
  estimate: Estimate,
  ranges: Readonly<Partial<Record<string, Range>>> | undefined,
): Array<readonly [string, number | undefined]> {
  const numbers: Array<readonly [string, number | undefined]> = [];
  for (const [name, info] of Object.entries(table)) numbers.push([name, info.read(estimate)]);
  for (const [name, range] of Object.entries(ranges ?? {}))
    if (range)
      for (const percentile of ['p5', 'p50', 'p95'] as const)
        numbers.push([`${name}.${percentile}`, range[percentile]]);
  return numbers;
}
