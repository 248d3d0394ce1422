import type {z} from 'zod';
import {walkSchemaWithValue} from './schema-walk.js';
import {UNCERTAIN} from './schemas/uncertain.js';

/**
 * The paths of every continuous input in a validated record: the fields
 * its schema declares as uncertain numbers (which may hold a plain number
 * or a distribution), present in the record. Structural integers (layers,
 * GPU counts, parallel degrees) are not among them.
 */
export function continuousInputPaths(schema: z.ZodType, record: unknown): Array<Array<string | number>> {
  const paths: Array<Array<string | number>> = [];
  walkSchemaWithValue(schema, record, (node, _value, path) => {
    if ((node as z.ZodType).description !== UNCERTAIN) return false;
    paths.push(path);
    return true;
  });
  return paths;
}
