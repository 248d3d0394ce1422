import type {z} from 'zod';

/** A zod schema's definition, for walkers that follow a schema alongside data. */
export type SchemaDefinition = Record<string, unknown> & {type: string};

export function definitionOf(schema: z.core.$ZodType): SchemaDefinition {
  return schema._zod.def as unknown as SchemaDefinition;
}

/**
 * The schema a wrapper stands for (optional, default, nullable, readonly,
 * or the input side of a pipe or transform), or `undefined` when `schema`
 * is not a wrapper.
 */
export function unwrapped(schema: z.core.$ZodType): z.core.$ZodType | undefined {
  const definition = definitionOf(schema);
  switch (definition.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'readonly':
      return definition.innerType as z.core.$ZodType;
    case 'pipe':
      return definition.in as z.core.$ZodType;
    default:
      return undefined;
  }
}

/**
 * Walk a schema and a value together, calling `visit` at every schema node
 * the value reaches (wrappers unwrapped; a union follows the first option
 * the value satisfies; objects by their declared keys; arrays item by item).
 * `visit` returns true when it has taken the node whole, and the walk does
 * not go below it. Absent values (undefined, null) are not visited.
 */
export function walkSchemaWithValue(
  schema: z.core.$ZodType,
  value: unknown,
  visit: (node: z.core.$ZodType, value: unknown, path: Array<string | number>) => boolean,
): void {
  const walk = (current: z.core.$ZodType, item: unknown, path: Array<string | number>): void => {
    if (item === undefined || item === null) return;
    if (visit(current, item, path)) return;
    const inner = unwrapped(current);
    if (inner) return walk(inner, item, path);
    const def = definitionOf(current);
    switch (def.type) {
      case 'union': {
        const options = def.options as z.core.$ZodType[];
        const option = options.find((each) => (each as z.ZodType).safeParse(item).success);
        if (option) walk(option, item, path);
        return;
      }
      case 'object':
        if (typeof item !== 'object') return;
        for (const [key, child] of Object.entries(def.shape as Record<string, z.core.$ZodType>))
          walk(child, (item as Record<string, unknown>)[key], [...path, key]);
        return;
      case 'array':
        if (Array.isArray(item))
          item.forEach((each, index) => walk(def.element as z.core.$ZodType, each, [...path, index]));
        return;
      default:
        return;
    }
  };
  walk(schema, value, []);
}
