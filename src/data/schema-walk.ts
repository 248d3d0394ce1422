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
