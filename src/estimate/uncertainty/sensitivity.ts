import type {Distribution} from '../../uncertain/distribution.js';
import {withLeafValues} from './monte-carlo.js';
import {compareText} from '../../tool/compare.js';

/** One input to vary: where it is in its record, and the values at the ends of its range. */
export interface SensitivityInput {
  readonly label: string;
  readonly path: ReadonlyArray<string | number>;
  readonly low: number;
  readonly high: number;
  /** True when the range is the input's own distribution (p5–p95); false for the default ±10%. */
  readonly ranged: boolean;
}

export interface SensitivityRow {
  readonly input: string;
  readonly ranged: boolean;
  readonly inputLow: number;
  readonly inputHigh: number;
  readonly outputAtLow: number;
  readonly outputAtHigh: number;
  /** The output with every input at its nominal value: the point the swing is around. */
  readonly outputAtNominal: number;
  /** |output at high − output at low|: how far the input moves the output across its range. */
  readonly swing: number;
}

/** Share by which an input with no stated range is moved each way. */
export const DEFAULT_SWING = 0.1;

/** The sensitivity range of an input: its distribution's p5–p95, or ±10% of its nominal value. */
export function inputRange(
  label: string,
  path: ReadonlyArray<string | number>,
  nominal: number,
  distribution: Distribution | undefined,
): SensitivityInput {
  if (distribution)
    return {label, path, low: distribution.quantile(0.05), high: distribution.quantile(0.95), ranged: true};
  return {label, path, low: nominal * (1 - DEFAULT_SWING), high: nominal * (1 + DEFAULT_SWING), ranged: false};
}

/**
 * One-at-a-time sensitivity, for tornado charts: move each input to the
 * low and high ends of its range with every other input at its nominal
 * value, evaluate the output, and rank the inputs by the swing.
 */
export function sensitivity<Records extends readonly unknown[]>(
  records: {
    readonly [K in keyof Records]: {readonly nominal: Records[K]; readonly inputs: readonly SensitivityInput[]};
  },
  evaluate: (...records: Records) => number | undefined,
): SensitivityRow[] {
  const list = records as unknown as ReadonlyArray<{nominal: unknown; inputs: readonly SensitivityInput[]}>;
  const nominals = list.map((record) => record.nominal);
  const rows: SensitivityRow[] = [];
  const outputAtNominal = evaluate(...(nominals as unknown as Records));
  if (outputAtNominal === undefined || !Number.isFinite(outputAtNominal)) return rows;
  list.forEach((record, index) => {
    for (const input of record.inputs) {
      const at = (value: number) => {
        const varied = [...nominals];
        varied[index] = withLeafValues(
          record.nominal,
          [{path: input.path, distribution: undefined as never}],
          () => value,
        );
        return evaluate(...(varied as unknown as Records));
      };
      const outputAtLow = at(input.low);
      const outputAtHigh = at(input.high);
      if (
        outputAtLow === undefined ||
        outputAtHigh === undefined ||
        !Number.isFinite(outputAtLow) ||
        !Number.isFinite(outputAtHigh)
      )
        continue;
      rows.push({
        input: input.label,
        ranged: input.ranged,
        inputLow: input.low,
        inputHigh: input.high,
        outputAtLow,
        outputAtHigh,
        outputAtNominal,
        swing: Math.abs(outputAtHigh - outputAtLow),
      });
    }
  });
  return rows.sort((a, b) => b.swing - a.swing || compareText(a.input, b.input));
}
