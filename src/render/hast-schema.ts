import type {Element, Properties, Root} from 'hast';
import {z} from 'zod';

// The hast a rendered report is made of, as the cache and shards keep it in
// JSON: elements, text, comments, a doctype, and raw HTML (each chart's SVG).
// Keys in the order hastscript writes them, so a tree read back serializes
// the same.

const propertyValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number()])),
]);
const propertiesSchema: z.ZodType<Properties> = z.record(z.string(), propertyValueSchema);

const textSchema = z.object({type: z.literal('text'), value: z.string()});
const commentSchema = z.object({type: z.literal('comment'), value: z.string()});
const rawSchema = z.object({type: z.literal('raw'), value: z.string()});
const doctypeSchema = z.object({type: z.literal('doctype')});

// Dispatched on `type`, so a text node is never tried as an element first.
const hastElementObject = z.object({
  type: z.literal('element'),
  tagName: z.string(),
  properties: propertiesSchema,
  get children(): z.ZodArray<typeof elementContentSchema> {
    return z.array(elementContentSchema);
  },
});
const elementContentSchema = z.discriminatedUnion('type', [hastElementObject, textSchema, rawSchema, commentSchema]);

export const hastElementSchema: z.ZodType<Element> = hastElementObject;

export const hastRootSchema: z.ZodType<Root> = z.object({
  type: z.literal('root'),
  children: z.array(
    z.discriminatedUnion('type', [hastElementObject, textSchema, rawSchema, commentSchema, doctypeSchema]),
  ),
});
