import type {z} from 'zod';
import {Distribution} from '../uncertain/distribution.js';
import {formatPath} from './field-path.js';
import {QUANTITIES, type Quantity} from './plausible-ranges.js';
import {walkSchemaWithValue} from './schema-walk.js';
import {quantityOf} from './schemas/quantity.js';
import type {DataPath} from './yaml-source.js';
import {numberText} from './number-text.js';

/** A value outside its quantity's plausible range: where (relative to the record), how bad, and why. */
export interface Implausible {
  readonly path: DataPath;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/**
 * Check every number of a record (as written, already valid to `schema`)
 * against the plausible ranges of the quantity its field holds
 * (src/data/plausible-ranges.ts): outside what is possible, an error;
 * outside what is usual, a warning; either names the unit slip that would
 * explain it. An uncertain number is checked at its low and high ends.
 */
export function implausibleValues(schema: z.core.$ZodType, written: unknown): Implausible[] {
  const found: Implausible[] = [];
  walkSchemaWithValue(schema, written, (node, value, path) => {
    const tag = quantityOf.get(node);
    if (!tag) return false;
    const problems = endsOf(value).flatMap((end) => {
      const problem = judge(QUANTITIES[tag.quantity], end.value);
      return problem ? [{...end, ...problem}] : [];
    });
    // A distribution's two ends are at one field (a normal's mean): one message for it, the worse.
    const reported = new Set<string>();
    for (const each of [...problems].sort((a, b) => severityRank(a.severity) - severityRank(b.severity))) {
      const key = each.at.join('.');
      if (reported.has(key)) continue;
      reported.add(key);
      const at = [...path, ...each.at];
      found.push({path: at, severity: each.severity, message: `\`${formatPath(at)}\`${each.label}: ${each.reason}`});
    }
    return true;
  });
  return found;
}

const severityRank = (severity: 'error' | 'warning') => (severity === 'error' ? 0 : 1);

/** The numbers an uncertain number stands for at its ends, as written: a plain number, a range's low and high, a distribution's clip. */
function endsOf(value: unknown): Array<{at: DataPath; label: string; value: number}> {
  if (typeof value === 'number') return [{at: [], label: '', value}];
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, number>;
  if ('low' in record && 'high' in record)
    return [
      {at: ['low'], label: '', value: record.low as number},
      {at: ['high'], label: '', value: record.high as number},
    ];
  if ('mean' in record || 'median' in record) {
    const centre = 'mean' in record ? 'mean' : 'median';
    const spec =
      centre === 'mean'
        ? {kind: 'normal' as const, mean: record.mean as number, sd: record.sd as number}
        : {kind: 'lognormal' as const, median: record.median as number, sigma: record.sigma as number};
    const [low, high] = new Distribution(spec).ends;
    const spread = centre === 'mean' ? 'sd' : 'sigma';
    return [
      {at: [centre], label: ` (${centre} − 3 ${spread})`, value: low},
      {at: [centre], label: ` (${centre} + 3 ${spread})`, value: high},
    ];
  }
  return [];
}

/** Whether `value` is possible and usual for `quantity`, and if not, why, with the slip that would explain it. */
export function judge(quantity: Quantity, value: number): {severity: 'error' | 'warning'; reason: string} | undefined {
  const inside = ([min, max]: readonly [number, number], each: number) => each >= min && each <= max;
  if (!Number.isFinite(value) || inside(quantity.usual, value)) return undefined;
  const possible = inside(quantity.possible, value);
  const range = possible ? quantity.usual : quantity.possible;
  const expected = `${possible ? 'unusual' : 'impossible'} for a ${quantity.what}, expected ${possible ? 'about ' : ''}${numberText(range[0])} to ${numberText(range[1])}${unitText(quantity)}`;
  const slips = (quantity.slips ?? [])
    .map((slip) => ({slip, meant: value / slip.factor}))
    .filter(({meant}) => inside(quantity.usual, meant))
    .slice(0, 2)
    .map(({slip, meant}) => `${slip.wrote} (${numberText(meant)}${unitText(quantity)})`);
  const hint = slips.length > 0 ? `; did you write ${slips.join(' or ')}?` : '';
  return {
    severity: possible ? 'warning' : 'error',
    reason: `${numberText(value)}${unitText(quantity)} is ${expected}${hint}`,
  };
}

function unitText(quantity: Quantity): string {
  return quantity.unit === '' ? '' : quantity.unit === '×' ? '×' : ` ${quantity.unit}`;
}
