import {median} from './median.js';

/** A calibration row as the grouping reads it. */
export interface GroupedRow {
  readonly id: string;
  readonly modelId: string;
  readonly hardwareId: string | undefined;
  readonly precision: string;
  /** Predicted over reported throughput, the run left out of the fit. */
  readonly looThroughputRatio: number | undefined;
}

/**
 * The leave-one-out errors of the runs that share a kind of model (dense or
 * mixture of experts), a chip and a precision: where the model's misses
 * cluster, which single runs do not show. Errors are in speed terms
 * (predicted over reported throughput, minus one), so that a step time's
 * and a GPU-hour count's errors read the same way as a throughput's.
 */
export interface ErrorGroup {
  readonly ffn: 'dense' | 'moe';
  readonly hardwareId: string;
  readonly precision: string;
  readonly runIds: readonly string[];
  /** The models of the runs, in order of first appearance. */
  readonly modelIds: readonly string[];
  readonly medianSpeedError: number;
  readonly lowestSpeedError: number;
  readonly highestSpeedError: number;
}

/** Group the rows with a leave-one-out prediction and a chip, ordered by kind, chip and precision. */
export function errorGroups(
  rows: readonly GroupedRow[],
  ffnOf: (modelId: string) => 'dense' | 'moe' | undefined,
): ErrorGroup[] {
  const groups = new Map<string, {ffn: 'dense' | 'moe'; hardwareId: string; precision: string; rows: GroupedRow[]}>();
  for (const row of rows) {
    const ffn = ffnOf(row.modelId);
    if (row.looThroughputRatio === undefined || row.hardwareId === undefined || ffn === undefined) continue;
    const key = `${ffn}\u0000${row.hardwareId}\u0000${row.precision}`;
    const group = groups.get(key) ?? {ffn, hardwareId: row.hardwareId, precision: row.precision, rows: []};
    group.rows.push(row);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((group) => {
      const errors = group.rows.map((row) => (row.looThroughputRatio as number) - 1);
      return {
        ffn: group.ffn,
        hardwareId: group.hardwareId,
        precision: group.precision,
        runIds: group.rows.map((row) => row.id),
        modelIds: [...new Set(group.rows.map((row) => row.modelId))],
        medianSpeedError: median(errors) as number,
        lowestSpeedError: Math.min(...errors),
        highestSpeedError: Math.max(...errors),
      };
    })
    .sort(
      (a, b) =>
        a.ffn.localeCompare(b.ffn) ||
        a.hardwareId.localeCompare(b.hardwareId) ||
        a.precision.localeCompare(b.precision),
    );
}
