import type {z} from 'zod';
import {definitionOf, unwrapped} from './schema-walk.js';
import {UNCERTAIN} from './schemas/uncertain.js';

/**
 * The paths of every continuous input in a validated record: the fields
 * its schema declares as uncertain numbers (which may hold a plain number
 * or a distribution), present in the record. Structural integers (layers,
 * GPU counts, parallel degrees) are not among them.
 */
export function continuousInputPaths(schema: z.ZodType, record: unknown): Array<Array<string | number>> {
  const paths: Array<Array<string | number>> = [];
  const walk = (current: z.core.$ZodType, value: unknown, path: Array<string | number>): void => {
    if (value === undefined) return;
    if ((current as z.ZodType).description === UNCERTAIN) {
      paths.push(path);
      return;
    }
    const inner = unwrapped(current);
    if (inner) {
      walk(inner, value, path);
      return;
    }
    const def = definitionOf(current);
    switch (def.type) {
      case 'union':
        for (const option of def.options as z.core.$ZodType[]) {
          if ((option as z.ZodType).safeParse(value).success) {
            walk(option, value, path);
            return;
          }
        }
        return;
      case 'object': {
        if (!value || typeof value !== 'object') return;
        for (const [key, child] of Object.entries(def.shape as Record<string, z.core.$ZodType>)) {
          walk(child, (value as Record<string, unknown>)[key], [...path, key]);
        }
        return;
      }
      case 'array':
        if (Array.isArray(value))
          value.forEach((item, index) => walk(def.element as z.core.$ZodType, item, [...path, index]));
        return;
      default:
        return;
    }
  };
  walk(schema, record, []);
  return paths;
}
