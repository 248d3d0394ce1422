import {z} from 'zod';
import type {QuantityName} from '../plausible-ranges.js';

/** Which quantity (src/data/plausible-ranges.ts) each numeric field of the schemas holds. */
export const quantityOf = z.registry<{quantity: QuantityName}>();

/**
 * `schema` (a number, or an uncertain number) as a field holding `quantity`:
 * its values are checked against the quantity's plausible ranges where data
 * is validated (src/data/plausibility.ts). A copy is tagged, so shared
 * schemas (`positiveInteger`) stay untagged elsewhere.
 */
export function measured<Schema extends z.ZodType>(quantity: QuantityName, schema: Schema): Schema {
  const own = (schema.description === undefined ? schema.clone() : schema.describe(schema.description)) as Schema;
  quantityOf.add(own, {quantity});
  return own;
}
