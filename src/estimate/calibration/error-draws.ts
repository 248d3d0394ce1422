import {Distribution} from '../../uncertain/distribution.js';
import type {UncertainRecord} from '../uncertainty/monte-carlo.js';

/** A Monte Carlo record of one standard normal draw of the model's own error, under its group's name. */
export interface ErrorDraw extends UncertainRecord<Readonly<Record<string, number>>> {
  /** The key of the draw in the sampled record. */
  readonly name: string;
}

const STANDARD_NORMAL = new Distribution({kind: 'normal', mean: 0, sd: 1});

/**
 * One standard normal draw per sample for the model's own error (stepFactor), one stream per group of
 * estimates: the kind of FFN, the chip and the precision, the grouping the calibration finds its errors
 * differ by (calibration/error-groups.ts). A Monte Carlo leaf draws from a generator seeded by its record's
 * place and its path, so two estimates of one group draw their error alike (the model errs on both the same
 * way: a factor between them keeps it out), and estimates of different groups draw theirs independently
 * (a factor between them carries both errors).
 */
export function errorDraw(ffn: 'dense' | 'moe', hardwareId: string, precision: string): ErrorDraw {
  const name = `${ffn} · ${hardwareId} · ${precision}`;
  return {name, nominal: {[name]: 0}, leaves: [{path: [name], distribution: STANDARD_NORMAL}]};
}
